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
dpmpp_2m / dpmpp_3m / unipc: multistep solvers in data-prediction form
(DPM-Solver++, Lu et al. 2022; UniPC with B(h) = e^h - 1, Zhao et al. 2023)
on the DPM-Solver lambda grid with `steps` intervals, one evaluation per
step; orders rise from 1 with the history and fall again over the last
steps of runs shorter than LOWER_FINAL.  Written from the papers' formulas
(difference form), independently of the C engine's coefficient form.
"""

import math

import torch

T_END_DPM = 1e-4
T_END_EULER = 1e-3
LOWER_FINAL = 15
UNIPC_ORDER = 3


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


def _step_order(order, i, steps):
    p = min(order, i + 1)
    return min(p, steps - i) if steps < LOWER_FINAL else p


class _Multistep:
    """The lambda grid, and data predictions x0 = (x - sigma eps) / alpha
    (float64, rounded to float32 like the state)."""

    def __init__(self, eps_fn, steps, sched):
        self.eps_fn, self.sched = eps_fn, sched
        self.t = lambda_grid(sched, steps)
        self.lam = [float(sched.lam(v)) for v in self.t]

    def data(self, x, i):
        t = self.t[i]
        a, sg = float(self.sched.alpha(t)), float(self.sched.sigma(t))
        return _comb((1.0 / a, x), (-sg / a, self.eps_fn(x, t)))

    def first_order(self, x, m0, i):
        """(sigma'/sigma) x - alpha' (e^-h - 1) m0, in float64, and h."""
        s, t = self.t[i], self.t[i + 1]
        h = self.lam[i + 1] - self.lam[i]
        ratio = float(self.sched.sigma(t)) / float(self.sched.sigma(s))
        phi1 = math.expm1(-h)
        return ratio * x.double() - float(self.sched.alpha(t)) * phi1 * m0.double(), h


def dpmpp(eps_fn, x, steps, sched, order):
    ms = _Multistep(eps_fn, steps, sched)
    m = []                                     # m[0] newest
    for i in range(steps):
        m.insert(0, ms.data(x, i))
        p = _step_order(order, i, steps)
        base, h = ms.first_order(x, m[0], i)
        a = float(sched.alpha(ms.t[i + 1]))
        phi1 = math.expm1(-h)
        lam = ms.lam
        if p == 1:
            x = base.float()
        elif p == 2:
            r0 = (lam[i] - lam[i - 1]) / h
            d1 = (m[0].double() - m[1].double()) / r0
            x = (base - 0.5 * a * phi1 * d1).float()
        else:
            r0, r1 = (lam[i] - lam[i - 1]) / h, (lam[i - 1] - lam[i - 2]) / h
            d1_0 = (m[0].double() - m[1].double()) / r0
            d1_1 = (m[1].double() - m[2].double()) / r1
            d1 = d1_0 + r0 / (r0 + r1) * (d1_0 - d1_1)
            d2 = (d1_0 - d1_1) / (r0 + r1)
            phi2 = phi1 / h + 1.0
            phi3 = phi2 / h - 0.5
            x = (base + a * phi2 * d1 - a * phi3 * d2).float()
        del m[3:]
    return x


def dpmpp_2m(eps_fn, x, steps, sched):
    return dpmpp(eps_fn, x, steps, sched, 2)


def dpmpp_3m(eps_fn, x, steps, sched):
    return dpmpp(eps_fn, x, steps, sched, 3)


def _unipc_rhos(ms, i, p):
    """rk (k = 1..p-1, then 1), predictor and corrector weights."""
    lam = ms.lam
    h = lam[i + 1] - lam[i]
    hh = -h
    rks = [(lam[i - k] - lam[i]) / h for k in range(1, p)] + [1.0]
    bh = math.expm1(hh)
    phik, fact, b = math.expm1(hh) / hh - 1.0, 1.0, []
    for j in range(p):
        b.append(phik * fact / bh)
        fact *= j + 2
        phik = phik / hh - 1.0 / fact
    R = torch.tensor([[rk ** j for rk in rks] for j in range(p)], dtype=torch.float64)
    b = torch.tensor(b, dtype=torch.float64)
    rho_p = {1: [], 2: [0.5]}.get(p) or torch.linalg.solve(R[:-1, :-1], b[:-1]).tolist()
    rho_c = [0.5] if p == 1 else torch.linalg.solve(R, b).tolist()
    return rks, rho_p, rho_c, bh


def unipc(eps_fn, x, steps, sched, order=UNIPC_ORDER):
    ms = _Multistep(eps_fn, steps, sched)
    m = [ms.data(x, 0)]
    for i in range(steps):
        p = _step_order(order, i, steps)
        rks, rho_p, rho_c, bh = _unipc_rhos(ms, i, p)
        base, _ = ms.first_order(x, m[0], i)
        a = float(sched.alpha(ms.t[i + 1]))
        d1s = [(m[k].double() - m[0].double()) / rks[k - 1] for k in range(1, p)]
        pred = base - a * bh * sum((w * d for w, d in zip(rho_p, d1s)), torch.zeros_like(base))
        if i == steps - 1:
            return pred.float()
        u = pred.float()
        m_new = ms.data(u, i + 1)
        corr = sum((w * d for w, d in zip(rho_c, d1s)), torch.zeros_like(base))
        corr = corr + rho_c[-1] * (m_new.double() - m[0].double())
        x = (base - a * bh * corr).float()
        m = [m_new] + m[:2]
    return x


SAMPLERS = {"dpm-solver": dpm_solver, "ddim": ddim, "euler-ode": euler_ode,
            "dpm-solver++-2m": dpmpp_2m, "dpm-solver++-3m": dpmpp_3m, "unipc": unipc}
