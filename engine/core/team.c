/* team.c - persistent workers woken per region by a generation counter. */
#include "core/team.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct team {
    int nth;                 /* members, the caller included */
    pthread_t *tid;
    pthread_mutex_t lock;
    pthread_cond_t wake, done;
    unsigned long generation; /* bumped once per region */
    int pending;              /* workers still running the region */
    int quit;
    team_fn fn;
    void *arg;
};

typedef struct {
    team *t;
    int ith;
} member;

static void *team_worker(void *p)
{
    member *m = p;
    team *t = m->t;
    const int ith = m->ith;
    free(m);
    unsigned long seen = 0;
    pthread_mutex_lock(&t->lock);
    for (;;) {
        while (t->generation == seen && !t->quit)
            pthread_cond_wait(&t->wake, &t->lock);
        if (t->quit)
            break;
        seen = t->generation;
        team_fn fn = t->fn;
        void *arg = t->arg;
        pthread_mutex_unlock(&t->lock);
        fn(arg, ith, t->nth);
        pthread_mutex_lock(&t->lock);
        if (--t->pending == 0)
            pthread_cond_signal(&t->done);
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

static int resolve_threads(int threads)
{
    long n = threads > 0 ? threads : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > TEAM_MAX ? TEAM_MAX : (int)n;
}

team *team_new(int threads)
{
    team *t = calloc(1, sizeof *t);
    int want = resolve_threads(threads);
    if (!t || !(t->tid = calloc((size_t)want, sizeof *t->tid))) {
        free(t);
        return NULL;
    }
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->wake, NULL);
    pthread_cond_init(&t->done, NULL);
    t->nth = 1;
    for (int i = 1; i < want; i++) {
        member *m = malloc(sizeof *m);
        if (!m)
            break;
        *m = (member){ t, i };
        if (pthread_create(&t->tid[i], NULL, team_worker, m) != 0) {
            free(m);
            break;
        }
        t->nth++;
    }
    return t;
}

int team_size(const team *t)
{
    return t->nth;
}

void team_run(team *t, team_fn fn, void *arg)
{
    if (t->nth == 1) {
        fn(arg, 0, 1);
        return;
    }
    pthread_mutex_lock(&t->lock);
    t->fn = fn;
    t->arg = arg;
    t->pending = t->nth - 1;
    t->generation++;
    pthread_cond_broadcast(&t->wake);
    pthread_mutex_unlock(&t->lock);
    fn(arg, 0, t->nth);
    pthread_mutex_lock(&t->lock);
    while (t->pending > 0)
        pthread_cond_wait(&t->done, &t->lock);
    pthread_mutex_unlock(&t->lock);
}

void team_free(team *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    t->quit = 1;
    pthread_cond_broadcast(&t->wake);
    pthread_mutex_unlock(&t->lock);
    for (int i = 1; i < t->nth; i++)
        pthread_join(t->tid[i], NULL);
    pthread_cond_destroy(&t->wake);
    pthread_cond_destroy(&t->done);
    pthread_mutex_destroy(&t->lock);
    free(t->tid);
    free(t);
}
