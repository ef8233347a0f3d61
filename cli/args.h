/* args.h - what every command shares: one-line error messages and checked
 * parsing of option values.  Commands parse with getopt_long and these. */
#ifndef CLI_ARGS_H
#define CLI_ARGS_H

#include "dctdiff.h"

#include <stdint.h>
#include <stdio.h>

/* Exit codes of every command (also in docs/dctdiff.1). */
enum { CLI_EXIT_OK = 0, CLI_EXIT_FAIL = 1, CLI_EXIT_USAGE = 2, CLI_EXIT_INTERRUPTED = 130 };

/* Fills err (which may be NULL) and returns -1. */
int cli_fail(dctdiff_error *err, dctdiff_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prints "dctdiff: CMD: MESSAGE" on stderr, one line. */
void cli_report(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The exit status of a command whose run returned run_result (0 = done), with
 * the one stderr line that explains a failure or an interrupt; out names the
 * file or folder that was not written. */
int cli_exit_status(const char *cmd, int run_result, const dctdiff_error *err,
                    const char *out);

/* Option value parsers.  On a bad value they print one line naming the
 * option and the accepted range, and return -1. */
int cli_parse_int(const char *cmd, const char *opt, const char *text, long min, long max,
                  int *out);
int cli_parse_double(const char *cmd, const char *opt, const char *text, double min,
                     double max, double *out);
/* A seed: a whole number from 0 to UINT64_MAX. */
int cli_parse_seed(const char *cmd, const char *text, uint64_t *out);
/* Looks text up in an engine name table; an unknown name lists the choices. */
int cli_parse_enum(const char *cmd, const char *opt, const char *text,
                   const dctdiff_enum_entry *table, int *out);

/* "a|b|c" from an engine name table, for usage texts. */
void cli_print_choices(FILE *fp, const dctdiff_enum_entry *table);

/* Reports what getopt_long's c (':' or '?') says about argv: a value
 * missing, or an unknown option; returns -1. */
int cli_bad_option(const char *cmd, int c, char **argv);

/* 0 when the engine's call returned st == DCTDIFF_OK and no Ctrl-C came
 * after its last check; else -1, err saying which. */
int cli_check_done(dctdiff_status st, dctdiff_error *err);

/* The end of a command: parsed is what its option parsing returned (0: run,
 * 1: --help was printed, -1: a usage error, reported).  Runs run(opts) with
 * Ctrl-C caught and returns the exit status; out names what a failed run did
 * not write. */
typedef int (*cli_run_fn)(const void *opts, dctdiff_error *err);
int cli_command_finish(const char *cmd, int parsed, cli_run_fn run, const void *opts,
                       const char *out);

#endif
