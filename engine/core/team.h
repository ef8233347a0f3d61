/* team.h - a fixed set of threads that runs many short parallel regions.
 *
 * pool_run starts threads per call, which is fine for one long job but costs
 * more than the work itself when a network forward has a hundred regions of
 * a millisecond each.  A team starts its threads once (for one forward pass
 * or one generation) and hands each region to all of them, every member
 * told (ith, nth) exactly as with pool_run. */
#ifndef DCTDIFF_TEAM_H
#define DCTDIFF_TEAM_H

#include "core/pool.h"

typedef struct team team;

/* threads <= 0 means all cores.  If fewer threads can be started the team is
 * smaller; NULL only when out of memory. */
team *team_new(int threads);
int team_size(const team *t);
/* Runs fn(arg, ith, nth) for every ith in 0..nth-1 (the caller is member 0)
 * and returns when all have finished. */
void team_run(team *t, pool_fn fn, void *arg);
void team_free(team *t);

#endif
