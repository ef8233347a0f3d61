/* progress.c - a throttled progress bar on stderr, and the interrupt flag. */
#include "progress.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 30
/* Redraw at most this often: a bar redrawn per strip would cost more
 * terminal time than the work on a fast machine. */
#define REDRAW_SECONDS 0.1

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

void cli_interrupt_catch(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cli_interrupted(void)
{
    return interrupted;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void cli_progress_init(cli_progress *p, int quiet)
{
    memset(p, 0, sizeof *p);
    p->enabled = !quiet && isatty(STDERR_FILENO);
    p->last_permille = -1;
    pthread_mutex_init(&p->lock, NULL);
}

static void draw(cli_progress *p, int permille, const char *stage)
{
    int filled = permille * BAR_WIDTH / 1000;
    char bar[BAR_WIDTH + 1];
    memset(bar, '#', (size_t)filled);
    memset(bar + filled, '-', (size_t)(BAR_WIDTH - filled));
    bar[BAR_WIDTH] = '\0';
    fprintf(stderr, "\r%-10.10s [%s] %3d%%", stage ? stage : "", bar, permille / 10);
    fflush(stderr);
    p->drawn = 1;
}

int cli_progress_update(void *user, int done, int total, const char *stage)
{
    cli_progress *p = user;
    if (p->enabled && total > 0 && pthread_mutex_trylock(&p->lock) == 0) {
        int permille = (int)((long long)(done < total ? done : total) * 1000 / total);
        double t = now_seconds();
        if (permille != p->last_permille &&
            (t - p->last_time >= REDRAW_SECONDS || permille == 1000)) {
            draw(p, permille, stage);
            p->last_permille = permille;
            p->last_time = t;
        }
        pthread_mutex_unlock(&p->lock);
    }
    return interrupted;
}

void cli_progress_end(cli_progress *p)
{
    if (p->drawn)
        fputs("\r\033[K", stderr);
    p->drawn = 0;
    pthread_mutex_destroy(&p->lock);
}
