#!/usr/bin/env python3
"""Evaluate a model file against its dataset without any downloaded network:

  swd        multi-scale sliced Wasserstein distance (Karras et al. 2018,
             "Progressive growing of GANs", section 5) between generated and
             held-out images: 7x7 patches of every Laplacian-pyramid level
             down to 16 px, normalised per level and channel, 4 x 128 random
             projections, reported x 1e3 and averaged over levels;
  swd_floor  the same distance between as many training images and the
             held-out ones: what the data itself scores;
  noise_tokens  the fraction of generated tokens left as noise: the mean
             |value| of their AC coefficients is above NOISE_AC (no training
             token of our layouts passes 0.23; starting noise has 0.8);
  nn         mean distance (RMS, 0..255 levels) from each generated image to
             its nearest training image, next to the same for the held-out
             images (a model that copies its training set scores well below
             the held-out value);
  grid       an 8x8 grid of samples as PNG.

    evaluate.py --model m.safetensors --data data/emoji32.pack --grid grid.png

Sampling uses dctdiff_py.samplers (the reference of the C engine's samplers).
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
from dctdiff_py import modelfile, samplers  # noqa: E402
from dctdiff_py.schedule import VPSchedule  # noqa: E402
from dctdiff_py.uvit import UViT  # noqa: E402
from stats import images_of  # noqa: E402

PATCH = 7
PATCHES_PER_IMAGE = 64
DIRECTIONS, REPEATS = 128, 4
MIN_LEVEL = 16
NOISE_AC = 0.3


# ------------------------------------------------------------ sampling ----

def load_model(path):
    """(UViT in eval mode, typed metadata) of a model file."""
    tensors, meta = modelfile.load(path)
    net = UViT(**modelfile.uvit_kwargs(meta))
    net.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()})
    return net.eval(), modelfile.parse_meta(meta)


def sample_tokens(net, meta, noise, sampler=None, steps=None):
    """Runs a sampler from noise (N, T, K) float32 to tokens."""
    sched = VPSchedule(meta["schedule.snr_scale"], meta["schedule.beta_min"],
                       meta["schedule.beta_max"])
    fn = samplers.SAMPLERS[sampler or meta["sampler.default"]]

    @torch.no_grad()
    def eps(x, t):
        tau = torch.full((x.shape[0],), 999.0 * t, dtype=torch.float32, device=x.device)
        return sched.noise_of(meta["schedule.prediction"], x, net(x, tau).float(), t)

    return fn(eps, noise, steps or meta["sampler.steps"], sched)


def generate(net, meta, count, seed, sampler=None, steps=None, batch=128):
    """count images (N, S, S, 3) uint8 and their tokens (N, T, K) from seed
    (the noise is drawn on the CPU, so a seed gives the same starting noise on
    any device)."""
    g = torch.Generator().manual_seed(seed)
    T, K = meta["dct.tokens"], modelfile.token_dim(meta)
    dev = next(net.parameters()).device
    out = []
    for i in range(0, count, batch):
        noise = torch.randn(min(batch, count - i), T, K, generator=g).to(dev)
        out.append(sample_tokens(net, meta, noise, sampler, steps).cpu().numpy())
    tok = np.concatenate(out)
    return images_of(tok, meta["dct.resolution"], meta["dct.block_size"],
                     meta["dct.low_freqs"], meta["dct.eta"], meta["dct.chroma"]), tok


def noise_token_fraction(tokens, low_freqs):
    """Fraction of tokens whose AC values have a mean magnitude above NOISE_AC."""
    n, t, k = tokens.shape
    ac = np.abs(tokens).reshape(n, t, k // low_freqs, low_freqs)[..., 1:]
    return float((ac.mean(axis=(-1, -2)) > NOISE_AC).mean())


# ----------------------------------------------------------------- SWD ----

def _blur(img):
    """5-tap binomial blur along the two image axes (edges reflected)."""
    k = np.array([1, 4, 6, 4, 1], np.float64) / 16
    for axis in (1, 2):
        pad = [(0, 0)] * img.ndim
        pad[axis] = (2, 2)
        p = np.pad(img, pad, mode="reflect")
        n = img.shape[axis]
        img = sum(k[j] * np.take(p, np.arange(j, j + n), axis=axis) for j in range(5))
    return img


def _blur_down(img):
    """Blur, then every second pixel."""
    return _blur(img)[:, ::2, ::2]


def _up(img):
    """Nearest 2x enlargement then the same blur x4 (keeps the mean)."""
    up = np.zeros((img.shape[0], 2 * img.shape[1], 2 * img.shape[2], img.shape[3]))
    up[:, ::2, ::2] = 4 * img
    return _blur(up)


def laplacian_pyramid(images):
    """Levels from full size down to MIN_LEVEL px; the last is the blurred
    residual, the others band-pass differences."""
    g = images.astype(np.float64) / 127.5 - 1.0
    levels = []
    while g.shape[1] > MIN_LEVEL:
        small = _blur_down(g)
        levels.append(g - _up(small))
        g = small
    levels.append(g)
    return levels


def patches(level, rng):
    """PATCHES_PER_IMAGE random 7x7x3 patches of every image, flattened."""
    n, h, w, c = level.shape
    ys = rng.integers(0, h - PATCH + 1, (n, PATCHES_PER_IMAGE))
    xs = rng.integers(0, w - PATCH + 1, (n, PATCHES_PER_IMAGE))
    d = np.arange(PATCH)
    rows = ys[..., None, None] + d[:, None]
    cols = xs[..., None, None] + d[None, :]
    idx = np.arange(n)[:, None, None, None]
    p = level[idx, rows, cols]                        # (n, P, 7, 7, c)
    p = p.reshape(-1, PATCH, PATCH, c)
    p = (p - p.mean(axis=(0, 1, 2))) / (p.std(axis=(0, 1, 2)) + 1e-8)
    return p.reshape(len(p), -1)


def sliced_wasserstein(a, b, rng):
    total = 0.0
    for _ in range(REPEATS):
        dirs = rng.standard_normal((a.shape[1], DIRECTIONS))
        dirs /= np.linalg.norm(dirs, axis=0, keepdims=True)
        pa, pb = np.sort(a @ dirs, axis=0), np.sort(b @ dirs, axis=0)
        total += np.abs(pa - pb).mean()
    return total / REPEATS


def swd(x, y, seed=0):
    """Per-level SWD (x 1e3) between two equally sized image sets, and the mean."""
    if len(x) != len(y):
        raise ValueError(f"SWD needs equal set sizes, got {len(x)} and {len(y)}")
    rng = np.random.default_rng(seed)
    per = [1e3 * sliced_wasserstein(patches(a, rng), patches(b, rng), rng)
           for a, b in zip(laplacian_pyramid(x), laplacian_pyramid(y))]
    return per, float(np.mean(per))


# ------------------------------------------------------- memorisation ----

def nearest_distance(x, ref, chunk=256):
    """For each image of x, the RMS pixel distance to its nearest in ref."""
    r = ref.reshape(len(ref), -1).astype(np.float32)
    r2 = (r * r).sum(1)
    out = []
    for i in range(0, len(x), chunk):
        q = x[i:i + chunk].reshape(-1, r.shape[1]).astype(np.float32)
        d2 = (q * q).sum(1)[:, None] + r2[None] - 2 * q @ r.T
        out.append(np.sqrt(np.maximum(d2.min(1), 0) / r.shape[1]))
    return np.concatenate(out)


def save_grid(images, path, side=8, scale=2):
    n, s = side * side, images.shape[1]
    canvas = np.full((side * s, side * s, 3), 255, np.uint8)
    for i, im in enumerate(images[:n]):
        canvas[(i // side) * s:(i // side + 1) * s, (i % side) * s:(i % side + 1) * s] = im
    img = Image.fromarray(canvas)
    if scale > 1:
        img = img.resize((side * s * scale,) * 2, Image.Resampling.NEAREST)
    img.save(path, optimize=True)


def evaluate(args):
    net, meta = load_model(args.model)
    net.to(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    pack = dataset.Pack(args.data)
    train, held = pack.split("train"), pack.split("heldout")
    n = min(args.count or len(held), len(held))
    held = held[:n]
    t0 = time.time()
    gen, tokens = generate(net, meta, n, args.seed, args.sampler, args.steps)
    sample_s = time.time() - t0
    ref = train[np.random.default_rng(args.seed).choice(len(train), n, replace=False)]
    levels, score = swd(gen, held)
    floor_levels, floor = swd(ref, held)
    result = {
        "model": os.path.basename(args.model), "images": n,
        "sampler": args.sampler or meta["sampler.default"],
        "steps": args.steps or meta["sampler.steps"], "sampling_seconds": round(sample_s, 1),
        "swd": round(score, 2), "swd_levels": [round(v, 2) for v in levels],
        "swd_floor": round(floor, 2), "swd_floor_levels": [round(v, 2) for v in floor_levels],
        "swd_ratio": round(score / floor, 2),
        "noise_tokens": round(noise_token_fraction(tokens, meta["dct.low_freqs"]), 3),
        "nn_generated": round(float(nearest_distance(gen, train).mean()), 2),
        "nn_heldout": round(float(nearest_distance(held, train).mean()), 2),
    }
    if args.grid:
        save_grid(gen, args.grid)
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True, help="the pack the model was trained on")
    ap.add_argument("--count", type=int, default=0, help="images (default: all held-out)")
    ap.add_argument("--sampler", choices=sorted(samplers.SAMPLERS), help="default: the model's")
    ap.add_argument("--steps", type=int, help="default: the model's")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--device", help="cpu or cuda (default: cuda when present)")
    ap.add_argument("--grid", help="write an 8x8 sample grid PNG here")
    ap.add_argument("--out", help="write the numbers as JSON here")
    args = ap.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    result = evaluate(args)
    text = json.dumps(result, indent=1)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
