#!/usr/bin/python3
"""Writes the network and sampler fixtures for tests/test_uvit.c and
tests/test_sampler.c from the PyTorch reference (dctdiff_py.uvit and
dctdiff_py.samplers).  Needs torch; run in the trixie root:

    .ci/in-root /opt/trixie python3 weights/export_fixtures.py

Two tiny randomly initialised models (D 16, depth 2, 2 heads, stored as F16;
the reference runs on the f16-rounded values, so the C engine sees the very
same weights):
  uvit_b2    64x64, block 2, 256 tokens x 24, unconditional, c = 4
  uvit_b4c   64x64, block 4, m = 16, 64 tokens x 96, 10 classes, c = 1
Parameters are drawn wider than a fresh model's (std 1/sqrt(fan_in), random
biases and norm gains) so every layer changes the output.

Files, little-endian, in tests/fixtures/:
  <model>.safetensors   the model (docs/model-format.md)
  <model>_forward.bin   magic b'DDUVITFX', int32 version 1, n, T, K, has_labels,
                        int32 labels[n] (when has_labels), float32 tau[n],
                        float32 eps[n][T][K] for the input x = pattern(n*T*K, 0)
  sampler_b2.bin        magic b'DDSAMPFX', int32 version 1, n, T, K, runs, then
                        per run: int32 sampler (dctdiff_sampler value), int32
                        steps, float64 c, float32 x0[n][T][K], all runs
                        starting from the noise pattern(n*T*K, 1)
Inputs are not stored: pattern() below is a formula the C tests repeat
(float64 sines rounded to float32), which keeps the fixtures small.
"""
import math
import os
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from dctdiff_py import modelfile, samplers  # noqa: E402
from dctdiff_py.schedule import VPSchedule  # noqa: E402
from dctdiff_py.uvit import UViT  # noqa: E402

OUT = os.path.join(HERE, '..', 'tests', 'fixtures')
SAMPLER_IDS = {'dpm-solver': 0, 'ddim': 1, 'euler-ode': 2, 'dpm-solver++-2m': 4,
               'dpm-solver++-3m': 5, 'unipc': 6}

MODELS = {
    'uvit_b2': dict(block_size=2, low_freqs=4, eta=244.925, classes=0, snr=4.0),
    'uvit_b4c': dict(block_size=4, low_freqs=16, eta=480.25, classes=10, snr=1.0),
    # v prediction at a high SNR scale, as the CPU-trained default model
    'uvit_b2v': dict(block_size=2, low_freqs=4, eta=244.925, classes=0, snr=64.0,
                     prediction='v'),
}
ARCH = dict(embed_dim=16, depth=2, num_heads=2, mlp_ratio=4, qkv_bias=False,
            mlp_time_embed=False)
RESOLUTION = 64


def meta_for(name, spec):
    b = spec['block_size']
    return modelfile.build_meta(
        name=name, description='random test weights, not a trained model',
        arch=dict(ARCH, num_classes=spec['classes']),
        dct=dict(resolution=RESOLUTION, block_size=b, low_freqs=spec['low_freqs'],
                 chroma='420', eta=spec['eta'], tokens=(RESOLUTION // (2 * b)) ** 2),
        schedule=dict(beta_min=0.1, beta_max=20.0, snr_scale=spec['snr'],
                      prediction=spec.get('prediction', 'noise')),
        sampler={'default': 'dpm-solver', 'steps': 10},
        train=dict(release='ours'))


@torch.no_grad()
def randomise(net, gen):
    """Every parameter random and f16-representable."""
    for name, p in net.named_parameters():
        if name.endswith('bias'):
            v = 0.2 * torch.randn(p.shape, generator=gen)
        elif 'norm' in name:                       # LayerNorm gains
            v = 1.0 + 0.2 * torch.randn(p.shape, generator=gen)
        elif name == 'pos_embed':
            v = 0.5 * torch.randn(p.shape, generator=gen)
        elif name == 'label_emb.weight':
            v = torch.randn(p.shape, generator=gen)
        else:                                      # Linear [out, in]
            v = torch.randn(p.shape, generator=gen) / math.sqrt(p.shape[1])
        p.copy_(v.half().float())


def pattern(shape, phase):
    """1.2 sin(0.7071 i + phase) + 0.6 cos(0.1234 i + 2 phase), i = flat index."""
    i = np.arange(int(np.prod(shape)), dtype=np.float64)
    v = 1.2 * np.sin(0.7071 * i + phase) + 0.6 * np.cos(0.1234 * i + 2.0 * phase)
    return torch.from_numpy(v.astype(np.float32).reshape(shape))


def write_forward(path, tau, labels, eps):
    n, t, k = eps.shape
    with open(path, 'wb') as f:
        f.write(b'DDUVITFX')
        f.write(struct.pack('<5i', 1, n, t, k, labels is not None))
        if labels is not None:
            f.write(labels.numpy().astype('<i4').tobytes())
        f.write(tau.numpy().astype('<f4').tobytes())
        f.write(eps.numpy().astype('<f4').tobytes())


def write_sampler(path, shape, runs):
    n, t, k = shape
    with open(path, 'wb') as f:
        f.write(b'DDSAMPFX')
        f.write(struct.pack('<5i', 1, n, t, k, len(runs)))
        for sampler, steps, c, x0 in runs:
            f.write(struct.pack('<2id', SAMPLER_IDS[sampler], steps, c))
            f.write(x0.numpy().astype('<f4').tobytes())


@torch.no_grad()
def main():
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(20241220)
    for name, spec in MODELS.items():
        meta = meta_for(name, spec)
        net = UViT(**modelfile.uvit_kwargs(meta)).eval()
        randomise(net, gen)
        modelfile.save(os.path.join(OUT, name + '.safetensors'), net.state_dict(), meta,
                       dtype='F16')
        n, tokens, k = 2, int(meta['dct.tokens']), modelfile.token_dim(meta)
        x = pattern((n, tokens, k), 0.0)
        tau = torch.tensor([999.0 * 0.9, 999.0 * 0.02])
        labels = torch.tensor([3, 7]) if spec['classes'] else None
        if 'prediction' not in spec:    # a v model's network is the same: only sampling is new
            write_forward(os.path.join(OUT, name + '_forward.bin'), tau, labels,
                          net(x, tau, labels))
        if spec['classes']:
            continue
        sched = VPSchedule(spec['snr'])
        n = 1
        noise = pattern((n, tokens, k), 1.0)

        def eps_fn(xt, t):
            out = net(xt, torch.full((n,), 999.0 * t, dtype=torch.float32))
            return sched.noise_of(meta['schedule.prediction'], xt, out, t)

        runs = [(s, 10, spec['snr'], fn(eps_fn, noise, 10, sched))
                for s, fn in samplers.SAMPLERS.items()]
        write_sampler(os.path.join(OUT, 'sampler_' + name[len('uvit_'):] + '.bin'),
                      noise.shape, runs)
    print('fixtures written to', os.path.normpath(OUT))


if __name__ == '__main__':
    main()
