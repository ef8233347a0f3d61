/* dct_resize.c - whole-image DCT-domain resizing (see dct_resize.h).
 *
 * One axis from n to nn samples is one nn x n matrix, the product of the
 * inverse DCT of length nn, the cut or zero-padded spectrum and the forward
 * DCT of length n; rows are resized first, then columns. */
#include "core/dct_resize.h"
#include "core/status.h"

#include <math.h>
#include <stdlib.h>

/* Orthonormal DCT-II basis of length n at frequency k, sample i. */
static double basis(int n, int k, int i)
{
    const double a = k == 0 ? sqrt(1.0 / n) : sqrt(2.0 / n);
    return a * cos(M_PI * (2.0 * i + 1.0) * k / (2.0 * n));
}

/* m[o * n + i]: the weight of input sample i in output sample o. */
static void axis_matrix(int n, int nn, double *m)
{
    const int keep = n < nn ? n : nn;
    const double gain = sqrt((double)nn / n);
    for (int o = 0; o < nn; o++)
        for (int i = 0; i < n; i++) {
            double v = 0.0;
            for (int k = 0; k < keep; k++)
                v += basis(nn, k, o) * basis(n, k, i);
            m[(size_t)o * n + i] = gain * v;
        }
}

dctdiff_status dct_resize(const float *src, int w, int h, int planes, float *dst, int nw,
                          int nh, dctdiff_error *err)
{
    if (w < 1 || h < 1 || nw < 1 || nh < 1 || planes < 1)
        return dd_fail(err, DCTDIFF_E_ARG, "DCT resize %dx%d -> %dx%d is not possible",
                       w, h, nw, nh);
    double *mw = malloc(sizeof(double) * (size_t)nw * w);
    double *mh = malloc(sizeof(double) * (size_t)nh * h);
    double *rows = malloc(sizeof(double) * (size_t)nw * h);
    if (!mw || !mh || !rows) {
        free(mw), free(mh), free(rows);
        return dd_fail(err, DCTDIFF_E_NOMEM, "no memory to resize %dx%d to %dx%d", w, h,
                       nw, nh);
    }
    axis_matrix(w, nw, mw);
    axis_matrix(h, nh, mh);
    for (int p = 0; p < planes; p++) {
        const float *in = src + (size_t)p * w * h;
        float *out = dst + (size_t)p * nw * nh;
        for (int y = 0; y < h; y++)
            for (int o = 0; o < nw; o++) {
                double v = 0.0;
                for (int i = 0; i < w; i++)
                    v += mw[(size_t)o * w + i] * in[(size_t)y * w + i];
                rows[(size_t)y * nw + o] = v;
            }
        for (int o = 0; o < nh; o++)
            for (int x = 0; x < nw; x++) {
                double v = 0.0;
                for (int i = 0; i < h; i++)
                    v += mh[(size_t)o * h + i] * rows[(size_t)i * nw + x];
                out[(size_t)o * nw + x] = (float)v;
            }
    }
    free(mw), free(mh), free(rows);
    return DCTDIFF_OK;
}
