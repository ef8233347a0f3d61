#!/usr/bin/env python3
"""Convert an official DCTdiff checkpoint (.pth) into a DCTdiff model file.

    convert_official.py celeba64_DCTdiff_small_2by2.pth --config celeba64 \\
        --release v1 -o celeba64-v1.safetensors

The checkpoint must be a plain state_dict (what the official eval.py loads);
a "module." / "ema." / "nnet_ema." style prefix is stripped.  Every tensor
name and shape is checked against the config before anything is written, so
a checkpoint paired with the wrong --config is refused with the list of
differences.  See weights/README-convert.md for the five checkpoints.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official_configs  # noqa: E402
from dctdiff_py import modelfile  # noqa: E402

# First name components that wrap a state_dict when it is saved from a
# wrapper module (DataParallel, an EMA holder, the training state).
PREFIXES = ("module", "ema", "nnet_ema", "nnet", "model", "_orig_mod")
# Keys under which a training state may hold the weights.
NESTED = ("nnet_ema", "ema", "state_dict", "model", "nnet")


class ConvertError(Exception):
    pass


def unwrap(obj, path):
    """The state_dict inside what torch.load returned."""
    import torch
    if isinstance(obj, dict) and obj and all(torch.is_tensor(v) for v in obj.values()):
        return obj
    if isinstance(obj, dict):
        for key in NESTED:
            inner = obj.get(key)
            if isinstance(inner, dict) and inner and all(torch.is_tensor(v) for v in inner.values()):
                print(f"using the state_dict under '{key}'", file=sys.stderr)
                return inner
    raise ConvertError(f"{path}: not a state_dict (a dict of tensors); found {type(obj).__name__}"
                       + (f" with keys {sorted(obj)[:8]}" if isinstance(obj, dict) else ""))


def strip_prefix(state_dict, expected):
    """Removes wrapper prefixes shared by every key, one component at a time,
    while the names do not already match."""
    while not set(expected) <= set(state_dict):
        heads = {k.split(".", 1)[0] for k in state_dict}
        if len(heads) != 1 or not all("." in k for k in state_dict):
            break
        head = heads.pop()
        if head not in PREFIXES:
            break
        print(f"stripping the prefix '{head}.'", file=sys.stderr)
        state_dict = {k.split(".", 1)[1]: v for k, v in state_dict.items()}
    return state_dict


def check(state_dict, config, path):
    """Refuses a checkpoint whose names or shapes differ from the config,
    naming the config it does match if there is one."""
    shapes = {k: tuple(v.shape) for k, v in state_dict.items()}
    try:
        modelfile.check_tensors(shapes, official_configs.expected_shapes(config), path)
    except modelfile.ModelFileError as e:
        others = [c for c in official_configs.CONFIGS if c != config
                  and shapes == official_configs.expected_shapes(c)]
        hint = f" (it matches --config {others[0]})" if others else ""
        raise ConvertError(f"{e}; not a {config} checkpoint{hint}") from None
    for name, tensor in state_dict.items():
        if not tensor.is_floating_point():
            raise ConvertError(f"{path}: tensor '{name}' has dtype {tensor.dtype}, not floating point")
        bad = (~tensor.float().isfinite()).sum().item()
        if bad:
            raise ConvertError(f"{path}: tensor '{name}' holds {bad} non-finite values")


def convert(args):
    import torch
    if args.config not in official_configs.CONFIGS:
        raise ConvertError(f"unknown --config {args.config}; one of "
                           + ", ".join(official_configs.CONFIGS))
    try:
        obj = torch.load(args.checkpoint, map_location="cpu", weights_only=True)
    except (OSError, RuntimeError) as e:
        raise ConvertError(f"{args.checkpoint}: cannot load: {e}") from None
    expected = official_configs.expected_shapes(args.config)
    state_dict = strip_prefix(unwrap(obj, args.checkpoint), expected)
    check(state_dict, args.config, args.checkpoint)
    meta = official_configs.metadata(args.config, args.release, snr_scale=args.snr_scale,
                                     sampler=args.sampler, steps=args.steps, name=args.name,
                                     license=args.license)
    meta["train.checkpoint"] = os.path.basename(args.checkpoint)
    modelfile.save(args.output, state_dict, meta, dtype=args.dtype)
    params = sum(v.numel() for v in state_dict.values())
    print(f"{args.output}: {len(state_dict)} tensors, {params / 1e6:.2f} M parameters, "
          f"{args.dtype}, {args.config} {args.release}, SNR scale {meta['schedule.snr_scale']}, "
          f"{meta['sampler.default']} {meta['sampler.steps']} steps")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("checkpoint", help="official .pth file (a state_dict)")
    p.add_argument("--config", required=True, help=", ".join(official_configs.CONFIGS))
    p.add_argument("--release", required=True, choices=("v1", "v2"),
                   help="v1 = Google Drive checkpoints, v2 = HuggingFace ones")
    p.add_argument("-o", "--output", required=True, help="model file to write (.safetensors)")
    p.add_argument("--dtype", default="F32", choices=sorted(modelfile.DTYPES),
                   help="stored precision (default F32; F16 halves the file)")
    p.add_argument("--snr-scale", type=float, help="override the release's SNR scale c")
    p.add_argument("--sampler", choices=modelfile.SAMPLERS, help="override the default sampler")
    p.add_argument("--steps", type=int, help="override the default step count")
    p.add_argument("--name", help="model name shown in menus (default CONFIG-RELEASE)")
    p.add_argument("--license", default="", help="licence of the weights, if known")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        convert(args)
    except (ConvertError, modelfile.ModelFileError) as e:
        print(f"convert_official: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
