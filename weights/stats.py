#!/usr/bin/env python3
"""DCTdiff dataset statistics (method.md section 7) for a pack or a folder:

  eta      the scale every coefficient is divided by: the larger magnitude of
           the 1.75th and 98.25th percentiles of the Y DC coefficient;
  entropy  per channel (Y, Cb, Cr) and raster frequency, the entropy in bits
           of a 100-bin histogram on [-1, 1] of the coefficient / eta, with
           values outside its own percentile range dropped (the official
           configs call these tables "std");
  m        coefficients kept per block: the smallest m whose reconstruction
           stays within --tolerance dB of keeping all B*B (the official rule
           ranks m by FID of the reconstructions, which needs a downloaded
           network; PSNR against the originals is our stand-in).

    stats.py data/emoji64.pack --block-size 2 --chroma 420 --out stats.json
"""

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dataset  # noqa: E402
from dctdiff_py.tokens import rgb_to_tokens, tokens_to_rgb, zigzag  # noqa: E402

LO, HI = 1.75, 98.25
BINS = 100
MAX_IMAGES = 50000


def load_images(source, size, seed=0):
    """Training images of a pack, or every image of a folder, as (N, S, S, 3)
    uint8; at most MAX_IMAGES, drawn at random as the official tool does."""
    if os.path.isdir(source):
        images = np.stack([rgb for _, rgb in dataset.folder_images(source, size)])
    else:
        images = dataset.Pack(source).split("train")
    if len(images) > MAX_IMAGES:
        images = images[np.random.default_rng(seed).choice(len(images), MAX_IMAGES, replace=False)]
    return images


def tokens_of(images, B, m, eta, chroma):
    """(N, S, S, 3) uint8 -> (N, T, K) float32 tokens."""
    return np.stack([rgb_to_tokens(im, B, m, eta, chroma) for im in images])


def images_of(tokens, size, B, m, eta, chroma):
    """(N, T, K) tokens -> (N, S, S, 3) uint8 images."""
    return np.stack([tokens_to_rgb(t, size, size, B, m, eta, chroma) for t in tokens])


def channel_coefficients(images, B, chroma):
    """{'y': (blocks, B*B), 'cb': ..., 'cr': ...} raster-order DCT
    coefficients (unscaled), chroma at half size for 4:2:0 as in training."""
    tok = tokens_of(images, B, B * B, 1.0, chroma)
    per = 4 if chroma == "444" else 1
    raster = np.argsort(zigzag(B))
    k = B * B
    groups = {"y": (0, 4), "cb": (4, 4 + per), "cr": (4 + per, 4 + 2 * per)}
    return {name: tok[..., a * k:b * k].reshape(-1, k)[:, raster] for name, (a, b) in groups.items()}


def bound(values):
    lo, hi = np.percentile(values, [LO, HI])
    return float(abs(hi) if abs(hi) > abs(lo) else abs(lo))


def entropy_table(coeffs, eta):
    """Histogram entropy (bits) of each raster coefficient, official recipe."""
    out = []
    for f in range(coeffs.shape[1]):
        v = coeffs[:, f].astype(np.float64)
        lo, hi = np.percentile(v, [LO, HI])
        kept = v[(v > lo) & (v < hi)] / eta
        counts, _ = np.histogram(kept, bins=BINS, range=(-1.0, 1.0))
        p = counts / max(counts.sum(), 1)
        out.append(round(float(-(p * np.log2(p + 1e-9)).sum()), 3))
    return out


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0 ** 2 / max(mse, 1e-12)))


def reconstruction_psnr(images, B, m, eta, chroma):
    """RGB PSNR of image -> tokens (first m coefficients) -> image."""
    tok = tokens_of(images, B, m, eta, chroma)
    return psnr(images, images_of(tok, images.shape[1], B, m, eta, chroma))


def compute(images, B, chroma, tolerance=0.5, psnr_images=2000):
    coeffs = channel_coefficients(images, B, chroma)
    eta = round(bound(coeffs["y"][:, 0]), 3)
    sub = images[:psnr_images]
    by_m = {m: round(reconstruction_psnr(sub, B, m, eta, chroma), 2) for m in range(1, B * B + 1)}
    best = by_m[B * B]
    m = min(k for k, v in by_m.items() if v >= best - tolerance)
    return {
        "images": int(len(images)), "resolution": int(images.shape[1]),
        "block_size": B, "chroma": chroma, "eta": eta,
        "entropy_y": entropy_table(coeffs["y"], eta),
        "entropy_cb": entropy_table(coeffs["cb"], eta),
        "entropy_cr": entropy_table(coeffs["cr"], eta),
        "low_freqs": m, "psnr_by_m": by_m, "tolerance_db": tolerance,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", help="a pack from dataset.py, or a folder of images")
    ap.add_argument("--size", type=int, default=64, help="image side, for a folder")
    ap.add_argument("--block-size", type=int, default=2, choices=(2, 4, 8))
    ap.add_argument("--chroma", default="420", choices=("420", "444"))
    ap.add_argument("--tolerance", type=float, default=0.5,
                    help="dB below the all-coefficient PSNR that the chosen m may lose")
    ap.add_argument("--out", help="JSON file to write (default: print)")
    args = ap.parse_args(argv)

    st = compute(load_images(args.source, args.size), args.block_size, args.chroma,
                 args.tolerance)
    text = json.dumps(st, indent=1)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
