/* results.c - engine images into GIMP layers (see results.h). */
#include "results.h"

int
results_progress (void       *user,
                  int         done,
                  int         total,
                  const char *stage)
{
  gimp_progress_update ((gdouble) done / MAX (total, 1));
  return 0;
}

GimpLayer *
results_add_layer (GimpImage           *image,
                   GimpLayer           *parent,
                   int                  position,
                   const gchar         *name,
                   GimpImageType        type,
                   int                  x,
                   int                  y,
                   const BuffersFormat *fmt,
                   const dctdiff_image *img)
{
  GimpLayer    *layer = gimp_layer_new (image, name, img->width, img->height, type, 100.0,
                                        gimp_image_get_default_new_layer_mode (image));
  GeglBuffer   *buf;
  BuffersFormat own;

  gimp_image_insert_layer (image, layer, parent, position);
  gimp_layer_set_offsets (layer, x, y);
  if (! fmt)
    {
      own = buffers_format_rgb_u8 (gimp_drawable_get_format (GIMP_DRAWABLE (layer)));
      fmt = &own;
    }
  buf = gimp_drawable_get_buffer (GIMP_DRAWABLE (layer));
  buffers_write (buf, 0, 0, *fmt, img);
  g_object_unref (buf);
  gimp_drawable_update (GIMP_DRAWABLE (layer), 0, 0, img->width, img->height);
  return layer;
}

void
results_free (dctdiff_image *out,
              int            count)
{
  int i;

  for (i = 0; out && i < count; i++)
    dctdiff_image_release (&out[i]);
  g_free (out);
}
