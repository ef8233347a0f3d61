#!/usr/bin/python3
"""PyTorch side of bench-generate: the project's reference UViT
(weights/dctdiff_py) on CPU, driven by bench_generate.py over stdin/stdout,
one command a line, one answer a line:

    make SHAPE SEED PATH            build the network of SHAPE (JSON: arch and
                                    dct keys of modelfile.build_meta) with
                                    random weights (torch.manual_seed(SEED)),
                                    write it to PATH (the engine's model file;
                                    - writes nothing) -> "parameters=N"
    forward                         one timed forward pass, batch 1
                                    -> "seconds=S cpu_seconds=C" (all threads)

Run with OMP_NUM_THREADS and OPENBLAS_NUM_THREADS set to THREADS:

    bench_torch.py THREADS
"""
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'weights'))

import torch  # noqa: E402

from dctdiff_py import modelfile  # noqa: E402
from dctdiff_py.uvit import UViT  # noqa: E402


def bench_input(tokens, dim):
    """The input bench_generate.c uses too: sin(0.37 i), network time 500."""
    i = torch.arange(tokens * dim, dtype=torch.float64)
    return torch.sin(0.37 * i).float().reshape(1, tokens, dim), torch.tensor([500.0])


def main():
    torch.set_num_threads(int(sys.argv[1]))
    net = x = tau = None
    for line in sys.stdin:
        cmd = line.split()
        if cmd[0] == 'make':
            shape, seed, path = json.loads(cmd[1]), int(cmd[2]), cmd[3]
            meta = modelfile.build_meta(
                name='bench', arch=dict(shape['arch'], mlp_ratio=4, qkv_bias=False,
                                        mlp_time_embed=False, num_classes=0),
                dct=dict(shape['dct'], chroma='420'),
                schedule=dict(beta_min=0.1, beta_max=20.0, snr_scale=1.0),
                sampler={'default': 'dpm-solver', 'steps': 100})
            torch.manual_seed(seed)
            kw = modelfile.uvit_kwargs(meta)
            net = UViT(**kw).eval()
            if path != '-':
                modelfile.save(path, net.state_dict(), meta)
            x, tau = bench_input(kw['tokens'], kw['token_dim'])
            answer = f'parameters={net.param_count()}'
        elif cmd[0] == 'forward':
            with torch.inference_mode():
                t0, c0 = time.perf_counter(), time.process_time()
                net(x, tau)
                answer = (f'seconds={time.perf_counter() - t0:.6g} '
                          f'cpu_seconds={time.process_time() - c0:.6g}')
        else:
            answer = f'error=unknown-command-{cmd[0]}'
        print(answer, flush=True)


if __name__ == '__main__':
    main()
