#!/usr/bin/env python3
"""Why a model leaves whole tokens as noise (weights/README.md, "Noisy
tokens"): the network's gain on pure-noise tokens and the noise-token
fraction by the norm of each token's starting noise.

  gain  k = <eps_hat, x> / <x, x> for pure-noise tokens rescaled to r sqrt(K),
        at a few t; the exact answer is about 1 at t = 1 and 1/sigma(t) below;
        k falling with r (a norm-locked output) is the fault;
  norm  the fraction of sampled tokens left as noise (evaluate.NOISE_AC) in
        each quintile of the starting token norm.

    noise_gain.py --model m.safetensors --count 64
"""

import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate  # noqa: E402
from dctdiff_py import modelfile  # noqa: E402

RATIOS = (0.9, 0.95, 1.0, 1.05, 1.1)
TIMES = (1.0, 0.9, 0.8)


@torch.no_grad()
def gains(net, shape, seed):
    """{t: [k for each r]} on unit-norm-per-value noise tokens."""
    z = torch.randn(shape, generator=torch.Generator().manual_seed(seed))
    z = z / z.norm(dim=-1, keepdim=True) * shape[-1] ** 0.5
    out = {}
    for t in TIMES:
        tau = torch.full((shape[0],), 999.0 * t)
        out[t] = [float(((net(r * z, tau) * r * z).sum(-1) / (r * z).pow(2).sum(-1)).mean())
                  for r in RATIOS]
    return out


def noise_by_start_norm(net, meta, count, seed, sampler, steps):
    """[(low, high, noise fraction)] per quintile of the starting token norm."""
    shape = (count, meta["dct.tokens"], modelfile.token_dim(meta))
    noise = torch.randn(shape, generator=torch.Generator().manual_seed(seed))
    tok = evaluate.sample_tokens(net, meta, noise, sampler, steps).numpy()
    m = meta["dct.low_freqs"]
    ac = np.abs(tok).reshape(shape[:2] + (shape[2] // m, m))[..., 1:].mean(axis=(-1, -2))
    noisy = (ac > evaluate.NOISE_AC).ravel()
    r0 = (noise.norm(dim=-1) / shape[2] ** 0.5).numpy().ravel()
    edges = np.quantile(r0, np.linspace(0, 1, 6))
    bins = np.clip(np.searchsorted(edges, r0, side="right") - 1, 0, 4)
    return [(edges[b], edges[b + 1], float(noisy[bins == b].mean())) for b in range(5)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--count", type=int, default=64, help="samples for the norm table")
    ap.add_argument("--sampler", default="ddim", help="a dctdiff_py.samplers name")
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    net, meta = evaluate.load_model(args.model)
    shape = (64, meta["dct.tokens"], modelfile.token_dim(meta))
    print("gain k at t (columns: input norm / sqrt(K) = " + ", ".join(map(str, RATIOS)) + ")")
    for t, ks in gains(net, shape, args.seed + 1).items():
        print(f"  t={t:.1f}: " + "  ".join(f"{k:.3f}" for k in ks))
    rows = noise_by_start_norm(net, meta, args.count, args.seed, args.sampler, args.steps)
    print(f"noise tokens by starting norm / sqrt(K) ({args.sampler} {args.steps}):")
    for lo, hi, frac in rows:
        print(f"  [{lo:.3f}, {hi:.3f}]: {frac:.2f}")


if __name__ == "__main__":
    main()
