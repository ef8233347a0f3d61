"""Read and write DCTdiff model files (docs/model-format.md).

A model file is safetensors: an 8-byte little-endian header length, a JSON
header whose ``__metadata__`` holds string key/values, then the tensor bytes.
This module writes it itself (json + struct + numpy) so that it runs on any
python3 with numpy; torch tensors are accepted but torch is not needed.

    meta = build_meta(name="celeba64", arch={...}, dct={...},
                      schedule={...}, sampler={...}, train={...})
    save("celeba64.safetensors", net.state_dict(), meta)
    tensors, meta = load("celeba64.safetensors")

Both directions validate: the metadata against the key table below, and the
tensor set against the names and shapes the architecture implies.
"""

import json
import struct

import numpy as np

FORMAT = "dctdiff"
FORMAT_VERSION = 1

# key: (kind, default or None when required).  Kinds: int, float, bool (0/1),
# str, ints (comma-separated), floats (comma-separated).
KEYS = {
    "format": ("str", None),
    "format_version": ("int", None),
    "name": ("str", None),
    "description": ("str", ""),
    "license": ("str", ""),
    "arch.embed_dim": ("int", None),
    "arch.depth": ("int", None),
    "arch.num_heads": ("int", None),
    "arch.mlp_ratio": ("int", None),
    "arch.qkv_bias": ("bool", None),
    "arch.mlp_time_embed": ("bool", None),
    "arch.num_classes": ("int", None),
    "dct.resolution": ("int", None),
    "dct.block_size": ("int", None),
    "dct.low_freqs": ("int", None),
    "dct.chroma": ("str", None),
    "dct.eta": ("float", None),
    "dct.order": ("ints", ""),
    "dct.tokens": ("int", None),
    "schedule.beta_min": ("float", None),
    "schedule.beta_max": ("float", None),
    "schedule.snr_scale": ("float", None),
    "schedule.prediction": ("str", ""),
    "sampler.default": ("str", None),
    "sampler.steps": ("int", None),
    "train.dataset": ("str", ""),
    "train.steps": ("int", ""),
    "train.release": ("str", ""),
    "train.checkpoint": ("str", ""),
    "train.entropy_y": ("floats", ""),
    "train.entropy_cb": ("floats", ""),
    "train.entropy_cr": ("floats", ""),
}

# In the order of the engine's sampler table (dctdiff_samplers()).
SAMPLERS = ("dpm-solver", "ddim", "euler-ode", "euler-sde", "dpm-solver++-2m",
            "dpm-solver++-3m", "unipc")
RELEASES = ("v1", "v2", "ours")
# What the network outputs: the noise (the paper's models) or v = alpha eps - sigma x0.
PREDICTIONS = ("noise", "v")
CHROMA_BLOCKS = {"420": 6, "444": 12}

DTYPES = {"F32": 4, "F16": 2, "BF16": 2}


class ModelFileError(ValueError):
    """A model file or its metadata is not what docs/model-format.md says."""


# --------------------------------------------------------------------------
# Metadata


def _text(value):
    """A metadata value as safetensors stores it: a string."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (list, tuple, np.ndarray)):
        return ",".join(_text(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value))
    return str(value)


def build_meta(name, arch, dct, schedule, sampler, train=None, description="",
               license="", extra=None):
    """Metadata for a model file from per-section dicts whose keys drop the
    section prefix, e.g. arch={"embed_dim": 512, ...}.  Returns the
    validated string map."""
    meta = {"format": FORMAT, "format_version": str(FORMAT_VERSION), "name": name,
            "description": description, "license": license}
    for section, values in (("arch", arch), ("dct", dct), ("schedule", schedule),
                            ("sampler", sampler), ("train", train or {})):
        for key, value in values.items():
            meta[f"{section}.{key}"] = _text(value)
    for key, value in (extra or {}).items():
        meta[key] = _text(value)
    # An empty optional value means "use the default": leave the key out.
    meta = {k: v for k, v in meta.items() if v != "" or k not in KEYS or KEYS[k][1] is None}
    parse_meta(meta)
    return meta


def _parse_value(key, kind, text):
    try:
        if kind == "int":
            return int(text)
        if kind == "float":
            value = float(text)
            if not np.isfinite(value):
                raise ValueError
            return value
        if kind == "bool":
            if text not in ("0", "1"):
                raise ValueError
            return text == "1"
        if kind == "ints":
            return [int(v) for v in text.split(",")]
        if kind == "floats":
            return [float(v) for v in text.split(",")]
        return text
    except ValueError:
        raise ModelFileError(f"metadata '{key}': '{text}' is not a valid {kind}") from None


def parse_meta(meta):
    """Typed view of a metadata string map; raises ModelFileError naming the
    first missing or invalid key.  Unknown keys are kept as strings."""
    if not isinstance(meta, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                             for k, v in meta.items()):
        raise ModelFileError("metadata must map strings to strings")
    out = dict(meta)
    for key, (kind, default) in KEYS.items():
        text = meta.get(key)
        if text is None or (text == "" and default is not None):
            if default is None:
                raise ModelFileError(f"metadata key '{key}' is missing")
            out[key] = None
            continue
        out[key] = _parse_value(key, kind, text)
    _check_meta(out)
    return out


def _require(cond, key, value, why):
    if not cond:
        raise ModelFileError(f"metadata '{key}' = {value}: {why}")


def _check_meta(m):
    _require(m["format"] == FORMAT, "format", m["format"], f"expected '{FORMAT}'")
    _require(m["format_version"] == FORMAT_VERSION, "format_version", m["format_version"],
             f"this reader knows version {FORMAT_VERSION}")
    d, depth, heads = m["arch.embed_dim"], m["arch.depth"], m["arch.num_heads"]
    _require(0 < d <= 65536, "arch.embed_dim", d, "out of range 1..65536")
    _require(2 <= depth <= 256, "arch.depth", depth, "must be 2..256")
    _require(0 < heads <= d and d % heads == 0, "arch.num_heads", heads,
             f"must divide embed_dim {d}")
    _require(0 < m["arch.mlp_ratio"] <= 64, "arch.mlp_ratio", m["arch.mlp_ratio"],
             "out of range 1..64")
    _require(0 <= m["arch.num_classes"] <= 1 << 20, "arch.num_classes", m["arch.num_classes"],
             "out of range")
    b, low, res = m["dct.block_size"], m["dct.low_freqs"], m["dct.resolution"]
    _require(b in (2, 4, 8, 16), "dct.block_size", b, "must be 2, 4, 8 or 16")
    _require(1 <= low <= b * b, "dct.low_freqs", low, f"must be 1..{b * b}")
    _require(0 < res <= 65536 and res % (2 * b) == 0, "dct.resolution", res,
             f"must be a positive multiple of {2 * b} (2 x block_size)")
    _require(m["dct.chroma"] in CHROMA_BLOCKS, "dct.chroma", m["dct.chroma"], "must be 420 or 444")
    _require(m["dct.eta"] > 0, "dct.eta", m["dct.eta"], "must be positive")
    if m["dct.order"] is not None:
        _require(sorted(m["dct.order"]) == list(range(b * b)), "dct.order",
                 _text(m["dct.order"]), f"must be a permutation of 0..{b * b - 1}")
    want_tokens = (res // (2 * b)) ** 2
    _require(m["dct.tokens"] == want_tokens, "dct.tokens", m["dct.tokens"],
             f"resolution {res} with block size {b} gives {want_tokens}")
    _require(m["schedule.beta_min"] > 0, "schedule.beta_min", m["schedule.beta_min"],
             "must be positive")
    _require(m["schedule.beta_max"] > m["schedule.beta_min"], "schedule.beta_max",
             m["schedule.beta_max"], "must exceed beta_min")
    _require(m["schedule.snr_scale"] > 0, "schedule.snr_scale", m["schedule.snr_scale"],
             "must be positive")
    if m["schedule.prediction"] is not None:
        _require(m["schedule.prediction"] in PREDICTIONS, "schedule.prediction",
                 m["schedule.prediction"], "must be one of " + ", ".join(PREDICTIONS))
    _require(m["sampler.default"] in SAMPLERS, "sampler.default", m["sampler.default"],
             "must be one of " + ", ".join(SAMPLERS))
    _require(1 <= m["sampler.steps"] <= 1000, "sampler.steps", m["sampler.steps"],
             "must be 1..1000")
    if m["train.release"] is not None:
        _require(m["train.release"] in RELEASES, "train.release", m["train.release"],
                 "must be one of " + ", ".join(RELEASES))
    for ch in ("y", "cb", "cr"):
        table = m[f"train.entropy_{ch}"]
        if table is not None:
            _require(len(table) == b * b, f"train.entropy_{ch}", _text(table),
                     f"needs {b * b} values (raster order)")


def token_dim(meta):
    """Floats in one token: blocks per token x low_freqs."""
    return CHROMA_BLOCKS[meta["dct.chroma"]] * int(meta["dct.low_freqs"])


def uvit_kwargs(meta):
    """Keyword arguments for dctdiff_py.uvit.UViT from a metadata string map."""
    m = parse_meta(meta)
    return dict(embed_dim=m["arch.embed_dim"], depth=m["arch.depth"],
                num_heads=m["arch.num_heads"], mlp_ratio=m["arch.mlp_ratio"],
                qkv_bias=m["arch.qkv_bias"], mlp_time_embed=m["arch.mlp_time_embed"],
                num_classes=m["arch.num_classes"], tokens=m["dct.tokens"],
                token_dim=token_dim(m))


# --------------------------------------------------------------------------
# Tensor names and shapes (method.md 3.2)


def tensor_shapes(embed_dim, depth, num_heads=None, mlp_ratio=4, qkv_bias=False,
                  mlp_time_embed=False, num_classes=0, tokens=256, token_dim=24):
    """Every tensor of the UViT, name -> shape, in the order of the official
    state_dict.  Takes the same arguments as UViT (num_heads changes no
    shape)."""
    d, hidden = embed_dim, int(mlp_ratio * embed_dim)
    extras = 2 if num_classes > 0 else 1
    shapes = {"pos_embed": (1, extras + tokens, d),
              "proj.weight": (d, token_dim), "proj.bias": (d,)}
    if mlp_time_embed:
        shapes.update({"time_embed.0.weight": (4 * d, d), "time_embed.0.bias": (4 * d,),
                       "time_embed.2.weight": (d, 4 * d), "time_embed.2.bias": (d,)})
    if num_classes > 0:
        shapes["label_emb.weight"] = (num_classes, d)
    blocks = ([f"in_blocks.{i}" for i in range(depth // 2)] + ["mid_block"]
              + [f"out_blocks.{i}" for i in range(depth // 2)])
    for prefix in blocks:
        shapes[f"{prefix}.norm1.weight"] = (d,)
        shapes[f"{prefix}.norm1.bias"] = (d,)
        shapes[f"{prefix}.attn.qkv.weight"] = (3 * d, d)
        if qkv_bias:
            shapes[f"{prefix}.attn.qkv.bias"] = (3 * d,)
        shapes[f"{prefix}.attn.proj.weight"] = (d, d)
        shapes[f"{prefix}.attn.proj.bias"] = (d,)
        shapes[f"{prefix}.norm2.weight"] = (d,)
        shapes[f"{prefix}.norm2.bias"] = (d,)
        shapes[f"{prefix}.mlp.fc1.weight"] = (hidden, d)
        shapes[f"{prefix}.mlp.fc1.bias"] = (hidden,)
        shapes[f"{prefix}.mlp.fc2.weight"] = (d, hidden)
        shapes[f"{prefix}.mlp.fc2.bias"] = (d,)
        if prefix.startswith("out_blocks"):
            shapes[f"{prefix}.skip_linear.weight"] = (d, 2 * d)
            shapes[f"{prefix}.skip_linear.bias"] = (d,)
    shapes.update({"norm.weight": (d,), "norm.bias": (d,),
                   "decoder_pred.weight": (token_dim, d), "decoder_pred.bias": (token_dim,)})
    return shapes


def check_tensors(shapes, expected, what="model"):
    """Raises ModelFileError unless `shapes` (name -> shape) equals `expected`
    exactly: lists every missing, unexpected and mis-shaped tensor."""
    problems = [f"missing tensor '{k}' {list(v)}" for k, v in expected.items() if k not in shapes]
    problems += [f"unexpected tensor '{k}' {list(v)}" for k, v in shapes.items()
                 if k not in expected]
    problems += [f"tensor '{k}' has shape {list(shapes[k])}, expected {list(v)}"
                 for k, v in expected.items() if k in shapes and tuple(shapes[k]) != tuple(v)]
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise ModelFileError(f"{what}: " + "; ".join(problems[:5]) + more)


# --------------------------------------------------------------------------
# safetensors


def _as_float32(t):
    """A torch tensor or array-like as a C-contiguous float32 numpy array."""
    if hasattr(t, "detach"):
        t = t.detach().cpu().float().numpy()
    return np.ascontiguousarray(np.asarray(t, dtype=np.float32))


def _encode(a, dtype):
    if dtype == "F32":
        return a.astype("<f4").tobytes()
    if dtype == "F16":
        return a.astype("<f2").tobytes()
    bits = a.view(np.uint32).astype(np.uint64)           # BF16: round to nearest even
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    nan = np.isnan(a)
    rounded[nan] = (bits[nan] >> 16) | 0x40             # keep NaN a NaN
    return rounded.astype("<u2").tobytes()


def _decode(raw, dtype, shape):
    if dtype == "F32":
        a = np.frombuffer(raw, "<f4")
    elif dtype == "F16":
        a = np.frombuffer(raw, "<f2").astype(np.float32)
    else:
        a = (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(np.float32)
    return a.reshape(shape)


def save(path, state_dict, meta, dtype="F32", check=True):
    """Writes tensors (name -> torch tensor or array) and metadata (string
    map, see build_meta) to path.  dtype: F32, F16 or BF16 for every tensor.
    With check, the metadata is validated and the tensor set must be exactly
    the one the architecture implies."""
    if dtype not in DTYPES:
        raise ModelFileError(f"dtype {dtype} is not one of " + ", ".join(DTYPES))
    arrays = {k: _as_float32(v) for k, v in state_dict.items()}
    if check:
        expected = tensor_shapes(**uvit_kwargs(meta))
        check_tensors({k: a.shape for k, a in arrays.items()}, expected, path)
        names = list(expected)
    else:
        names = sorted(arrays)
    header = {"__metadata__": dict(meta)}
    blobs, offset = [], 0
    for name in names:
        blob = _encode(arrays[name], dtype)
        header[name] = {"dtype": dtype, "shape": list(arrays[name].shape),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)                       # 8-byte aligned data
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def _no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ModelFileError(f"duplicate key '{next(k for k in keys if keys.count(k) > 1)}'")
    return dict(pairs)


def _is_count(v):
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _entries(header, body_size, path):
    """Validates the tensor entries of a header as engine/model/safetensors.c does;
    returns name -> (dtype, shape, begin, end)."""
    entries = {}
    for name, info in header.items():
        where = f"{path}: tensor '{name}'"
        if not isinstance(info, dict):
            raise ModelFileError(f"{where}: entry is not an object")
        dtype, shape, offsets = info.get("dtype"), info.get("shape"), info.get("data_offsets")
        if dtype not in DTYPES:
            raise ModelFileError(f"{where}: dtype {dtype} is not F32, F16 or BF16")
        if not isinstance(shape, list) or not all(_is_count(d) for d in shape):
            raise ModelFileError(f"{where}: shape {shape} is not a list of non-negative integers")
        if not isinstance(offsets, list) or len(offsets) != 2 or \
                not all(_is_count(o) for o in offsets):
            raise ModelFileError(f"{where}: data_offsets is not a pair of non-negative integers")
        begin, end = offsets
        if not begin <= end <= body_size:
            raise ModelFileError(f"{where}: data offsets {begin}..{end} do not fit the data "
                                 f"({body_size} bytes)")
        need = DTYPES[dtype]
        for d in shape:
            need *= d
        if end - begin != need:
            raise ModelFileError(f"{where}: data offsets {begin}..{end} hold {end - begin} "
                                 f"bytes, its {dtype} shape needs {need}")
        entries[name] = (dtype, tuple(shape), begin, end)
    spans = sorted((b, e, n) for n, (_, _, b, e) in entries.items() if e > b)
    for (_, end_a, a), (begin_b, _, b) in zip(spans, spans[1:]):
        if begin_b < end_a:
            raise ModelFileError(f"{path}: tensors '{a}' and '{b}' overlap")
    return entries


def load(path, check=True):
    """Reads a model file: (tensors name -> float32 numpy array, metadata
    string map).  The safetensors structure is always validated; with check,
    the metadata and the tensor set too."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ModelFileError(f"{path}: {len(data)} bytes, too short for a safetensors header")
    (hlen,) = struct.unpack("<Q", data[:8])
    if hlen > len(data) - 8:
        raise ModelFileError(f"{path}: header length {hlen} runs past the end of the file")
    try:
        header = json.loads(data[8:8 + hlen], object_pairs_hook=_no_duplicates)
    except (ValueError, UnicodeDecodeError) as e:
        raise ModelFileError(f"{path}: header is not valid JSON ({e})") from None
    if not isinstance(header, dict):
        raise ModelFileError(f"{path}: header is not a JSON object")
    meta = header.pop("__metadata__", {})
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise ModelFileError(f"{path}: __metadata__ is not a map of strings")
    body = memoryview(data)[8 + hlen:]
    tensors = {name: _decode(bytes(body[b:e]), dtype, shape)
               for name, (dtype, shape, b, e) in _entries(header, len(body), path).items()}
    if check:
        parse_meta(meta)
        check_tensors({k: a.shape for k, a in tensors.items()},
                      tensor_shapes(**uvit_kwargs(meta)), path)
    return tensors, meta
