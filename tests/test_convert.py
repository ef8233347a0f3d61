#!/usr/bin/env python3
"""Converter end to end: random weights in the official key layout for a
tiny config, saved as .pth (plain, with a wrapper prefix, nested), converted
by weights/convert_official.py, loaded by the C engine (tests/model_dump.c)
and compared tensor by tensor; wrong checkpoints must be refused by name.

    test_convert.py BUILD/tests/model_dump      (exit 77 = skipped: no torch)
"""

import contextlib
import io
import os
import subprocess
import sys
import tempfile

try:
    import torch
except ImportError:
    print("test_convert: skipped, python3 has no torch")
    sys.exit(77)
import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "weights"))
import convert_official  # noqa: E402
import official_configs  # noqa: E402
from dctdiff_py import modelfile  # noqa: E402
from dctdiff_py.uvit import UViT  # noqa: E402

failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL {what}")


# A tiny class-conditional config with B = 4, so the label table, the
# explicit frequency order and 4x4 entropy tables are all exercised.
ENTROPY = [round(1 + 0.25 * i, 3) for i in range(16)]
official_configs.CONFIGS["tiny"] = dict(
    title="tiny test config", resolution=16, block_size=4, low_freqs=5, eta=300.5,
    order=official_configs.ZIGZAG4, arch=dict(embed_dim=16, depth=2, num_heads=2, num_classes=3),
    entropy=dict(y=ENTROPY, cb=ENTROPY, cr=ENTROPY),
    releases=dict(v1=dict(snr_scale=2.5, sampler="ddim", steps=30, train_steps=10, file="t.pth"),
                  v2=dict(snr_scale=4.0, sampler="euler-sde", steps=40, file="t.pth")))
TINY_KW = dict(embed_dim=16, depth=2, num_heads=2, num_classes=3, tokens=4, token_dim=30)


def official_state_dict():
    torch.manual_seed(0)
    net = UViT(**TINY_KW)
    with torch.no_grad():
        for p in net.parameters():
            p.normal_()
    return {k: v.detach().clone() for k, v in net.state_dict().items()}


def convert(argv):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = convert_official.main(argv)
    return rc, err.getvalue()


def engine_load(dump, path, tmp):
    out = os.path.join(tmp, "dump.bin")
    run = subprocess.run([dump, path, out], capture_output=True, text=True)
    check(run.returncode == 0, f"C loader refused {path}: {run.stderr.strip()}")
    if run.returncode:
        return {}, {}
    info = dict(line.split("=", 1) for line in run.stdout.splitlines())
    tensors, data, pos = {}, open(out, "rb").read(), 0
    while pos < len(data):
        end = data.index(b"\0", pos)
        name = data[pos:end].decode()
        count = int.from_bytes(data[end + 1:end + 9], "little")
        tensors[name] = np.frombuffer(data, "<f4", count, end + 9)
        pos = end + 9 + 4 * count
    return info, tensors


def roundtrip(dtype, t):
    return {"F32": t.float(), "F16": t.half().float(), "BF16": t.bfloat16().float()}[dtype]


def test_converts(dump, tmp):
    sd = official_state_dict()
    check(list(sd) == list(official_configs.expected_shapes("tiny")),
          "uvit.py names or their order differ from modelfile.tensor_shapes")
    cases = [("plain", sd, "v1", "F32"),
             ("module. prefix", {"module." + k: v for k, v in sd.items()}, "v2", "F16"),
             ("nested nnet_ema", {"nnet_ema": {"ema." + k: v for k, v in sd.items()}}, "v1", "BF16")]
    for label, obj, release, dtype in cases:
        pth, out = os.path.join(tmp, "ckpt.pth"), os.path.join(tmp, f"{release}.safetensors")
        torch.save(obj, pth)
        rc, err = convert([pth, "--config", "tiny", "--release", release, "-o", out,
                           "--dtype", dtype])
        check(rc == 0, f"{label}: converter failed: {err}")
        if rc:
            continue
        info, tensors = engine_load(dump, out, tmp)
        rel = official_configs.CONFIGS["tiny"]["releases"][release]
        check(set(tensors) == set(sd), f"{label}: tensor names differ")
        for name, want in sd.items():
            got = tensors.get(name)
            ref = roundtrip(dtype, want).numpy().ravel()
            check(got is not None and np.array_equal(got, ref),
                  f"{label}: tensor {name} differs from the checkpoint ({dtype})")
        want_info = dict(resolution="16", tokens="4", token_dim="30", embed_dim="16", depth="2",
                         num_heads="2", num_classes="3", release=release,
                         snr_scale=f"{rel['snr_scale']:.17g}",
                         default_steps=str(rel["steps"]), eta="300.5",
                         default_sampler=str(modelfile.SAMPLERS.index(rel["sampler"])),
                         parameters=str(sum(v.numel() for v in sd.values())))
        for key, value in want_info.items():
            check(info.get(key) == value, f"{label}: info {key} = {info.get(key)}, want {value}")
        _, meta = modelfile.load(out)
        check(meta.get("train.checkpoint") == "ckpt.pth" and
              meta.get("dct.order") == ",".join(map(str, official_configs.ZIGZAG4)),
              f"{label}: metadata {meta}")


def test_refusals(tmp):
    sd = official_state_dict()
    wrong = dict(sd)
    wrong["proj.weight"] = torch.zeros(16, 31)
    missing = {k: v for k, v in sd.items() if k != "mid_block.mlp.fc1.bias"}
    extra = dict(sd, **{"pixel_head.weight": torch.zeros(2)})
    cases = [("wrong shape", wrong, "tiny", ["'proj.weight'", "[16, 31]", "expected [16, 30]"]),
             ("missing", missing, "tiny", ["missing tensor 'mid_block.mlp.fc1.bias'"]),
             ("extra", extra, "tiny", ["unexpected tensor 'pixel_head.weight'"]),
             ("other config", sd, "celeba64", ["not a celeba64 checkpoint",
                                               "matches --config tiny"]),
             ("not a state_dict", [1, 2], "tiny", ["not a state_dict"])]
    for label, obj, config, phrases in cases:
        pth, out = os.path.join(tmp, "bad.pth"), os.path.join(tmp, "bad.safetensors")
        torch.save(obj, pth)
        rc, err = convert([pth, "--config", config, "--release", "v1", "-o", out])
        check(rc == 1, f"{label}: converter returned {rc}")
        check(not os.path.exists(out), f"{label}: wrote {out}")
        for phrase in phrases:
            check(phrase in err, f"{label}: message {err.strip()!r} lacks {phrase!r}")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        test_converts(sys.argv[1], tmp)
        test_refusals(tmp)
    print("test_convert: " + (f"{failures} checks failed" if failures else "ok"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
