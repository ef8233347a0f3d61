/* uvit.c - the UViT network on DCT tokens, forward only.
 *
 * Letters used for shapes: n images in the batch, T tokens, K floats per
 * token, E extra positions (1 time token, plus 1 label token when
 * conditional), S = E + T positions, D width, Hd MLP hidden width, h heads of
 * width dh.  Activations are row-major (n, S, D).
 *
 * Threads: every region (a linear layer, a norm, attention) is cut into fixed
 * pieces - tiles of one image's rows (at most 256, as few tiles as that
 * allows) by 256 columns, one (image, head) pair - that depend only on the
 * model's shape, never on the thread count or the batch size, and each
 * piece is computed by one thread with a single-threaded gemm (gemm.h).
 * The bytes out are therefore the same for any thread count and for an image
 * alone or inside a batch. */
#include "network/uvit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "network/gemm.h"
#include "network/layers.h"
#include "core/status.h"
#include "core/team.h"

/* Tiles of linear layers: rows of one image split into equal tiles of at
 * most ROW_TILE, columns into COL_TILE.  Big tiles matter: each tile packs
 * its block of weights again (gemm_avx512.c), so tall tiles (one for 257
 * positions, three for 1,025) pay for it once or a few times; 128-column
 * tiles ran ~40 % slower than 256 on one thread. */
#define ROW_TILE 512
#define COL_TILE 256
/* LayerNorm and concatenation: strips of rows. */
#define ROW_STRIP 64

struct uvit_workspace {
    const dctdiff_model *m;
    int max_batch;
    int T, K, E, S, D, Hd, heads, dh;
    int half;       /* in-blocks (= out-blocks): depth / 2 */
    team *team;
    float *x, *h, *qkv, *att;
    float *wide;    /* (n, S, max(Hd, 2D)): MLP hidden or [x | skip] */
    float *skips;   /* depth/2 saved in-block outputs, each (n, S, D) */
    float *scores;  /* per thread ATTN_BLOCK x S */
    float *temb;    /* time-MLP scratch, Hd + D */
    /* step caching (uvit.h): the input of the last cache_depth out-blocks,
     * (n, S, D), kept by the last pass that kept them, for kept_n images */
    float *deep;
    int cache_depth, kept_n;
};

static int ceil_div(int a, int b)
{
    return (a + b - 1) / b;
}

/* ------------------------------------------------------------------------ */
/* Parallel regions                                                         */

/* out = act(in W^T + b) (+ out when accumulating), per image: rows x n_out. */
typedef struct {
    const float *in;
    int ldi;
    size_t in_img;
    float *out;
    int ldo;
    size_t out_img;
    const float *w, *b;
    int n_in, n_out, rows, images;
    int accumulate, gelu;
} gemm_job;

static void gemm_region(void *arg, int ith, int nth)
{
    const gemm_job *j = arg;
    const int rc = ceil_div(j->rows, ROW_TILE), cc = ceil_div(j->n_out, COL_TILE);
    const int tile_rows = ceil_div(j->rows, rc);
    const int tasks = j->images * rc * cc;
    for (int t = ith; t < tasks; t += nth) {
        const int img = t / (rc * cc), r0 = (t / cc) % rc * tile_rows;
        const int c0 = t % cc * COL_TILE;
        const int rows = j->rows - r0 < tile_rows ? j->rows - r0 : tile_rows;
        const int cols = j->n_out - c0 < COL_TILE ? j->n_out - c0 : COL_TILE;
        const float *in = j->in + img * j->in_img + (size_t)r0 * j->ldi;
        float *out = j->out + img * j->out_img + (size_t)r0 * j->ldo + c0;
        const float *w = j->w + (size_t)c0 * j->n_in;
        const float *b = j->b ? j->b + c0 : NULL;
        if (j->accumulate)
            linear_add(out, j->ldo, in, j->ldi, w, j->n_in, b, rows, j->n_in, cols);
        else
            linear(out, j->ldo, in, j->ldi, w, j->n_in, b, rows, j->n_in, cols);
        if (j->gelu)
            for (int r = 0; r < rows; r++)
                gelu(out + (size_t)r * j->ldo, (size_t)cols);
    }
}

static void run_gemm(uvit_workspace *w, gemm_job j)
{
    team_run(w->team, gemm_region, &j);
}

/* Row-wise work over (images, rows): LayerNorm, or [x | skip] concatenation
 * when w is NULL. */
typedef struct {
    const float *in, *skip;
    float *out;
    size_t img;      /* floats between images in in/skip */
    size_t out_img;
    int ldo, rows, images, d;
    const float *w, *b;
} rows_job;

static void rows_region(void *arg, int ith, int nth)
{
    const rows_job *j = arg;
    const int rc = ceil_div(j->rows, ROW_STRIP), tasks = j->images * rc;
    for (int t = ith; t < tasks; t += nth) {
        const int img = t / rc, r0 = t % rc * ROW_STRIP;
        const int rows = j->rows - r0 < ROW_STRIP ? j->rows - r0 : ROW_STRIP;
        const size_t at = img * j->img + (size_t)r0 * j->d;
        float *out = j->out + img * j->out_img + (size_t)r0 * j->ldo;
        if (j->w) {
            layer_norm(out, j->ldo, j->in + at, j->d, rows, j->d, j->w, j->b);
            continue;
        }
        for (int r = 0; r < rows; r++) {
            memcpy(out + (size_t)r * j->ldo, j->in + at + (size_t)r * j->d,
                   sizeof(float) * j->d);
            memcpy(out + (size_t)r * j->ldo + j->d, j->skip + at + (size_t)r * j->d,
                   sizeof(float) * j->d);
        }
    }
}

typedef struct {
    uvit_workspace *w;
    int n;
} attn_job;

static void attn_region(void *arg, int ith, int nth)
{
    const attn_job *j = arg;
    const uvit_workspace *w = j->w;
    const int ld = 3 * w->D, tasks = j->n * w->heads;
    float *scores = w->scores + (size_t)ith * ATTN_BLOCK * w->S;
    for (int t = ith; t < tasks; t += nth) {
        const int img = t / w->heads, head = t % w->heads;
        const float *q = w->qkv + (size_t)img * w->S * ld + (size_t)head * w->dh;
        float *out = w->att + (size_t)img * w->S * w->D + (size_t)head * w->dh;
        attention_head(out, w->D, q, q + w->D, q + 2 * w->D, ld, w->S, w->dh, scores);
    }
}

/* ------------------------------------------------------------------------ */
/* The network                                                              */

static void norm(uvit_workspace *w, int n, float *out, const float *in,
                 const float *nw, const float *nb)
{
    const size_t img = (size_t)w->S * w->D;
    rows_job j = { .in = in, .out = out, .img = img, .out_img = img, .ldo = w->D, .rows = w->S,
                   .images = n, .d = w->D, .w = nw, .b = nb };
    team_run(w->team, rows_region, &j);
}

/* x <- block(x), with the long skip first for out-blocks (method.md §3). */
static void block_forward(uvit_workspace *w, int n, const uvit_block *b,
                          const float *skip)
{
    const int S = w->S, D = w->D;
    const size_t img = (size_t)S * D;
    if (skip) {
        rows_job cat = { .in = w->x, .skip = skip, .out = w->wide, .img = img,
                         .out_img = (size_t)S * 2 * D, .ldo = 2 * D, .rows = S, .images = n,
                         .d = D };
        team_run(w->team, rows_region, &cat);
        run_gemm(w, (gemm_job){ .in = w->wide, .ldi = 2 * D, .in_img = (size_t)S * 2 * D,
                                .out = w->x, .ldo = D, .out_img = img, .w = b->skip_w,
                                .b = b->skip_b, .n_in = 2 * D, .n_out = D, .rows = S,
                                .images = n });
    }
    norm(w, n, w->h, w->x, b->norm1_w, b->norm1_b);
    run_gemm(w, (gemm_job){ .in = w->h, .ldi = D, .in_img = img, .out = w->qkv, .ldo = 3 * D,
                            .out_img = 3 * img, .w = b->qkv_w, .b = b->qkv_b, .n_in = D,
                            .n_out = 3 * D, .rows = S, .images = n });
    attn_job aj = { w, n };
    team_run(w->team, attn_region, &aj);
    run_gemm(w, (gemm_job){ .in = w->att, .ldi = D, .in_img = img, .out = w->x, .ldo = D,
                            .out_img = img, .w = b->proj_w, .b = b->proj_b, .n_in = D,
                            .n_out = D, .rows = S, .images = n, .accumulate = 1 });
    norm(w, n, w->h, w->x, b->norm2_w, b->norm2_b);
    run_gemm(w, (gemm_job){ .in = w->h, .ldi = D, .in_img = img, .out = w->wide, .ldo = w->Hd,
                            .out_img = (size_t)S * w->Hd, .w = b->fc1_w, .b = b->fc1_b,
                            .n_in = D, .n_out = w->Hd, .rows = S, .images = n, .gelu = 1 });
    run_gemm(w, (gemm_job){ .in = w->wide, .ldi = w->Hd, .in_img = (size_t)S * w->Hd,
                            .out = w->x, .ldo = D, .out_img = img, .w = b->fc2_w, .b = b->fc2_b,
                            .n_in = w->Hd, .n_out = D, .rows = S, .images = n, .accumulate = 1 });
}

/* The time token of one image: sinusoid, through the time MLP if any. */
static void time_token(uvit_workspace *w, float tau, float *row)
{
    const dctdiff_model *m = w->m;
    if (!m->mlp_time_embed) {
        timestep_embedding(row, tau, w->D);
        return;
    }
    float *e = w->temb, *hid = w->temb + w->D;
    timestep_embedding(e, tau, w->D);
    linear(hid, w->Hd, e, w->D, m->time_w0, w->D, m->time_b0, 1, w->D, w->Hd);
    silu(hid, (size_t)w->Hd);
    linear(row, w->D, hid, w->Hd, m->time_w2, w->Hd, m->time_b2, 1, w->Hd, w->D);
}

/* x = [label, time, proj(tokens)] + pos_embed */
static void embed(uvit_workspace *w, int n, const float *x, const float *tau,
                  const int *labels)
{
    const dctdiff_model *m = w->m;
    const int S = w->S, D = w->D, E = w->E;
    const size_t img = (size_t)S * D;
    run_gemm(w, (gemm_job){ .in = x, .ldi = w->K, .in_img = (size_t)w->T * w->K,
                            .out = w->x + (size_t)E * D, .ldo = D, .out_img = img,
                            .w = m->proj_w, .b = m->proj_b, .n_in = w->K, .n_out = D,
                            .rows = w->T, .images = n });
    for (int i = 0; i < n; i++) {
        float *xi = w->x + i * img;
        if (E == 2)
            memcpy(xi, m->label_emb + (size_t)labels[i] * D, sizeof(float) * D);
        time_token(w, tau[i], xi + (size_t)(E - 1) * D);
        for (size_t k = 0; k < img; k++)
            xi[k] += m->pos_embed[k];
    }
}

/* The blocks run in one order whatever the pass; the shallow ones (the
 * first cache_depth in-blocks, the last cache_depth out-blocks) always, the
 * deep ones unless their result is reused, so a kept pass is the whole
 * network's bytes. */
static void network(uvit_workspace *w, uvit_pass pass, int n, const float *x,
                    const float *tau, const int *labels, float *eps)
{
    const dctdiff_model *m = w->m;
    const int half = w->half, shallow = w->cache_depth, D = w->D, E = w->E;
    const size_t img = (size_t)w->S * D, batch = (size_t)n * img;
    const int reuse = pass == UVIT_REUSE_DEEP;
    embed(w, n, x, tau, labels);
    for (int i = 0; i < (reuse ? shallow : half); i++) {
        block_forward(w, n, &m->in_blocks[i], NULL);
        memcpy(w->skips + i * batch, w->x, sizeof(float) * batch);
    }
    if (reuse) {
        memcpy(w->x, w->deep, sizeof(float) * batch);
    } else {
        block_forward(w, n, &m->mid_block, NULL);
        for (int i = 0; i < half - shallow; i++)
            block_forward(w, n, &m->out_blocks[i], w->skips + (half - 1 - i) * batch);
        if (pass == UVIT_KEEP_DEEP) {
            memcpy(w->deep, w->x, sizeof(float) * batch);
            w->kept_n = n;
        }
    }
    for (int i = half - shallow; i < half; i++)
        block_forward(w, n, &m->out_blocks[i], w->skips + (half - 1 - i) * batch);
    rows_job fin = { .in = w->x + (size_t)E * D, .out = w->h, .img = img, .out_img = img,
                     .ldo = D, .rows = w->T, .images = n, .d = D, .w = m->norm_w,
                     .b = m->norm_b };
    team_run(w->team, rows_region, &fin);
    run_gemm(w, (gemm_job){ .in = w->h, .ldi = D, .in_img = img, .out = eps, .ldo = w->K,
                            .out_img = (size_t)w->T * w->K, .w = m->dec_w, .b = m->dec_b,
                            .n_in = D, .n_out = w->K, .rows = w->T, .images = n });
}

/* ------------------------------------------------------------------------ */

void uvit_workspace_free(uvit_workspace *w)
{
    if (!w)
        return;
    team_free(w->team);
    free(w->x);
    free(w->h);
    free(w->qkv);
    free(w->att);
    free(w->wide);
    free(w->skips);
    free(w->scores);
    free(w->temb);
    free(w->deep);
    free(w);
}

size_t uvit_bytes_per_image(const dctdiff_model *m, int cached)
{
    const size_t S = (size_t)m->extras + m->info.tokens, D = m->info.embed_dim;
    const size_t wide = (size_t)m->mlp_hidden > 2 * D ? (size_t)m->mlp_hidden : 2 * D;
    /* x, h, att, qkv (3), the saved skips, the wide buffer, and the step
     * cache's deep features */
    return sizeof(float) * S * (D * (6 + (size_t)m->info.depth / 2 + (cached ? 1 : 0)) + wide);
}

static float *alloc_floats(size_t a, size_t b, size_t c, dctdiff_error *err)
{
    size_t n = dd_mul_size(a, b, err);
    n = n ? dd_mul_size(n, c, err) : 0;
    n = n ? dd_mul_size(n, sizeof(float), err) : 0;
    float *p = n ? malloc(n) : NULL;
    if (n && !p)
        dd_fail(err, DCTDIFF_E_NOMEM, "no memory for %zu bytes of activations", n);
    return p;
}

static dctdiff_status check_model(const dctdiff_model *m, dctdiff_error *err)
{
    const dctdiff_model_info *in = &m->info;
    if (!m->arena)
        return dd_fail(err, DCTDIFF_E_ARG,
                       "the model was opened by dctdiff_model_describe: it has no weights");
    /* An odd depth has depth/2 in- and out-blocks, as the official UViT. */
    if (in->num_heads < 1 || in->embed_dim % in->num_heads || in->depth < 2)
        return dd_fail(err, DCTDIFF_E_FORMAT,
                       "model shape D=%d heads=%d depth=%d is not a UViT",
                       in->embed_dim, in->num_heads, in->depth);
    return DCTDIFF_OK;
}

dctdiff_status uvit_workspace_new(const dctdiff_model *m, int max_batch,
                                  int threads, uvit_workspace **out,
                                  dctdiff_error *err)
{
    *out = NULL;
    if (max_batch < 1)
        return dd_fail(err, DCTDIFF_E_ARG, "batch %d is not positive", max_batch);
    const dctdiff_model_info *in = &m->info;
    dctdiff_status s = check_model(m, err);
    if (s != DCTDIFF_OK)
        return s;
    uvit_workspace *w = calloc(1, sizeof *w);
    if (!w)
        return dd_fail(err, DCTDIFF_E_NOMEM, "no memory for a network workspace");
    w->m = m;
    w->max_batch = max_batch;
    w->T = in->tokens;
    w->K = in->token_dim;
    w->E = m->extras;
    w->S = w->E + w->T;
    w->D = in->embed_dim;
    w->Hd = m->mlp_hidden;
    w->heads = in->num_heads;
    w->dh = w->D / w->heads;
    w->half = in->depth / 2;
    w->team = team_new(threads);
    const size_t rows = (size_t)max_batch * w->S;
    const int nth = w->team ? team_size(w->team) : 0;
    const size_t wide = (size_t)(w->Hd > 2 * w->D ? w->Hd : 2 * w->D);
    if (!w->team || !(w->x = alloc_floats(rows, w->D, 1, err)) ||
        !(w->h = alloc_floats(rows, w->D, 1, err)) ||
        !(w->qkv = alloc_floats(rows, w->D, 3, err)) ||
        !(w->att = alloc_floats(rows, w->D, 1, err)) ||
        !(w->wide = alloc_floats(rows, wide, 1, err)) ||
        !(w->skips = alloc_floats(rows, w->D, (size_t)(in->depth / 2), err)) ||
        !(w->scores = alloc_floats((size_t)nth, ATTN_BLOCK, (size_t)w->S, err)) ||
        !(w->temb = alloc_floats((size_t)w->Hd + w->D, 1, 1, err))) {
        uvit_workspace_free(w);
        return dd_fail(err, DCTDIFF_E_NOMEM, "no memory for a batch of %d images",
                       max_batch);
    }
    *out = w;
    return DCTDIFF_OK;
}

dctdiff_status uvit_workspace_cache(uvit_workspace *w, int depth, dctdiff_error *err)
{
    if (depth < 1 || depth > w->half)
        return dd_fail(err, DCTDIFF_E_ARG, "cache depth %d is outside 1..%d (the network's "
                       "in-blocks)", depth, w->half);
    free(w->deep);
    w->kept_n = 0;
    w->cache_depth = 0;
    if (!(w->deep = alloc_floats((size_t)w->max_batch * w->S, w->D, 1, err)))
        return dd_fail(err, DCTDIFF_E_NOMEM, "no memory for the step cache");
    w->cache_depth = depth;
    return DCTDIFF_OK;
}

dctdiff_status uvit_forward(uvit_workspace *w, uvit_pass pass, int n, const float *x,
                            const float *tau, const int *labels, float *eps,
                            dctdiff_error *err)
{
    const int classes = w->m->info.num_classes;
    if (n < 1 || n > w->max_batch)
        return dd_fail(err, DCTDIFF_E_ARG, "batch %d is outside 1..%d", n, w->max_batch);
    if (pass != UVIT_WHOLE && !w->deep)
        return dd_fail(err, DCTDIFF_E_ARG, "step caching was not set up for this workspace");
    if (pass == UVIT_REUSE_DEEP && w->kept_n != n)
        return dd_fail(err, DCTDIFF_E_ARG, "no deep features kept for a batch of %d", n);
    if (classes > 0 && !labels)
        return dd_fail(err, DCTDIFF_E_ARG, "the model is class-conditional: labels needed");
    if (classes == 0 && labels)
        return dd_fail(err, DCTDIFF_E_ARG, "the model is unconditional: labels refused");
    for (int i = 0; labels && i < n; i++)
        if (labels[i] < 0 || labels[i] >= classes)
            return dd_fail(err, DCTDIFF_E_ARG, "label %d is outside 0..%d",
                           labels[i], classes - 1);
    network(w, pass, n, x, tau, labels, eps);
    return DCTDIFF_OK;
}

/* dctdiff_model_forward keeps its last workspace (and team) for the next
 * call: a workspace depends on the model's shape only, never on its
 * weights, so it serves any model of the same shape, batch and threads.
 * A call that finds the slot in use by another thread makes its own. */
static struct {
    pthread_mutex_t lock;
    uvit_workspace *w;
    int threads;
} kept = { PTHREAD_MUTEX_INITIALIZER, NULL, 0 };

static int same_shape(const uvit_workspace *w, const dctdiff_model *m, int n)
{
    const dctdiff_model_info *in = &m->info;
    return w->max_batch >= n && w->T == in->tokens && w->K == in->token_dim &&
           w->E == m->extras && w->D == in->embed_dim && w->Hd == m->mlp_hidden &&
           w->heads == in->num_heads && w->half == in->depth / 2;
}

static dctdiff_status forward_kept(const dctdiff_model *m, int n, const float *x,
                                   const float *tau, const int *labels, float *eps,
                                   int threads, dctdiff_error *err)
{
    if (kept.w && !(kept.threads == threads && same_shape(kept.w, m, n))) {
        uvit_workspace_free(kept.w);
        kept.w = NULL;
    }
    dctdiff_status s = check_model(m, err);
    if (s == DCTDIFF_OK && !kept.w) {
        s = uvit_workspace_new(m, n, threads, &kept.w, err);
        kept.threads = threads;
    }
    if (s == DCTDIFF_OK) {
        kept.w->m = m;
        s = uvit_forward(kept.w, UVIT_WHOLE, n, x, tau, labels, eps, err);
    }
    return s;
}

dctdiff_status dctdiff_model_forward(const dctdiff_model *m, int n,
                                     const float *x, const float *tau,
                                     const int *labels, float *eps, int threads,
                                     dctdiff_error *err)
{
    if (!m || !x || !tau || !eps)
        return dd_fail(err, DCTDIFF_E_ARG, "model_forward: NULL argument");
    if (pthread_mutex_trylock(&kept.lock) == 0) {
        dctdiff_status s = forward_kept(m, n, x, tau, labels, eps, threads, err);
        pthread_mutex_unlock(&kept.lock);
        return s;
    }
    uvit_workspace *w;
    dctdiff_status s = uvit_workspace_new(m, n, threads, &w, err);
    if (s == DCTDIFF_OK)
        s = uvit_forward(w, UVIT_WHOLE, n, x, tau, labels, eps, err);
    uvit_workspace_free(w);
    return s;
}
