/* schedule.h - the VP noise schedule with DCTdiff's SNR scale c.
 *
 * beta(t) = b0 + (b1 - b0) t, I(t) = b0 t + (b1 - b0) t^2 / 2, u = e^-I.
 * The SNR scale multiplies the signal-to-noise ratio by c at every t:
 *   alpha_bar = c u / (1 + (c-1) u),  sigma^2 = (1 - u) / (1 + (c-1) u),
 *   lambda = log(alpha / sigma) = (ln c - ln(e^I - 1)) / 2.
 * Everything is evaluated in double with expm1/log1p, so the small-t end
 * (t = 1e-4) keeps full precision. */
#ifndef DCTDIFF_SCHEDULE_H
#define DCTDIFF_SCHEDULE_H

typedef struct {
    double beta0, beta1; /* 0.1 and 20 in every official config */
    double c;            /* SNR scale, > 0 */
} vp_schedule;

double sched_integral(const vp_schedule *s, double t);   /* I(t) */
double sched_log_alpha(const vp_schedule *s, double t);  /* log alpha_c */
double sched_alpha(const vp_schedule *s, double t);
double sched_sigma(const vp_schedule *s, double t);
double sched_lambda(const vp_schedule *s, double t);
double sched_t_of_lambda(const vp_schedule *s, double lambda);
/* d(-log alpha_bar)/dt = beta(t) / (1 + (c-1) u), the Euler-Maruyama rate. */
double sched_beta_tilde(const vp_schedule *s, double t);

#endif
