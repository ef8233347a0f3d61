#!/usr/bin/env python3
"""CLI tests for `dctdiff generate` on the tiny fixture model
(tests/fixtures/uvit_b2.safetensors): same bytes for any thread count,
folders for several images, previews, starting noise from .npy, --upscale sizes, step
caching, and clear errors for bad input.  Standard library only.

    test_cli_generate.py DCTDIFF      (exit 0 = every case passed)"""
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, 'fixtures', 'uvit_b2.safetensors')
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print('FAIL', what)


def run(*args):
    return subprocess.run([sys.argv[1], 'generate', '--model', MODEL, '-q'] + list(args),
                          capture_output=True, text=True, timeout=120)


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def npy(path, shape, descr='<f4', values=None):
    """A minimal version-1 .npy writer."""
    n = 1
    for s in shape:
        n *= s
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, ''.join('%d, ' % s for s in shape))
    header += ' ' * (-(len(header) + 11) % 64) + '\n'
    size = 8 if descr == '<f8' else 4
    fmt = '<%d%s' % (n, 'd' if size == 8 else 'f')
    data = struct.pack(fmt, *(values or [((i * 37) % 101) / 50.0 - 1.0 for i in range(n)]))
    with open(path, 'wb') as f:
        f.write(b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode() + data)


def main():
    with tempfile.TemporaryDirectory() as d:
        p = lambda name: os.path.join(d, name)  # noqa: E731
        r1 = run('-n', '5', '-s', '7', '-t', '1', '-o', p('a.png'))
        r2 = run('-n', '5', '-s', '7', '-t', '2', '-o', p('b.png'))
        check(r1.returncode == 0 and r2.returncode == 0, 'plain run: ' + r1.stderr + r2.stderr)
        if r1.returncode == 0 and r2.returncode == 0:
            check(read(p('a.png')) == read(p('b.png')), 'threads 1 and 2 give different bytes')

        r = run('-n', '6', '-s', '7', '-c', '2', '-S', 'ddim', '-o', p('many'),
                '--preview-every', '3', '--preview-dir', p('pv'))
        check(r.returncode == 0, 'two images: ' + r.stderr)
        check(sorted(os.listdir(p('many'))) == ['sample-0000.png', 'sample-0001.png'],
              'folder output names: %s' % (os.listdir(p('many')) if os.path.isdir(p('many'))
                                           else 'missing'))
        check(os.path.isdir(p('pv')) and len(os.listdir(p('pv'))) == 4,
              'previews: want 2 samples x 2')

        # --upscale follows dctdiff_output_size: native x 1.5, rounded.
        native = struct.unpack('>I', read(p('a.png'))[16:20])[0]
        r = run('-n', '2', '-s', '7', '-u', '1.5', '-o', p('big.png'))
        check(r.returncode == 0, '--upscale 1.5: ' + r.stderr)
        if r.returncode == 0:
            size = struct.unpack('>II', read(p('big.png'))[16:24])
            want = round(native * 1.5)
            check(size == (want, want), '--upscale 1.5: %s, want %dx%d' % (size, want, want))

        npy(p('noise.npy'), (2, 256, 24))
        r = run('-n', '4', '--init-noise', p('noise.npy'), '-o', p('fromnoise'))
        check(r.returncode == 0 and len(os.listdir(p('fromnoise'))) == 2,
              'noise for 2 images makes 2: ' + r.stderr)
        r = run('-n', '4', '--init-noise', p('noise.npy'), '-s', '99', '-o', p('fromnoise2'))
        if r.returncode == 0:
            check(read(p('fromnoise/sample-0000.png')) == read(p('fromnoise2/sample-0000.png')),
                  'with --init-noise the seed must not matter')

        # step caching: other bytes than the plain run (a.png), the same on any thread count
        r1 = run('-n', '5', '-s', '7', '-t', '1', '--cache-interval', '2', '-o', p('c1.png'))
        r2 = run('-n', '5', '-s', '7', '-t', '2', '--cache-interval', '2', '--cache-depth', '1',
                 '-o', p('c2.png'))
        check(r1.returncode == 0 and r2.returncode == 0, '--cache-interval 2: ' + r1.stderr
              + r2.stderr)
        if r1.returncode == 0 and r2.returncode == 0 and os.path.exists(p('a.png')):
            check(read(p('c1.png')) == read(p('c2.png')), 'cached: threads change the bytes')
            check(read(p('c1.png')) != read(p('a.png')), '--cache-interval 2 changed nothing')

        bad = [
            (('--init-noise', p('shape.npy')), 1, 'shape', lambda: npy(p('shape.npy'), (256, 25))),
            (('--init-noise', p('f8.npy')), 1, 'float32', lambda: npy(p('f8.npy'), (256, 24), '<f8')),
            (('--init-noise', p('missing.npy')), 1, 'missing.npy', None),
            (('-S', 'heun'), 2, 'dpm-solver', None),
            (('-n', '0'), 2, '--steps', None),
            (('--class', '3'), 1, 'unconditional', None),
            (('-c', '2', '-o', p('two.png')), 1, 'folder', None),
            (('--preview-every', '2'), 2, 'preview-dir', None),
            (('-u', '65'), 2, '--upscale', None),
            (('-u', '0'), 2, '--upscale', None),
            (('--cache-interval', '1'), 2, '--cache-interval', None),
            (('--cache-depth', '1'), 2, 'needs --cache-interval', None),
            (('--cache-interval', '2', '--cache-depth', '2'), 1, 'cache depth 2', None),
        ]
        for args, rc, phrase, prepare in bad:
            if prepare:
                prepare()
            out = ['-o', p('x.png')] if '-o' not in args else []
            r = run(*(list(args) + out))
            check(r.returncode == rc and phrase in r.stderr and len(r.stderr.splitlines()) == 1,
                  '%s: rc %d (want %d), stderr %r' % (' '.join(args), r.returncode, rc, r.stderr))
        check(not os.path.exists(p('x.png')), 'a failed run left x.png behind')

        # Ctrl-C in the middle: exit 130, no image and no temporary file left
        proc = subprocess.Popen([sys.argv[1], 'generate', '--model', MODEL, '-q', '-n', '1000',
                                 '-c', '16', '-t', '1', '-o', p('stopped')],
                                stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
        err = proc.communicate(timeout=120)[1]
        left = os.listdir(p('stopped')) if os.path.isdir(p('stopped')) else []
        check(proc.returncode == 130 and 'interrupted' in err and not left,
              'Ctrl-C: rc %d, stderr %r, left %s' % (proc.returncode, err, left))
    print('test_cli_generate: %s' % ('%d failed' % len(FAILURES) if FAILURES else 'ok'))
    return 1 if FAILURES else 0


if __name__ == '__main__':
    sys.exit(main())
