/* learned_cnn.c - the `learned-cnn` method at a native factor: the `learned`
 * upscale plus a luma residual from a small convolutional network on the
 * source's luma (learned_cnn_model.h).  The network's factor^2 output
 * channels are the residuals of the factor x factor output pixels over each
 * source pixel (sub-pixel layout), added to every colour channel: luma moves
 * by the residual, chroma and alpha stay `learned`'s.  weights/learned/
 * cnn_reference.py is the same computation in PyTorch.
 *
 * The convolutions are unpadded, on the source's luma with rows and columns
 * past the edge repeating it, so an output band needs `radius` source rows
 * beyond its own each side (the halo) and every residual is one fixed
 * computation on whole-image values: bands, strips and thread counts do not
 * change a byte.  At a factor with no network, the method is `learned`. */
#include "upscale/upscaler.h"
#include "upscale/learned_cnn_model.h"
#include "upscale/pixel_rows.h"
#include "core/team.h"
#include "core/status.h"

#include <stdlib.h>
#include <string.h>

/* Output rows per pass: bounds the activations, and the halo recomputed
 * around each pass stays a small share of the work. */
#define PASS_ROWS 64

/* x86-64-v3 has FMA as well as AVX2: half the instructions of the sums.
 * (An x86-64-v4 clone was 1.3x faster, but Debian 13's gcc built it into a
 * plug-in that crashed under ASan in GIMP; left out until that is understood.)
 * Rounding then differs from the default clone's by float32 rounding, so
 * bytes match across thread counts and strips on one CPU, not across CPUs. */
#if defined(__has_attribute)
#if __has_attribute(target_clones)
#define CNN_CLONES __attribute__((target_clones("arch=x86-64-v3", "default"), \
                                  optimize("fp-contract=fast")))
#endif
#endif
#ifndef CNN_CLONES
#define CNN_CLONES
#endif
#define PER_PIXEL static inline __attribute__((always_inline))

typedef float lane8 __attribute__((vector_size(CNN_LANES * sizeof(float))));

typedef struct {
    cnn_model m;
    dctdiff_upscaler base;  /* learned, same sizes */
    int channels;           /* widest activation, in floats per pixel */
} cnn;

typedef struct {
    const cnn *c;
    const dctdiff_image *src;
    int s0;             /* src's row 0 is source row s0 */
    int y0, y1;         /* output rows of this pass */
    int q0, q1;         /* source rows whose residuals they take */
    dctdiff_image base; /* learned's float output, rows y0..y1-1 */
    float *act[2];      /* activations, ping-pong; row stride `stride` */
    size_t stride;
    int layer;          /* the layer a conv_pass computes */
    dctdiff_image *dst; /* row 0 is output row dst_y0 */
    int dst_y0;
    float *scratch;     /* per thread: a source or an output row */
    size_t scratch_floats;
} pass;

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Radius left to the input of layer l: it holds that many extra pixels a side. */
static int radius_before(const cnn_model *m, int l)
{
    int r = m->radius;
    for (int i = 0; i < l; i++)
        r -= m->layer[i].k / 2;
    return r;
}

/* The input of layer 0: the luma of source rows q0 - R .. q1 + R - 1 and
 * columns -R .. w + R - 1, edges repeated, colour unpremultiplied. */
static void luma_pass(void *arg, int ith, int nth)
{
    pass *p = arg;
    const dctdiff_upscaler *u = &p->c->base;
    int R = p->c->m.radius, w = u->src_w, C = u->channels, n = p->q1 - p->q0 + 2 * R;
    float *px = p->scratch + (size_t)ith * p->scratch_floats;
    for (int r = n * ith / nth; r < n * (ith + 1) / nth; r++) {
        int q = clampi(p->q0 - R + r, 0, u->src_h - 1);
        pixels_load_row(p->src, q - p->s0, 1.0f, px);
        float *y = p->act[0] + (size_t)r * p->stride + R;
        for (int x = 0; x < w; x++) {
            const float *v = px + (size_t)x * C;
            float a = pixels_has_alpha(C) ? v[C - 1] : 1.0f;
            float l = C < 3 ? v[0] : 0.299f * v[0] + 0.587f * v[1] + 0.114f * v[2];
            y[x] = a > 0.0f ? l / a : 0.0f;
        }
        for (int x = 1; x <= R; x++) {
            y[-x] = y[0];
            y[w - 1 + x] = y[w - 1];
        }
    }
}

/* px adjacent output pixels of a layer, nv groups of CNN_LANES output
 * channels each: one load of a tap's weights serves px pixels. */
PER_PIXEL void conv_pixels(const cnn_layer *l, const float *in, size_t stride, float *out,
                           int relu, int nv, int px)
{
    lane8 acc[4][CNN_MAX_CHANNELS / CNN_LANES];
    for (int p = 0; p < px; p++)
        for (int j = 0; j < nv; j++)
            acc[p][j] = (lane8){ 0 };
    const float *w = l->w;
    for (int ky = 0; ky < l->k; ky++)
        for (int kx = 0; kx < l->k; kx++) {
            const float *v = in + ky * stride + (size_t)kx * l->in;
            for (int ci = 0; ci < l->in; ci++, w += nv * CNN_LANES)
                for (int j = 0; j < nv; j++) {
                    lane8 t;
                    memcpy(&t, w + j * CNN_LANES, sizeof t);
                    for (int p = 0; p < px; p++)
                        acc[p][j] += t * v[p * l->in + ci];
                }
        }
    for (int p = 0; p < px; p++) {
        float o[CNN_MAX_CHANNELS];
        memcpy(o, acc[p], (size_t)nv * sizeof(lane8));
        for (int i = 0; i < l->out; i++)
            out[p * l->out + i] = relu && o[i] < 0.0f ? 0.0f : o[i];
    }
}

/* A row of layer outputs; nv and px constant in each call, so acc stays in
 * registers.  Every pixel's sums run in one order, whatever its block. */
PER_PIXEL void conv_row(const cnn_layer *l, const float *in, size_t stride, float *out, int w,
                        int relu, int nv)
{
    int x = 0;
    for (; x + 4 <= w; x += 4)
        conv_pixels(l, in + (size_t)x * l->in, stride, out + (size_t)x * l->out, relu, nv, 4);
    for (; x < w; x++)
        conv_pixels(l, in + (size_t)x * l->in, stride, out + (size_t)x * l->out, relu, nv, 1);
}

CNN_CLONES static void conv_pass(void *arg, int ith, int nth)
{
    pass *p = arg;
    const cnn_model *m = &p->c->m;
    const cnn_layer *l = &m->layer[p->layer];
    int r = radius_before(m, p->layer + 1), relu = p->layer < m->layers - 1;
    int rows = p->q1 - p->q0 + 2 * r, w = p->c->base.src_w + 2 * r;
    const float *in = p->act[p->layer % 2];
    float *out = p->act[(p->layer + 1) % 2];
    for (int i = rows * ith / nth; i < rows * (ith + 1) / nth; i++) {
        const float *src = in + (size_t)i * p->stride;
        float *dst = out + (size_t)i * p->stride;
        switch (l->out_padded / CNN_LANES) {
#define ROW(n) case n: conv_row(l, src, p->stride, dst, w, relu, n); break;
            ROW(1) ROW(2) ROW(3) ROW(4)
#undef ROW
        }
    }
}

/* learned's rows plus the residual of each pixel's phase. */
static void output_pass(void *arg, int ith, int nth)
{
    pass *p = arg;
    const cnn *c = p->c;
    int n = p->y1 - p->y0, w = c->base.dst_w, C = c->base.channels, f = c->m.factor;
    int colour = C < 3 ? 1 : 3;
    const float *res = p->act[c->m.layers % 2];
    float *out = p->scratch + (size_t)ith * p->scratch_floats;
    for (int i = n * ith / nth; i < n * (ith + 1) / nth; i++) {
        int r = p->y0 + i;
        const float *ph = res + (size_t)(r / f - p->q0) * p->stride + (r % f) * f;
        const float *s = (const float *)((const char *)p->base.data + (size_t)i * p->base.stride);
        for (int x = 0; x < w; x++) {
            float d = ph[(size_t)(x / f) * f * f + x % f];
            const float *in = s + (size_t)x * C;
            float *o = out + (size_t)x * C;
            for (int k = 0; k < C; k++)
                o[k] = k < colour ? in[k] + d : in[k];
            if (pixels_has_alpha(C)) {  /* pixels_store_row takes premultiplied colour */
                float a = o[C - 1] < 0.0f ? 0.0f : o[C - 1] > 1.0f ? 1.0f : o[C - 1];
                for (int k = 0; k < C - 1; k++)
                    o[k] *= a;
            }
        }
        pixels_store_row(out, 1.0f, 0, p->dst, r - p->dst_y0);
    }
}

/* Source rows of the residuals of output rows [y0, y1) and their halo. */
static void small_rows(const cnn *c, int y0, int y1, int *q0, int *q1, int *h0, int *h1)
{
    int f = c->m.factor, R = c->m.radius;
    *q0 = y0 / f;
    *q1 = (y1 - 1) / f + 1;
    *h0 = *q0 - R > 0 ? *q0 - R : 0;
    *h1 = *q1 + R < c->base.src_h ? *q1 + R : c->base.src_h;
}

static void cnn_input_rows(const void *impl, int y0, int y1, int *s0, int *s1)
{
    const cnn *c = impl;
    int q0, q1, h0, h1;
    c->base.ops->input_rows(c->base.impl, y0, y1, s0, s1);
    small_rows(c, y0, y1, &q0, &q1, &h0, &h1);
    *s0 = h0 < *s0 ? h0 : *s0;
    *s1 = h1 > *s1 ? h1 : *s1;
}

static dctdiff_status alloc_pass(pass *p, int nth, dctdiff_error *err)
{
    const cnn *c = p->c;
    int C = c->base.channels, R = c->m.radius, f = c->m.factor;
    int rows = PASS_ROWS / f + 2 + 2 * R;
    p->stride = (size_t)(c->base.src_w + 2 * R) * c->channels;
    p->scratch_floats = (size_t)c->base.dst_w * C;
    size_t base = dd_mul_size((size_t)PASS_ROWS * C, (size_t)c->base.dst_w * sizeof(float), err);
    size_t act = dd_mul_size((size_t)rows, p->stride * sizeof(float), err);
    size_t scratch = dd_mul_size((size_t)nth, p->scratch_floats * sizeof(float), err);
    if (!base || !act || !scratch)
        return DCTDIFF_E_NOMEM;
    p->base = (dctdiff_image){ c->base.dst_w, 0, C, DCTDIFF_PIXEL_F32,
                               (size_t)c->base.dst_w * C * sizeof(float), malloc(base) };
    p->act[0] = malloc(act);
    p->act[1] = malloc(act);
    p->scratch = malloc(scratch);
    if (!p->base.data || !p->act[0] || !p->act[1] || !p->scratch)
        return dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate %zu bytes of upscaling bands",
                       base + 2 * act + scratch);
    return DCTDIFF_OK;
}

static void free_pass(pass *p)
{
    free(p->base.data);
    free(p->act[0]);
    free(p->act[1]);
    free(p->scratch);
}

/* One pass: learned's rows of the band, the network on its source rows. */
static dctdiff_status run_pass(pass *p, team *team, dctdiff_error *err)
{
    const cnn *c = p->c;
    int t0, t1, h0, h1;
    c->base.ops->input_rows(c->base.impl, p->y0, p->y1, &t0, &t1);
    dctdiff_image in = *p->src;
    in.height = t1 - t0;
    in.data = (char *)p->src->data + (size_t)(t0 - p->s0) * p->src->stride;
    p->base.height = p->y1 - p->y0;
    dctdiff_status st = c->base.ops->run(c->base.impl, &in, t0, p->y0, p->y1, &p->base, team,
                                         err);
    if (st != DCTDIFF_OK)
        return st;
    small_rows(c, p->y0, p->y1, &p->q0, &p->q1, &h0, &h1);
    team_run(team, luma_pass, p);
    for (p->layer = 0; p->layer < c->m.layers; p->layer++)
        team_run(team, conv_pass, p);
    team_run(team, output_pass, p);
    return DCTDIFF_OK;
}

static dctdiff_status cnn_run(void *impl, const dctdiff_image *src, int s0, int y0, int y1,
                              dctdiff_image *dst, team *team, dctdiff_error *err)
{
    pass p = { .c = impl, .src = src, .s0 = s0, .dst = dst, .dst_y0 = y0 };
    dctdiff_status st = alloc_pass(&p, team_size(team), err);
    for (int r = y0; r < y1 && st == DCTDIFF_OK; r += PASS_ROWS) {
        p.y0 = r;
        p.y1 = r + PASS_ROWS < y1 ? r + PASS_ROWS : y1;
        st = run_pass(&p, team, err);
    }
    free_pass(&p);
    return st;
}

static void cnn_free(void *impl)
{
    cnn *c = impl;
    if (!c)
        return;
    if (c->base.ops)
        c->base.ops->free(c->base.impl);
    cnn_model_free(&c->m);
    free(c);
}

static const upscaler_ops cnn_ops = { cnn_input_rows, cnn_run, cnn_free };

static dctdiff_status cnn_native_new(dctdiff_upscaler *u, int factor, dctdiff_error *err)
{
    if (!cnn_model_has(factor))
        return upscaler_learned_native_new(u, factor, err);
    cnn *c = calloc(1, sizeof *c);
    if (!c)
        return dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate an upscaler");
    dctdiff_status st = cnn_model_load(factor, &c->m, err);
    c->base = *u;
    if (st == DCTDIFF_OK)
        st = upscaler_learned_native_new(&c->base, factor, err);
    if (st != DCTDIFF_OK) {
        cnn_free(c);
        return st;
    }
    c->channels = 1;
    for (int i = 0; i < c->m.layers; i++)
        if (c->m.layer[i].out > c->channels)
            c->channels = c->m.layer[i].out;
    u->ops = &cnn_ops;
    u->impl = c;
    u->granule = 1;
    return DCTDIFF_OK;
}

dctdiff_status upscaler_learned_cnn_new(dctdiff_upscaler *u, dctdiff_downscale_filter filter,
                                        dctdiff_error *err)
{
    return upscaler_learned_factors_new(u, filter, cnn_native_new, err);
}
