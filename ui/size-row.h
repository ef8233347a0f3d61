/* size-row.h - a dialog's Width and Height fields with a chain for the
 * aspect ratio, as in GIMP's own Scale Image.  They show the size the
 * procedure will make and set config's "width" and "height" (and the
 * factor property, when there is one) by the rule in size-fields.h (GTK3). */
#ifndef DCTDIFF_SIZE_ROW_H
#define DCTDIFF_SIZE_ROW_H

#include <libgimp/gimpui.h>

/* src_w x src_h: the size the factor and the aspect refer to.  factor_prop
 * names config's double scale factor, or is NULL (a factor of 1). */
GtkWidget *size_row_new        (GimpProcedureConfig *config,
                                int                  src_w,
                                int                  src_h,
                                const gchar         *factor_prop);

/* A new source size (another model's native square); the shown size
 * follows config's values from it. */
void       size_row_set_source (GtkWidget           *row,
                                int                  src_w,
                                int                  src_h);

#endif
