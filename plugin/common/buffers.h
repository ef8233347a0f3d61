/* buffers.h - pixels between GEGL buffers and the engine.
 *
 * Pixels travel in the drawable's own colour space with its perceptual
 * (gamma) TRC: as the layer's own bytes for 8-bit perceptual layers, the
 * bytes the CLI reads from and writes to a PNG, and as float otherwise.  So
 * GIMP and the CLI agree to the last bit: no conversion moves an 8-bit value
 * by a rounding (babl's u8 -> float with alpha need not be exact), which the
 * paper method, truncating as the official code does, would turn into a
 * level.  The float format alone serves previews. */
#ifndef DCTDIFF_BUFFERS_H
#define DCTDIFF_BUFFERS_H

#include <libgimp/gimp.h>

#include "dctdiff.h"

typedef struct
{
  const Babl        *format;       /* float, perceptual, own space: previews */
  const Babl        *write_format; /* what the engine reads and writes: the same, or 8-bit */
  dctdiff_pixel_type write_type;   /* write_format's pixel type */
  int                channels;     /* 1..4, as dctdiff_image counts them */
} BuffersFormat;

/* FALSE with error set for an image whose pixels the engine cannot take
 * (indexed), with what to do about it. */
gboolean       buffers_check_image     (GimpImage    *image,
                                        GError      **error);

BuffersFormat  buffers_format_for      (GimpDrawable *drawable);
/* 8-bit RGB in the space of layer_format: generated samples. */
BuffersFormat  buffers_format_rgb_u8   (const Babl   *layer_format);

/* Reads rect of buf into a newly allocated float dctdiff_image. */
gboolean       buffers_read            (GeglBuffer          *buf,
                                        const GeglRectangle *rect,
                                        BuffersFormat        fmt,
                                        dctdiff_image       *out,
                                        GError             **error);
/* Writes img (of fmt.write_type) into buf with its top-left corner at
 * (x, y). */
void           buffers_write           (GeglBuffer          *buf,
                                        int                  x,
                                        int                  y,
                                        BuffersFormat        fmt,
                                        const dctdiff_image *img);

/* Upscales the whole of src (extent at 0,0) to dst_w x dst_h with the
 * engine's band loop (dctdiff_upscale_rows; params->progress sees its
 * bands) and returns a new in-memory buffer; NULL with error set on
 * failure.  Scratch memory stays a band or two whatever the size. */
GeglBuffer    *buffers_upscale         (GeglBuffer                   *src,
                                        BuffersFormat                 fmt,
                                        int                           dst_w,
                                        int                           dst_h,
                                        const dctdiff_upscale_params *params,
                                        GError                      **error);

#endif
