#!/usr/bin/env python3
"""weights/dctdiff_py/modelfile.py: round trips in every dtype, metadata
validation naming the key at fault, and agreement with the C reader on the
fuzz seed corpus (valid-* load, bad-* are refused).  Needs only numpy
(exit 77 = skipped: no numpy)."""

import glob
import os
import sys
import tempfile

try:
    import numpy as np
except ImportError:
    print("test_modelfile: skipped, python3 has no numpy")
    sys.exit(77)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "weights"))
from dctdiff_py import modelfile as mf  # noqa: E402

failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL {what}")


def refused(fn, *phrases):
    """True when fn() raises ModelFileError whose message has every phrase."""
    try:
        fn()
    except mf.ModelFileError as e:
        ok = all(p in str(e) for p in phrases)
        if not ok:
            print(f"  message: {e}")
        return ok
    return False


def tiny_meta(**override):
    dct = dict(resolution=16, block_size=4, low_freqs=5, chroma="420", eta=300.5, tokens=4)
    dct.update(override)
    return mf.build_meta("tiny", arch=dict(embed_dim=8, depth=2, num_heads=2, mlp_ratio=4,
                                           qkv_bias=True, mlp_time_embed=False, num_classes=0),
                         dct=dct, schedule=dict(beta_min=0.1, beta_max=20.0, snr_scale=4.0),
                         sampler={"default": "euler-sde", "steps": 25},
                         train=dict(release="ours", entropy_y=[1.5] * 16))


def test_roundtrip(tmp):
    meta = tiny_meta()
    shapes = mf.tensor_shapes(**mf.uvit_kwargs(meta))
    check("in_blocks.0.attn.qkv.bias" in shapes and "out_blocks.0.skip_linear.weight" in shapes
          and "in_blocks.0.skip_linear.weight" not in shapes, "tensor_shapes optional tensors")
    rng = np.random.default_rng(3)
    sd = {k: rng.standard_normal(s).astype(np.float32) for k, s in shapes.items()}
    path = os.path.join(tmp, "t.safetensors")
    for dtype, ref in (("F32", lambda a: a), ("F16", lambda a: a.astype(np.float16))):
        mf.save(path, sd, meta, dtype=dtype)
        tensors, back = mf.load(path)
        check(back == meta, f"{dtype}: metadata changed")
        check(list(tensors) == list(shapes), f"{dtype}: tensor order")
        check(all(np.array_equal(tensors[k], ref(v).astype(np.float32)) for k, v in sd.items()),
              f"{dtype}: values")
    # BF16 keeps 8 significant bits, rounding to nearest even.
    values = np.array([1.0, -3.5, 1 + 2 ** -8, 1 + 3 * 2 ** -8, 1 + 2 ** -9, 65280.0],
                      np.float32)
    want = np.array([1.0, -3.5, 1.0, 1 + 2 ** -6, 1.0, 65280.0], np.float32)
    mf.save(path, {"w": values}, {}, dtype="BF16", check=False)
    got = mf.load(path, check=False)[0]["w"]
    check(np.array_equal(got, want), f"BF16 rounding: {got}")


def test_meta():
    meta = tiny_meta()
    check(meta["dct.eta"] == "300.5" and meta["arch.qkv_bias"] == "1" and
          meta["train.entropy_y"].count(",") == 15, f"value text: {meta}")
    check(mf.uvit_kwargs(meta)["token_dim"] == 30, "token_dim")
    for key in ("name", "dct.eta", "schedule.snr_scale", "arch.depth"):
        broken = {k: v for k, v in meta.items() if k != key}
        check(refused(lambda: mf.parse_meta(broken), f"'{key}'", "missing"), f"missing {key}")
    # An odd depth is the official UViT's depth // 2 in- and out-blocks.
    check(mf.parse_meta(dict(meta, **{"arch.depth": "3"}))["arch.depth"] == 3, "odd depth")
    check(len([k for k in mf.tensor_shapes(**mf.uvit_kwargs(dict(meta, **{"arch.depth": "3"})))
               if k.endswith("norm1.weight")]) == 3, "depth 3: in, mid and out block")
    bad = [("arch.depth", "1", "2..256"), ("arch.num_heads", "3", "divide"),
           ("dct.tokens", "5", "gives 4"), ("dct.block_size", "3", "2, 4, 8 or 16"),
           ("dct.low_freqs", "17", "1..16"), ("dct.order", "0,1,2", "permutation"),
           ("dct.eta", "nan", "not a valid float"), ("sampler.default", "heun", "dpm-solver"),
           ("schedule.prediction", "x0", "noise, v"),
           ("train.release", "v3", "v1"), ("format_version", "2", "version 1"),
           ("arch.qkv_bias", "yes", "not a valid bool"), ("train.entropy_y", "1,2", "16 values")]
    for key, value, phrase in bad:
        check(refused(lambda: mf.parse_meta(dict(meta, **{key: value})), f"'{key}'", phrase),
              f"bad {key}={value}")
    check(refused(lambda: mf.build_meta("x", {}, {}, {}, {}), "missing"), "build_meta empty")


def test_refusals(tmp):
    meta = tiny_meta()
    shapes = mf.tensor_shapes(**mf.uvit_kwargs(meta))
    sd = {k: np.zeros(s, np.float32) for k, s in shapes.items()}
    path = os.path.join(tmp, "r.safetensors")
    wrong = dict(sd, **{"proj.weight": np.zeros((8, 31), np.float32)})
    check(refused(lambda: mf.save(path, wrong, meta), "'proj.weight'", "[8, 31]", "[8, 30]"),
          "wrong shape")
    missing = {k: v for k, v in sd.items() if k != "norm.bias"}
    check(refused(lambda: mf.save(path, missing, meta), "missing tensor 'norm.bias'"), "missing")
    extra = dict(sd, extra=np.zeros(2, np.float32))
    check(refused(lambda: mf.save(path, extra, meta), "unexpected tensor 'extra'"), "extra")


def test_corpus():
    seeds = sorted(glob.glob(os.path.join(ROOT, "tests", "fuzz", "corpus", "*.safetensors")))
    check(len(seeds) >= 10, f"only {len(seeds)} seeds")
    for seed in seeds:
        valid = os.path.basename(seed).startswith("valid-")
        try:
            mf.load(seed, check=False)
            check(valid, f"{seed}: accepted by modelfile.load")
        except mf.ModelFileError as e:
            check(not valid, f"{seed}: refused: {e}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_roundtrip(tmp)
        test_meta()
        test_refusals(tmp)
    test_corpus()
    print("test_modelfile: " + (f"{failures} checks failed" if failures else "ok"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
