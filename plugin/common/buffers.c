/* buffers.c - GEGL <-> engine pixel plumbing (see buffers.h). */
#include "buffers.h"

#include <glib/gi18n-lib.h>

#include "errors.h"

#include <string.h>

/* Output rows per strip: large enough to amortise the engine's halo, small
 * enough that a strip of a wide image stays a few megabytes. */
#define STRIP_ROWS 64

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

/* One strip: output rows [y0, y1) from the input rows the engine asks for. */
static gboolean
upscale_strip (dctdiff_upscaler *u,
               GeglBuffer       *src,
               GeglBuffer       *dst,
               BuffersFormat     fmt,
               int               y0,
               int               y1,
               GError          **error)
{
  int            src_w = gegl_buffer_get_width (src);
  int            dst_w = gegl_buffer_get_width (dst);
  int            sy0, sy1;
  GeglRectangle  in_rect;
  dctdiff_image  in, out;
  dctdiff_error  err;
  gboolean       ok = FALSE;

  dctdiff_upscaler_input_rows (u, y0, y1, &sy0, &sy1);
  in_rect = (GeglRectangle) { 0, sy0, src_w, sy1 - sy0 };
  if (! buffers_read (src, &in_rect, fmt, &in, error))
    return FALSE;
  if (! alloc_image (&out, dst_w, y1 - y0, fmt.channels, fmt.write_type, error))
    goto out;
  if (dctdiff_upscaler_run_rows (u, &in, y0, y1, &out, &err) != DCTDIFF_OK)
    g_propagate_error (error, errors_from_engine (_("DCT upscaling failed"), &err));
  else
    {
      buffers_write (dst, 0, y0, fmt, &out);
      ok = TRUE;
    }
  dctdiff_image_release (&out);
out:
  dctdiff_image_release (&in);
  return ok;
}

GeglBuffer *
buffers_upscale (GeglBuffer                   *src,
                 BuffersFormat                 fmt,
                 int                           dst_w,
                 int                           dst_h,
                 const dctdiff_upscale_params *params,
                 BuffersProgress               progress,
                 gpointer                      progress_user,
                 GError                      **error)
{
  dctdiff_upscaler *u = NULL;
  dctdiff_error     err;
  GeglBuffer       *dst;
  int               y;

  if (dctdiff_upscaler_new (gegl_buffer_get_width (src),
                            gegl_buffer_get_height (src),
                            dst_w, dst_h, fmt.channels, params,
                            &u, &err) != DCTDIFF_OK)
    {
      g_propagate_error (error, errors_from_engine (_("DCT upscaling failed"), &err));
      return NULL;
    }

  dst = gegl_buffer_new (GEGL_RECTANGLE (0, 0, dst_w, dst_h), fmt.format);
  for (y = 0; y < dst_h; y += STRIP_ROWS)
    {
      int y1 = MIN (y + STRIP_ROWS, dst_h);

      if (! upscale_strip (u, src, dst, fmt, y, y1, error))
        {
          g_clear_object (&dst);
          break;
        }
      if (progress)
        progress (progress_user, (gdouble) y1 / dst_h);
    }
  dctdiff_upscaler_free (u);
  return dst;
}
