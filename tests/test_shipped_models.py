#!/usr/bin/env python3
"""The models in weights/models are what a user gets: each carries its
licence and a card, fits the size rule, and samples at its own defaults with
the CLI, and edits an image at its defaults (the plug-in's Reimagine uses
the model's default sampler); the plug-in's default (DEFAULT_MODEL_FILE) is
one of them.
Standard library only.

    test_shipped_models.py DCTDIFF      (exit 0 = every case passed)"""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..')
MODELS = os.path.join(ROOT, 'weights', 'models')
MAX_BYTES = 30 * 1000 * 1000  # issue 9: a default model of at most 30 MB
FAILURES = []


def check(cond, what):
    print('ok  ' if cond else 'FAIL', what)
    if not cond:
        FAILURES.append(what)


def metadata(path):
    with open(path, 'rb') as f:
        (n,) = struct.unpack('<Q', f.read(8))
        return json.loads(f.read(n)).get('__metadata__', {})


def png_size(path):
    with open(path, 'rb') as f:
        head = f.read(24)
    return struct.unpack('>II', head[16:24]) if head[:8] == b'\x89PNG\r\n\x1a\n' else None


def edits_at_defaults(dctdiff, path, src, tmp):
    out = os.path.join(tmp, os.path.basename(path) + '-edit.png')
    run = subprocess.run([dctdiff, 'edit', '-q', '-m', path, '--seed', '0', src, '-o', out],
                         capture_output=True, text=True, timeout=300)
    check(run.returncode == 0 and png_size(out) == png_size(src),
          f'{os.path.basename(path)}: edits an image at its defaults {run.stderr.strip()}')


def default_file():
    with open(os.path.join(ROOT, 'plugin', 'common', 'models.h')) as f:
        return re.search(r'#define DEFAULT_MODEL_FILE "([^"]+)"', f.read()).group(1)


def samples_at_defaults(dctdiff, path, meta, tmp):
    out = os.path.join(tmp, os.path.basename(path) + '.d')
    run = subprocess.run([dctdiff, 'generate', '-q', '-m', path, '--seed', '0', '--count', '2',
                          '-o', out], capture_output=True, text=True, timeout=300)
    side = int(meta.get('dct.resolution', 0))
    sizes = [png_size(os.path.join(out, f'sample-{i:04d}.png')) for i in range(2)
             if os.path.exists(os.path.join(out, f'sample-{i:04d}.png'))]
    check(run.returncode == 0 and sizes == [(side, side)] * 2,
          f'{os.path.basename(path)}: samples 2 images of {side}x{side} at its defaults '
          f'({meta.get("sampler.default")} {meta.get("sampler.steps")}) {run.stderr.strip()}')


def main():
    dctdiff = sys.argv[1]
    files = sorted(f for f in os.listdir(MODELS) if f.endswith('.safetensors'))
    check(default_file() in files, f'the plug-in default {default_file()} is shipped ({files})')
    with tempfile.TemporaryDirectory() as tmp:
        for name in files:
            path = os.path.join(MODELS, name)
            meta, stem = metadata(path), name[:-len('.safetensors')]
            check(os.path.getsize(path) <= MAX_BYTES, f'{name}: at most {MAX_BYTES} bytes')
            check(meta.get('name') == stem, f'{name}: its name is its file name ({meta.get("name")})')
            check(bool(meta.get('license')), f'{name}: names its licence')
            card = os.path.join(MODELS, stem + '.md')
            with open(card) if os.path.exists(card) else open(os.devnull) as f:
                text = f.read()
            check(meta.get('license', '?') in text, f'{name}: its card {stem}.md states the licence')
            samples_at_defaults(dctdiff, path, meta, tmp)
            edits_at_defaults(dctdiff, path, os.path.join(tmp, name + '.d', 'sample-0000.png'),
                              tmp)
    print('FAILED: ' + '; '.join(FAILURES) if FAILURES else 'all passed')
    return 1 if FAILURES else 0


if __name__ == '__main__':
    sys.exit(main())
