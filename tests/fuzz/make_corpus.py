#!/usr/bin/python3
"""Writes the seed corpus for tests/fuzz/fuzz_safetensors.c into
tests/fuzz/corpus/: valid-* files parse, bad-* files must be refused.
Run from the repository root: /usr/bin/python3 tests/fuzz/make_corpus.py"""

import json
import os
import struct
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "weights"))
from dctdiff_py import modelfile  # noqa: E402

OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")


def tiny_model(path, dtype):
    meta = modelfile.build_meta(
        "seed", arch=dict(embed_dim=4, depth=2, num_heads=1, mlp_ratio=4, qkv_bias=False,
                          mlp_time_embed=False, num_classes=0),
        dct=dict(resolution=8, block_size=2, low_freqs=1, chroma="420", eta=244.925, tokens=4),
        schedule=dict(beta_min=0.1, beta_max=20, snr_scale=4),
        sampler={"default": "dpm-solver", "steps": 50})
    rng = np.random.default_rng(1)
    shapes = modelfile.tensor_shapes(**modelfile.uvit_kwargs(meta))
    modelfile.save(path, {k: rng.standard_normal(s) for k, s in shapes.items()}, meta, dtype)


def raw(path, header, data=b"", length=None):
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text) if length is None else length) + text + data)


def tensor(dtype, shape, begin, end):
    return {"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}


def main():
    os.makedirs(OUT, exist_ok=True)
    for dtype in ("F32", "F16", "BF16"):
        tiny_model(os.path.join(OUT, f"valid-tiny-{dtype.lower()}.safetensors"), dtype)
    raw(os.path.join(OUT, "valid-empty.safetensors"), {"__metadata__": {"a": "b"}})
    with open(os.path.join(OUT, "valid-tiny-f16.safetensors"), "rb") as f:
        model = f.read()
    with open(os.path.join(OUT, "bad-truncated.safetensors"), "wb") as f:
        f.write(model[:len(model) - 7])
    eight = bytes(8)
    bad = {
        "not-json": (b"{\"a\": [1,", b""),
        "not-object": ([1, 2], b""),
        "dtype": ({"w": tensor("F64", [1], 0, 8)}, eight),
        "past-end": ({"w": tensor("F32", [4], 0, 16)}, eight),
        "size": ({"w": tensor("F32", [1], 0, 8)}, eight),
        "overlap": ({"a": tensor("F32", [2], 0, 8), "b": tensor("F32", [1], 4, 8)}, eight),
        "huge-dim": ({"w": tensor("F32", [1 << 40, 1 << 40], 0, 8)}, eight),
        "negative": ({"w": tensor("F32", [-2], 0, 8)}, eight),
        "meta-number": ({"__metadata__": {"steps": 50}}, b""),
    }
    for name, (header, data) in bad.items():
        raw(os.path.join(OUT, f"bad-{name}.safetensors"), header, data)
    raw(os.path.join(OUT, "bad-header-length.safetensors"), {"a": 1}, length=1 << 20)


if __name__ == "__main__":
    main()
