/* gemm.h - the one matrix product the network uses, behind a small
 * interface so that the BLAS library stays a build choice.
 *
 * Row-major C[m, n] = alpha A B + beta C, with A [m, k] (lda) and B either
 * [k, n] (ldb, gemm_nn) or stored transposed as [n, k] (ldb, gemm_nt, the
 * PyTorch weight layout).  Every call is single-threaded: the network's own
 * thread team provides the parallelism (uvit.c), which keeps the bytes
 * independent of the thread count.  The first call makes OpenBLAS
 * single-threaded, once per process: the only process-wide BLAS setting
 * libdctdiff makes (OpenBLAS has no per-call thread count).
 *
 * Implementations (gemm.c chooses): the engine's AVX-512 kernels
 * (gemm_avx512.c) where the CPU has AVX-512F, else OpenBLAS; the meson
 * option gemm=openblas makes it OpenBLAS always. */
#ifndef DCTDIFF_GEMM_H
#define DCTDIFF_GEMM_H

void gemm_nt(int m, int n, int k, float alpha, const float *a, int lda,
             const float *b, int ldb, float beta, float *c, int ldc);
void gemm_nn(int m, int n, int k, float alpha, const float *a, int lda,
             const float *b, int ldb, float beta, float *c, int ldc);

#endif
