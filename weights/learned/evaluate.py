#!/usr/bin/python3
"""evaluate.py - PSNR-Y / SSIM-Y of the numpy reference of a `learned` model
against spectral, with the benchmark's protocol (tests/bench/bench_quality.py),
on folders of held-out photos (never the benchmark's own images when tuning).

  python3 weights/learned/evaluate.py --lib build/engine/libdctdiff.so \
      --model m.safetensors DIR...
"""
import argparse
import os
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', '..', 'tests', 'bench'))
import reference  # noqa: E402
from bench_quality import SHAVE, luma, psnr, ssim  # noqa: E402
from libdctdiff import Lib  # noqa: E402


def score(out, hr):
    s = (slice(SHAVE, -SHAVE), slice(SHAVE, -SHAVE))
    y, ref = luma(out)[s], luma(hr)[s]
    return psnr(y, ref), ssim(y, ref)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--lib', required=True)
    ap.add_argument('--model', required=True)
    ap.add_argument('folders', nargs='+')
    args = ap.parse_args()
    lib, model = Lib(args.lib), reference.load(args.model)
    f = model['factor']
    for folder in args.folders:
        rows = []
        for name in sorted(n for n in os.listdir(folder) if n.endswith('.png')):
            hr = np.array(Image.open(os.path.join(folder, name)).convert('RGB'))
            h, w = hr.shape[0] // f * f, hr.shape[1] // f * f
            hr = hr[:h, :w]
            lr = np.array(Image.fromarray(hr).resize((w // f, h // f), Image.BICUBIC))
            s = lib.upscale(lr, w, h, dtype=np.float32)
            out = reference.apply(s, model)
            q = lambda a: (np.clip(a, 0, 1) * 255 + 0.5).astype(np.uint8)
            rows.append(score(q(s), hr) + score(q(out), hr))
        m = np.mean(rows, axis=0)
        print('%s x%d: spectral %.2f / %.4f, learned %.2f / %.4f (%+.2f dB)'
              % (os.path.basename(folder.rstrip('/')), f, m[0], m[1], m[2], m[3], m[2] - m[0]))


if __name__ == '__main__':
    main()
