/* fixture_io.h - small readers shared by the network tests: whole-file
 * loading and the input pattern of weights/export_fixtures.py. */
#ifndef DCTDIFF_FIXTURE_IO_H
#define DCTDIFF_FIXTURE_IO_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file, or NULL; *size receives its length. */
static inline unsigned char *fixture_read(const char *path, size_t *size)
{
    *size = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = n > 0 ? malloc((size_t)n) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *size = buf ? (size_t)n : 0;
    return buf;
}

/* export_fixtures.py pattern(): 1.2 sin(0.7071 i + p) + 0.6 cos(0.1234 i + 2p) */
static inline void fixture_pattern(float *out, size_t n, double phase)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (float)(1.2 * sin(0.7071 * (double)i + phase) +
                         0.6 * cos(0.1234 * (double)i + 2.0 * phase));
}

/* Norm-relative error ||a - b|| / ||b|| over n floats. */
static inline double fixture_rel_l2(const float *a, const float *b, size_t n)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < n; i++) {
        double d = (double)a[i] - b[i];
        num += d * d;
        den += (double)b[i] * b[i];
    }
    return sqrt(num / (den > 0 ? den : 1));
}

static inline double fixture_rms(const float *a, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)a[i] * a[i];
    return sqrt(s / (double)n);
}

#endif
