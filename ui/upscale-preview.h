/* upscale-preview.h - the upscale dialog's preview: a region of the result
 * at 100, 200 or 400 %, recomputed whenever a setting changes.  The DCT work
 * runs in a worker thread and its result is posted back to the GTK thread,
 * so the dialog stays responsive; changes made meanwhile are gathered into
 * one new computation. */
#ifndef DCTDIFF_UPSCALE_PREVIEW_H
#define DCTDIFF_UPSCALE_PREVIEW_H

#include <libgimp/gimp.h>
#include <gtk/gtk.h>

typedef struct _UpscalePreview UpscalePreview;

/* Follows config's changes until upscale_preview_free. */
UpscalePreview *upscale_preview_new    (GimpProcedureConfig *config,
                                        GimpImage           *image,
                                        GimpDrawable        *drawable);
GtkWidget      *upscale_preview_widget (UpscalePreview      *preview);
/* Waits for a computation under way, then frees the preview. */
void            upscale_preview_free   (UpscalePreview      *preview);

#endif
