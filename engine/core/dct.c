/* dct.c - orthonormal 2-D DCT-II / DCT-III on B x B blocks (see dct.h).
 *
 * Each transform is two passes of a B x B matrix product with the cosine
 * basis C[k][n] = a(k) cos(pi (2n+1) k / 2B): forward X = C P C^T (rows, then
 * columns), inverse P = C^T X C.  The tables are built once, at first use. */
#include "core/dct.h"

#include <math.h>
#include <pthread.h>

#define DCT_MAX 16

/* The four tables for B = 2, 4, 8, 16 live back to back: offsets 0, 4, 20, 84. */
static double basis_d[4 + 16 + 64 + 256];
static float basis_f[4 + 16 + 64 + 256];
static pthread_once_t basis_once = PTHREAD_ONCE_INIT;

static void basis_build(void)
{
    for (int B = 2, off = 0; B <= DCT_MAX; off += B * B, B *= 2)
        for (int k = 0; k < B; k++)
            for (int n = 0; n < B; n++) {
                double a = sqrt((k ? 2.0 : 1.0) / B);
                double c = a * cos(M_PI * (2 * n + 1) * k / (2.0 * B));
                basis_d[off + k * B + n] = c;
                basis_f[off + k * B + n] = (float)c;
            }
}

static int basis_offset(int B)
{
    pthread_once(&basis_once, basis_build);
    return B == 2 ? 0 : B == 4 ? 4 : B == 8 ? 20 : 84;
}

int dct_size_ok(int B)
{
    return B == 2 || B == 4 || B == 8 || B == 16;
}

/* One transform in type T.  Forward: t = P C^T (each row), then X = C t
 * (each column).  Inverse: t = X C, then P = C^T t.  Sums run in T. */
#define DEFINE_TRANSFORM(name, T)                                              \
    static void name(T *blk, int B, const T *C, int inverse)                   \
    {                                                                          \
        T t[DCT_MAX * DCT_MAX];                                                \
        for (int r = 0; r < B; r++)                                            \
            for (int j = 0; j < B; j++) {                                      \
                T s = 0;                                                       \
                for (int i = 0; i < B; i++)                                    \
                    s += blk[r * B + i] * (inverse ? C[i * B + j] : C[j * B + i]); \
                t[r * B + j] = s;                                              \
            }                                                                  \
        for (int j = 0; j < B; j++)                                            \
            for (int r = 0; r < B; r++) {                                      \
                T s = 0;                                                       \
                for (int i = 0; i < B; i++)                                    \
                    s += (inverse ? C[i * B + r] : C[r * B + i]) * t[i * B + j]; \
                blk[r * B + j] = s;                                            \
            }                                                                  \
    }

DEFINE_TRANSFORM(transform_f, float)
DEFINE_TRANSFORM(transform_d, double)

void dct_forward_f(float *block, int B)
{
    transform_f(block, B, basis_f + basis_offset(B), 0);
}

void dct_inverse_f(float *block, int B)
{
    transform_f(block, B, basis_f + basis_offset(B), 1);
}

void dct_forward_d(double *block, int B)
{
    transform_d(block, B, basis_d + basis_offset(B), 0);
}

void dct_inverse_d(double *block, int B)
{
    transform_d(block, B, basis_d + basis_offset(B), 1);
}

/* Anti-diagonals s = u + v in turn: on odd ones u (the row) increases, on
 * even ones it decreases, so the first AC step goes to (u=0, v=1). */
void dct_zigzag(int B, int *order)
{
    int p = 0;
    for (int s = 0; s <= 2 * B - 2; s++) {
        int lo = s < B ? 0 : s - B + 1, hi = s < B ? s : B - 1;
        for (int i = 0; i <= hi - lo; i++) {
            int u = (s % 2) ? lo + i : hi - i;
            order[p++] = u * B + (s - u);
        }
    }
}
