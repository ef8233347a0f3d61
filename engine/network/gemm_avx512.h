/* gemm_avx512.h - the engine's own AVX-512 matrix product (gemm_avx512.c),
 * one of the implementations behind gemm.h.  Same arguments and meaning as
 * gemm_nt / gemm_nn; each returns 0, computing nothing, when it cannot get
 * its packing buffer (out of memory). */
#ifndef DCTDIFF_GEMM_AVX512_H
#define DCTDIFF_GEMM_AVX512_H

/* Whether this CPU runs the kernels (AVX-512F). */
int gemm_avx512_usable(void);

int gemm_avx512_nt(int m, int n, int k, float alpha, const float *a, int lda,
                   const float *b, int ldb, float beta, float *c, int ldc);
int gemm_avx512_nn(int m, int n, int k, float alpha, const float *a, int lda,
                   const float *b, int ldb, float beta, float *c, int ldc);

#endif
