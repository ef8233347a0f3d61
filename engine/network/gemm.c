/* gemm.c - gemm.h: the engine's AVX-512 kernels (gemm_avx512.c) where the
 * CPU has AVX-512 and the build allows them (meson option gemm=builtin, the
 * default), else OpenBLAS's cblas_sgemm. */
#include "network/gemm.h"

#include <cblas.h>
#include <pthread.h>

#include "network/gemm_avx512.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int use_avx512;

/* OpenBLAS threads inside team members would oversubscribe the cores and
 * serialise on OpenBLAS's own lock; the engine never wants them. */
static void init(void)
{
    openblas_set_num_threads(1);
#ifndef DCTDIFF_GEMM_OPENBLAS
    use_avx512 = gemm_avx512_usable();
#endif
}

void gemm_nt(int m, int n, int k, float alpha, const float *a, int lda,
             const float *b, int ldb, float beta, float *c, int ldc)
{
    pthread_once(&init_once, init);
    if (use_avx512 && gemm_avx512_nt(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
        return;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, alpha, a, lda, b, ldb,
                beta, c, ldc);
}

void gemm_nn(int m, int n, int k, float alpha, const float *a, int lda,
             const float *b, int ldb, float beta, float *c, int ldc)
{
    pthread_once(&init_once, init);
    if (use_avx512 && gemm_avx512_nn(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
        return;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, alpha, a, lda, b, ldb,
                beta, c, ldc);
}
