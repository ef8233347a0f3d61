#!/usr/bin/python3
"""bench_speed.py - wall time and peak memory of x2 upscaling, ours against
`vips resize` and ImageMagick `convert -filter Lanczos -resize`, PNG in and
PNG out, in one run; plus the engine alone (no PNG) and the memory bound of
a large RGBA image.

The test photos tile the Kodak images at their own resolution (real photo
detail, as PNG codecs see it) into 2048x2048 and 4096x4096 RGB.
`vips resize` is a speed baseline only: when enlarging it ignores --kernel
and shifts the image by half a pixel.

Usage: bench_speed.py BUILD_DIR [--images DIR] [--repeat N] [--sizes 2048 4096] [--engine-only]
(--repeat is for 2048x2048; larger images get proportionally fewer runs;
--engine-only: the engine table of the largest size, no PNG tools or memory check)
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from libdctdiff import Lib  # noqa: E402


def photo(folder, side):
    tiles = [np.array(Image.open(os.path.join(folder, f)).convert('RGB'))
             for f in sorted(os.listdir(folder)) if f.endswith('.png')]
    tiles = [t for t in tiles if t.shape[:2] == (512, 768)]
    rows, k = [], 0
    while sum(r.shape[0] for r in rows) < side:
        row = []
        while sum(t.shape[1] for t in row) < side:
            row.append(tiles[k % len(tiles)])
            k += 1
        rows.append(np.concatenate(row, axis=1)[:, :side])
    return np.concatenate(rows, axis=0)[:side]


def timed(cmd):
    """Wall seconds and peak RSS (MiB) of one command, via /usr/bin/time."""
    out = subprocess.run(['/usr/bin/time', '-f', '%e %M'] + cmd, capture_output=True,
                         text=True)
    if out.returncode != 0:
        raise RuntimeError('%s failed: %s' % (cmd[0], out.stderr[-500:]))
    wall, kib = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(kib) / 1024.0


def commands(build, src, dst, side):
    cli = os.path.join(build, 'cli', 'dctdiff')
    big = 2 * side
    return [
        ('dctdiff spectral (default)', [cli, 'upscale', '-q', '--scale', '2', src, dst]),
        ('dctdiff learned', [cli, 'upscale', '-q', '--scale', '2', '--method', 'learned', src,
                             dst]),
        ('dctdiff paper', [cli, 'upscale', '-q', '--scale', '2', '--method', 'paper', src, dst]),
        ('vips resize', ['vips', 'resize', src, dst, '2']),
        ('convert Lanczos', ['convert', src, '-filter', 'Lanczos', '-resize',
                             '%dx%d!' % (big, big), dst]),
    ]


def png_table(build, folder, side, repeat, tmp):
    src, dst = os.path.join(tmp, 'in.png'), os.path.join(tmp, 'out.png')
    Image.fromarray(photo(folder, side)).save(src, compress_level=3)
    runs = {}
    repeat = max(1, repeat * 2048 ** 2 // side ** 2)  # a 4096 run: ImageMagick takes minutes
    for _ in range(repeat):  # interleaved, so that load changes hit every tool alike
        for name, cmd in commands(build, src, dst, side):
            runs.setdefault(name, []).append(timed(cmd))
    base = statistics.median(w for w, _ in runs['vips resize'])
    print('\n### PNG in, PNG out: %dx%d RGB -> x2 (median of %d)\n' % (side, side, repeat))
    print('| tool | wall (s) | vs vips | peak RSS (MiB) |')
    print('|---|---|---|---|')
    for name, r in runs.items():
        wall = statistics.median(w for w, _ in r)
        print('| %s | %.2f | %.2fx | %.0f |' % (name, wall, wall / base, max(m for _, m in r)))
    sys.stdout.flush()


def engine_table(lib, folder, side, repeat):
    img = photo(folder, side)
    methods = ('spectral', 'learned', 'learned-cnn', 'paper')
    print('\n### engine only (ctypes, no PNG): %dx%d RGB u8 -> x2 (median of %d, interleaved)\n'
          % (side, side, repeat))
    print('| method | threads | wall (s) | vs spectral | Mpixel/s out |')
    print('|---|---|---|---|---|')
    for threads in (1, 0):
        t = {m: [] for m in methods}
        for _ in range(repeat):
            for method in methods:
                t0 = time.perf_counter()
                lib.upscale(img, 2 * side, 2 * side, method=method, threads=threads)
                t[method].append(time.perf_counter() - t0)
        base = statistics.median(t['spectral'])
        for method in methods:
            wall = statistics.median(t[method])
            print('| %s | %s | %.2f | %.2fx | %.0f |' % (
                method, threads or 'all (%d)' % os.cpu_count(), wall, wall / base,
                4 * side * side / wall / 1e6))
    sys.stdout.flush()


MEMORY_CHILD = r'''
import sys, numpy as np
sys.path.insert(0, sys.argv[1])
from libdctdiff import Lib


def status(key):  # MiB, from the kernel's accounting of this process
    for line in open('/proc/self/status'):
        if line.startswith(key + ':'):
            return int(line.split()[1]) / 1024.0


lib, side = Lib(sys.argv[2]), int(sys.argv[3])
base = status('VmRSS')
src = np.full((side, side, 4), 128, np.uint8)
src[::7, :, 3] = 0
lib.upscale(src, 2 * side, 2 * side)  # allocates the output, as a caller does
print(base, status('VmHWM'))
'''


def memory_check(build, side):
    lib = os.path.join(build, 'engine', 'libdctdiff.so')
    out = subprocess.run([sys.executable, '-c', MEMORY_CHILD, HERE, lib, str(side)],
                         capture_output=True, text=True, check=True).stdout.split()
    base, peak = float(out[0]), float(out[1])
    dst = 4 * (2 * side) ** 2 / 2 ** 20
    print('\n### memory: %dx%d RGBA u8 x2 through dctdiff_upscale\n' % (side, side))
    print('output %.0f MiB + source %.0f MiB (caller buffers); peak RSS %.0f MiB above the '
          'interpreter\'s %.0f = %.2fx the output; engine scratch at most %.0f MiB'
          % (dst, dst / 4, peak - base, base, (peak - base) / dst, peak - base - 1.25 * dst))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('build')
    ap.add_argument('--images', default=os.path.join(HERE, '..', '..', '..', 'shared', 'bench',
                                                     'images', 'Kodak24'))
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--sizes', type=int, nargs='+', default=[2048, 4096])
    ap.add_argument('--memory-side', type=int, default=8192)
    ap.add_argument('--engine-only', action='store_true')
    args = ap.parse_args()
    lib = Lib(os.path.join(args.build, 'engine', 'libdctdiff.so'))
    if args.engine_only:
        engine_table(lib, args.images, max(args.sizes), args.repeat)
        return
    print('machine: %d cores; vips %s; %s' % (
        os.cpu_count(), subprocess.run(['vips', '--version'], capture_output=True,
                                       text=True).stdout.strip(),
        subprocess.run(['convert', '--version'], capture_output=True,
                       text=True).stdout.splitlines()[0]))
    with tempfile.TemporaryDirectory() as tmp:
        for side in args.sizes:
            png_table(args.build, args.images, side, args.repeat, tmp)
    engine_table(lib, args.images, max(args.sizes), args.repeat)
    if args.memory_side:
        memory_check(args.build, args.memory_side)


if __name__ == '__main__':
    main()
