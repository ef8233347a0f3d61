/* schedule.c - closed forms of the SNR-scaled VP schedule (method.md §4). */
#include "generate/schedule.h"

#include <math.h>

double sched_integral(const vp_schedule *s, double t)
{
    return s->beta0 * t + 0.5 * (s->beta1 - s->beta0) * t * t;
}

/* 1 + (c-1) u, the denominator shared by alpha_bar and sigma^2. */
static double denom(const vp_schedule *s, double integral)
{
    return 1.0 + (s->c - 1.0) * exp(-integral);
}

double sched_log_alpha(const vp_schedule *s, double t)
{
    double i = sched_integral(s, t);
    return 0.5 * (log(s->c) - i - log(denom(s, i)));
}

double sched_alpha(const vp_schedule *s, double t)
{
    return exp(sched_log_alpha(s, t));
}

double sched_sigma(const vp_schedule *s, double t)
{
    double i = sched_integral(s, t);
    return sqrt(-expm1(-i) / denom(s, i));
}

double sched_lambda(const vp_schedule *s, double t)
{
    return 0.5 * (log(s->c) - log(expm1(sched_integral(s, t))));
}

double sched_t_of_lambda(const vp_schedule *s, double lambda)
{
    double i = log1p(s->c * exp(-2.0 * lambda));
    double db = s->beta1 - s->beta0;
    /* the root of b0 t + db t^2 / 2 = I, in the form without cancellation */
    return 2.0 * i / (s->beta0 + sqrt(s->beta0 * s->beta0 + 2.0 * db * i));
}

double sched_beta_tilde(const vp_schedule *s, double t)
{
    double beta = s->beta0 + (s->beta1 - s->beta0) * t;
    return beta / denom(s, sched_integral(s, t));
}
