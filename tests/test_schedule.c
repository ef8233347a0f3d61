/* test_schedule.c - the SNR-scaled VP noise schedule (generate/schedule.c)
 * against its closed forms and the numbers in method.md §4. */
#include <math.h>
#include <stddef.h>

#include "check.h"
#include "generate/schedule.h"

static const vp_schedule sched1 = { 0.1, 20.0, 1.0 };
static const vp_schedule sched4 = { 0.1, 20.0, 4.0 };

static void test_schedule(void)
{
    const double cs[] = { 0.5, 1.0, 3.0, 4.0, 12.0 };
    for (size_t k = 0; k < sizeof cs / sizeof *cs; k++) {
        const vp_schedule s = { 0.1, 20.0, cs[k] };
        for (int i = 1; i <= 100; i++) {
            const double t = i / 100.0 * (i % 3 ? 1.0 : 1e-2);
            const double a = sched_alpha(&s, t), sg = sched_sigma(&s, t);
            const double u = exp(-sched_integral(&s, t));
            CHECK(fabs(a * a + sg * sg - 1.0) < 1e-12, "c=%g t=%g: a^2+s^2 = %.15g",
                  cs[k], t, a * a + sg * sg);
            CHECK(fabs(a * a - cs[k] * u / (1 + (cs[k] - 1) * u)) < 1e-12,
                  "c=%g t=%g: alpha_bar", cs[k], t);
            const double l1 = sched_lambda(&sched1, t), lc = sched_lambda(&s, t);
            CHECK(fabs(lc - l1 - 0.5 * log(cs[k])) < 1e-12, "c=%g t=%g: lambda shift", cs[k], t);
            CHECK(fabs(lc - log(a / sg)) < 1e-9 * (1 + fabs(lc)), "c=%g t=%g: lambda = log a/s",
                  cs[k], t);
            const double back = sched_t_of_lambda(&s, lc);
            CHECK(fabs(back - t) < 1e-12 * (1 + 1 / t) * t, "c=%g: t(lambda(%g)) = %.17g",
                  cs[k], t, back);
            /* beta tilde = d/dt (-log alpha_bar), by central differences */
            const double h = 1e-5;
            const double num = -(2 * sched_log_alpha(&s, t + h) - 2 * sched_log_alpha(&s, t - h))
                               / (2 * h);
            const double bt = sched_beta_tilde(&s, t);
            CHECK(fabs(num - bt) < 1e-5 * bt, "c=%g t=%g: beta tilde %g vs %g", cs[k], t, bt, num);
        }
    }
    /* method.md §4: alpha at t = 1 */
    CHECK(fabs(sched_alpha(&sched1, 1.0) - 0.006572) < 5e-7, "alpha_1(1) %g",
          sched_alpha(&sched1, 1.0));
    CHECK(fabs(sched_alpha(&sched4, 1.0) - 0.013142) < 5e-7, "alpha_4(1) %g",
          sched_alpha(&sched4, 1.0));
    CHECK(fabs(sched_lambda(&sched1, 1.0) + 5.024978) < 5e-7, "lambda(1)");
    CHECK(fabs(sched_lambda(&sched1, 1e-4) - 5.751510) < 5e-7, "lambda(1e-4)");
}

int main(void)
{
    test_schedule();
    return check_finish("test_schedule");
}
