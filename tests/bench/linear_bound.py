#!/usr/bin/python3
"""linear_bound.py - how far the spectral kernel is from the best linear
filter of the same support: per output phase of x2, the least-squares 8x8
(non-separable) filter from LR luma to HR luma, fitted on one set and
scored on all three, against the spectral method (both unclipped floats).
A one-off design check for docs/upscaling.md, not part of `ninja bench`.

Usage: linear_bound.py LIBDCTDIFF.so [--images DIR] [--train Set14]
"""
import argparse
import os
import sys

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench_quality import SHAVE, luma, psnr  # noqa: E402
from libdctdiff import Lib  # noqa: E402

TAPS = 8  # the spectral kernel's support per axis at x2


def pairs(folder):
    for f in sorted(os.listdir(folder)):
        if f.endswith('.png'):
            hr = np.array(Image.open(os.path.join(folder, f)).convert('RGB'))
            hr = hr[:hr.shape[0] // 2 * 2, :hr.shape[1] // 2 * 2]
            yield hr, np.array(Image.fromarray(hr).resize((hr.shape[1] // 2, hr.shape[0] // 2),
                                                          Image.BICUBIC))


def windows(y, py, px):
    """TAPS x TAPS source windows for the HR pixels of phase (py, px): HR row
    2i + p sits at source row i - 1/4 + p/2, so its taps start at i - 4 + p."""
    p = np.pad(y, TAPS // 2, mode='symmetric')
    w = sliding_window_view(p, (TAPS, TAPS))[py:py + y.shape[0], px:px + y.shape[1]]
    return w.reshape(-1, TAPS * TAPS)


def fit(folder):
    rng, filters = np.random.default_rng(0), {}
    data = {(py, px): ([], []) for py in range(2) for px in range(2)}
    for hr, lr in pairs(folder):
        y, ref = luma(lr), luma(hr)
        for (py, px), (a, b) in data.items():
            keep = rng.random(y.size) < 0.3
            a.append(windows(y, py, px)[keep])
            b.append(ref[py::2, px::2].reshape(-1)[keep])
    for key, (a, b) in data.items():
        filters[key] = np.linalg.lstsq(np.concatenate(a), np.concatenate(b), rcond=None)[0]
    return filters


def apply(filters, lr):
    y = luma(lr)
    out = np.zeros((2 * y.shape[0], 2 * y.shape[1]))
    for (py, px), f in filters.items():
        out[py::2, px::2] = (windows(y, py, px) @ f).reshape(y.shape)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('lib')
    ap.add_argument('--images', default=os.path.join(HERE, '..', '..', '..', 'shared', 'bench',
                                                     'images'))
    ap.add_argument('--train', default='Set14')
    args = ap.parse_args()
    lib = Lib(args.lib)
    filters = fit(os.path.join(args.images, args.train))
    s = (slice(SHAVE, -SHAVE), slice(SHAVE, -SHAVE))
    print('| set | least-squares 8x8 per phase (fitted on %s) | spectral | gap |' % args.train)
    print('|---|---|---|---|')
    for name in ('Set5', 'Set14', 'Kodak24'):
        best, ours = [], []
        for hr, lr in pairs(os.path.join(args.images, name)):
            ref = luma(hr)[s]
            best.append(psnr(apply(filters, lr)[s], ref))
            up = lib.upscale(lr.astype(np.float32), hr.shape[1], hr.shape[0])
            ours.append(psnr(luma(up)[s], ref))
        print('| %s | %.3f | %.3f | %.3f dB |' % (name, np.mean(best), np.mean(ours),
                                                 np.mean(best) - np.mean(ours)))


if __name__ == '__main__':
    main()
