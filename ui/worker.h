/* worker.h - run long engine work off the GTK thread.
 *
 * worker_run starts func in a GThread and keeps the GTK main loop turning
 * until func returns.  func must not call GTK; it hands results to the UI with
 * g_idle_add, and those idles all run before worker_run returns. */
#ifndef DCTDIFF_WORKER_H
#define DCTDIFF_WORKER_H

#include <glib.h>

typedef void (*WorkerFunc) (gpointer data);

void worker_run (WorkerFunc func,
                 gpointer   data);

#endif
