#!/usr/bin/python3
"""bench_quality.py - PSNR-Y, SSIM-Y and block-grid visibility of our
upscaling methods against bicubic and Lanczos-3, measured in one run.

Protocol (the usual super-resolution one): HR mod-cropped to the scale, LR
made by PIL's BICUBIC resize (antialiased Keys cubic, like MATLAB's imresize),
then each method enlarges LR back to the HR size.  Y is BT.601 (the MATLAB
rgb2ycbcr luma, 16..235), a 4-pixel border is shaved, SSIM is Wang et al.'s
(11x11 Gaussian window, sigma 1.5).  Lanczos-3 is ImageMagick's
`convert -filter Lanczos -resize WxH!`, bicubic is PIL's BICUBIC.

grid = mean |gradient| across the 8-pixel output grid (between pixels 8k-1
and 8k) over the mean |gradient| elsewhere, rows and columns together: 1.0
means no visible block seams.

Usage: bench_quality.py LIBDCTDIFF.so [--images DIR] [--scales 2 4] [--sets ...]
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image
from scipy.ndimage import correlate1d

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from libdctdiff import Lib  # noqa: E402

SHAVE = 4


def luma(rgb):
    a = rgb.astype(np.float64)
    return 16.0 + (65.481 * a[..., 0] + 128.553 * a[..., 1] + 24.966 * a[..., 2]) / 255.0


def psnr(y, ref):
    mse = np.mean((y - ref) ** 2)
    return 10 * np.log10(255.0 ** 2 / mse)


def ssim(y, ref):
    g = np.exp(-0.5 * (np.arange(11) - 5) ** 2 / 1.5 ** 2)
    g /= g.sum()

    def blur(a):  # 'valid' 11x11 Gaussian, as MATLAB's filter2(..., 'valid')
        return correlate1d(correlate1d(a, g, 0), g, 1)[5:-5, 5:-5]
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mx, my = blur(y), blur(ref)
    sxx, syy, sxy = blur(y * y) - mx * mx, blur(ref * ref) - my * my, blur(y * ref) - mx * my
    return np.mean((2 * mx * my + c1) * (2 * sxy + c2) /
                   ((mx * mx + my * my + c1) * (sxx + syy + c2)))


def grid_ratio(y):
    ratios = []
    for g in (np.abs(np.diff(y, axis=1)), np.abs(np.diff(y, axis=0)).T):
        across = np.zeros(g.shape[1], bool)
        across[7::8] = True
        ratios.append((g[:, across].mean(), g[:, ~across].mean()))
    return sum(r[0] for r in ratios) / sum(r[1] for r in ratios)


def lanczos3(lr, w, h, tmp):
    src, dst = os.path.join(tmp, 'lr.png'), os.path.join(tmp, 'out.png')
    Image.fromarray(lr).save(src)
    subprocess.run(['convert', src, '-filter', 'Lanczos', '-resize', '%dx%d!' % (w, h),
                    '-depth', '8', dst], check=True)
    return np.array(Image.open(dst).convert('RGB'))


def methods(lib, tmp):
    ours = lambda m, f: (lambda lr, w, h: lib.upscale(lr, w, h, method=m, filter=f))
    return [
        ('bicubic (PIL)', lambda lr, w, h: np.array(Image.fromarray(lr).resize((w, h),
                                                                              Image.BICUBIC))),
        ('lanczos-3 (IM)', lambda lr, w, h: lanczos3(lr, w, h, tmp)),
        ('paper', ours('paper', 'box')),
        ('spectral, filter none', ours('spectral', 'none')),
        ('spectral, filter box', ours('spectral', 'box')),
        ('spectral (default)', ours(lib.default_method(), 'bicubic')),
        ('learned', ours('learned', 'bicubic')),
        ('learned-cnn', ours('learned-cnn', 'bicubic')),
    ]


def evaluate(lib, folder, scale, tmp):
    table = {}
    files = sorted(f for f in os.listdir(folder) if f.endswith('.png'))
    for name, fn in methods(lib, tmp):
        rows = []
        for f in files:
            hr = np.array(Image.open(os.path.join(folder, f)).convert('RGB'))
            h, w = hr.shape[0] // scale * scale, hr.shape[1] // scale * scale
            hr = hr[:h, :w]
            lr = np.array(Image.fromarray(hr).resize((w // scale, h // scale), Image.BICUBIC))
            y = luma(fn(lr, w, h))
            ref = luma(hr)
            s = (slice(SHAVE, -SHAVE), slice(SHAVE, -SHAVE))
            rows.append((psnr(y[s], ref[s]), ssim(y[s], ref[s]), grid_ratio(y)))
        table[name] = np.mean(rows, axis=0)
    return table


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument('lib')
    ap.add_argument('--images', default=os.path.join(here, '..', '..', '..', 'shared', 'bench',
                                                     'images'))
    ap.add_argument('--scales', type=int, nargs='+', default=[2, 4])
    ap.add_argument('--sets', nargs='+', default=['Set5', 'Set14', 'Kodak24'])
    args = ap.parse_args()
    lib = Lib(args.lib)
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            print('\n### x%d: PSNR-Y (dB) / SSIM-Y / grid ratio (block seams; Lanczos-3 = '
                  'reference)\n' % scale)
            results = {s: evaluate(lib, os.path.join(args.images, s), scale, tmp)
                       for s in args.sets}
            print('| method | ' + ' | '.join(args.sets) + ' |')
            print('|---|' + '---|' * len(args.sets))
            for name in next(iter(results.values())):
                cells = ['%.2f / %.4f / %.3f' % tuple(results[s][name]) for s in args.sets]
                print('| %s | %s |' % (name, ' | '.join(cells)))
            lz = {s: results[s]['lanczos-3 (IM)'] for s in args.sets}
            df = {s: results[s]['spectral (default)'] for s in args.sets}
            print('\ndefault vs Lanczos-3: ' + ', '.join(
                '%s %+.2f dB, SSIM %+.4f, grid %.3f (Lanczos %.3f, %+.1f%%)' % (
                    s, df[s][0] - lz[s][0], df[s][1] - lz[s][1], df[s][2], lz[s][2],
                    100 * (df[s][2] / lz[s][2] - 1)) for s in args.sets))
            for name in ('learned', 'learned-cnn'):
                ln = {s: results[s][name] for s in args.sets}
                print('\n%s vs spectral: ' % name + ', '.join(
                    '%s %+.2f dB, SSIM %+.4f, grid %.3f (%+.1f%% vs Lanczos)' % (
                        s, ln[s][0] - df[s][0], ln[s][1] - df[s][1], ln[s][2],
                        100 * (ln[s][2] / lz[s][2] - 1)) for s in args.sets))
            sys.stdout.flush()


if __name__ == '__main__':
    main()
