/* check.h - tiny assertion helpers for the unit tests.  A failed check prints
 * where and why and marks the run failed; check_finish() turns that into the
 * exit status, so no test can pass by accident. */
#ifndef DCTDIFF_CHECK_H
#define DCTDIFF_CHECK_H

#include <stddef.h>

extern int check_failures;

#define CHECK(cond, ...) check_true((cond), __FILE__, __LINE__, __VA_ARGS__)

int check_true(int cond, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Compares n floats: passes when |a-b| <= abs_tol + rel_tol*|b| everywhere.
 * Prints the label, the max abs and rel error and the worst index. */
int check_close(const char *label, const float *a, const float *b, size_t n,
                double abs_tol, double rel_tol);
int check_close_d(const char *label, const double *a, const double *b, size_t n,
                  double abs_tol, double rel_tol);

/* Prints "name: N checks failed" or "name: ok" and returns the exit status. */
int check_finish(const char *name);

#endif
