/* buffers.h - pixels between GEGL buffers and the engine.
 *
 * Everything is exchanged as float in the drawable's own colour space with
 * its perceptual (gamma) TRC, so the engine sees the same numbers the CLI
 * reads from a PNG, and GEGL converts to and from the layer's precision. */
#ifndef DCTDIFF_BUFFERS_H
#define DCTDIFF_BUFFERS_H

#include <libgimp/gimp.h>

#include "dctdiff.h"

typedef struct
{
  const Babl *format;   /* float, perceptual, in the drawable's space */
  int         channels; /* 1..4, as dctdiff_image counts them */
} BuffersFormat;

BuffersFormat  buffers_format_for      (GimpDrawable *drawable);
/* The format of an RGB image of the given space (for generation). */
BuffersFormat  buffers_format_rgb      (const Babl   *space_of);

/* Reads rect of buf into a newly allocated float dctdiff_image. */
gboolean       buffers_read            (GeglBuffer          *buf,
                                        const GeglRectangle *rect,
                                        BuffersFormat        fmt,
                                        dctdiff_image       *out,
                                        GError             **error);
/* Writes img into buf with its top-left corner at (x, y). */
void           buffers_write           (GeglBuffer          *buf,
                                        int                  x,
                                        int                  y,
                                        BuffersFormat        fmt,
                                        const dctdiff_image *img);

/* Called after each strip with the fraction of this buffer done. */
typedef void (*BuffersProgress) (gpointer user, gdouble fraction);

/* Upscales the whole of src (extent at 0,0) to dst_w x dst_h through the
 * engine's strip interface and returns a new in-memory buffer; NULL with
 * error set on failure.  Memory stays a few strips whatever the size. */
GeglBuffer    *buffers_upscale         (GeglBuffer                   *src,
                                        BuffersFormat                 fmt,
                                        int                           dst_w,
                                        int                           dst_h,
                                        const dctdiff_upscale_params *params,
                                        BuffersProgress               progress,
                                        gpointer                      progress_user,
                                        GError                      **error);

#endif
