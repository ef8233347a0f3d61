/* team.h - the engine's one thread primitive: a fixed set of threads that
 * runs many short parallel regions.
 *
 * A team starts its threads once, when its owner is made (an upscaler, a
 * network workspace), and hands each region to all of them, every member
 * told (ith, nth).  Work must be split by (ith, nth) alone, so results do not
 * depend on timing or on the thread count.  A team serves one caller at a
 * time: its owner's calls are not made concurrently. */
#ifndef DCTDIFF_TEAM_H
#define DCTDIFF_TEAM_H

typedef struct team team;

typedef void (*team_fn)(void *arg, int ith, int nth);

/* threads <= 0 means all online cores (at most TEAM_MAX).  If fewer threads
 * can be started the team is smaller; NULL only when out of memory. */
team *team_new(int threads);
int team_size(const team *t);
/* Runs fn(arg, ith, nth) for every ith in 0..nth-1 (the caller is member 0)
 * and returns when all have finished. */
void team_run(team *t, team_fn fn, void *arg);
void team_free(team *t);

#define TEAM_MAX 256

#endif
