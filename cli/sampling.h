/* sampling.h - the options the sampling commands (generate, edit) share:
 * steps, sampler, seed, count, threads and quiet; how they are parsed and how
 * they fill dctdiff_generate_params. */
#ifndef CLI_SAMPLING_H
#define CLI_SAMPLING_H

#include "dctdiff.h"

#include <getopt.h>
#include <stdint.h>

typedef struct {
    int steps;         /* DCTDIFF_DEFAULT: the model's */
    int sampler;       /* -1: the model's */
    int count, count_max, count_given;
    int threads, quiet;
    int seed_given;
    uint64_t seed;
} cli_sampling_opts;

/* Their getopt_long entries and short options, for a command's tables. */
#define CLI_SAMPLING_LONGOPTS                          \
    { "steps", required_argument, NULL, 'n' },         \
    { "sampler", required_argument, NULL, 'S' },       \
    { "seed", required_argument, NULL, 's' },          \
    { "count", required_argument, NULL, 'c' },         \
    { "threads", required_argument, NULL, 't' },       \
    { "quiet", no_argument, NULL, 'q' }
#define CLI_SAMPLING_SHORTOPTS "n:S:s:c:t:q"

/* Defaults: the model's steps and sampler, one image (at most count_max),
 * all cores, a seed from the clock. */
void cli_sampling_init(cli_sampling_opts *o, int count_max);

/* Takes getopt_long's c (with its arg) when it is one of these options:
 * 0 taken, -1 a bad value (reported), 1 not one of these. */
int cli_sampling_parse(const char *cmd, int c, const char *arg, cli_sampling_opts *o);

/* Sets p's sampler (when one was given), steps, seed (from the clock when
 * none was given), count and threads. */
void cli_sampling_apply(const cli_sampling_opts *o, int count, dctdiff_generate_params *p);

/* Prints the seed on stderr when it came from the clock and not --quiet. */
void cli_sampling_print_seed(const char *cmd, const cli_sampling_opts *o, uint64_t seed);

#endif
