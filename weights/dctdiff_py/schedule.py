"""The VP noise schedule with DCTdiff's SNR scale c (method.md section 4).

beta(t) = b0 + (b1 - b0) t, I(t) = b0 t + (b1 - b0) t^2 / 2, u = exp(-I);
the SNR scale multiplies the signal-to-noise ratio by c at every t:
alpha_bar = c u / (1 + (c-1) u), sigma^2 = (1 - u) / (1 + (c-1) u),
lambda = log(alpha / sigma) = (ln c - ln(e^I - 1)) / 2.

Closed forms in float64 (expm1/log1p), the same as engine/generate/schedule.c.
Functions take and return python floats or float64 tensors.

    s = VPSchedule(snr_scale=4.0)
    s.alpha(1.0), s.sigma(1e-4), s.t_of_lambda(s.lam(0.5))
"""

import math

import torch


def _t(x):
    return torch.as_tensor(x, dtype=torch.float64)


class VPSchedule:
    def __init__(self, snr_scale=1.0, beta_min=0.1, beta_max=20.0):
        if not snr_scale > 0:
            raise ValueError(f"snr_scale {snr_scale} must be positive")
        self.c, self.b0, self.b1 = float(snr_scale), float(beta_min), float(beta_max)

    def integral(self, t):
        t = _t(t)
        return self.b0 * t + 0.5 * (self.b1 - self.b0) * t * t

    def _denom(self, i):
        return 1.0 + (self.c - 1.0) * torch.exp(-i)

    def log_alpha(self, t):
        i = self.integral(t)
        return 0.5 * (math.log(self.c) - i - torch.log(self._denom(i)))

    def alpha(self, t):
        return torch.exp(self.log_alpha(t))

    def sigma(self, t):
        i = self.integral(t)
        return torch.sqrt(-torch.expm1(-i) / self._denom(i))

    def lam(self, t):
        return 0.5 * (math.log(self.c) - torch.log(torch.expm1(self.integral(t))))

    def t_of_lambda(self, lam):
        i = torch.log1p(self.c * torch.exp(-2.0 * _t(lam)))
        db = self.b1 - self.b0
        return 2.0 * i / (self.b0 + torch.sqrt(self.b0 * self.b0 + 2.0 * db * i))

    def beta_tilde(self, t):
        """d(-log alpha_bar)/dt, the rate the Euler-Maruyama sampler uses."""
        t = _t(t)
        return (self.b0 + (self.b1 - self.b0) * t) / self._denom(self.integral(t))

    def noise_of(self, prediction, x, out, t):
        """The noise estimate from the network's output on x_t at time t.
        A v-predicting network (v = alpha eps - sigma x0) gives
        eps = sigma x_t + alpha v: the sigma x_t term carries the noise at
        high noise levels, so the network's bounded output only has to carry
        the image (weights/README.md, "Noisy tokens")."""
        if prediction in (None, "noise"):
            return out
        if prediction != "v":
            raise ValueError(f"unknown prediction '{prediction}'")
        a, s = self.alpha(t).float(), self.sigma(t).float()
        if a.dim():
            a, s = a.view(-1, *([1] * (x.dim() - 1))), s.view(-1, *([1] * (x.dim() - 1)))
        return s * x + a * out
