"""Reverse-diffusion samplers (method.md section 5), the reference for
engine/generate/sampler.c.

eps_fn(x, t) -> predicted noise for the batch x (float32) at time t (python
float; the network sees 999 t).  Scalars are float64; each update is formed
in float64 and the state rounded to float32 once, as the C engine does.

    x = dpm_solver(eps_fn, noise, steps=50, sched=VPSchedule(4.0))

dpm_solver: the original DPM-Solver, "fast" singlestep variant with noise
prediction: lambda-uniform grid from t=1 to 1e-4, orders 3,..,3 then 2
and/or 1 so that the evaluations add up to `steps`, no final denoising.
ddim: eta = 0, i.e. first-order updates on `steps` lambda-uniform intervals.
euler_ode / euler_sde: grid [0, linspace(1e-3, 1, steps)], each interval
evaluated at its upper end.
"""

import torch

T_END_DPM = 1e-4
T_END_EULER = 1e-3


def _linspace(a, b, n):
    return torch.linspace(a, b, n, dtype=torch.float64)


def dpm_orders(nfe):
    k = nfe // 3 + 1
    if nfe % 3 == 0:
        return [3] * (k - 2) + [2, 1]
    return [3] * (k - 1) + [nfe % 3]


def lambda_grid(sched, k):
    lam = _linspace(float(sched.lam(1.0)), float(sched.lam(T_END_DPM)), k + 1)
    return [float(sched.t_of_lambda(v)) for v in lam]


def _comb(*terms):
    """sum of coef * tensor in float64, rounded to float32."""
    out = None
    for coef, x in terms:
        v = float(coef) * x.double()
        out = v if out is None else out + v
    return out.float()


def _dpm_update(eps_fn, x, order, s, t, sched):
    ls = float(sched.lam(s))
    h = float(sched.lam(t)) - ls
    la_s = float(sched.log_alpha(s))
    ratio = lambda u: float(torch.exp(sched.log_alpha(u) - la_s))
    sig_t, phi = float(sched.sigma(t)), float(torch.expm1(torch.tensor(h, dtype=torch.float64)))
    expm1 = lambda v: float(torch.expm1(torch.tensor(v, dtype=torch.float64)))
    eps_s = eps_fn(x, s)
    if order == 1:
        return _comb((ratio(t), x), (-sig_t * phi, eps_s))
    r1 = 0.5 if order == 2 else 1.0 / 3.0
    r2 = 2.0 / 3.0
    s1 = float(sched.t_of_lambda(ls + r1 * h))
    u1 = _comb((ratio(s1), x), (-float(sched.sigma(s1)) * expm1(r1 * h), eps_s))
    d1 = eps_fn(u1, s1) - eps_s
    if order == 2:
        corr = 0.5 / r1 * sig_t * phi
        return _comb((ratio(t), x), (-sig_t * phi, eps_s), (-corr, d1))
    s2 = float(sched.t_of_lambda(ls + r2 * h))
    sig_2, phi_2 = float(sched.sigma(s2)), expm1(r2 * h)
    corr_2 = r2 / r1 * sig_2 * (phi_2 / (r2 * h) - 1.0)
    u2 = _comb((ratio(s2), x), (-sig_2 * phi_2, eps_s), (-corr_2, d1))
    d2 = eps_fn(u2, s2) - eps_s
    corr = 1.0 / r2 * sig_t * (phi / h - 1.0)
    return _comb((ratio(t), x), (-sig_t * phi, eps_s), (-corr, d2))


def dpm_solver(eps_fn, x, steps, sched):
    orders = dpm_orders(steps)
    t = lambda_grid(sched, len(orders))
    for i, order in enumerate(orders):
        x = _dpm_update(eps_fn, x, order, t[i], t[i + 1], sched)
    return x


def ddim(eps_fn, x, steps, sched):
    t = lambda_grid(sched, steps)
    for i in range(steps):
        x = _dpm_update(eps_fn, x, 1, t[i], t[i + 1], sched)
    return x


def euler_grid(steps):
    """[0] + linspace(1e-3, 1, steps); one step runs from 1 straight to 0."""
    if steps == 1:
        return [0.0, 1.0]
    return [0.0] + [float(v) for v in _linspace(T_END_EULER, 1.0, steps)]


def euler(eps_fn, x, steps, sched, noise_fn=None):
    """Probability-flow ODE, or the reverse SDE when noise_fn(step, shape)
    gives the N(0, I) draws."""
    grid = euler_grid(steps)
    for i in range(steps):
        t, s = grid[steps - i], grid[steps - i - 1]
        eps = eps_fn(x, t)
        bt, sig = float(sched.beta_tilde(t)), float(sched.sigma(t))
        k = 1.0 if noise_fn else 0.5
        x = _comb((1.0 - 0.5 * bt * (s - t), x), (k * bt / sig * (s - t), eps))
        if noise_fn and s > 0.0:
            g = float(torch.sqrt(torch.tensor(bt * (t - s), dtype=torch.float64)))
            x = _comb((1.0, x), (g, noise_fn(i, x.shape)))
    return x


def euler_ode(eps_fn, x, steps, sched):
    return euler(eps_fn, x, steps, sched)


def euler_sde(eps_fn, x, steps, sched, noise_fn):
    return euler(eps_fn, x, steps, sched, noise_fn)


SAMPLERS = {"dpm-solver": dpm_solver, "ddim": ddim, "euler-ode": euler_ode}
