/* test_gemm.c - gemm.h (whichever implementation the build and CPU choose)
 * against a double-precision product, on shapes that cut the AVX-512
 * kernels' blocks (12-row strips, 32-column panels, 256-deep and 256-wide
 * blocks) at every kind of edge, with leading dimensions wider than the
 * matrices, beta 0 over NaN-filled C, beta 1 and beta 0.5, and alpha != 1. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "network/gemm.h"

static void fill(float *x, size_t n, double phase)
{
    for (size_t i = 0; i < n; i++)
        x[i] = (float)sin(0.61 * (double)i + phase);
}

typedef struct {
    int m, n, k;
} dims;

/* One product: pad widens every leading dimension beyond the matrix. */
static void check_product(dims d, int nt, float alpha, float beta, int pad)
{
    const int lda = d.k + pad, ldb = (nt ? d.k : d.n) + pad, ldc = d.n + pad;
    const size_t brows = nt ? (size_t)d.n : (size_t)d.k;
    float *a = malloc(sizeof(float) * ((size_t)d.m * lda + 1));
    float *b = malloc(sizeof(float) * (brows * ldb + 1));
    float *c = malloc(sizeof(float) * ((size_t)d.m * ldc + 1));
    float *ref = malloc(sizeof(float) * ((size_t)d.m * d.n + 1));
    float *got = malloc(sizeof(float) * ((size_t)d.m * d.n + 1));
    fill(a, (size_t)d.m * lda, 0.1);
    fill(b, brows * ldb, 0.7);
    fill(c, (size_t)d.m * ldc, 1.3);
    for (int i = 0; i < d.m; i++)
        for (int j = 0; j < d.n; j++) {
            double s = 0;
            for (int p = 0; p < d.k; p++)
                s += (double)a[(size_t)i * lda + p] *
                     (nt ? b[(size_t)j * ldb + p] : b[(size_t)p * ldb + j]);
            const float old = c[(size_t)i * ldc + j];
            ref[(size_t)i * d.n + j] = (float)(alpha * s + (beta != 0.0f ? beta * old : 0.0));
            if (beta == 0.0f)   /* beta 0 must not read C */
                c[(size_t)i * ldc + j] = NAN;
        }
    const float sentinel = c[d.n < ldc ? d.n : 0];
    if (nt)
        gemm_nt(d.m, d.n, d.k, alpha, a, lda, b, ldb, beta, c, ldc);
    else
        gemm_nn(d.m, d.n, d.k, alpha, a, lda, b, ldb, beta, c, ldc);
    for (int i = 0; i < d.m; i++)
        for (int j = 0; j < d.n; j++)
            got[(size_t)i * d.n + j] = c[(size_t)i * ldc + j];
    char label[96];
    snprintf(label, sizeof label, "gemm_%s %dx%dx%d alpha %g beta %g pad %d", nt ? "nt" : "nn",
             d.m, d.n, d.k, alpha, beta, pad);
    /* float32 sums over k terms of size ~1: error grows like sqrt(k) ulp */
    check_close(label, got, ref, (size_t)d.m * d.n, 2e-6 * sqrt(d.k + 1.0) * 4, 1e-5);
    if (pad && d.n < ldc)
        CHECK(c[d.n] == sentinel, "%s wrote past n (column %d of row 0)", label, d.n);
    free(a);
    free(b);
    free(c);
    free(ref);
    free(got);
}

int main(void)
{
    static const dims shapes[] = {
        { 1, 1, 1 },   { 12, 32, 256 }, { 13, 33, 257 }, { 11, 31, 255 },
        { 257, 64, 64 }, { 64, 257, 64 }, { 70, 300, 37 }, { 5, 600, 600 },
        { 24, 17, 1025 }, { 36, 512, 3 }, { 2, 3, 0 },
    };
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++)
        for (int nt = 0; nt < 2; nt++) {
            check_product(shapes[s], nt, 1.0f, 0.0f, 0);
            check_product(shapes[s], nt, 0.125f, 1.0f, 3);
            check_product(shapes[s], nt, -1.5f, 0.5f, 17);
        }
    return check_finish("test_gemm");
}
