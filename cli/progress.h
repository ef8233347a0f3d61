/* progress.h - the progress bar and Ctrl-C.
 *
 * The engine calls a progress callback between strips and steps, and stops
 * cleanly when it returns non-zero.  So this one callback both draws the bar
 * (on stderr, only when stderr is a terminal) and passes on an interrupt:
 * SIGINT or SIGTERM only set a flag, which the next callback returns. */
#ifndef CLI_PROGRESS_H
#define CLI_PROGRESS_H

#include <pthread.h>

typedef struct {
    int enabled;        /* stderr is a terminal and --quiet was not given */
    int drawn;          /* a bar is on screen and needs erasing */
    int last_permille;
    double last_time;   /* seconds, monotonic clock */
    pthread_mutex_t lock;
} cli_progress;

void cli_progress_init(cli_progress *p, int quiet);
/* A dctdiff_progress_fn; user is the cli_progress.  Returns non-zero once an
 * interrupt was caught. */
int cli_progress_update(void *user, int done, int total, const char *stage);
/* Erases the bar. */
void cli_progress_end(cli_progress *p);

/* Installs the SIGINT/SIGTERM handlers.  A second Ctrl-C kills the process
 * at once, for when the engine takes long to reach its next check. */
void cli_interrupt_catch(void);
int cli_interrupted(void);

#endif
