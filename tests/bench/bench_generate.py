#!/usr/bin/python3
"""Generation benchmark: the C engine against PyTorch CPU on the same model,
the same thread count, in the same run.  Run it in the trixie root (torch):

    .ci/in-root /opt/trixie sh -c 'meson setup build-trixie && \\
        ninja -C build-trixie bench-generate'
    or directly: bench_generate.py BENCH_EXE [--threads N] [--quick]

For two models with random weights written to a temporary folder -- a tiny
one (D 128, depth 4) and DCTdiff-S/4's size (D 512, depth 12, 8 heads,
256 tokens x 24) -- it prints the median time of one forward pass (batch 1)
and of one 50-step DPM-Solver image, C and PyTorch, their ratio, and the
forward pass's GFLOP/s against OpenBLAS's own large-sgemm rate measured in
the same run (PyTorch is the Debian build, whatever BLAS it was built with).
The S/4 PyTorch image time is 50 x its forward unless --torch-images.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'weights'))

import torch  # noqa: E402

from dctdiff_py import modelfile, samplers  # noqa: E402
from dctdiff_py.schedule import VPSchedule  # noqa: E402
from dctdiff_py.uvit import UViT  # noqa: E402

MODELS = [
    ('tiny (D128 L4 h2)', dict(embed_dim=128, depth=4, num_heads=2)),
    ('S/4 (D512 L12 h8)', dict(embed_dim=512, depth=12, num_heads=8)),
]


def make_model(path, arch):
    meta = modelfile.build_meta(
        name='bench', arch=dict(arch, mlp_ratio=4, qkv_bias=False, mlp_time_embed=False,
                                num_classes=0),
        dct=dict(resolution=64, block_size=2, low_freqs=4, chroma='420', eta=244.925,
                 tokens=256),
        schedule=dict(beta_min=0.1, beta_max=20.0, snr_scale=4.0),
        sampler={'default': 'dpm-solver', 'steps': 50})
    net = UViT(**modelfile.uvit_kwargs(meta)).eval()
    modelfile.save(path, net.state_dict(), meta)
    return net


def torch_times(net, reps, steps, sample_reps, measure_images):
    x = torch.sin(0.37 * torch.arange(256 * 24, dtype=torch.float64)).float().reshape(1, 256, 24)
    tau = torch.tensor([500.0])
    with torch.inference_mode():
        net(x, tau)
        t = []
        for _ in range(reps):
            t0 = time.perf_counter()
            net(x, tau)
            t.append(time.perf_counter() - t0)
        fwd = statistics.median(t)
        sample = steps * fwd                    # estimate unless measured
        if measure_images:
            sched = VPSchedule(4.0)

            def eps_fn(xt, tt):
                return net(xt, torch.full((1,), 999.0 * tt))
            t = []
            for _ in range(sample_reps):
                t0 = time.perf_counter()
                samplers.dpm_solver(eps_fn, torch.randn(1, 256, 24), steps, sched)
                t.append(time.perf_counter() - t0)
            sample = statistics.median(t)
    return fwd, sample


def run_c(exe, path, threads, reps, steps, sample_reps):
    args = [exe, path, str(threads), str(reps)]
    if steps:
        args += [str(steps), str(sample_reps)]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return {k: float(v) for k, v in (kv.split('=') for kv in out.split())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('exe')
    ap.add_argument('--threads', type=int, default=os.cpu_count())
    ap.add_argument('--quick', action='store_true', help='fewer repetitions')
    ap.add_argument('--torch-images', action='store_true',
                    help='also time whole PyTorch images for the S/4 model (slow: by '
                         'default its image time is 50 x its forward, marked *)')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    reps, steps, sample_reps = (3, 50, 1) if a.quick else (7, 50, 3)
    print(f'threads {a.threads}; medians of {reps} forwards and {sample_reps} '
          f'{steps}-step DPM-Solver images (batch 1); torch {torch.__version__}')
    print(f'{"model":20} {"fwd C ms":>9} {"fwd torch":>9} {"speedup":>8} '
          f'{"img C s":>8} {"img torch":>9} {"speedup":>8} {"GFLOP/s":>8} '
          f'{"sgemm":>7} {"of peak":>7}')
    with tempfile.TemporaryDirectory() as tmp:
        for name, arch in MODELS:
            path = os.path.join(tmp, 'bench.safetensors')
            net = make_model(path, arch)
            c = run_c(a.exe, path, a.threads, reps, steps, sample_reps)
            measured = a.torch_images or arch['embed_dim'] < 512
            fwd, sample = torch_times(net, reps, steps, sample_reps, measured)
            gflops = c['flops'] / c['forward_s'] / 1e9
            print(f'{name:20} {c["forward_s"] * 1e3:9.2f} {fwd * 1e3:9.2f} '
                  f'{fwd / c["forward_s"]:7.2f}x {c["sample_s"]:8.3f} {sample:8.3f}{" " if measured else "*"} '
                  f'{sample / c["sample_s"]:7.2f}x {gflops:8.1f} {c["sgemm_gflops"]:7.1f} '
                  f'{100 * gflops / c["sgemm_gflops"]:6.1f}%')
    print('* PyTorch image time estimated as 50 x its forward (--torch-images measures it)')


if __name__ == '__main__':
    main()
