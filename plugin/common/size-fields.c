/* size-fields.c - see size-fields.h. */
#include "size-fields.h"

#include "dctdiff.h"

int
size_fields_shown (const SizeFields *f, int *w, int *h)
{
  dctdiff_error err;

  return dctdiff_output_size (f->src_w, f->src_h, f->factor, f->width,
                              f->height, w, h, &err) == DCTDIFF_OK;
}

/* So that the factor field, whose limits are the rule's, can show it. */
static double
clamp_factor (double factor)
{
  if (factor < DCTDIFF_FACTOR_MIN)
    return DCTDIFF_FACTOR_MIN;
  return factor > DCTDIFF_FACTOR_MAX ? DCTDIFF_FACTOR_MAX : factor;
}

void
size_fields_set_factor (SizeFields *f, double factor)
{
  f->factor = factor;
  f->width  = 0;
  f->height = 0;
}

void
size_fields_set_side (SizeFields *f, int side, int value, int linked)
{
  int w = f->src_w, h = f->src_h;

  size_fields_shown (f, &w, &h);
  if (side == 0)
    {
      f->width  = value;
      f->height = linked ? 0 : h;
    }
  else
    {
      f->width  = linked ? 0 : w;
      f->height = value;
    }
  if (size_fields_shown (f, &w, &h))
    f->factor = clamp_factor ((double) w / f->src_w);
}

void
size_fields_link (SizeFields *f)
{
  int w, h;

  if (f->width == 0 || f->height == 0 || ! size_fields_shown (f, &w, &h))
    return;
  size_fields_set_side (f, 0, w, 1);
}
