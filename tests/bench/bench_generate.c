/* bench_generate.c - the C side of bench-generate (bench_generate.py): the
 * UViT forward pass, whole images, the machine's FMA peak and the matrix
 * product's rate on the network's own shapes, in one process that answers
 * one command a line on stdin with one line of key=value pairs:
 *
 *   info                     flops (of one forward, batch 1), weight bytes
 *   peak T                   FMA peak of T threads, GFLOP/s
 *   sgemm T                  gemm.h's rate on the network's shapes, T threads
 *                            each running its own products at once, GFLOP/s
 *   forward T                seconds of one forward pass, batch 1, T threads
 *                            (each thread count's workspace is made once),
 *                            and the CPU seconds of the process meanwhile
 *   cached T DEPTH           the same for a step-cached pass of cache depth
 *                            DEPTH (the shallow blocks on deep features kept
 *                            by an untimed whole pass just before)
 *   image T SAMPLER STEPS    seconds of one image (dctdiff_generate_tokens)
 *
 *   bench_generate MODEL             the server
 *   bench_generate --memory MODEL    load, one forward on 2 threads, print
 *                                    the peak resident set and weight bytes
 *
 * The forward output is checked for finite values before a time is given. */
#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/team.h"
#include "model/model.h"
#include "network/gemm.h"
#include "network/uvit.h"

#define MAX_THREADS 8

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double now(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* ------------------------------------------------------------------------ */
/* The network's matrix products                                            */

typedef struct {
    int nt;               /* 1: B is [n, k] (a weight), 0: B is [k, n] */
    int m, n, k;
    double count;         /* products of this shape in one forward */
} shape;

/* Every product of one forward pass at batch 1, attention's per head. */
static int network_shapes(const dctdiff_model *m, shape *s)
{
    const int D = m->info.embed_dim, S = m->extras + m->info.tokens, T = m->info.tokens;
    const int K = m->info.token_dim, H = m->mlp_hidden, heads = m->info.num_heads;
    const int blocks = 2 * (m->info.depth / 2) + 1, dh = D / heads;
    int c = 0;
    s[c++] = (shape){ 1, T, D, K, 1 };                    /* token embedding */
    s[c++] = (shape){ 1, S, 3 * D, D, blocks };           /* qkv */
    s[c++] = (shape){ 1, S, S, dh, (double)blocks * heads }; /* q k^T */
    s[c++] = (shape){ 0, S, dh, S, (double)blocks * heads }; /* p v */
    s[c++] = (shape){ 1, S, D, D, blocks };               /* attention out */
    s[c++] = (shape){ 1, S, H, D, blocks };               /* fc1 */
    s[c++] = (shape){ 1, S, D, H, blocks };               /* fc2 */
    s[c++] = (shape){ 1, S, D, 2 * D, m->info.depth / 2 }; /* long skips */
    s[c++] = (shape){ 1, T, K, D, 1 };                    /* decoder */
    return c;
}

static double forward_flops(const dctdiff_model *m)
{
    shape s[16];
    double f = 0;
    for (int i = network_shapes(m, s); i-- > 0;)
        f += 2.0 * s[i].m * s[i].n * s[i].k * s[i].count;
    return f;
}

typedef struct {
    shape s;
    float *a[MAX_THREADS], *b[MAX_THREADS], *c[MAX_THREADS];
} gemm_task;

static void gemm_member(void *arg, int ith, int nth)
{
    (void)nth;
    const gemm_task *g = arg;
    const shape *s = &g->s;
    if (s->nt)
        gemm_nt(s->m, s->n, s->k, 1.0f, g->a[ith], s->k, g->b[ith], s->k, 0.0f, g->c[ith], s->n);
    else
        gemm_nn(s->m, s->n, s->k, 1.0f, g->a[ith], s->k, g->b[ith], s->n, 0.0f, g->c[ith], s->n);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static float *pattern(size_t n, double phase)
{
    float *p = malloc(sizeof(float) * n);
    for (size_t i = 0; p && i < n; i++)
        p[i] = (float)sin(0.37 * (double)i + phase) * 0.1f;
    return p;
}

/* Total flops of one forward's products over the time they take when every
 * member of a team of T runs each shape at once, as the forward's tiles do. */
static double sgemm_rate(const dctdiff_model *m, team *t)
{
    shape s[16];
    const int shapes = network_shapes(m, s), nth = team_size(t);
    double flops = 0, secs = 0;
    for (int i = 0; i < shapes; i++) {
        gemm_task g = { s[i], { 0 }, { 0 }, { 0 } };
        for (int j = 0; j < nth; j++) {
            g.a[j] = pattern((size_t)s[i].m * s[i].k, j);
            g.b[j] = pattern((size_t)s[i].n * s[i].k, j + 0.5);
            g.c[j] = malloc(sizeof(float) * s[i].m * s[i].n);
        }
        double r[5];
        team_run(t, gemm_member, &g);        /* warm-up */
        for (int k = 0; k < 5; k++) {
            const double t0 = now();
            team_run(t, gemm_member, &g);
            r[k] = now() - t0;
        }
        flops += 2.0 * s[i].m * s[i].n * s[i].k * s[i].count;
        secs += median(r, 5) * s[i].count / nth;
        for (int j = 0; j < nth; j++) {
            free(g.a[j]);
            free(g.b[j]);
            free(g.c[j]);
        }
    }
    return flops / secs / 1e9;
}

/* ------------------------------------------------------------------------ */
/* FMA peak: independent chains of fused multiply-adds, per member          */

#define CHAINS 16

__attribute__((target("avx512f"))) static float fma_512(long iters)
{
    __m512 acc[CHAINS];
    const __m512 mul = _mm512_set1_ps(0.999999f), add = _mm512_set1_ps(1e-6f);
    for (int i = 0; i < CHAINS; i++)
        acc[i] = _mm512_set1_ps((float)i);
    for (long it = 0; it < iters; it++)
        for (int i = 0; i < CHAINS; i++)
            acc[i] = _mm512_fmadd_ps(acc[i], mul, add);
    __m512 sum = acc[0];
    for (int i = 1; i < CHAINS; i++)
        sum = _mm512_add_ps(sum, acc[i]);
    return _mm512_reduce_add_ps(sum);
}

__attribute__((target("avx2,fma"))) static float fma_256(long iters)
{
    __m256 acc[CHAINS];
    const __m256 mul = _mm256_set1_ps(0.999999f), add = _mm256_set1_ps(1e-6f);
    for (int i = 0; i < CHAINS; i++)
        acc[i] = _mm256_set1_ps((float)i);
    for (long it = 0; it < iters; it++)
        for (int i = 0; i < CHAINS; i++)
            acc[i] = _mm256_fmadd_ps(acc[i], mul, add);
    float out[8];
    __m256 sum = acc[0];
    for (int i = 1; i < CHAINS; i++)
        sum = _mm256_add_ps(sum, acc[i]);
    _mm256_storeu_ps(out, sum);
    return out[0];
}

#define PEAK_ITERS 20000000L

static void peak_member(void *arg, int ith, int nth)
{
    (void)nth;
    float *sink = arg;
    sink[ith] = __builtin_cpu_supports("avx512f") ? fma_512(PEAK_ITERS) : fma_256(PEAK_ITERS);
}

static double fma_peak(team *t)
{
    float sink[TEAM_MAX];
    const double lanes = __builtin_cpu_supports("avx512f") ? 16 : 8;
    const double t0 = now();
    team_run(t, peak_member, sink);
    const double secs = now() - t0;
    return 2.0 * lanes * CHAINS * PEAK_ITERS * team_size(t) / secs / 1e9;
}

/* ------------------------------------------------------------------------ */
/* Forward passes and images                                                */

typedef struct {
    const dctdiff_model *m;
    uvit_workspace *ws[MAX_THREADS + 1];
    team *teams[MAX_THREADS + 1];
    float *x, *eps;
} bench;

/* One timed pass; depth > 0: a cached one of that depth. */
static int forward(bench *b, int threads, int depth, double *secs, double *cpu,
                   dctdiff_error *err)
{
    const dctdiff_model *m = b->m;
    if (!b->ws[threads] && uvit_workspace_new(m, 1, threads, &b->ws[threads], err))
        return 0;
    uvit_workspace *w = b->ws[threads];
    const float tau = 500.0f;
    const int label = 0, *labels = m->info.num_classes ? &label : NULL;
    if (depth && (uvit_workspace_cache(w, depth, err) != DCTDIFF_OK ||
                  uvit_forward(w, UVIT_KEEP_DEEP, 1, b->x, &tau, labels, b->eps, err)))
        return 0;
    const double t0 = now(), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    if (uvit_forward(w, depth ? UVIT_REUSE_DEEP : UVIT_WHOLE, 1, b->x, &tau, labels, b->eps,
                     err) != DCTDIFF_OK)
        return 0;
    *secs = now() - t0;
    *cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    const size_t len = (size_t)m->info.tokens * m->info.token_dim;
    for (size_t i = 0; i < len; i++)
        if (!isfinite(b->eps[i])) {
            snprintf(err->msg, sizeof err->msg, "forward output %zu is not finite", i);
            return 0;
        }
    return 1;
}

static int image(const bench *b, int threads, const char *sampler, int steps, double *secs,
                 dctdiff_error *err)
{
    dctdiff_generate_params p;
    dctdiff_generate_params_init(&p);
    p.sampler = DCTDIFF_SAMPLER_COUNT_;
    for (const dctdiff_enum_entry *e = dctdiff_samplers(); e->name; e++)
        if (strcmp(e->name, sampler) == 0)
            p.sampler = (dctdiff_sampler)e->value;
    p.steps = steps;
    p.threads = threads;
    p.class_label = b->m->info.num_classes ? 0 : -1;
    float *tok = malloc(sizeof(float) * b->m->info.tokens * b->m->info.token_dim);
    const double t0 = now();
    const int ok = tok && dctdiff_generate_tokens(b->m, &p, tok, err) == DCTDIFF_OK;
    *secs = now() - t0;
    free(tok);
    return ok;
}

static team *team_of(bench *b, int threads)
{
    if (!b->teams[threads])
        b->teams[threads] = team_new(threads);
    return b->teams[threads];
}

/* One command line -> one answer line; 0 when the command failed. */
static int answer(bench *b, char *line)
{
    char cmd[16] = "", sampler[32] = "";
    int threads = 1, steps = 0;
    dctdiff_error err = { 0 };
    const int got = sscanf(line, "%15s %d %31s %d", cmd, &threads, sampler, &steps);
    double v = 0, cpu = 0;
    if (strcmp(cmd, "info") == 0) {
        printf("flops=%.6g weight_bytes=%lld\n", forward_flops(b->m),
               (long long)b->m->info.parameters * 4);
        return 1;
    }
    if (got < 2 || threads < 1 || threads > MAX_THREADS) {
        printf("error=bad-command\n");
        return 0;
    }
    int ok = 1;
    if (strcmp(cmd, "peak") == 0 && (ok = team_of(b, threads) != NULL))
        printf("gflops=%.4g\n", fma_peak(team_of(b, threads)));
    else if (strcmp(cmd, "sgemm") == 0 && (ok = team_of(b, threads) != NULL))
        printf("gflops=%.4g\n", sgemm_rate(b->m, team_of(b, threads)));
    else if (strcmp(cmd, "forward") == 0 && (ok = forward(b, threads, 0, &v, &cpu, &err)))
        printf("seconds=%.6g cpu_seconds=%.6g\n", v, cpu);
    else if (strcmp(cmd, "cached") == 0 && got >= 3 && atoi(sampler) > 0 &&
             (ok = forward(b, threads, atoi(sampler), &v, &cpu, &err)))
        printf("seconds=%.6g cpu_seconds=%.6g\n", v, cpu);
    else if (strcmp(cmd, "image") == 0 && got == 4 &&
             (ok = image(b, threads, sampler, steps, &v, &err)))
        printf("seconds=%.6g\n", v);
    else
        printf("error=%s\n", ok ? "bad-command" : err.msg);
    return ok;
}

static int memory(const char *path)
{
    dctdiff_model *m = NULL;
    dctdiff_error err = { 0 };
    if (dctdiff_model_load(path, &m, &err) != DCTDIFF_OK) {
        fprintf(stderr, "bench_generate: %s\n", err.msg);
        return 1;
    }
    bench b = { m, { 0 }, { 0 }, NULL, NULL };
    const size_t len = (size_t)m->info.tokens * m->info.token_dim;
    b.x = pattern(len, 0);
    b.eps = malloc(sizeof(float) * len);
    double secs, cpu;
    const int ok = forward(&b, 2, 0, &secs, &cpu, &err);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (ok)
        printf("maxrss_bytes=%lld weight_bytes=%lld\n", (long long)ru.ru_maxrss * 1024,
               (long long)m->info.parameters * 4);
    else
        fprintf(stderr, "bench_generate: %s\n", err.msg);
    uvit_workspace_free(b.ws[2]);
    free(b.x);
    free(b.eps);
    dctdiff_model_free(m);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--memory") == 0)
        return memory(argv[2]);
    if (argc != 2) {
        fprintf(stderr, "usage: bench_generate MODEL  |  bench_generate --memory MODEL\n");
        return 2;
    }
    bench b = { 0 };
    dctdiff_model *m = NULL;
    dctdiff_error err = { 0 };
    if (dctdiff_model_load(argv[1], &m, &err) != DCTDIFF_OK) {
        fprintf(stderr, "bench_generate: %s\n", err.msg);
        return 1;
    }
    b.m = m;
    const size_t len = (size_t)m->info.tokens * m->info.token_dim;
    b.x = malloc(sizeof(float) * len);
    b.eps = malloc(sizeof(float) * len);
    for (size_t i = 0; i < len; i++)   /* the input bench_torch.py uses */
        b.x[i] = (float)sin(0.37 * (double)i);
    char line[256];
    int ok = 1;
    while (fgets(line, sizeof line, stdin)) {
        ok = answer(&b, line) && ok;
        fflush(stdout);
    }
    for (int i = 0; i <= MAX_THREADS; i++) {
        uvit_workspace_free(b.ws[i]);
        team_free(b.teams[i]);
    }
    free(b.x);
    free(b.eps);
    dctdiff_model_free(m);
    return ok ? 0 : 1;
}
