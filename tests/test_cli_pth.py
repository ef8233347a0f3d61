#!/usr/bin/env python3
"""CLI tests for official .pth checkpoints: `dctdiff convert`, `dctdiff
models` and `dctdiff generate --model X.pth` on the fixtures of
tests/fixtures/make_pth_fixtures.py.  Standard library only.

    test_cli_pth.py DCTDIFF      (exit 0 = every case passed)"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, 'fixtures', 'pth')
PTH = os.path.join(FIX, 'tiny-f16-module.pth')
CONFIG = os.path.join(FIX, 'tiny.json')
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print('FAIL', what)


def run(*args, env=None):
    return subprocess.run([sys.argv[1]] + list(args), capture_output=True, text=True,
                          timeout=120, env=env)


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def main():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'tiny.safetensors')
        r = run('convert', PTH, out, '--config', CONFIG)
        check(r.returncode == 0 and 'tiny-f16-module, 8x8' in r.stdout,
              f'convert: {r.returncode} {r.stdout} {r.stderr}')
        # The .pth directly and its conversion give the same image.
        a, b = os.path.join(tmp, 'a.png'), os.path.join(tmp, 'b.png')
        r1 = run('generate', '--model', PTH, '--config', CONFIG, '-q', '--seed', '3', '-o', a)
        r2 = run('generate', '--model', out, '-q', '--seed', '3', '-o', b)
        check(r1.returncode == 0 and r2.returncode == 0, f'generate: {r1.stderr} {r2.stderr}')
        check(r1.returncode == 0 and read(a) == read(b), '.pth and converted differ')

        r = run('convert', PTH, os.path.join(tmp, 'x.safetensors'))
        check(r.returncode == 1 and 'no published DCTdiff checkpoint' in r.stderr
              and not os.path.exists(os.path.join(tmp, 'x.safetensors')),
              f'convert without config: {r.returncode} {r.stderr}')
        r = run('convert', PTH, out, '--release', 'x', '--config', CONFIG)
        check(r.returncode == 2 and 'not both' in r.stderr, f'both: {r.stderr}')
        r = run('generate', '--model', PTH, '--release', 'nope', '-q', '-o', a)
        check(r.returncode == 1 and "unknown release 'nope'" in r.stderr, f'release: {r.stderr}')

        # models: a folder, the search path, the published list.
        os.symlink(PTH, os.path.join(tmp, 'linked.pth'))
        r = run('models', tmp)
        check(r.returncode == 0 and 'tiny-f16-module' in r.stdout and '8x8' in r.stdout
              and 'linked.pth (' in r.stdout and 'no published' in r.stdout,
              f'models folder: {r.stdout} {r.stderr}')
        env = dict(os.environ, DCTDIFF_MODEL_PATH=tmp, HOME=tmp, XDG_CONFIG_HOME=tmp)
        r = run('models', env=env)
        check(r.returncode == 0 and out in r.stdout, f'models search path: {r.stdout}')
        r = run('models', '--official')
        lines = r.stdout.splitlines()
        check(r.returncode == 0 and len(lines) == 19 and 'afhq512-mid-v2' in r.stdout
              and 'huggingface.co/forever208/DCTdiff' in r.stdout,
              f'models --official: {r.stdout}')
    print('test_cli_pth:', 'ok' if not FAILURES else f'{len(FAILURES)} failed')
    return 1 if FAILURES else 0


if __name__ == '__main__':
    sys.exit(main())
