/* test_team.c - the engine's thread team (core/team.c): every member runs
 * each region exactly once with its own (ith, nth), a team serves many
 * regions in a row (its threads persist), threads <= 0 means the online
 * cores, and sizes are capped at TEAM_MAX. */
#include "check.h"
#include "core/team.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

enum { REGIONS = 300 };

typedef struct {
    atomic_int calls[TEAM_MAX];
    atomic_int wrong_nth;
    int nth;
    pthread_t caller;
    atomic_int caller_was_0;
} region;

static void member_fn(void *arg, int ith, int nth)
{
    region *r = arg;
    atomic_fetch_add(&r->calls[ith], 1);
    if (nth != r->nth)
        atomic_fetch_add(&r->wrong_nth, 1);
    if (ith == 0 && pthread_equal(pthread_self(), r->caller))
        atomic_fetch_add(&r->caller_was_0, 1);
}

static void check_team(int threads, int want_size)
{
    team *t = team_new(threads);
    if (!CHECK(t != NULL, "team_new(%d) failed", threads))
        return;
    region r = { .nth = team_size(t), .caller = pthread_self() };
    CHECK(r.nth == want_size, "team_new(%d) has %d members, expected %d", threads, r.nth,
          want_size);
    for (int i = 0; i < REGIONS; i++)
        team_run(t, member_fn, &r);
    int wrong = 0;
    for (int i = 0; i < TEAM_MAX; i++)
        wrong += atomic_load(&r.calls[i]) != (i < r.nth ? REGIONS : 0);
    CHECK(wrong == 0 && atomic_load(&r.wrong_nth) == 0,
          "%d threads: %d members ran a region other than once each (or out of range), "
          "%d calls saw another nth", threads, wrong, atomic_load(&r.wrong_nth));
    CHECK(atomic_load(&r.caller_was_0) == REGIONS,
          "%d threads: the caller was member 0 in %d of %d regions", threads,
          atomic_load(&r.caller_was_0), REGIONS);
    team_free(t);
}

int main(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int all = cores < 1 ? 1 : cores > TEAM_MAX ? TEAM_MAX : (int)cores;
    check_team(1, 1);
    check_team(2, 2);
    check_team(7, 7);
    check_team(0, all);
    check_team(-3, all);
    check_team(TEAM_MAX + 5, TEAM_MAX);
    return check_finish("test_team");
}
