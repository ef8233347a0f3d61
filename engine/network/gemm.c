/* gemm.c - gemm.h on OpenBLAS's cblas_sgemm. */
#include "network/gemm.h"

#include <cblas.h>
#include <pthread.h>

static pthread_once_t blas_once = PTHREAD_ONCE_INIT;

/* OpenBLAS threads inside team members would oversubscribe the cores and
 * serialise on OpenBLAS's own lock; the engine never wants them.  (Kernels
 * are OpenBLAS's choice, made when it loads, and OPENBLAS_CORETYPE in the
 * environment overrides it: on an AVX-512 core Debian 12's 0.3.21 picks
 * 'Cooperlake', ~205 GFLOP/s a core on the network's shapes here, against
 * ~110 for 'Haswell' and ~188 for BLIS 0.9's 'skx', which is why the
 * engine stays on OpenBLAS.) */
static void blas_single_threaded(void)
{
    openblas_set_num_threads(1);
}

void gemm_init(void)
{
    pthread_once(&blas_once, blas_single_threaded);
}

void gemm_nt(int m, int n, int k, float alpha, const float *a, int lda,
             const float *b, int ldb, float beta, float *c, int ldc)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, alpha, a, lda, b, ldb,
                beta, c, ldc);
}

void gemm_nn(int m, int n, int k, float alpha, const float *a, int lda,
             const float *b, int ldb, float beta, float *c, int ldc)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, alpha, a, lda, b, ldb,
                beta, c, ldc);
}
