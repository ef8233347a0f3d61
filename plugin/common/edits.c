/* edits.c - layer and selection into the engine's edit, results out (see
 * edits.h). */
#include "edits.h"

#include <glib/gi18n-lib.h>

#include "errors.h"

#include <string.h>

gboolean
edits_read_input (GimpImage    *image,
                  GimpDrawable *drawable,
                  EditInput    *in,
                  GError      **error)
{
  int           w = gimp_drawable_get_width (drawable);
  int           h = gimp_drawable_get_height (drawable);
  GeglRectangle rect = { 0, 0, w, h };
  GeglBuffer   *buf;
  int           ox, oy;
  dctdiff_error err;

  memset (in, 0, sizeof *in);
  in->fmt = buffers_format_for (drawable);
  if (dctdiff_image_alloc (&in->pixels, w, h, in->fmt.channels, in->fmt.write_type,
                           &err) != DCTDIFF_OK)
    {
      g_propagate_error (error, errors_from_engine (_("Out of memory"), &err));
      return FALSE;
    }
  buf = gimp_drawable_get_buffer (drawable);
  gegl_buffer_get (buf, &rect, 1.0, in->fmt.write_format, in->pixels.data,
                   in->pixels.stride, GEGL_ABYSS_CLAMP);
  g_object_unref (buf);

  if (gimp_selection_is_empty (image))
    return TRUE;
  /* The selection is in image coordinates; outside the canvas it is empty. */
  gimp_drawable_get_offsets (drawable, &ox, &oy);
  if (dctdiff_image_alloc (&in->mask, w, h, 1, DCTDIFF_PIXEL_F32, &err) != DCTDIFF_OK)
    {
      g_propagate_error (error, errors_from_engine (_("Out of memory"), &err));
      edits_clear_input (in);
      return FALSE;
    }
  buf = gimp_drawable_get_buffer (GIMP_DRAWABLE (gimp_image_get_selection (image)));
  gegl_buffer_get (buf, GEGL_RECTANGLE (ox, oy, w, h), 1.0, babl_format ("Y float"),
                   in->mask.data, in->mask.stride, GEGL_ABYSS_NONE);
  g_object_unref (buf);
  return TRUE;
}

void
edits_clear_input (EditInput *in)
{
  dctdiff_image_release (&in->pixels);
  dctdiff_image_release (&in->mask);
}

gboolean
edits_make (const dctdiff_model *model,
            const EditSettings  *s,
            const EditInput     *in,
            dctdiff_progress_fn  progress,
            void                *progress_user,
            dctdiff_image       *out,
            GError             **error)
{
  dctdiff_edit_params params = s->params;
  const dctdiff_image *px = &in->pixels;
  dctdiff_error       err;
  dctdiff_status      st = DCTDIFF_OK;
  int                 i;

  if (s->mode == EDIT_MODE_FILL && ! in->mask.data)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("Fill selection needs a selection: select the part to "
                     "regenerate first."));
      return FALSE;
    }
  params.mask               = in->mask.data ? &in->mask : NULL;
  params.gen.progress       = progress;
  params.gen.progress_user  = progress_user;
  for (i = 0; i < params.gen.count && st == DCTDIFF_OK; i++)
    st = dctdiff_image_alloc (&out[i], px->width, px->height, px->channels, px->type,
                              &err);
  if (st == DCTDIFF_OK)
    st = dctdiff_edit (model, px, &params, out, &err);
  if (st == DCTDIFF_E_CANCELLED)
    return FALSE;
  if (st != DCTDIFF_OK)
    {
      g_propagate_error (error, errors_from_engine (_("DCTdiff Re-imagine failed"), &err));
      return FALSE;
    }
  return TRUE;
}
