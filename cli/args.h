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

#endif
