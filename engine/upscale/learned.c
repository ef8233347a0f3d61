/* learned.c - the `learned` method at a native factor (2 or 4): spectral's
 * output plus a luma detail predicted by hashed filters (learned_model.h).
 * weights/learned/reference.py is the same computation in numpy, and the
 * order of every float64 operation here follows it so that both pick the
 * same filter for every pixel.
 *
 * A band of output rows needs spectral's rows around it (the halo): the
 * filters and the structure tensor reach beyond the band.  Rows and columns
 * past the image edge repeat the edge, as numpy's 'edge' padding does.  Every
 * output pixel is one fixed computation on spectral's whole-image values, so
 * bands, strips and thread counts do not change a byte. */
#include "upscale/upscaler.h"
#include "upscale/learned_model.h"
#include "upscale/pixel_rows.h"
#include "core/team.h"
#include "core/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Output rows computed per pass: bounds the scratch memory, and the halo
 * recomputed around each pass stays a small share of the work. */
#define PASS_ROWS 128

/* Filter rows are held LANES wide, zero-padded, so the inner loop has a fixed
 * length and vectorises (filters are at most 2 * 7 + 1 = 15 taps wide). */
#define LANES 16

#if defined(__has_attribute)
#if __has_attribute(target_clones)
#define LEARNED_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef LEARNED_CLONES
#define LEARNED_CLONES
#endif
/* The per-pixel steps, inlined into each clone of the passes. */
#define PER_PIXEL static inline __attribute__((always_inline))

typedef struct {
    learned_model m;
    float *taps;            /* m's filters, each row LANES wide */
    double below_one;       /* the largest double below 1 (numpy's bound) */
    dctdiff_upscaler base;  /* spectral, same sizes */
    int halo;               /* luma rows needed beyond a band, each side */
    int pad;                /* luma columns repeated beyond each edge */
} learned;

typedef struct {
    const learned *l;
    int y0, y1;         /* output rows of this pass */
    int b0, b1;         /* spectral rows held, [y0 - halo, y1 + halo] within the image */
    dctdiff_image spec; /* spectral's float output, rows b0..b1-1 */
    float *luma;        /* (b1 - b0) rows of w + 2 pad, edges repeated */
    double *sums;       /* window row sums of gx^2, gx gy, gy^2: rows y0-g .. y1+g-1 */
    dctdiff_image *dst; /* row 0 is output row dst_y0 */
    int dst_y0;
    float *scratch;     /* per thread */
    size_t scratch_floats;
} pass;

PER_PIXEL int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int luma_stride(const pass *p)
{
    return p->l->base.dst_w + 2 * p->l->pad;
}

/* Luma row q (clamped to the image), indexed from column -pad. */
static const float *luma_row(const pass *p, int q)
{
    int h = p->l->base.dst_h;
    return p->luma + (size_t)(clampi(q, 0, h - 1) - p->b0) * luma_stride(p) + p->l->pad;
}

static int colour_channels(int channels)
{
    return channels < 3 ? 1 : 3;
}

static void luma_pass(void *arg, int ith, int nth)
{
    pass *p = arg;
    int n = p->b1 - p->b0, w = p->l->base.dst_w, C = p->l->base.channels, pad = p->l->pad;
    for (int r = n * ith / nth; r < n * (ith + 1) / nth; r++) {
        const float *s = (const float *)((const char *)p->spec.data + (size_t)r * p->spec.stride);
        float *y = p->luma + (size_t)r * luma_stride(p) + pad;
        for (int x = 0; x < w; x++) {
            const float *px = s + (size_t)x * C;
            y[x] = C < 3 ? px[0] : 0.299f * px[0] + 0.587f * px[1] + 0.114f * px[2];
        }
        for (int x = 1; x <= pad; x++) {
            y[-x] = y[0];
            y[w - 1 + x] = y[w - 1];
        }
    }
}

/* Window sums along the row of the gradient products, for virtual row q
 * (which may lie outside the image: its gradients are those of the repeated
 * edge).  prod holds 3 (w + 2 g) doubles of scratch. */
PER_PIXEL void row_sums(const pass *p, int q, double *prod, double *out)
{
    const learned_model *m = &p->l->m;
    int w = p->l->base.dst_w, g = m->window_radius, n = w + 2 * g;
    const float *y = luma_row(p, q), *up = luma_row(p, q - 1), *down = luma_row(p, q + 1);
    for (int i = 0; i < n; i++) {
        int x = i - g, xc = clampi(x, 0, w - 1);
        double gx = ((double)y[x + 1] - (double)y[x - 1]) * 0.5;
        double gy = ((double)down[xc] - (double)up[xc]) * 0.5;
        prod[i] = gx * gx;
        prod[n + i] = gx * gy;
        prod[2 * n + i] = gy * gy;
    }
    /* t outside, x inside: the same sum order for every x, and it vectorises. */
    for (int k = 0; k < 3; k++) {
        double *o = out + (size_t)k * w;
        for (int x = 0; x < w; x++)
            o[x] = 0.0;
        for (int t = 0; t <= 2 * g; t++)
            for (int x = 0; x < w; x++)
                o[x] += m->window[t] * prod[k * n + x + t];
    }
}

LEARNED_CLONES static void sums_pass(void *arg, int ith, int nth)
{
    pass *p = arg;
    int g = p->l->m.window_radius, w = p->l->base.dst_w, n = p->y1 - p->y0 + 2 * g;
    double *prod = (double *)(p->scratch + (size_t)ith * p->scratch_floats);
    for (int r = n * ith / nth; r < n * (ith + 1) / nth; r++)
        row_sums(p, p->y0 - g + r, prod, p->sums + (size_t)r * 3 * w);
}

PER_PIXEL int edge_bucket(const double *edges, int n, double v)
{
    int b = 0;
    while (b < n && edges[b] <= v)
        b++;
    return b;
}

/* Window sums across rows of the row sums: the structure tensor (a, b, d) of
 * every pixel of output row r, into abd (3 w doubles). */
PER_PIXEL void column_sums(const pass *p, int r, double *abd)
{
    const learned_model *m = &p->l->m;
    int g = m->window_radius, w = p->l->base.dst_w;
    const double *s = p->sums + (size_t)(r - p->y0) * 3 * w;
    for (int i = 0; i < 3 * w; i++)
        abd[i] = 0.0;
    for (int t = 0; t <= 2 * g; t++)
        for (int i = 0; i < 3 * w; i++)
            abd[i] += m->window[t] * s[(size_t)t * 3 * w + i];
}

/* The filter of output pixel (x, row r) from its structure tensor. */
PER_PIXEL const float *pick_filter(const pass *p, int r, int x, double a, double b, double d)
{
    const learned_model *m = &p->l->m;
    double root = sqrt((a - d) * (a - d) + 4.0 * b * b);
    double l1 = (a + d + root) * 0.5, l2 = (a + d - root) * 0.5;
    double s1 = sqrt(l1), s2 = sqrt(l2 > 0.0 ? l2 : 0.0);
    double angle = (atan2(2.0 * b, a - d) * 0.5 + M_PI / 2) / M_PI;
    double coherence = s1 + s2 > 0.0 ? (s1 - s2) / (s1 + s2) : 0.0;
    angle = angle < p->l->below_one ? angle : p->l->below_one;
    int ai = (int)(angle * m->angles);
    ai = ai < m->angles - 1 ? ai : m->angles - 1;
    int si = edge_bucket(m->strength_edges, m->strengths - 1, s1);
    int ci = edge_bucket(m->coherence_edges, m->coherences - 1, coherence);
    int phase = (r % m->factor) * m->factor + x % m->factor;
    size_t bucket = (((size_t)phase * m->angles + ai) * m->strengths + si) * m->coherences + ci;
    return p->l->taps + bucket * (size_t)(2 * m->radius + 1) * LANES;
}

/* Eight-float vectors (GCC's vector extension; two SSE registers on CPUs
 * without AVX). */
typedef float lane8 __attribute__((vector_size(32)));

#define LOAD8(v, p) memcpy(&(v), (p), sizeof(lane8))

/* One partial sum per filter column, added up at the end: the columns
 * vectorise (the order differs from numpy's by float32 rounding only).  The
 * lanes past the filter's width read luma beyond it times zero taps. */
PER_PIXEL float detail(const pass *p, const float *const *rows, int x, const float *f)
{
    int k = 2 * p->l->m.radius + 1;
    lane8 lo = { 0 }, hi = { 0 };
    for (int dy = 0; dy < k; dy++) {
        const float *y = rows[dy] + x - p->l->m.radius, *fr = f + dy * LANES;
        lane8 y0, y1, f0, f1;
        LOAD8(y0, y);
        LOAD8(y1, y + 8);
        LOAD8(f0, fr);
        LOAD8(f1, fr + 8);
        lo += y0 * f0;
        hi += y1 * f1;
    }
    lane8 s = lo + hi;
    float sum = 0.0f;
    for (int i = 0; i < 8; i++)
        sum += s[i];
    return sum;
}

LEARNED_CLONES static void output_pass(void *arg, int ith, int nth)
{
    pass *p = arg;
    const learned *l = p->l;
    int n = p->y1 - p->y0, w = l->base.dst_w, C = l->base.channels, R = l->m.radius;
    int colour = colour_channels(C);
    double *abd = (double *)(p->scratch + (size_t)ith * p->scratch_floats);
    float *out = (float *)(abd + 3 * (size_t)w);
    for (int i = n * ith / nth; i < n * (ith + 1) / nth; i++) {
        int r = p->y0 + i;
        column_sums(p, r, abd);
        const float *rows[2 * LEARNED_MAX_RADIUS + 1];
        for (int dy = -R; dy <= R; dy++)
            rows[dy + R] = luma_row(p, r + dy);
        const float *s = (const float *)((const char *)p->spec.data +
                                         (size_t)(r - p->b0) * p->spec.stride);
        for (int x = 0; x < w; x++) {
            float d = detail(p, rows, x, pick_filter(p, r, x, abd[x], abd[w + x], abd[2 * w + x]));
            const float *in = s + (size_t)x * C;
            float *o = out + (size_t)x * C;
            for (int c = 0; c < C; c++)
                o[c] = c < colour ? in[c] + d : in[c];
            if (pixels_has_alpha(C)) {  /* pixels_store_row takes premultiplied colour */
                float a = o[C - 1] < 0.0f ? 0.0f : o[C - 1] > 1.0f ? 1.0f : o[C - 1];
                for (int c = 0; c < C - 1; c++)
                    o[c] *= a;
            }
        }
        pixels_store_row(out, 1.0f, 0, p->dst, r - p->dst_y0);
    }
}

static void learned_input_rows(const void *impl, int y0, int y1, int *s0, int *s1)
{
    const learned *l = impl;
    int b0 = y0 - l->halo > 0 ? y0 - l->halo : 0;
    int b1 = y1 + l->halo < l->base.dst_h ? y1 + l->halo : l->base.dst_h;
    l->base.ops->input_rows(l->base.impl, b0, b1, s0, s1);
}

static dctdiff_status alloc_pass(pass *p, int nth, dctdiff_error *err)
{
    const learned *l = p->l;
    int w = l->base.dst_w, C = l->base.channels, g = l->m.window_radius;
    int spec_rows = PASS_ROWS + 2 * l->halo, sum_rows = PASS_ROWS + 2 * g;
    /* per thread: 3 (w + 2 g) doubles of products, or 3 w doubles of
     * tensor and an output row; even, so the doubles stay aligned */
    size_t prod = (size_t)3 * (w + 2 * g) * 2, row = (size_t)3 * w * 2 + (size_t)w * C;
    p->scratch_floats = ((prod > row ? prod : row) + 1) / 2 * 2;
    size_t spec = dd_mul_size((size_t)spec_rows * C, (size_t)w * sizeof(float), err);
    size_t luma = dd_mul_size((size_t)spec_rows, (size_t)luma_stride(p) * sizeof(float), err);
    size_t sums = dd_mul_size((size_t)sum_rows * 3, (size_t)w * sizeof(double), err);
    size_t scratch = dd_mul_size((size_t)nth, p->scratch_floats * sizeof(float), err);
    if (!spec || !luma || !sums || !scratch)
        return DCTDIFF_E_NOMEM;
    p->spec = (dctdiff_image){ w, 0, C, DCTDIFF_PIXEL_F32, (size_t)w * C * sizeof(float),
                               malloc(spec) };
    p->luma = malloc(luma);
    p->sums = malloc(sums);
    p->scratch = malloc(scratch);
    if (!p->spec.data || !p->luma || !p->sums || !p->scratch)
        return dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate %zu bytes of upscaling bands",
                       spec + luma + sums + scratch);
    return DCTDIFF_OK;
}

static void free_pass(pass *p)
{
    free(p->spec.data);
    free(p->luma);
    free(p->sums);
    free(p->scratch);
}

/* One pass: spectral's rows of the band and its halo, then the detail. */
static dctdiff_status run_pass(pass *p, const dctdiff_image *src, int s0, team *team,
                               dctdiff_error *err)
{
    const learned *l = p->l;
    p->b0 = p->y0 - l->halo > 0 ? p->y0 - l->halo : 0;
    p->b1 = p->y1 + l->halo < l->base.dst_h ? p->y1 + l->halo : l->base.dst_h;
    int t0, t1;
    l->base.ops->input_rows(l->base.impl, p->b0, p->b1, &t0, &t1);
    dctdiff_image in = *src;
    in.height = t1 - t0;
    in.data = (char *)src->data + (size_t)(t0 - s0) * src->stride;
    p->spec.height = p->b1 - p->b0;
    dctdiff_status st = l->base.ops->run(l->base.impl, &in, t0, p->b0, p->b1, &p->spec,
                                         team, err);
    if (st != DCTDIFF_OK)
        return st;
    team_run(team, luma_pass, p);
    team_run(team, sums_pass, p);
    team_run(team, output_pass, p);
    return DCTDIFF_OK;
}

static dctdiff_status learned_run(void *impl, const dctdiff_image *src, int s0, int y0,
                                  int y1, dctdiff_image *dst, team *team, dctdiff_error *err)
{
    pass p = { .l = impl, .dst = dst, .dst_y0 = y0 };
    dctdiff_status st = alloc_pass(&p, team_size(team), err);
    for (int r = y0; r < y1 && st == DCTDIFF_OK; r += PASS_ROWS) {
        p.y0 = r;
        p.y1 = r + PASS_ROWS < y1 ? r + PASS_ROWS : y1;
        st = run_pass(&p, src, s0, team, err);
    }
    free_pass(&p);
    return st;
}

static void learned_free(void *impl)
{
    learned *l = impl;
    if (!l)
        return;
    if (l->base.ops)
        l->base.ops->free(l->base.impl);
    learned_model_free(&l->m);
    free(l->taps);
    free(l);
}

static const upscaler_ops learned_ops = { learned_input_rows, learned_run, learned_free };

static dctdiff_status widen_taps(learned *l, dctdiff_error *err)
{
    const learned_model *m = &l->m;
    int k = 2 * m->radius + 1;
    size_t filters = (size_t)m->factor * m->factor * m->angles * m->strengths * m->coherences;
    l->taps = calloc(filters * k, LANES * sizeof(float));
    if (!l->taps)
        return dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate %zu learned filters", filters);
    for (size_t i = 0; i < filters * k; i++)
        for (int dx = 0; dx < k; dx++)
            l->taps[i * LANES + dx] = m->filters[i * k + dx];
    return DCTDIFF_OK;
}

dctdiff_status upscaler_learned_native_new(dctdiff_upscaler *u, int factor, dctdiff_error *err)
{
    learned *l = calloc(1, sizeof *l);
    if (!l)
        return dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate an upscaler");
    dctdiff_status st = learned_model_load(factor, &l->m, err);
    l->base = *u;
    if (st == DCTDIFF_OK)
        st = upscaler_spectral_new(&l->base, DCTDIFF_DOWNSCALE_BICUBIC, err);
    if (st != DCTDIFF_OK) {
        learned_free(l);
        return st;
    }
    if (st == DCTDIFF_OK)
        st = widen_taps(l, err);
    if (st != DCTDIFF_OK) {
        learned_free(l);
        return st;
    }
    int g1 = l->m.window_radius + 1;
    l->halo = l->m.radius > g1 ? l->m.radius : g1;
    l->pad = l->halo + LANES;
    l->below_one = nextafter(1.0, 0.0);
    u->ops = &learned_ops;
    u->impl = l;
    u->granule = 1;
    return DCTDIFF_OK;
}

dctdiff_status upscaler_learned_new(dctdiff_upscaler *u, dctdiff_downscale_filter filter,
                                    dctdiff_error *err)
{
    return upscaler_learned_factors_new(u, filter, upscaler_learned_native_new, err);
}
