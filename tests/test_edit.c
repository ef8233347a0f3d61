/* test_edit.c - dctdiff_edit (generate/edit.c, edit_image.c) on the bundled
 * trained model: what is known stays, what is generated differs by seed and
 * not by thread count, and a filled hole meets its surroundings as smoothly
 * as the image's own pixels meet.  The DCT resize it uses for other sizes
 * is tested in test_dct_resize.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dctdiff.h"

/* The best model the project ships (weights/models). */
#define MODEL "../weights/models/emoji32-tiny.safetensors"

static dctdiff_model *model;
static int res;

static dctdiff_image make(int w, int h, int ch, dctdiff_pixel_type t)
{
    dctdiff_image img;
    dctdiff_error err = { 0 };
    if (dctdiff_image_alloc(&img, w, h, ch, t, &err) != DCTDIFF_OK) {
        fprintf(stderr, "alloc: %s\n", err.msg);
        exit(1);
    }
    return img;
}

static size_t image_bytes(const dctdiff_image *img)
{
    return img->stride * img->height;
}

/* count model samples of seed as 8-bit RGB: in-distribution "artwork". */
static dctdiff_image sample(uint64_t seed)
{
    dctdiff_image img = make(res, res, 3, DCTDIFF_PIXEL_U8);
    dctdiff_generate_params p;
    dctdiff_generate_params_init(&p);
    p.seed = seed;
    p.threads = 1;
    dctdiff_error err = { 0 };
    CHECK(dctdiff_generate(model, &p, &img, &err) == DCTDIFF_OK, "sample: %s", err.msg);
    return img;
}

/* A square hole [x0, x0 + side)^2 as an 8-bit mask, 255 inside. */
static dctdiff_image hole(int w, int h, int x0, int y0, int side)
{
    dctdiff_image m = make(w, h, 1, DCTDIFF_PIXEL_U8);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            ((unsigned char *)m.data)[y * m.stride + x] =
                x >= x0 && x < x0 + side && y >= y0 && y < y0 + side ? 255 : 0;
    return m;
}

static dctdiff_status edit(const dctdiff_image *in, dctdiff_edit_params *p, dctdiff_image *out,
                           dctdiff_error *err)
{
    return dctdiff_edit(model, in, p, out, err);
}

static void params(dctdiff_edit_params *p, uint64_t seed)
{
    dctdiff_edit_params_init(p);
    p->gen.seed = seed;
    /* the thresholds below were measured with DPM-Solver at 12 evaluations;
     * test_fill_agrees runs the model's default sampler and steps */
    p->gen.sampler = DCTDIFF_SAMPLER_DPM_SOLVER;
    p->gen.steps = 12;
    p->gen.threads = 1;
}

/* ------------------------------------------------------------------------ */

static void test_strength_zero(void)
{
    const dctdiff_pixel_type types[3] = { DCTDIFF_PIXEL_U8, DCTDIFF_PIXEL_U16, DCTDIFF_PIXEL_F32 };
    for (int k = 0; k < 3; k++) {
        dctdiff_image in = make(29, 41, 2 + k, types[k]), out = make(29, 41, 2 + k, types[k]);
        for (size_t i = 0; i < image_bytes(&in); i++)
            ((unsigned char *)in.data)[i] = (unsigned char)(i * 37 + 11);
        if (types[k] == DCTDIFF_PIXEL_F32) /* finite floats, some outside 0..1 */
            for (size_t i = 0; i < image_bytes(&in) / 4; i++)
                ((float *)in.data)[i] = (float)((int)(i % 17) - 4) / 9.0f;
        dctdiff_edit_params p;
        params(&p, 1);
        p.strength = 0.0;
        dctdiff_error err = { 0 };
        CHECK(edit(&in, &p, &out, &err) == DCTDIFF_OK, "strength 0: %s", err.msg);
        CHECK(memcmp(in.data, out.data, image_bytes(&in)) == 0,
              "strength 0 returns the input exactly (type %d)", k);
        dctdiff_image_release(&in);
        dctdiff_image_release(&out);
    }
}

/* Outside the mask the output is the input bit for bit, at any size, type
 * and channel count; inside, it changed. */
static void test_mask_keeps_outside(void)
{
    const int w = 45, h = 37;
    dctdiff_image in = make(w, h, 4, DCTDIFF_PIXEL_U16), out = make(w, h, 4, DCTDIFF_PIXEL_U16);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < 4; c++)
                ((uint16_t *)in.data)[(y * w + x) * 4 + c] =
                    (uint16_t)(c == 3 ? 40000 + x * 100 : (x * 997 + y * 1409 + c * 7919) % 65536);
    dctdiff_image mask = hole(w, h, 11, 9, 17);
    dctdiff_edit_params p;
    params(&p, 5);
    p.mask = &mask;
    dctdiff_error err = { 0 };
    CHECK(edit(&in, &p, &out, &err) == DCTDIFF_OK, "masked edit: %s", err.msg);
    long outside_diff = 0, inside_diff = 0, alpha_diff = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < 4; c++) {
                const size_t i = (size_t)(y * w + x) * 4 + c;
                const int d = ((uint16_t *)in.data)[i] != ((uint16_t *)out.data)[i];
                if (c == 3)
                    alpha_diff += d;
                else if (((unsigned char *)mask.data)[y * mask.stride + x])
                    inside_diff += d;
                else
                    outside_diff += d;
            }
    CHECK(outside_diff == 0, "%ld values outside the mask changed", outside_diff);
    CHECK(alpha_diff == 0, "%ld alpha values changed", alpha_diff);
    CHECK(inside_diff > 17 * 17 * 3 * 9 / 10, "only %ld values inside the mask changed",
          inside_diff);
    dctdiff_image_release(&in);
    dctdiff_image_release(&out);
    dctdiff_image_release(&mask);
}

/* A soft mask blends: 50% gray puts every value halfway between input and
 * the fully regenerated value of the same seed. */
static void test_soft_mask(void)
{
    dctdiff_image in = sample(21), full = make(res, res, 3, DCTDIFF_PIXEL_U8);
    dctdiff_image half = make(res, res, 3, DCTDIFF_PIXEL_U8);
    dctdiff_image m1 = make(res, res, 1, DCTDIFF_PIXEL_U8), mh = make(res, res, 1, DCTDIFF_PIXEL_F32);
    memset(m1.data, 255, image_bytes(&m1));
    for (int i = 0; i < res * res; i++)
        ((float *)mh.data)[i] = 0.5f;
    dctdiff_edit_params p;
    params(&p, 8);
    p.mask = &m1;
    dctdiff_error err = { 0 };
    CHECK(edit(&in, &p, &full, &err) == DCTDIFF_OK, "white mask: %s", err.msg);
    p.mask = &mh;
    CHECK(edit(&in, &p, &half, &err) == DCTDIFF_OK, "gray mask: %s", err.msg);
    int worst = 0;
    for (size_t i = 0; i < image_bytes(&in); i++) {
        const int a = ((unsigned char *)in.data)[i], b = ((unsigned char *)full.data)[i];
        const int d = abs(2 * ((unsigned char *)half.data)[i] - (a + b));
        worst = d > worst ? d : worst;
    }
    CHECK(worst <= 1, "a 50%% mask is the mean of kept and regenerated (worst 2x error %d)",
          worst);
    dctdiff_image_release(&in), dctdiff_image_release(&full), dctdiff_image_release(&half);
    dctdiff_image_release(&m1), dctdiff_image_release(&mh);
}

/* ------------------------------------------------------------------------ */

/* Mean |difference| of the first k values of every block between the
 * tokens of a and b (model size, 8-bit RGB), and the largest. */
static void low_diff(const dctdiff_image *a, const dctdiff_image *b, int k, int first,
                     double *mean, double *worst)
{
    dctdiff_model_info in;
    dctdiff_model_get_info(model, &in);
    const int m = in.layout.low_freqs, blocks = in.tokens * in.token_dim / m;
    float *ta = malloc(sizeof(float) * in.tokens * in.token_dim);
    float *tb = malloc(sizeof(float) * in.tokens * in.token_dim);
    dctdiff_error err = { 0 };
    CHECK(dctdiff_tokenize(&in.layout, a, ta, &err) == DCTDIFF_OK &&
          dctdiff_tokenize(&in.layout, b, tb, &err) == DCTDIFF_OK, "tokenize: %s", err.msg);
    double sum = 0;
    int n = 0;
    *worst = 0;
    for (int blk = 0; blk < blocks; blk++)
        for (int i = first; i < k; i++) {
            const double d = fabs(ta[blk * m + i] - tb[blk * m + i]);
            sum += d, n++;
            *worst = d > *worst ? d : *worst;
        }
    *mean = sum / n;
    free(ta), free(tb);
}

/* The input as the model sees it: its tokens decoded to 8-bit RGB. */
static dctdiff_image model_view(const dctdiff_image *src)
{
    dctdiff_model_info in;
    dctdiff_model_get_info(model, &in);
    float *t = malloc(sizeof(float) * in.tokens * in.token_dim);
    dctdiff_image view = make(res, res, 3, DCTDIFF_PIXEL_U8);
    dctdiff_error err = { 0 };
    CHECK(dctdiff_tokenize(&in.layout, src, t, &err) == DCTDIFF_OK &&
          dctdiff_detokenize(&in.layout, t, &view, &err) == DCTDIFF_OK, "view: %s", err.msg);
    free(t);
    return view;
}

/* keep-low K: the first K coefficients of every block are the input's.  The
 * reference is the input as the model sees it (decoding truncates to 8 bits
 * and filters 4:2:0 chroma, so re-encoding any decoded image moves its
 * coefficients a little); the kept ones move by about that much, the new
 * ones and those of a run without keep-low many times more. */
static void test_keep_low(void)
{
    dctdiff_model_info in;
    dctdiff_model_get_info(model, &in);
    const int K = 1;
    dctdiff_image src = sample(31), kept = make(res, res, 3, DCTDIFF_PIXEL_U8);
    dctdiff_image free_run = make(res, res, 3, DCTDIFF_PIXEL_U8), view = model_view(&src);
    dctdiff_edit_params p;
    params(&p, 4);
    p.keep_low = K;
    dctdiff_error err = { 0 };
    CHECK(edit(&src, &p, &kept, &err) == DCTDIFF_OK, "keep-low: %s", err.msg);
    p.keep_low = 0;
    p.strength = 1.0;
    CHECK(edit(&src, &p, &free_run, &err) == DCTDIFF_OK, "strength 1: %s", err.msg);
    double mean_k, worst_k, mean_f, worst_f, mean_hi, worst_hi, mean_v, worst_v;
    low_diff(&view, &kept, K, 0, &mean_k, &worst_k);
    low_diff(&view, &free_run, K, 0, &mean_f, &worst_f);
    low_diff(&view, &kept, in.layout.low_freqs, K, &mean_hi, &worst_hi);
    low_diff(&src, &view, K, 0, &mean_v, &worst_v);
    /* one 8-bit level in every pixel of a B x B block moves its DC by B levels */
    const double level = in.layout.block_size / in.layout.eta;
    printf("keep-low %d (1 level = %.4f): kept coefficients differ by %.4f mean, %.4f "
           "worst; re-encoding the input moves them %.4f mean, %.4f worst; the new "
           "ones %.4f mean; strength 1 without keep-low %.4f mean\n", K, level, mean_k,
           worst_k, mean_v, worst_v, mean_hi, mean_f);
    CHECK(mean_k <= 2 * level, "kept coefficients moved by %g on average (> 2 levels)",
          mean_k);
    CHECK(mean_f > 10 * mean_k, "without keep-low they move %g, not >> %g", mean_f, mean_k);
    CHECK(mean_hi > 2 * mean_k, "the other coefficients are new (%g vs %g)", mean_hi, mean_k);
    dctdiff_image_release(&src), dctdiff_image_release(&kept);
    dctdiff_image_release(&free_run), dctdiff_image_release(&view);
}

static void test_seeds_and_threads(void)
{
    dctdiff_image in = sample(41), mask = hole(res, res, 8, 8, 16);
    dctdiff_image a = make(res, res, 3, DCTDIFF_PIXEL_U8), b = make(res, res, 3, DCTDIFF_PIXEL_U8);
    dctdiff_image c[3] = { make(res, res, 3, DCTDIFF_PIXEL_U8), make(res, res, 3, DCTDIFF_PIXEL_U8),
                           make(res, res, 3, DCTDIFF_PIXEL_U8) };
    dctdiff_edit_params p;
    params(&p, 100);
    p.mask = &mask;
    p.resample = 2;
    p.gen.sampler = DCTDIFF_SAMPLER_EULER_SDE; /* noise at every step too */
    dctdiff_error err = { 0 };
    CHECK(edit(&in, &p, &a, &err) == DCTDIFF_OK, "seed 100: %s", err.msg);
    p.gen.seed = 101;
    CHECK(edit(&in, &p, &b, &err) == DCTDIFF_OK, "seed 101: %s", err.msg);
    int differ = 0;
    for (size_t i = 0; i < image_bytes(&a); i++)
        differ += ((unsigned char *)a.data)[i] != ((unsigned char *)b.data)[i];
    CHECK(differ > 16 * 16 * 3 / 2, "seeds 100 and 101 differ in only %d values", differ);
    /* seed 100 again: two threads, in a batch of three (the first of which
     * is sample 0 of the run, as before) */
    p.gen.seed = 100;
    p.gen.threads = 2;
    p.gen.count = 3;
    CHECK(edit(&in, &p, c, &err) == DCTDIFF_OK, "2 threads: %s", err.msg);
    CHECK(memcmp(a.data, c[0].data, image_bytes(&a)) == 0,
          "the same seed gives the same bytes on 1 and 2 threads, alone and in a batch");
    CHECK(memcmp(c[1].data, c[2].data, image_bytes(&a)) != 0, "samples of a run differ");
    dctdiff_image_release(&in), dctdiff_image_release(&mask);
    dctdiff_image_release(&a), dctdiff_image_release(&b);
    for (int i = 0; i < 3; i++)
        dctdiff_image_release(&c[i]);
}

/* ------------------------------------------------------------------------ */

/* Mean |difference| over 4-neighbour pixel pairs, RGB: all pairs, or (mask
 * given) the pairs with one pixel inside the mask and one outside. */
static double mean_gradient(const dctdiff_image *img, const dctdiff_image *mask)
{
    const unsigned char *p = img->data, *m = mask ? mask->data : NULL;
    double sum = 0;
    long n = 0;
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++)
            for (int dir = 0; dir < 2; dir++) {
                const int x2 = x + (dir == 0), y2 = y + (dir == 1);
                if (x2 >= img->width || y2 >= img->height)
                    continue;
                if (m && !m[y * mask->stride + x] == !m[y2 * mask->stride + x2])
                    continue;
                for (int c = 0; c < 3; c++)
                    sum += abs(p[y * img->stride + 3 * x + c] - p[y2 * img->stride + 3 * x2 + c]);
                n += 3;
            }
    return sum / n;
}

/* The hole of `in` filled with an unrelated sample: noise-filling with
 * nothing re-imposed, the baseline a fill must beat. */
static void paste(const dctdiff_image *src, const dctdiff_image *mask, dctdiff_image *dst)
{
    for (int y = 0; y < dst->height; y++)
        for (int x = 0; x < dst->width; x++)
            if (((unsigned char *)mask->data)[y * mask->stride + x])
                memcpy((unsigned char *)dst->data + y * dst->stride + 3 * x,
                       (unsigned char *)src->data + y * src->stride + 3 * x, 3);
}

/* The filled region agrees with its surroundings.  Over 8 images, with a
 * hole of half the side in the middle: the mean gradient across the hole's
 * edge, against the image's own gradient across that same edge (the
 * original pixels there), is within 1.3x, where pasting an unrelated sample
 * into the hole (filling it with nothing re-imposed) gives much more.  The
 * ratios to the whole image's mean gradient are printed too: the middle of
 * these images is busier than their border, so there even the original
 * scores about 2 (docs/editing.md). */
static void test_fill_agrees(void)
{
    enum { N = 8 };
    dctdiff_image mask = hole(res, res, res / 4, res / 4, res / 2);
    double own = 0, own_edge = 0, fill = 0, fill0 = 0, pasted = 0;
    for (int i = 0; i < N; i++) {
        dctdiff_image in = sample(500 + i), out = make(res, res, 3, DCTDIFF_PIXEL_U8);
        dctdiff_image out0 = make(res, res, 3, DCTDIFF_PIXEL_U8), other = sample(900 + i);
        dctdiff_edit_params p;
        params(&p, 700 + i);
        p.gen.steps = 0;  /* the model's default */
        p.mask = &mask;
        dctdiff_error err = { 0 };
        CHECK(edit(&in, &p, &out, &err) == DCTDIFF_OK, "fill: %s", err.msg);
        p.resample = 0;
        CHECK(edit(&in, &p, &out0, &err) == DCTDIFF_OK, "fill without jumps: %s", err.msg);
        own += mean_gradient(&in, NULL);
        own_edge += mean_gradient(&in, &mask);
        fill += mean_gradient(&out, &mask);
        fill0 += mean_gradient(&out0, &mask);
        paste(&other, &mask, &in);
        pasted += mean_gradient(&in, &mask);
        dctdiff_image_release(&in), dctdiff_image_release(&out);
        dctdiff_image_release(&out0), dctdiff_image_release(&other);
    }
    printf("edge gradient over %d images, / the original's across the same edge "
           "(/ the whole image's mean): fill (resample %d) %.3f (%.3f), fill without "
           "jumps %.3f (%.3f), pasted unconditional sample %.3f (%.3f), the original "
           "itself 1 (%.3f)\n", N, DCTDIFF_EDIT_KNOWN_RESAMPLE, fill / own_edge, fill / own,
           fill0 / own_edge, fill0 / own, pasted / own_edge, pasted / own, own_edge / own);
    CHECK(fill / own_edge <= 1.3, "the fill's edge gradient is %.3fx the original's (> 1.3)",
          fill / own_edge);
    CHECK(pasted / own_edge > 1.3 * (fill / own_edge), "the pasted baseline (%.3f) is not "
          "clearly worse than the fill (%.3f)", pasted / own_edge, fill / own_edge);
    dctdiff_image_release(&mask);
}

/* ------------------------------------------------------------------------ */

static void test_refusals(void)
{
    dctdiff_image in = make(40, 24, 3, DCTDIFF_PIXEL_U8), out = make(40, 24, 3, DCTDIFF_PIXEL_U8);
    dctdiff_image small = make(20, 24, 1, DCTDIFF_PIXEL_U8), wrong = make(40, 24, 4, DCTDIFF_PIXEL_U8);
    memset(in.data, 128, image_bytes(&in));
    memset(out.data, 7, image_bytes(&out));
    memset(small.data, 0, image_bytes(&small));
    dctdiff_model_info info;
    dctdiff_model_get_info(model, &info);
    const int B = info.layout.block_size;
    struct {
        double strength;
        int keep_low, resample;
        const dctdiff_image *mask, *out;
        const char *needle;
    } cases[] = {
        { 1.5, 0, -1, NULL, &out, "strength" },
        { 0.0005, 0, -1, NULL, &out, "strength" },
        { -1, B * B + 1, -1, NULL, &out, "keep-low" },
        { -1, 0, DCTDIFF_EDIT_MAX_RESAMPLE + 1, NULL, &out, "resample" },
        { -1, 0, -1, &small, &out, "mask" },
        { -1, 0, -1, NULL, &wrong, "output" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        dctdiff_edit_params p;
        params(&p, 1);
        p.strength = cases[k].strength;
        p.keep_low = cases[k].keep_low;
        p.resample = cases[k].resample;
        p.mask = cases[k].mask;
        dctdiff_error err = { 0 };
        dctdiff_image *o = (dctdiff_image *)cases[k].out;
        CHECK(edit(&in, &p, o, &err) == DCTDIFF_E_ARG && strstr(err.msg, cases[k].needle),
              "case %zu refused naming '%s' (got '%s')", k, cases[k].needle, err.msg);
    }
    {   /* generate's upscaling fields: edit keeps the input's size */
        dctdiff_edit_params p;
        params(&p, 1);
        p.gen.width = 80;
        dctdiff_error err = { 0 };
        CHECK(edit(&in, &p, &out, &err) == DCTDIFF_E_ARG && strstr(err.msg, "size"),
              "an edit with gen.width accepted (%s)", err.msg);
    }
    int untouched = 1;
    for (size_t i = 0; i < image_bytes(&out); i++)
        untouched &= ((unsigned char *)out.data)[i] == 7;
    CHECK(untouched, "refused edits write nothing");
    dctdiff_image_release(&in), dctdiff_image_release(&out);
    dctdiff_image_release(&small), dctdiff_image_release(&wrong);
}

static int cancel_at_3(void *user, int done, int total, const char *stage)
{
    (void)total, (void)stage;
    return ++*(int *)user > 3 && done > 0;
}

static void test_cancel(void)
{
    dctdiff_image in = sample(3), out = make(res, res, 3, DCTDIFF_PIXEL_U8);
    memset(out.data, 7, image_bytes(&out));
    dctdiff_edit_params p;
    params(&p, 1);
    int calls = 0;
    p.gen.progress = cancel_at_3;
    p.gen.progress_user = &calls;
    dctdiff_error err = { 0 };
    CHECK(edit(&in, &p, &out, &err) == DCTDIFF_E_CANCELLED, "cancel: %s", err.msg);
    int untouched = 1;
    for (size_t i = 0; i < image_bytes(&out); i++)
        untouched &= ((unsigned char *)out.data)[i] == 7;
    CHECK(untouched, "a cancelled edit writes nothing");
    dctdiff_image_release(&in), dctdiff_image_release(&out);
}

int main(void)
{
    dctdiff_error err = { 0 };
    if (dctdiff_model_load(MODEL, &model, &err) != DCTDIFF_OK) {
        fprintf(stderr, "load %s: %s\n", MODEL, err.msg);
        return 1;
    }
    dctdiff_model_info in;
    dctdiff_model_get_info(model, &in);
    res = in.resolution;
    test_strength_zero();
    test_mask_keeps_outside();
    test_soft_mask();
    test_keep_low();
    test_seeds_and_threads();
    test_refusals();
    test_cancel();
    test_fill_agrees();
    dctdiff_model_free(model);
    return check_finish("test_edit");
}
