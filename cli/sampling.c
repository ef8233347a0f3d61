/* sampling.c - options shared by the sampling commands (sampling.h). */
#include "sampling.h"
#include "args.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

void cli_sampling_init(cli_sampling_opts *o, int count_max)
{
    *o = (cli_sampling_opts){ .steps = DCTDIFF_DEFAULT, .sampler = -1, .count = 1,
                              .count_max = count_max };
}

int cli_sampling_parse(const char *cmd, int c, const char *arg, cli_sampling_opts *o)
{
    switch (c) {
    case 'n': return cli_parse_int(cmd, "--steps", arg, 1, DCTDIFF_STEPS_MAX, &o->steps);
    case 'S': return cli_parse_enum(cmd, "--sampler", arg, dctdiff_samplers(), &o->sampler);
    case 's': o->seed_given = 1; return cli_parse_seed(cmd, arg, &o->seed);
    case 'c': o->count_given = 1; return cli_parse_int(cmd, "--count", arg, 1, o->count_max,
                                                       &o->count);
    case 't': return cli_parse_int(cmd, "--threads", arg, 0, 1024, &o->threads);
    case 'q': o->quiet = 1; return 0;
    default: return 1;
    }
}

void cli_sampling_apply(const cli_sampling_opts *o, int count, dctdiff_generate_params *p)
{
    if (o->sampler >= 0)
        p->sampler = (dctdiff_sampler)o->sampler;
    p->steps = o->steps;
    p->seed = o->seed_given ? o->seed : (uint64_t)time(NULL);
    p->count = count;
    p->threads = o->threads;
}

void cli_sampling_print_seed(const char *cmd, const cli_sampling_opts *o, uint64_t seed)
{
    if (!o->quiet && !o->seed_given)
        fprintf(stderr, "dctdiff: %s: seed %" PRIu64 "\n", cmd, seed);
}
