/* buffers.c - GEGL <-> engine pixel plumbing (see buffers.h). */
#include "buffers.h"

#include <glib/gi18n-lib.h>

#include "errors.h"

#include <string.h>

/* 8-bit with a perceptual TRC: R'G'B' (non-linear) or R~G~B~ (perceptual). */
static gboolean
is_u8_perceptual (const Babl *format)
{
  const gchar *encoding = babl_format_get_encoding (format);

  return babl_format_get_type (format, 0) == babl_type ("u8") &&
         (strchr (encoding, '\'') || strchr (encoding, '~'));
}

static BuffersFormat
format_of (const gchar *float_name,
           const gchar *u8_name,
           int          channels,
           const Babl  *layer_format)
{
  BuffersFormat fmt;

  fmt.format       = babl_format_with_space (float_name, layer_format);
  fmt.write_format = fmt.format;
  fmt.write_type   = DCTDIFF_PIXEL_F32;
  fmt.channels     = channels;
  if (is_u8_perceptual (layer_format))
    {
      fmt.write_format = babl_format_with_space (u8_name, layer_format);
      fmt.write_type   = DCTDIFF_PIXEL_U8;
    }
  return fmt;
}

gboolean
buffers_check_image (GimpImage  *image,
                     GError    **error)
{
  if (gimp_image_get_base_type (image) != GIMP_INDEXED)
    return TRUE;
  g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
               _("DCTdiff needs an RGB or grayscale image; convert this "
                 "indexed image with Image > Mode first."));
  return FALSE;
}

BuffersFormat
buffers_format_for (GimpDrawable *drawable)
{
  const Babl *layer = gimp_drawable_get_format (drawable);
  gboolean    alpha = gimp_drawable_has_alpha (drawable);

  if (gimp_drawable_is_gray (drawable))
    return alpha ? format_of ("Y'A float", "Y'A u8", 2, layer)
                 : format_of ("Y' float", "Y' u8", 1, layer);
  return alpha ? format_of ("R'G'B'A float", "R'G'B'A u8", 4, layer)
               : format_of ("R'G'B' float", "R'G'B' u8", 3, layer);
}

BuffersFormat
buffers_format_rgb_u8 (const Babl *layer_format)
{
  BuffersFormat fmt = format_of ("R'G'B' float", "R'G'B' u8", 3, layer_format);

  fmt.write_format = babl_format_with_space ("R'G'B' u8", layer_format);
  fmt.write_type   = DCTDIFF_PIXEL_U8;
  return fmt;
}

static gboolean
alloc_image (dctdiff_image      *img,
             int                 width,
             int                 height,
             int                 channels,
             dctdiff_pixel_type  type,
             GError            **error)
{
  dctdiff_error err;

  if (dctdiff_image_alloc (img, width, height, channels, type, &err) != DCTDIFF_OK)
    {
      g_propagate_error (error, errors_from_engine (_("Out of memory"), &err));
      return FALSE;
    }
  return TRUE;
}

gboolean
buffers_read (GeglBuffer          *buf,
              const GeglRectangle *rect,
              BuffersFormat        fmt,
              dctdiff_image       *out,
              GError             **error)
{
  if (! alloc_image (out, rect->width, rect->height, fmt.channels,
                    DCTDIFF_PIXEL_F32, error))
    return FALSE;
  gegl_buffer_get (buf, rect, 1.0, fmt.format, out->data, out->stride,
                   GEGL_ABYSS_CLAMP);
  return TRUE;
}

void
buffers_write (GeglBuffer          *buf,
               int                  x,
               int                  y,
               BuffersFormat        fmt,
               const dctdiff_image *img)
{
  GeglRectangle rect = { x, y, img->width, img->height };

  gegl_buffer_set (buf, &rect, 0, fmt.write_format, img->data, img->stride);
}

/* The engine's row callbacks: source rows from src, finished rows into dst. */
typedef struct
{
  GeglBuffer   *src, *dst;
  BuffersFormat fmt;
} RowBuffers;

static dctdiff_status
read_rows (void          *user,
           int            y0,
           int            y1,
           dctdiff_image *rows,
           dctdiff_error *err)
{
  RowBuffers *b = user;

  gegl_buffer_get (b->src, GEGL_RECTANGLE (0, y0, rows->width, y1 - y0), 1.0,
                   b->fmt.write_format, rows->data, rows->stride, GEGL_ABYSS_CLAMP);
  return DCTDIFF_OK;
}

static dctdiff_status
write_rows (void                *user,
            int                  y0,
            int                  y1,
            const dctdiff_image *rows,
            dctdiff_error       *err)
{
  RowBuffers *b = user;

  buffers_write (b->dst, 0, y0, b->fmt, rows);
  return DCTDIFF_OK;
}

GeglBuffer *
buffers_upscale (GeglBuffer                   *src,
                 BuffersFormat                 fmt,
                 int                           dst_w,
                 int                           dst_h,
                 const dctdiff_upscale_params *params,
                 GError                      **error)
{
  RowBuffers             b = { src, NULL, fmt };
  dctdiff_upscale_stream stream = {
    .src_w    = gegl_buffer_get_width (src),
    .src_h    = gegl_buffer_get_height (src),
    .dst_w    = dst_w,
    .dst_h    = dst_h,
    .channels = fmt.channels,
    .src_type = fmt.write_type,
    .dst_type = fmt.write_type,
    .read     = read_rows,
    .write    = write_rows,
    .user     = &b,
  };
  dctdiff_error          err;

  b.dst = gegl_buffer_new (GEGL_RECTANGLE (0, 0, dst_w, dst_h), fmt.write_format);
  if (dctdiff_upscale_rows (&stream, params, &err) != DCTDIFF_OK)
    {
      g_propagate_error (error, errors_from_engine (_("DCT upscaling failed"), &err));
      g_clear_object (&b.dst);
    }
  return b.dst;
}
