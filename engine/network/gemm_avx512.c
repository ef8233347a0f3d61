/* gemm_avx512.c - gemm.h's product with AVX-512 kernels of the engine's own.
 *
 * Why not OpenBLAS alone: OpenBLAS picks its kernels from a table of CPU
 * models it knew when it was released, and falls back to SSE3 ('Prescott')
 * on newer ones.  Debian 12's 0.3.21 does so on the Xeon this project is
 * measured on (family 6, model 0xCF), where its product ran at a quarter
 * of the speed of its own AVX-512 kernels.  These kernels depend only on
 * the CPU's AVX-512F flag.
 *
 * Structure (that of BLIS / GotoBLAS, one thread per call): the k range is
 * cut into KC-deep blocks and n into NC-wide blocks; each block of B is
 * packed into NR-wide column panels (KC x NR floats, contiguous in k), and
 * an MR x NR micro-kernel multiplies MR rows of A, read in place, by one
 * panel.  The panel (32 KB) stays in L1 while every MR-row strip of A
 * passes over it.  The sum over k runs in order within a block and block
 * by block, so the result depends on the shapes only. */
#include "network/gemm_avx512.h"

#include <immintrin.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MR 12
#define NR 32
#define KC 256
#define NC 256

#define AVX512 __attribute__((target("avx512f")))

/* Each thread's packed block of B, KC x NC floats, made on first use and
 * freed when the thread ends. */
static pthread_key_t pack_key;
static pthread_once_t pack_once = PTHREAD_ONCE_INIT;
static _Thread_local float *pack_block;

static void make_key(void)
{
    pthread_key_create(&pack_key, free);
}

static float *thread_pack_block(void)
{
    if (!pack_block) {
        pthread_once(&pack_once, make_key);
        pack_block = aligned_alloc(64, sizeof(float) * KC * NC);
        pthread_setspecific(pack_key, pack_block);
    }
    return pack_block;
}

/* r[i] <- column i of the 16 x 16 block whose rows are r[0..15]: pairs,
 * then quads within 128-bit lanes, then lanes. */
AVX512 static void transpose16(__m512 r[16])
{
    __m512 t[16];
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 16; i += 4) {
        r[i] = _mm512_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
        r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
        r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int h = 0; h < 16; h += 8)
        for (int i = 0; i < 4; i++) {
            t[h + i] = _mm512_shuffle_f32x4(r[h + i], r[h + i + 4], 0x88);
            t[h + i + 4] = _mm512_shuffle_f32x4(r[h + i], r[h + i + 4], 0xdd);
        }
    for (int i = 0; i < 8; i++) {
        r[i] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0x88);
        r[i + 8] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0xdd);
    }
}

/* Panel layout: panel q holds columns q*NR .. q*NR+NR-1, k-major; columns
 * past n are zero.  B stored [n, k] is transposed into it in 16 x 16
 * blocks in registers (a scalar transpose took a third of a forward pass,
 * gathers a tenth). */
AVX512 static void pack_b_nt(float *pb, const float *b, int ldb, int kc, int nc)
{
    for (int q = 0; q < nc; q += 16) {
        float *panel = pb + (size_t)(q / NR * NR) * kc + q % NR;
        const int cols = nc - q < 16 ? nc - q : 16;
        for (int p = 0; p < kc; p += 16) {
            const int deep = kc - p < 16 ? kc - p : 16;
            const __mmask16 mask = deep == 16 ? 0xFFFF : (__mmask16)((1u << deep) - 1);
            __m512 r[16];
#pragma GCC unroll 16
            for (int j = 0; j < 16; j++)
                r[j] = j < cols ? _mm512_maskz_loadu_ps(mask, b + (size_t)(q + j) * ldb + p)
                                : _mm512_setzero_ps();
            transpose16(r);
            for (int t = 0; t < deep; t++)
                _mm512_store_ps(panel + (size_t)(p + t) * NR, r[t]);
        }
    }
    if (nc % NR && nc % NR <= 16)   /* the second half of a last, short panel */
        for (int p = 0; p < kc; p++)
            _mm512_store_ps(pb + (size_t)(nc / NR * NR) * kc + p * NR + 16,
                            _mm512_setzero_ps());
}

static void pack_b_nn(float *pb, const float *b, int ldb, int kc, int nc)
{
    for (int q = 0; q < nc; q += NR) {
        float *panel = pb + (size_t)q * kc;
        const int cols = nc - q < NR ? nc - q : NR;
        for (int p = 0; p < kc; p++) {
            memcpy(panel + p * NR, b + (size_t)p * ldb + q, sizeof(float) * cols);
            memset(panel + p * NR + cols, 0, sizeof(float) * (NR - cols));
        }
    }
}

/* How the accumulators reach C: the first k block scales C by beta (never
 * reading it when beta is 0), later blocks add. */
typedef struct {
    float alpha, beta;
    int first;
} store_rule;

AVX512 static void store_row(float *c, __m512 acc, __mmask16 mask, store_rule r)
{
    __m512 v = _mm512_mul_ps(acc, _mm512_set1_ps(r.alpha));
    if (!r.first)
        v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(mask, c));
    else if (r.beta != 0.0f)
        v = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, c), _mm512_set1_ps(r.beta), v);
    _mm512_mask_storeu_ps(c, mask, v);
}

/* C[mr x nr] (<- or +=) A[MR rows, lda] x panel, over kc: MR rows are always
 * read (the caller pads a short strip), only mr x nr are stored. */
AVX512 static void micro_kernel(int kc, const float *a, int lda, const float *panel,
                                float *c, int ldc, int mr, int nr, store_rule r)
{
    __m512 acc[MR][2];
#pragma GCC unroll 12
    for (int i = 0; i < MR; i++)
        acc[i][0] = acc[i][1] = _mm512_setzero_ps();
    for (int p = 0; p < kc; p++) {
        const __m512 b0 = _mm512_load_ps(panel + p * NR);
        const __m512 b1 = _mm512_load_ps(panel + p * NR + 16);
#pragma GCC unroll 12
        for (int i = 0; i < MR; i++) {
            const __m512 x = _mm512_set1_ps(a[(size_t)i * lda + p]);
            acc[i][0] = _mm512_fmadd_ps(x, b0, acc[i][0]);
            acc[i][1] = _mm512_fmadd_ps(x, b1, acc[i][1]);
        }
    }
    const __mmask16 m0 = nr >= 16 ? 0xFFFF : (__mmask16)((1u << nr) - 1);
    const __mmask16 m1 = nr >= 32 ? 0xFFFF : nr <= 16 ? 0 : (__mmask16)((1u << (nr - 16)) - 1);
    for (int i = 0; i < mr; i++) {
        store_row(c + (size_t)i * ldc, acc[i][0], m0, r);
        store_row(c + (size_t)i * ldc + 16, acc[i][1], m1, r);
    }
}

/* One packed block of B against every MR-row strip of A. */
AVX512 static void block_product(int m, int nc, int kc, const float *a, int lda,
                                 const float *pb, float *c, int ldc, store_rule r)
{
    float strip[MR * KC];
    for (int q = 0; q < nc; q += NR) {
        const float *panel = pb + (size_t)q * kc;
        const int nr = nc - q < NR ? nc - q : NR;
        for (int i = 0; i < m; i += MR) {
            const int mr = m - i < MR ? m - i : MR;
            const float *ai = a + (size_t)i * lda;
            int ld = lda;
            if (mr < MR) {   /* short last strip: copy and pad with zeros */
                memset(strip, 0, sizeof strip);
                for (int t = 0; t < mr; t++)
                    memcpy(strip + t * kc, ai + (size_t)t * lda, sizeof(float) * kc);
                ai = strip;
                ld = kc;
            }
            micro_kernel(kc, ai, ld, panel, c + (size_t)i * ldc + q, ldc, mr, nr, r);
        }
    }
}

static int product(int m, int n, int k, float alpha, const float *a, int lda,
                   const float *b, int ldb, int b_nt, float beta, float *c, int ldc)
{
    float *pb = thread_pack_block();
    if (!pb)
        return 0;
    for (int j = 0; j < n; j += NC) {
        const int nc = n - j < NC ? n - j : NC;
        for (int p = 0; p < k || p == 0; p += KC) {
            const int kc = k - p < KC ? k - p : KC;
            if (b_nt)
                pack_b_nt(pb, b + (size_t)j * ldb + p, ldb, kc, nc);
            else
                pack_b_nn(pb, b + (size_t)p * ldb + j, ldb, kc, nc);
            const store_rule r = { alpha, beta, p == 0 };
            block_product(m, nc, kc, a + p, lda, pb, c + j, ldc, r);
        }
    }
    return 1;
}

int gemm_avx512_usable(void)
{
    return __builtin_cpu_supports("avx512f");
}

int gemm_avx512_nt(int m, int n, int k, float alpha, const float *a, int lda,
                   const float *b, int ldb, float beta, float *c, int ldc)
{
    return product(m, n, k, alpha, a, lda, b, ldb, 1, beta, c, ldc);
}

int gemm_avx512_nn(int m, int n, int k, float alpha, const float *a, int lda,
                   const float *b, int ldb, float beta, float *c, int ldc)
{
    return product(m, n, k, alpha, a, lda, b, ldb, 0, beta, c, ldc);
}
