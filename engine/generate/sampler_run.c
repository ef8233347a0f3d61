/* sampler_run.c - the time grids and the element-wise combination every
 * sampler uses (sampler_run.h). */
#include "generate/sampler_run.h"

double sampler_linspace_at(double a, double b, int n, int i)
{
    if (n == 1)
        return a;
    double step = (b - a) / (n - 1);
    return i < n / 2 ? a + i * step : b - (n - 1 - i) * step;
}

void sampler_lambda_grid(const vp_schedule *s, double t0, int k, double *t)
{
    double l0 = sched_lambda(s, t0), l1 = sched_lambda(s, SAMPLER_DPM_T_END);
    for (int i = 0; i <= k; i++)
        t[i] = sched_t_of_lambda(s, sampler_linspace_at(l0, l1, k + 1, i));
}

void sampler_combine(float *out, size_t n, int terms, const double *c,
                     const float *const *v)
{
    for (size_t i = 0; i < n; i++) {
        double sum = c[0] * v[0][i];
        for (int k = 1; k < terms; k++)
            sum += c[k] * v[k][i];
        out[i] = (float)sum;
    }
}
