/* dctdiff.h - the public interface of libdctdiff.
 *
 * libdctdiff brings the DCTdiff paper ("Image Generative Modeling in the DCT
 * Space", arXiv 2412.15032) to plain C: DCT-space upscaling of any image, and
 * unconditional (or class-conditional) image generation from a DCTdiff model.
 *
 * Conventions, the same for every call:
 *   - Functions return a dctdiff_status.  On failure they also fill the
 *     caller's dctdiff_error (which may be NULL) with one message that names
 *     the thing at fault.  The library never exits, aborts or prints.
 *   - Long calls take a progress callback in their params struct.  It is called
 *     between steps or strips, never inside a kernel; returning non-zero stops
 *     the call, which then returns DCTDIFF_E_CANCELLED having written nothing
 *     into the caller's output and freed everything it allocated.
 *   - Every params struct has an _init function that sets the defaults; set
 *     the fields you care about afterwards.
 *   - threads = 0 means "all cores".  Results are bit-identical for every
 *     thread count.
 *   - Every _new / _load has a _free that accepts NULL.  The library keeps no
 *     pointer to caller memory after a call returns.
 *
 * Data flows one way: image -> tokens -> network -> tokens -> image.
 */
#ifndef DCTDIFF_H
#define DCTDIFF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(DCTDIFF_BUILDING) && defined(__GNUC__)
#define DCTDIFF_API __attribute__((visibility("default")))
#else
#define DCTDIFF_API
#endif

#define DCTDIFF_VERSION_STRING "0.1.0"

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */

typedef enum {
    DCTDIFF_OK = 0,
    DCTDIFF_E_ARG,        /* a bad argument: size, factor, option */
    DCTDIFF_E_IO,         /* a file could not be opened, read or mapped */
    DCTDIFF_E_FORMAT,     /* a file is not what it claims (corrupt model) */
    DCTDIFF_E_NOMEM,      /* an allocation failed or a size overflowed */
    DCTDIFF_E_CANCELLED,  /* the progress callback asked to stop */
    DCTDIFF_E_UNSUPPORTED /* valid, but not something this build can do */
} dctdiff_status;

typedef struct {
    dctdiff_status status;
    char msg[256];
} dctdiff_error;

/* A stable lower-case name for a status ("ok", "bad-argument", ...). */
DCTDIFF_API const char *dctdiff_status_name(dctdiff_status s);

/* Progress: done out of total units of the named stage.  Return non-zero to
 * cancel. */
typedef int (*dctdiff_progress_fn)(void *user, int done, int total,
                                   const char *stage);

/* ------------------------------------------------------------------------ */
/* Images: memory owned by the caller, described by this struct.            */

typedef enum {
    DCTDIFF_PIXEL_U8 = 0,  /* 0..255 */
    DCTDIFF_PIXEL_U16,     /* 0..65535, native byte order */
    DCTDIFF_PIXEL_F32      /* nominally 0..1, values outside are kept */
} dctdiff_pixel_type;

typedef struct {
    int width, height;
    int channels;          /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA */
    dctdiff_pixel_type type;
    size_t stride;         /* bytes from one row to the next */
    void *data;
} dctdiff_image;

/* Allocates an image with a tight stride; sizes are checked for overflow. */
DCTDIFF_API dctdiff_status dctdiff_image_alloc(dctdiff_image *img, int width,
                                               int height, int channels,
                                               dctdiff_pixel_type type,
                                               dctdiff_error *err);
/* Frees memory from dctdiff_image_alloc and zeroes the struct. */
DCTDIFF_API void dctdiff_image_release(dctdiff_image *img);
DCTDIFF_API size_t dctdiff_pixel_size(dctdiff_pixel_type type);

/* ------------------------------------------------------------------------ */
/* Name tables: the CLI, the GIMP procedures and the logs use these names.  */

typedef struct {
    int value;
    const char *name;   /* stable identifier, e.g. "dpm-solver" */
    const char *label;  /* short English label for menus, marked for
                           translation (engine/core/names.c holds every
                           table; the plug-in's catalogue translates them) */
} dctdiff_enum_entry;

/* ------------------------------------------------------------------------ */
/* DCT upscaling                                                            */

typedef enum {
    /* The official DCTdiff algorithm: 4x4 blocks to 8x8 blocks with the
     * per-coefficient cosine factor, in full-resolution YCbCr, truncated to 8
     * bits.  x2 only (powers of two by repetition); shows 8-pixel seams. */
    DCTDIFF_UPSCALE_PAPER = 0,
    /* Seamless DCT-domain interpolation: the spectrum of the whole image is
     * kept on the low band and divided by the frequency response of the filter
     * that made the small image (see dctdiff_downscale_filter), as the paper's
     * cosine factor does for a 2x2 box, evaluated as its equivalent
     * convolution so it runs in strips.  Any factor, any size. */
    DCTDIFF_UPSCALE_SPECTRAL,
    /* Spectral plus the luma detail it cannot know, predicted by filters
     * trained on photos (RAISR-style: one linear filter per local gradient
     * angle, strength and coherence), built into the library.  x2 and x4
     * natively; other sizes take the largest of those that fits, then
     * spectral; below x2, spectral.  Assumes a bicubic-shrunk source. */
    DCTDIFF_UPSCALE_LEARNED,
    /* Learned plus the luma residual of a small convolutional network on the
     * source's luma (about 30 k weights, trained on photos), built into the
     * library; x2 and x4 natively, other sizes by learned's size rule. */
    DCTDIFF_UPSCALE_LEARNED_CNN,
    DCTDIFF_UPSCALE_COUNT_
} dctdiff_upscale_method;

/* Which filter is assumed to have made the small image.  The spectral method
 * undoes its response on the kept band. */
typedef enum {
    DCTDIFF_DOWNSCALE_BICUBIC = 0, /* Keys a = -0.5, antialiased (PIL, MATLAB) */
    DCTDIFF_DOWNSCALE_BOX,         /* area average (the paper's assumption) */
    DCTDIFF_DOWNSCALE_NONE,        /* point-sampled / unknown: no inversion */
    DCTDIFF_DOWNSCALE_COUNT_
} dctdiff_downscale_filter;

DCTDIFF_API const dctdiff_enum_entry *dctdiff_upscale_methods(void);   /* ends with name NULL */
DCTDIFF_API const dctdiff_enum_entry *dctdiff_downscale_filters(void); /* ends with name NULL */
/* -1 when the name is unknown. */
DCTDIFF_API int dctdiff_enum_lookup(const dctdiff_enum_entry *table, const char *name);

typedef struct {
    dctdiff_upscale_method method;     /* default: the best measured one */
    dctdiff_downscale_filter filter;   /* default: bicubic */
    int threads;                       /* 0 = all cores */
    dctdiff_progress_fn progress;
    void *progress_user;
} dctdiff_upscale_params;

DCTDIFF_API void dctdiff_upscale_params_init(dctdiff_upscale_params *p);

/* Upscales src into dst.  dst's width, height, channels and type must be set
 * and its memory allocated by the caller; channels must match src, types may
 * differ (8-bit in, float out is fine).  Alpha is handled premultiplied so no
 * colour fringes appear at transparent edges.  Work is done in strips, so the
 * scratch memory is small whatever the image size.  Unlike the general rule
 * above, dst is written strip by strip: after DCTDIFF_E_CANCELLED its rows
 * are partly done (nothing leaks); callers commit dst only on DCTDIFF_OK
 * (docs/upscaling.md says why). */
DCTDIFF_API dctdiff_status dctdiff_upscale(const dctdiff_image *src,
                                           dctdiff_image *dst,
                                           const dctdiff_upscale_params *p,
                                           dctdiff_error *err);

/* The same for callers whose pixels are not in one piece of memory (GEGL
 * buffers, libpng rows): the engine runs the band loop and asks for and
 * hands over rows through callbacks.  read fills source rows [y0, y1) into
 * rows (src_w x (y1 - y0), channels, src_type, memory of the engine's);
 * write receives finished output rows [y0, y1) (dst_w wide, dst_type),
 * top to bottom, each row once.  A callback returning non-OK stops the run
 * with that status (it fills err).  Progress and cancelling as
 * dctdiff_upscale; rows already written stay written. */
typedef dctdiff_status (*dctdiff_rows_read_fn)(void *user, int y0, int y1,
                                               dctdiff_image *rows,
                                               dctdiff_error *err);
typedef dctdiff_status (*dctdiff_rows_write_fn)(void *user, int y0, int y1,
                                                const dctdiff_image *rows,
                                                dctdiff_error *err);
typedef struct {
    int src_w, src_h, dst_w, dst_h, channels;
    dctdiff_pixel_type src_type, dst_type;
    dctdiff_rows_read_fn read;
    dctdiff_rows_write_fn write;
    void *user;
} dctdiff_upscale_stream;

DCTDIFF_API dctdiff_status dctdiff_upscale_rows(const dctdiff_upscale_stream *s,
                                                const dctdiff_upscale_params *p,
                                                dctdiff_error *err);

/* The output size rule, shared by every caller.  width and height 0 mean
 * unset: with both unset the size is the source's times factor; with one set
 * the other follows the source's aspect ratio; with both set they are the
 * size.  Sides are rounded to the nearest pixel (at least 1).  Limits: a
 * factor (used only when both are unset) from DCTDIFF_FACTOR_MIN to
 * DCTDIFF_FACTOR_MAX, and at most DCTDIFF_SIDE_MAX pixels a side, given or
 * computed; anything else is DCTDIFF_E_ARG with one message naming the limit. */
#define DCTDIFF_FACTOR_MIN 0.001
#define DCTDIFF_FACTOR_MAX 64.0
#define DCTDIFF_SIDE_MAX 65535
DCTDIFF_API dctdiff_status dctdiff_output_size(int src_w, int src_h, double factor,
                                               int width, int height, int *out_w,
                                               int *out_h, dctdiff_error *err);

/* Strip interface, for callers that stream pixels (GEGL tiles, libpng rows).
 * An upscaler maps a src_w x src_h image to dst_w x dst_h.  For a band of
 * output rows [dst_y0, dst_y1) it says which input rows [src_y0, src_y1) it
 * needs; run_rows then takes exactly those rows and writes the band. */
typedef struct dctdiff_upscaler dctdiff_upscaler;

DCTDIFF_API dctdiff_status dctdiff_upscaler_new(int src_w, int src_h, int dst_w,
                                                int dst_h, int channels,
                                                const dctdiff_upscale_params *p,
                                                dctdiff_upscaler **out,
                                                dctdiff_error *err);
DCTDIFF_API void dctdiff_upscaler_input_rows(const dctdiff_upscaler *u,
                                             int dst_y0, int dst_y1,
                                             int *src_y0, int *src_y1);
/* src_rows holds input rows [src_y0, src_y1) as returned by input_rows;
 * dst_rows receives output rows [dst_y0, dst_y1). */
DCTDIFF_API dctdiff_status dctdiff_upscaler_run_rows(dctdiff_upscaler *u,
                                                     const dctdiff_image *src_rows,
                                                     int dst_y0, int dst_y1,
                                                     dctdiff_image *dst_rows,
                                                     dctdiff_error *err);
DCTDIFF_API void dctdiff_upscaler_free(dctdiff_upscaler *u);

/* ------------------------------------------------------------------------ */
/* DCT token layout (the DCTdiff tokeniser)                                 */

typedef enum {
    DCTDIFF_CHROMA_420 = 0, /* official: Cb, Cr at half size, 6 blocks a token */
    DCTDIFF_CHROMA_444      /* ours: full-size chroma, 12 blocks a token */
} dctdiff_chroma;

typedef struct {
    int width, height;   /* multiples of 2 * block_size */
    int block_size;      /* B: 2, 4, 8 or 16 */
    int low_freqs;       /* m: coefficients kept per block, 1..B*B */
    double eta;          /* every coefficient is divided by eta (double, as
                            the official float64 de-scaling needs) */
    dctdiff_chroma chroma;
    /* The order coefficients are kept in: order[i] is the raster index
     * (u*B + v) of a block's i-th kept coefficient, a permutation of
     * 0..B*B-1.  NULL = the zig-zag of the official code.  A model's info
     * points it at the model's own order (metadata dct.order). */
    const int *order;
} dctdiff_token_layout;

/* Tokens in the grid, and floats in one token (blocks per token x m). */
DCTDIFF_API int dctdiff_token_count(const dctdiff_token_layout *l);
DCTDIFF_API int dctdiff_token_dim(const dctdiff_token_layout *l);
DCTDIFF_API dctdiff_status dctdiff_token_layout_check(const dctdiff_token_layout *l,
                                                      dctdiff_error *err);

/* 8-bit RGB (3 channels, width x height as in the layout) -> tokens
 * (count x dim floats, token-major), exactly as the official data loader. */
DCTDIFF_API dctdiff_status dctdiff_tokenize(const dctdiff_token_layout *l,
                                            const dctdiff_image *rgb,
                                            float *tokens, dctdiff_error *err);
/* tokens -> 8-bit RGB, exactly as the official DCT_to_RGB (clip to +-2,
 * bilinear chroma, floor). */
DCTDIFF_API dctdiff_status dctdiff_detokenize(const dctdiff_token_layout *l,
                                              const float *tokens,
                                              dctdiff_image *rgb,
                                              dctdiff_error *err);

/* ------------------------------------------------------------------------ */
/* Models and generation                                                    */

typedef struct dctdiff_model dctdiff_model;

/* "The model's default" (the value its metadata names), spelled one way:
 * DCTDIFF_SAMPLER_DEFAULT for a sampler, DCTDIFF_DEFAULT for steps and the
 * SNR scale.  dctdiff_model_default() is its name and label for menus. */
#define DCTDIFF_DEFAULT 0
/* The most network evaluations one sampling run may take (steps). */
#define DCTDIFF_STEPS_MAX 1000
/* The shallow blocks a cached evaluation runs (dctdiff_generate_params). */
#define DCTDIFF_CACHE_DEPTH_DEFAULT 1

typedef enum {
    DCTDIFF_SAMPLER_DEFAULT = -1,   /* the model's default */
    DCTDIFF_SAMPLER_DPM_SOLVER = 0, /* official: DPM-Solver fast, singlestep */
    DCTDIFF_SAMPLER_DDIM,           /* deterministic DDIM (eta 0) */
    DCTDIFF_SAMPLER_EULER_ODE,      /* Euler, probability-flow ODE */
    DCTDIFF_SAMPLER_EULER_SDE,      /* Euler-Maruyama, reverse SDE */
    DCTDIFF_SAMPLER_DPMPP_2M,       /* DPM-Solver++ 2M, multistep */
    DCTDIFF_SAMPLER_DPMPP_3M,       /* DPM-Solver++ 3M, multistep */
    DCTDIFF_SAMPLER_UNIPC,          /* UniPC (bh2), multistep */
    DCTDIFF_SAMPLER_COUNT_
} dctdiff_sampler;

DCTDIFF_API const dctdiff_enum_entry *dctdiff_samplers(void); /* ends with name NULL */
/* { DCTDIFF_SAMPLER_DEFAULT, "model-default", "The model's default" }. */
DCTDIFF_API const dctdiff_enum_entry *dctdiff_model_default(void);

/* Maps and validates a model file: a DCTdiff .safetensors
 * (docs/model-format.md) or an official PyTorch .pth, whose config is found
 * by its tensor shapes (docs/official-models.md).  Same as
 * dctdiff_model_open with default params. */
DCTDIFF_API dctdiff_status dctdiff_model_load(const char *path,
                                              dctdiff_model **out,
                                              dctdiff_error *err);

/* How a .pth file's config is chosen (both NULL: by its tensor shapes, and
 * by its file name where shapes tie).  A .safetensors file carries its own
 * metadata; giving either for one is an error. */
typedef struct {
    const char *release;     /* an official checkpoint name (dctdiff_official_models) */
    const char *config_path; /* a JSON file of official config fields */
} dctdiff_load_params;

DCTDIFF_API void dctdiff_load_params_init(dctdiff_load_params *p);
DCTDIFF_API dctdiff_status dctdiff_model_open(const char *path,
                                              const dctdiff_load_params *p,
                                              dctdiff_model **out,
                                              dctdiff_error *err);
/* Reads only what describes a model (a safetensors header and metadata; a
 * .pth's pickle and zip directory), checks every tensor's name and shape,
 * and converts no weights: fast enough for a model chooser.  The info and
 * metadata are those dctdiff_model_open gives; the model cannot generate
 * (dctdiff_generate refuses it).  Free it with dctdiff_model_free. */
DCTDIFF_API dctdiff_status dctdiff_model_describe(const char *path,
                                                  const dctdiff_load_params *p,
                                                  dctdiff_model **out,
                                                  dctdiff_error *err);
/* Writes the model in `in` (usually a .pth) as a DCTdiff .safetensors at
 * `out`, tensors in their stored precision, with the metadata of its config.
 * `out` appears only when complete. */
DCTDIFF_API dctdiff_status dctdiff_model_convert(const char *in, const char *out,
                                                 const dctdiff_load_params *p,
                                                 dctdiff_error *err);
/* The published checkpoints: name = what params.release takes
 * ("celeba64-small-v2-ddim"), label = a one-line title.  Ends with name NULL. */
DCTDIFF_API const dctdiff_enum_entry *dctdiff_official_models(void);
/* The published file name and download address of official model i (an
 * index into dctdiff_official_models), or NULL. */
DCTDIFF_API const char *dctdiff_official_file(int i);
DCTDIFF_API const char *dctdiff_official_url(int i);
DCTDIFF_API void dctdiff_model_free(dctdiff_model *m);

/* What the network outputs: the noise (every official model) or
 * v = alpha eps - sigma x0, whose noise estimate sigma x + alpha v stays
 * right at high noise for a briefly trained network (docs/model-format.md). */
typedef enum {
    DCTDIFF_PREDICT_NOISE = 0,
    DCTDIFF_PREDICT_V
} dctdiff_prediction;

typedef struct {
    const char *name;        /* e.g. "emoji64" */
    const char *description; /* one line for a menu or --help */
    const char *dataset;
    int resolution;          /* native output size (square) */
    dctdiff_token_layout layout;
    int tokens, token_dim;
    int embed_dim, depth, num_heads, num_classes; /* 0 classes = unconditional */
    double snr_scale;        /* the c the model was trained with */
    double beta_min, beta_max;
    dctdiff_prediction prediction;
    dctdiff_sampler default_sampler;
    int default_steps;
    long long parameters;
} dctdiff_model_info;

/* Strings in the info stay valid while the model lives. */
DCTDIFF_API void dctdiff_model_get_info(const dctdiff_model *m,
                                        dctdiff_model_info *info);
/* Any __metadata__ value by key, or NULL. */
DCTDIFF_API const char *dctdiff_model_get_meta(const dctdiff_model *m,
                                               const char *key);

/* One network evaluation, for tests and benchmarks: x (n x tokens x dim) at
 * network times tau (n; tau = 999 t), labels (n, or NULL when unconditional)
 * -> predicted noise eps (n x tokens x dim). */
DCTDIFF_API dctdiff_status dctdiff_model_forward(const dctdiff_model *m, int n,
                                                 const float *x,
                                                 const float *tau,
                                                 const int *labels, float *eps,
                                                 int threads,
                                                 dctdiff_error *err);

/* Called with the current denoised estimate of one sample, as 8-bit RGB at
 * the model's native size, at the first sampler update after every
 * preview_every network evaluations.  step and steps count network
 * evaluations, as the params' steps does: those done for this sample, and
 * all it takes (steps, times 1 + resample for an edit that keeps
 * something).  Return non-zero to cancel. */
typedef int (*dctdiff_preview_fn)(void *user, int sample, int step, int steps,
                                  const dctdiff_image *rgb);

typedef struct {
    dctdiff_sampler sampler; /* default DCTDIFF_SAMPLER_DEFAULT */
    int steps;               /* network evaluations, 1..1000, or DCTDIFF_DEFAULT */
    double snr_scale;        /* DCTDIFF_DEFAULT (recommended) or an override */
    uint64_t seed;
    int count;               /* images to make, default 1 */
    int batch;               /* images per network call, 0 = automatic */
    int class_label;         /* conditional models; -1 = random per image */
    int threads;             /* 0 = all cores */
    /* The images' size: the model's native square, then, when these ask for
     * another, DCT upscaling (spectral, bicubic, `threads`) to the size
     * dctdiff_output_size gives for the native square and these.  _init:
     * factor 1, width and height 0 = the native size.  dctdiff_generate
     * only; dctdiff_edit keeps its input's size and refuses them. */
    double upscale_factor;
    int width, height;
    /* Optional starting noise, count x tokens x dim floats; replaces the
     * seeded noise (for comparing against other implementations). */
    const float *init_noise;
    dctdiff_progress_fn progress;
    void *progress_user;
    dctdiff_preview_fn preview;
    void *preview_user;
    int preview_every;       /* 0 = no previews */
    /* Step caching (DeepCache on UViT's long skips; docs/generation.md has
     * its measured speed and accuracy): of every cache_interval network
     * evaluations of a batch, the first runs the whole network and keeps
     * the input of its last cache_depth out-blocks; the others run only the
     * first cache_depth in-blocks and those out-blocks, on the kept
     * features.  An approximation: the images change.  0 (the default) or 1
     * = off, else 2..DCTDIFF_STEPS_MAX; cache_depth 1..depth / 2 of the
     * network, default DCTDIFF_CACHE_DEPTH_DEFAULT. */
    int cache_interval;
    int cache_depth;
} dctdiff_generate_params;

DCTDIFF_API void dctdiff_generate_params_init(dctdiff_generate_params *p);

/* The size dctdiff_generate's images have with these params (the native
 * square, or what upscale_factor / width / height ask). */
DCTDIFF_API dctdiff_status dctdiff_generate_size(const dctdiff_model *m,
                                                 const dctdiff_generate_params *p,
                                                 int *width, int *height,
                                                 dctdiff_error *err);

/* Samples count images.  out[i] must be allocated by the caller at
 * dctdiff_generate_size (RGB or RGBA, any pixel type).  Same seed -> same
 * bytes, for any thread count and batch size.  Progress covers the sampling;
 * the upscaling after it is not reported and cannot be cancelled. */
DCTDIFF_API dctdiff_status dctdiff_generate(const dctdiff_model *m,
                                            const dctdiff_generate_params *p,
                                            dctdiff_image *out,
                                            dctdiff_error *err);

/* Like dctdiff_generate, but returns the final tokens (count x tokens x dim)
 * instead of pixels; used by parity tests. */
DCTDIFF_API dctdiff_status dctdiff_generate_tokens(const dctdiff_model *m,
                                                   const dctdiff_generate_params *p,
                                                   float *tokens,
                                                   dctdiff_error *err);


/* ------------------------------------------------------------------------ */
/* Editing: sampling that starts from, and keeps parts of, the caller's image */

/* Three uses of one call (docs/editing.md):
 *   - variations / sketch to image (SDEdit, Meng et al. 2022): the image is
 *     noised to time `strength` by the forward process and denoised;
 *   - fill (RePaint, Lugmayr et al. 2022): where mask is 0 the image is
 *     known; after every sampler update the known part is re-imposed, noised
 *     to the update's end time, and with `resample` > 0 each update is redone
 *     that many more times after a jump back (fresh forward noise), so the
 *     generated part agrees with what surrounds it;
 *   - new detail (keep_low = K): the first K coefficients of every DCT block
 *     (in the model's low-to-high order) are known everywhere, the rest is
 *     generated: composition and colour stay, detail is new.
 * Mask and keep_low combine (inside the mask only the low part is kept).
 *
 * Samplers: DPM-Solver, DDIM, Euler ODE, Euler SDE and DPM-Solver++ 2M/3M,
 * which go down one time grid an update at a time, so re-imposing between
 * updates and redoing one are sound.  UniPC returns DCTDIFF_E_UNSUPPORTED.  `steps` network
 * evaluations are spread over [end, strength]; a run costs steps x (1 +
 * resample) evaluations when something is known, steps otherwise.
 *
 * Size: the model works at its own square size.  An image of another size is
 * resized to it in the DCT domain (whole-image spectrum cut or zero-padded,
 * both axes independently, so other aspect ratios are squeezed and restored)
 * and the result resized back the same way.  What is lost: in what is
 * generated, detail finer than the model's resolution (the regenerated area
 * of a 512 px image fed to a 64 px model has 64 px of detail, and sharp edges
 * ring a little); the model's own losses apply too (only its low_freqs
 * coefficients per block, 4:2:0 chroma, 8 bits).  What is kept: pixels where
 * the mask is 0 are copied from the input bit for bit, at full resolution;
 * where it is between 0 and 1 the result is blended, w x generated + (1 - w)
 * x input; alpha always comes from the input.  Gray images are generated as
 * RGB and stored as BT.601 luma. */

#define DCTDIFF_EDIT_MAX_RESAMPLE 100
/* Automatic choices of dctdiff_edit_params_init (negative fields): */
#define DCTDIFF_EDIT_VARIATION_STRENGTH 0.7 /* no mask, no keep_low */
#define DCTDIFF_EDIT_KNOWN_STRENGTH 1.0     /* with a mask or keep_low */
#define DCTDIFF_EDIT_KNOWN_RESAMPLE 4       /* with a mask or keep_low */

typedef struct {
    /* sampler, steps, seed, count, threads, batch, progress and preview as
     * for dctdiff_generate; init_noise, when set, is the noise the image is
     * noised with.  The same seed gives the same bytes on any thread count. */
    dctdiff_generate_params gen;
    /* 0..1, the time sampling starts from: 0 returns the input unchanged
     * (any other value must be at least 0.001), 1 starts from pure noise;
     * negative (the default) = automatic, see above. */
    double strength;
    /* NULL = everything may change; else 1 channel of the input's size, any
     * pixel type, 0 = keep, full scale = regenerate, between = blend. */
    const dctdiff_image *mask;
    int keep_low;     /* 0..B*B known low coefficients per block, 0 = none */
    int resample;     /* 0..DCTDIFF_EDIT_MAX_RESAMPLE; negative = automatic */
} dctdiff_edit_params;

DCTDIFF_API void dctdiff_edit_params_init(dctdiff_edit_params *p);

/* Makes p->gen.count edits of init into out[0..count): each of init's size,
 * channels and pixel type, memory allocated by the caller.  init: 1 to 4
 * channels, any pixel type, any size.  Cancelled or failed runs write
 * nothing into out. */
DCTDIFF_API dctdiff_status dctdiff_edit(const dctdiff_model *m, const dctdiff_image *init,
                                        const dctdiff_edit_params *p, dctdiff_image *out,
                                        dctdiff_error *err);

#ifdef __cplusplus
}
#endif

#endif /* DCTDIFF_H */
