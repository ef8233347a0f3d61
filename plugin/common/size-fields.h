/* size-fields.h - what a dialog's Width, Height (and Scale factor) fields
 * show and which config values they set, kept in step as GIMP's own Scale
 * Image keeps them.  The shown size is always dctdiff_output_size of the
 * values, so it is the size the procedure will make.  Plain C (no GTK, no
 * GIMP), so that it is tested on its own. */
#ifndef DCTDIFF_SIZE_FIELDS_H
#define DCTDIFF_SIZE_FIELDS_H

typedef struct
{
  int    src_w, src_h;   /* the size the factor and the aspect ratio refer to */
  double factor;         /* the procedure's values, 0 = unset as in */
  int    width, height;  /* dctdiff_output_size */
} SizeFields;

/* The size the values give; 0 when they are outside the limits (then w and
 * h are left as they were). */
int  size_fields_shown      (const SizeFields *f, int *w, int *h);

/* The user typed a factor: the size follows it. */
void size_fields_set_factor (SizeFields *f, double factor);

/* The user typed value into one side (0 width, 1 height).  Linked, the
 * other side follows the aspect ratio; unlinked, it keeps what it showed.
 * The factor follows the new width. */
void size_fields_set_side   (SizeFields *f, int side, int value, int linked);

/* The chain was closed: the height follows the width's aspect again. */
void size_fields_link       (SizeFields *f);

#endif
