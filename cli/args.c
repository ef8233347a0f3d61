/* args.c - error lines and option value parsing shared by the commands. */
#include "args.h"
#include "progress.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>

int cli_fail(dctdiff_error *err, dctdiff_status s, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->status = s;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void cli_report(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "dctdiff: %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_parse_int(const char *cmd, const char *opt, const char *text, long min, long max,
                  int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end || errno || v < min || v > max) {
        cli_report(cmd, "%s '%s': expected a whole number from %ld to %ld", opt, text, min, max);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int cli_parse_double(const char *cmd, const char *opt, const char *text, double min,
                     double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end || errno || !isfinite(v) || v < min || v > max) {
        cli_report(cmd, "%s '%s': expected a number from %g to %g", opt, text, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_seed(const char *cmd, const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (end == text || *end || errno || text[0] == '-') {
        cli_report(cmd, "--seed '%s': expected a whole number from 0 to %" PRIu64, text,
                   UINT64_MAX);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

int cli_parse_enum(const char *cmd, const char *opt, const char *text,
                   const dctdiff_enum_entry *table, int *out)
{
    int v = dctdiff_enum_lookup(table, text);
    if (v < 0) {
        fprintf(stderr, "dctdiff: %s: %s '%s' is unknown (choose ", cmd, opt, text);
        cli_print_choices(stderr, table);
        fputs(")\n", stderr);
        return -1;
    }
    *out = v;
    return 0;
}

void cli_print_choices(FILE *fp, const dctdiff_enum_entry *table)
{
    for (const dctdiff_enum_entry *e = table; e->name; e++)
        fprintf(fp, "%s%s", e == table ? "" : "|", e->name);
}

int cli_exit_status(const char *cmd, int run_result, const dctdiff_error *err,
                    const char *out)
{
    if (run_result == 0)
        return CLI_EXIT_OK;
    if (err->status == DCTDIFF_E_CANCELLED || cli_interrupted()) {
        cli_report(cmd, "interrupted; '%s' was not written", out);
        return CLI_EXIT_INTERRUPTED;
    }
    cli_report(cmd, "%s", err->msg);
    return CLI_EXIT_FAIL;
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
    if (c == ':')
        cli_report(cmd, "option '%s' needs a value", argv[optind - 1]);
    else if (optopt)
        cli_report(cmd, "unknown option '-%c' (try 'dctdiff %s --help')", optopt, cmd);
    else
        cli_report(cmd, "unknown option '%s' (try 'dctdiff %s --help')", argv[optind - 1], cmd);
    return -1;
}

int cli_check_done(dctdiff_status st, dctdiff_error *err)
{
    if (st == DCTDIFF_OK && cli_interrupted())
        return cli_fail(err, DCTDIFF_E_CANCELLED, "interrupted");
    return st == DCTDIFF_OK ? 0 : -1;
}

int cli_command_finish(const char *cmd, int parsed, cli_run_fn run, const void *opts,
                       const char *out)
{
    if (parsed)
        return parsed > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_interrupt_catch();
    dctdiff_error err = { 0 };
    return cli_exit_status(cmd, run(opts, &err), &err, out);
}
