#!/usr/bin/python3
"""Generation benchmark (ninja -C build bench-generate): the C engine against
PyTorch CPU on the official network sizes, in one run.

    bench_generate.py BENCH_EXE SAMPLERS_EXE [--torch-root ROOT] [--reps N]

Per network (random weights from a seed, written by the PyTorch side and read
by both; batch 1): the median forward time of the engine and of the project's
PyTorch reference network (weights/dctdiff_py) on 1 and 2 threads, their
ratio, the engine's GFLOP/s as a fraction of the matrix product's rate on the
network's own shapes (bench_generate.c's `sgemm`), and the peak resident set
of a process that loads the network and runs one forward.  Engine and
PyTorch forwards alternate, one each per repetition.  Per sampler: network
evaluations, RMS distance to a 1,000-evaluation reference over 8-bit pixels
on the plug-in's default model (bench_samplers), and the time per image on
each network as evaluations x the 2-thread forward, with one FFHQ-512 image
measured whole with that model's default sampler and steps.  Step caching: the time of a cached pass (cache depth 1 and 2)
over a whole one on 2 threads (median of per-repetition ratios, the two
alternating), and the speed-up per image that gives at cache intervals 2 and 3
(bench_samplers --cache measures accuracy and whole images).

PyTorch runs where `import torch` works: this python3, or else the Debian 13
root given by --torch-root (default $DCTDIFF_TORCH_ROOT or
/var/tmp/train-root), entered with .ci/in-root (needs root); the model files
are written to a folder inside the source tree so that both sides see them.
Pause other work on the machine while it runs: it reports the load average.
"""
import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.realpath(os.path.join(HERE, '..', '..'))

# The official networks' shapes (engine/model/official.c): tokens of
# (resolution / 2 block)^2 positions, 6 blocks x low_freqs values (4:2:0).
S = dict(embed_dim=512, depth=12, num_heads=8)
M = dict(embed_dim=768, depth=16, num_heads=12)
NETWORKS = [
    ('CelebA-64 S/2', dict(arch=S, dct=dict(resolution=64, block_size=2, low_freqs=4,
                                              eta=244.925, tokens=256))),
    ('FFHQ-256 M/4', dict(arch=M, dct=dict(resolution=256, block_size=4, low_freqs=8,
                                             eta=485.0, tokens=1024))),
    ('FFHQ-512 M/8', dict(arch=M, dct=dict(resolution=512, block_size=8, low_freqs=18,
                                             eta=969.5, tokens=1024))),
]
THREADS = (1, 2)
SEED = 11
sys.path.insert(0, os.path.join(SRC, 'tests', 'gimp'))
from gimptest import default_model  # noqa: E402  (the rule lives in plugin/common/models.h)
SHIPPED = os.path.realpath(default_model(os.path.join(SRC, 'weights')))
SAMPLER_STEPS = (20, 50)
CACHE_DEPTHS = (1, 2)
CACHE_INTERVALS = (2, 3)


class Server:
    """A process answering one key=value line per command line."""

    def __init__(self, args, env=None):
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, cwd=SRC, env=env)

    def ask(self, line):
        self.p.stdin.write(line + '\n')
        self.p.stdin.flush()
        out = self.p.stdout.readline()
        kv = dict(x.split('=', 1) for x in out.split())
        if 'error' in kv or not kv:
            sys.exit(f'bench_generate: "{line}" failed: {out.strip() or "no answer"}')
        return kv

    def close(self):
        self.p.stdin.close()
        if self.p.wait() != 0:
            sys.exit(f'bench_generate: {self.p.args[0]} exited with {self.p.returncode}')


def has_torch():
    return subprocess.run([sys.executable, '-c', 'import torch'], capture_output=True,
                          cwd=SRC).returncode == 0


def torch_server(threads, root):
    cmd = ['env', f'OMP_NUM_THREADS={threads}', f'OPENBLAS_NUM_THREADS={threads}',
           'python3', os.path.join(HERE, 'bench_torch.py'), str(threads)]
    if root:
        cmd = [os.path.join(SRC, '.ci', 'in-root'), root] + cmd
    return Server(cmd)


def load():
    return open('/proc/loadavg').read().split()[0]


def bench_network(exe, label, shape, path, reps, root):
    """Forward medians on every thread count, the sgemm rates, peak RSS."""
    row = {'label': label}
    c = None
    for t in THREADS:
        torch = torch_server(t, root)
        spec = json.dumps(shape, separators=(',', ':'))
        row['parameters'] = int(torch.ask(f'make {spec} {SEED} '
                                          + (path if c is None else '-'))['parameters'])
        if c is None:
            c = Server([exe, path])
            row.update({k: float(v) for k, v in c.ask('info').items()})
        ours, theirs = [], []
        c.ask(f'forward {t}')          # warm-up: workspaces, caches, pages
        torch.ask('forward')
        for _ in range(reps):
            ours.append(c.ask(f'forward {t}'))
            theirs.append(torch.ask('forward'))
        torch.close()
        row[t] = {key: statistics.median(float(x[key]) for x in ours)
                  for key in ('seconds', 'cpu_seconds')}
        row[t].update({'torch ' + key: statistics.median(float(x[key]) for x in theirs)
                       for key in ('seconds', 'cpu_seconds')})
        for key in ('seconds', 'cpu_seconds'):
            row[t]['ratio ' + key] = statistics.median(
                float(b[key]) / float(a[key]) for a, b in zip(ours, theirs))
        row[t]['sgemm'] = float(c.ask(f'sgemm {t}')['gflops'])
    row['peak'] = {t: float(c.ask(f'peak {t}')['gflops']) for t in THREADS}
    row['cache'] = {}
    for d in CACHE_DEPTHS:
        ratios = []
        for _ in range(reps):
            whole = float(c.ask('forward 2')['seconds'])
            ratios.append(float(c.ask(f'cached 2 {d}')['seconds']) / whole)
        row['cache'][d] = statistics.median(ratios)
    if shape is NETWORKS[-1][1]:
        row['image'] = float(c.ask(f'image 2 {image_sampler()}')['seconds'])
    c.close()
    mem = subprocess.run([exe, '--memory', path], check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    row.update({k: float(v) for k, v in (kv.split('=') for kv in mem.split())})
    return row


def image_sampler():
    """The default model's sampler and steps, as 'NAME STEPS'."""
    meta = shipped_meta()
    return f'{meta["sampler.default"]} {meta["sampler.steps"]}'


def shipped_meta():
    with open(SHIPPED, 'rb') as f:
        (n,) = struct.unpack('<Q', f.read(8))
        return json.loads(f.read(n))['__metadata__']


def samplers(exe, count):
    out = subprocess.run([exe, SHIPPED, str(count), '2'] + [str(s) for s in SAMPLER_STEPS],
                         check=True, stdout=subprocess.PIPE, text=True).stdout.splitlines()
    rows = []
    for line in out[2:]:
        name, evals, _tok, pix, _secs = line.split()
        rows.append((name, int(evals), float(pix)))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('exe')
    ap.add_argument('samplers_exe')
    ap.add_argument('--torch-root', default=os.environ.get('DCTDIFF_TORCH_ROOT',
                                                           '/var/tmp/train-root'))
    ap.add_argument('--reps', type=int, default=5, help='forwards per side (median)')
    ap.add_argument('--images', type=int, default=8, help='images per sampler row')
    a = ap.parse_args()
    root = None if has_torch() else a.torch_root
    print(f'load average {load()} at the start; medians of {a.reps} forwards each, '
          f'engine and PyTorch alternating; PyTorch {"in " + root if root else "here"}')
    rows = []
    with tempfile.TemporaryDirectory(dir=SRC, prefix='.bench-generate-') as tmp:
        for i, (label, shape) in enumerate(NETWORKS):
            rows.append(bench_network(a.exe, label, shape,
                                      os.path.join(tmp, f'network{i}.safetensors'), a.reps,
                                      root))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)   # raw, as it comes
    print('\nforward pass, batch 1: seconds (CPU seconds of all threads), the speed-up '
          'over PyTorch\nby wall and by CPU time (median of per-repetition ratios), '
          'GFLOP/s by wall time\nagainst gemm.h on the network\'s shapes and the FMA peak '
          '(same thread count)')
    print(f'{"network":14} {"thr":>3} {"ours s":>15} {"PyTorch s":>15} {"speed-up":>8} '
          f'{"(cpu)":>6} {"GFLOP/s":>7} {"sgemm":>6} {"of sgemm":>8} {"FMA peak":>8}')
    for r in rows:
        for t in THREADS:
            x = r[t]
            gf = r['flops'] / x['seconds'] / 1e9
            print(f'{r["label"]:14} {t:3} {x["seconds"]:7.3f} ({x["cpu_seconds"]:5.2f}) '
                  f'{x["torch seconds"]:7.3f} ({x["torch cpu_seconds"]:5.2f}) '
                  f'{x["ratio seconds"]:7.2f}x {x["ratio cpu_seconds"]:5.2f}x {gf:7.1f} '
                  f'{x["sgemm"]:6.1f} {100 * gf / x["sgemm"]:7.1f}% {r["peak"][t]:8.1f}')
    print(f'\n{"network":14} {"params M":>8} {"weights MB":>10} {"peak RSS MB":>11} '
          f'{"over weights":>12}')
    for r in rows:
        print(f'{r["label"]:14} {r["parameters"] / 1e6:8.1f} {r["weight_bytes"] / 1e6:10.0f} '
              f'{r["maxrss_bytes"] / 1e6:11.0f} '
              f'{(r["maxrss_bytes"] - r["weight_bytes"]) / 1e6:10.0f} MB')
    print(f'\nsamplers: pixel RMS to DPM-Solver@1000 on {shipped_meta()["name"]} ({a.images} images); '
          f'seconds per image = evaluations x the 2-thread forward')
    print(f'{"sampler":16} {"evals":>5} {"pixel rms":>9} '
          + ' '.join(f'{r["label"]:>14}' for r in rows))
    for name, evals, pix in samplers(a.samplers_exe, a.images):
        print(f'{name:16} {evals:5} {pix:9.3g} '
              + ' '.join(f'{evals * r[2]["seconds"]:13.1f}s' for r in rows))
    print('\nstep caching, 2 threads: a cached pass over a whole one, and the speed-up per '
          'image\nat cache interval N (one whole pass, N - 1 cached ones): N / (1 + (N - 1) '
          'ratio)')
    print(f'{"network":14} {"depth":>5} {"cached/whole":>12} '
          + ' '.join(f'{"interval " + str(n):>10}' for n in CACHE_INTERVALS))
    for r in rows:
        for d, f in r['cache'].items():
            print(f'{r["label"]:14} {d:5} {f:12.3f} '
                  + ' '.join(f'{n / (1 + (n - 1) * f):9.2f}x' for n in CACHE_INTERVALS))
    big = rows[-1]
    print(f'\n{big["label"]}, one whole image, {image_sampler()} evaluations, '
          f'2 threads: {big["image"]:.1f} s')
    print(f'load average {load()} at the end')


if __name__ == '__main__':
    main()
