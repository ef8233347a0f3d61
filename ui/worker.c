/* worker.c - a worker thread beside a nested main loop (see worker.h). */
#include "worker.h"

typedef struct
{
  WorkerFunc  func;
  gpointer    data;
  GMainLoop  *loop;
} WorkerJob;

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gpointer
worker_main (gpointer data)
{
  WorkerJob *job = data;

  job->func (job->data);
  /* Queued after every idle the work posted, so those run first. */
  g_idle_add (quit_loop, job->loop);
  return NULL;
}

void
worker_run (WorkerFunc func,
            gpointer   data)
{
  WorkerJob job = { func, data, g_main_loop_new (NULL, FALSE) };
  GThread  *thread = g_thread_new ("dctdiff-worker", worker_main, &job);

  g_main_loop_run (job.loop);
  g_thread_join (thread);
  g_main_loop_unref (job.loop);
}
