/* check.c - see check.h. */
#include "check.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

int check_failures = 0;

int check_true(int cond, const char *file, int line, const char *fmt, ...)
{
    if (cond)
        return 1;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL %s:%d: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    check_failures++;
    return 0;
}

#define CHECK_CLOSE_BODY                                                        \
    double max_abs = 0, max_rel = 0;                                            \
    size_t worst = 0;                                                           \
    int ok = 1;                                                                 \
    for (size_t i = 0; i < n; i++) {                                            \
        double d = fabs((double)a[i] - (double)b[i]);                           \
        double r = d / (fabs((double)b[i]) + 1e-30);                            \
        if (!(d <= abs_tol + rel_tol * fabs((double)b[i]))) {                   \
            if (ok || d > max_abs)                                              \
                worst = i;                                                      \
            ok = 0;                                                             \
        }                                                                       \
        if (d > max_abs || isnan(d))                                            \
            max_abs = isnan(d) ? INFINITY : d;                                  \
        if (r > max_rel)                                                        \
            max_rel = r;                                                        \
    }                                                                           \
    printf("%s %-40s max abs %.3g  max rel %.3g  (n=%zu)\n", ok ? "ok  " : "FAIL", \
           label, max_abs, max_rel, n);                                         \
    if (!ok) {                                                                  \
        fprintf(stderr, "FAIL %s: worst at %zu: got %.9g want %.9g\n", label,   \
                worst, (double)a[worst], (double)b[worst]);                     \
        check_failures++;                                                       \
    }                                                                           \
    return ok;

int check_close(const char *label, const float *a, const float *b, size_t n,
                double abs_tol, double rel_tol)
{
    CHECK_CLOSE_BODY
}

int check_close_d(const char *label, const double *a, const double *b, size_t n,
                  double abs_tol, double rel_tol)
{
    CHECK_CLOSE_BODY
}

int check_finish(const char *name)
{
    if (check_failures) {
        printf("%s: %d checks failed\n", name, check_failures);
        return 1;
    }
    printf("%s: ok\n", name);
    return 0;
}
