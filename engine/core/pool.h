/* pool.h - run one function on n threads, each told (ith, nth).
 * No hidden global pool: threads live for one call.  Work must be split by
 * (ith, nth) alone so results do not depend on timing. */
#ifndef DCTDIFF_POOL_H
#define DCTDIFF_POOL_H

typedef void (*pool_fn)(void *arg, int ith, int nth);

/* threads <= 0 means all online cores.  Returns the count actually used. */
int pool_threads(int threads);

/* Runs fn on nth threads (the caller's thread is one of them).  If a thread
 * cannot be started its share runs on the caller's thread, so fn always sees
 * every ith in 0..nth-1 exactly once. */
void pool_run(int nth, pool_fn fn, void *arg);

#endif
