#!/usr/bin/env python3
"""CLI tests for `dctdiff edit` with the bundled trained model: strength 0
gives the input back, a mask keeps the black part exactly at any size and
bit depth, the same seed gives the same file on any thread count, --count
fills a folder, and every bad input gets its one-line error and exit code.
Standard library only (PNGs through tests/cli/pngmini.py).

    test_cli_edit.py DCTDIFF      (exit 0 = every case passed)"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'cli'))
import pngmini  # noqa: E402

MODEL = os.path.join(HERE, '..', 'weights', 'models', 'emoji32-tiny.safetensors')
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print('FAIL', what)


def run(*args, model=MODEL):
    pre = ['--model', model] if model else []
    return subprocess.run([sys.argv[1], 'edit', '-q'] + pre + list(args),
                          capture_output=True, text=True, timeout=300)


def write_png(path, w, h, channels, depth, samples):
    colour = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    with open(path, 'wb') as f:
        f.write(pngmini.encode(w, h, colour, depth, samples))


def read_png(path):
    with open(path, 'rb') as f:
        return pngmini.decode(f.read())


def picture(w, h, channels, maxval):
    return [((x * 13 + y * 7 + c * 50) * maxval // (13 * w + 7 * h + 200)) for y in range(h)
            for x in range(w) for c in range(channels)]


def hole(w, h, x0, y0, side):
    return [255 if x0 <= x < x0 + side and y0 <= y < y0 + side else 0
            for y in range(h) for x in range(w)]


def one_line_error(r, code, needle, what):
    lines = r.stderr.strip().splitlines()
    check(r.returncode == code, '%s: exit %d, want %d (%s)' % (what, r.returncode, code,
                                                               r.stderr.strip()))
    check(len(lines) == 1 and needle in lines[0],
          '%s: want one line naming %r, got %r' % (what, needle, r.stderr))


def main():
    with tempfile.TemporaryDirectory() as d:
        p = lambda name: os.path.join(d, name)  # noqa: E731
        w, h = 40, 28
        write_png(p('in.png'), w, h, 3, 8, picture(w, h, 3, 255))
        write_png(p('in16.png'), w, h, 4, 16, picture(w, h, 4, 65535))
        write_png(p('mask.png'), w, h, 1, 8, hole(w, h, 8, 6, 16))

        r = run(p('in.png'), '--strength', '0', '-o', p('same.png'))
        check(r.returncode == 0, 'strength 0: ' + r.stderr)
        if r.returncode == 0:
            check(read_png(p('same.png')) == read_png(p('in.png')),
                  'strength 0 returns the input pixels')

        for src in ('in.png', 'in16.png'):
            r = run(p(src), '--mask', p('mask.png'), '-n', '10', '-s', '3', '-o', p('f.png'))
            check(r.returncode == 0, 'fill %s: %s' % (src, r.stderr))
            if r.returncode:
                continue
            a, b, m = read_png(p(src)), read_png(p('f.png')), read_png(p('mask.png'))
            ch = a['channels']
            check((b['depth'], b['channels']) == (a['depth'], ch), 'fill keeps the format')
            outside = inside = 0
            for i in range(w * h):
                same = a['samples'][i * ch:(i + 1) * ch] == b['samples'][i * ch:(i + 1) * ch]
                if m['samples'][i]:
                    inside += not same
                else:
                    outside += not same
            check(outside == 0, '%s: %d pixels outside the mask changed' % (src, outside))
            check(inside > 16 * 16 // 2, '%s: only %d pixels inside changed' % (src, inside))

        r1 = run(p('in.png'), '--keep-low', '1', '-n', '8', '-s', '9', '-t', '1', '-o', p('k1.png'))
        r2 = run(p('in.png'), '--keep-low', '1', '-n', '8', '-s', '9', '-t', '2', '-o', p('k2.png'))
        r3 = run(p('in.png'), '--keep-low', '1', '-n', '8', '-s', '10', '-o', p('k3.png'))
        check(r1.returncode == r2.returncode == r3.returncode == 0,
              'keep-low runs: ' + r1.stderr + r2.stderr + r3.stderr)
        if r1.returncode == r2.returncode == r3.returncode == 0:
            with open(p('k1.png'), 'rb') as f1, open(p('k2.png'), 'rb') as f2:
                check(f1.read() == f2.read(), 'threads 1 and 2 give different files')
            check(read_png(p('k1.png')) != read_png(p('k3.png')), 'seeds 9 and 10 agree')

        r = run(p('in.png'), '--strength', '0.6', '-n', '6', '-s', '1', '-c', '3', '-o', p('many'))
        check(r.returncode == 0, 'count 3: ' + r.stderr)
        names = sorted(os.listdir(p('many'))) if os.path.isdir(p('many')) else []
        check(names == ['edit-0000.png', 'edit-0001.png', 'edit-0002.png'],
              'count 3 makes edit-000N.png, got %s' % names)

        write_png(p('small.png'), 20, 14, 1, 8, hole(20, 14, 0, 0, 5))
        write_png(p('rgbmask.png'), w, h, 3, 8, picture(w, h, 3, 255))
        one_line_error(run(p('in.png'), '--mask', p('small.png'), '-o', p('x.png')), 1,
                       "the mask must be the input's size", 'mask of the wrong size')
        one_line_error(run(p('in.png'), '--mask', p('rgbmask.png'), '-o', p('x.png')), 1,
                       'gray PNG', 'colour mask')
        one_line_error(run(p('in.png'), '--keep-low', '5', '-o', p('x.png')), 1,
                       'keep-low 5 is outside 0..4', 'K larger than the block')
        one_line_error(run(p('in.png'), '--strength', '1.5', '-o', p('x.png')), 2,
                       '--strength', 'strength out of range')
        one_line_error(run(p('in.png'), '--strength', '0.0001', '-o', p('x.png')), 1,
                       'strength', 'strength below the lowest start')
        one_line_error(run(p('in.png'), '-o', p('x.png'), model=None), 2, '--model',
                       'no model')
        one_line_error(run(p('in.png'), '-o', p('x.png'), model=p('none.safetensors')), 1,
                       'none.safetensors', 'missing model file')
        one_line_error(run(p('nothere.png'), '-o', p('x.png')), 1, 'nothere.png',
                       'missing input')
        check(not os.path.exists(p('x.png')), 'a failed edit leaves no output file')
    print('%d failures' % len(FAILURES) if FAILURES else 'ok')
    return 1 if FAILURES else 0


if __name__ == '__main__':
    sys.exit(main())
