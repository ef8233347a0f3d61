/* widget-dump.h - list a dialog's widgets in a file once it is shown.
 *
 * Only when DCTDIFF_WIDGET_DUMP names a folder: the GUI test
 * (tests/gimp/test_ui.py) reads the list to check that the widgets exist and
 * that their labels are translated; it also helps with bug reports. */
#ifndef DCTDIFF_WIDGET_DUMP_H
#define DCTDIFF_WIDGET_DUMP_H

#include <gtk/gtk.h>

/* Writes <folder>/<name>.txt when the window is first mapped, and
 * <folder>/<name>-closed.txt when it closes. */
void widget_dump_on_map (GtkWidget   *window,
                         const gchar *name);

#endif
