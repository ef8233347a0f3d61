/* pool.c - per-call worker threads. */
#include "core/pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define POOL_MAX 256

int pool_threads(int threads)
{
    if (threads > 0)
        return threads > POOL_MAX ? POOL_MAX : threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > POOL_MAX ? POOL_MAX : (int)n;
}

typedef struct {
    pool_fn fn;
    void *arg;
    int ith, nth;
} pool_task;

static void *pool_trampoline(void *p)
{
    pool_task *t = p;
    t->fn(t->arg, t->ith, t->nth);
    return NULL;
}

void pool_run(int nth, pool_fn fn, void *arg)
{
    if (nth <= 1) {
        fn(arg, 0, 1);
        return;
    }
    if (nth > POOL_MAX)
        nth = POOL_MAX;
    pthread_t tid[POOL_MAX];
    pool_task task[POOL_MAX];
    int started[POOL_MAX] = { 0 };
    for (int i = 1; i < nth; i++) {
        task[i] = (pool_task){ fn, arg, i, nth };
        started[i] = pthread_create(&tid[i], NULL, pool_trampoline, &task[i]) == 0;
    }
    fn(arg, 0, nth);
    for (int i = 1; i < nth; i++) {
        if (started[i])
            pthread_join(tid[i], NULL);
        else
            fn(arg, i, nth);
    }
}
