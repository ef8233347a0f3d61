#!/usr/bin/env python3
"""Build a packed image set for training: square RGB images, alpha composited
onto white, a fixed held-out split, stored as PNG bytes in one file.

Two sources:

    dataset.py emoji --size 64 --out data/emoji64.pack     # npm emoji sets
    dataset.py folder PHOTOS/ --size 64 --out data/mine.pack

`emoji` fetches pinned npm packages with `npm pack NAME@VERSION` (cached in
--cache) and reads their 64x64 PNGs straight from the tarballs.  `folder`
takes every image under a directory, centre-crops it square and resizes it.

The pack is deterministic (same inputs, same bytes): a magic line, a JSON
header (sources with licences, image names, offsets, split) and the PNG bytes.
An image is held out when a hash of its name (not of its set) falls in the
lowest 5 %, so one emoji is held out in every art style or in none: the
held-out images then measure generalisation, not recall of a sibling style.
"""

import argparse
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

import numpy as np
from PIL import Image

MAGIC = b"DCTDIFF-PACK 1\n"
HELDOUT_PER_MILLE = 50

# The emoji packages are MIT-licensed code; their images carry the licence of
# the art they were extracted from (package README, "Image Sets").
EMOJI_SETS = {
    "google": {
        "package": "emoji-datasource-google", "version": "16.0.0",
        "sha256": "fb5fd131b362aab7a55542d2a147a79708cce0a8b1c1bbacd470172708b5c438",
        "art": "Noto Emoji v2.048 (Google)",
        "license": "Apache-2.0",
        "attribution": "Noto Emoji images, Copyright Google LLC, Apache License 2.0 "
                       "(https://github.com/googlefonts/noto-emoji); "
                       "extracted by emoji-data (MIT, Copyright 2013 Cal Henderson)",
    },
    "twitter": {
        "package": "emoji-datasource-twitter", "version": "16.0.0",
        "sha256": "f64a530c63bca463bd8317fdc4615ce63a53a0c65018e4ce2d848aaba7a28877",
        "art": "Twemoji v16.0.1 (jdecked fork)",
        "license": "CC-BY-4.0",
        "attribution": "Twemoji graphics by Twitter, Inc and other contributors, "
                       "CC-BY 4.0 (https://github.com/jdecked/twemoji); "
                       "extracted by emoji-data (MIT, Copyright 2013 Cal Henderson)",
    },
}


def is_heldout(name):
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:4], "big") % 1000 < HELDOUT_PER_MILLE


def flatten_on_white(img):
    """RGB uint8 array of img with any transparency composited onto white."""
    rgba = np.asarray(img.convert("RGBA"), dtype=np.float64)
    alpha = rgba[..., 3:] / 255.0
    rgb = rgba[..., :3] * alpha + 255.0 * (1.0 - alpha)
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


def square_resize(rgb, size):
    """Centre-crop to a square and resize: area averaging when shrinking
    (no aliasing), bicubic when enlarging."""
    h, w = rgb.shape[:2]
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    img = Image.fromarray(rgb[top:top + side, left:left + side])
    if side == size:
        return np.asarray(img)
    flt = Image.Resampling.BOX if side > size else Image.Resampling.BICUBIC
    return np.asarray(img.resize((size, size), flt))


def encode_png(rgb):
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def npm_tarball(src, cache):
    """Path of the source's tarball in cache, fetched with npm if absent and
    checked against the pinned hash (a re-published version would change the
    data silently otherwise)."""
    path = os.path.join(cache, f"{src['package']}-{src['version']}.tgz")
    if not os.path.exists(path):
        os.makedirs(cache, exist_ok=True)
        subprocess.run(["npm", "pack", f"{src['package']}@{src['version']}"], cwd=cache,
                       check=True, stdout=subprocess.DEVNULL)
    got = sha256_file(path)
    if got != src["sha256"]:
        raise ValueError(f"{path}: sha256 {got}, expected the pinned {src['sha256']}")
    return path


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def emoji_images(set_name, cache, size):
    """Yields (name, rgb) for every 64 px image of one emoji set, in name order."""
    src = EMOJI_SETS[set_name]
    path = npm_tarball(src, cache)
    prefix = f"package/img/{set_name}/64/"
    with tarfile.open(path, "r:gz") as tar:
        members = sorted((m for m in tar.getmembers()
                          if m.name.startswith(prefix) and m.name.endswith(".png")),
                         key=lambda m: m.name)
        for m in members:
            rgb = flatten_on_white(Image.open(io.BytesIO(tar.extractfile(m).read())))
            yield m.name[len(prefix):-4], square_resize(rgb, size)


def folder_images(root, size):
    """Yields (relative path, rgb) for every readable image under root."""
    paths = []
    for d, _, files in os.walk(root):
        paths += [os.path.join(d, f) for f in files]
    for p in sorted(paths):
        try:
            img = Image.open(p)
            img.load()
        except (OSError, Image.DecompressionBombError):
            continue
        yield os.path.relpath(p, root), square_resize(flatten_on_white(img), size)


def write_pack(path, entries, size, sources):
    """entries: iterable of (set, name, rgb).  Returns the number of images."""
    blobs, index, offset = [], [], 0
    for set_name, name, rgb in entries:
        png = encode_png(rgb)
        index.append({"set": set_name, "name": name, "offset": offset, "length": len(png),
                      "heldout": is_heldout(name)})
        blobs.append(png)
        offset += len(png)
    header = json.dumps({"size": size, "sources": sources, "images": index},
                        sort_keys=True, separators=(",", ":")).encode()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path + ".tmp", "wb") as f:
        f.write(MAGIC)
        f.write(len(header).to_bytes(8, "little"))
        f.write(header)
        for b in blobs:
            f.write(b)
    os.replace(path + ".tmp", path)
    return len(index)


class Pack:
    """A packed image set: .header (dict), .images (N, S, S, 3) uint8,
    .heldout (N,) bool, .names."""

    def __init__(self, path):
        with open(path, "rb") as f:
            if f.read(len(MAGIC)) != MAGIC:
                raise ValueError(f"{path}: not a dataset pack (bad magic)")
            hlen = int.from_bytes(f.read(8), "little")
            self.header = json.loads(f.read(hlen))
            data = f.read()
        index = self.header["images"]
        size = self.header["size"]
        self.images = np.empty((len(index), size, size, 3), np.uint8)
        for i, e in enumerate(index):
            png = data[e["offset"]:e["offset"] + e["length"]]
            self.images[i] = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
        self.heldout = np.array([e["heldout"] for e in index], dtype=bool)
        self.names = [f'{e["set"]}/{e["name"]}' for e in index]

    def split(self, which):
        """'train' or 'heldout' images."""
        return self.images[self.heldout if which == "heldout" else ~self.heldout]

    def licences(self):
        return self.header["sources"]


def build_emoji(args):
    sources, entries = [], []
    for set_name in args.sets.split(","):
        sources.append({"set": set_name, **EMOJI_SETS[set_name]})
        entries += [(set_name, n, rgb) for n, rgb in emoji_images(set_name, args.cache, args.size)]
    return entries, sources


def build_folder(args):
    entries = [("folder", n, rgb) for n, rgb in folder_images(args.root, args.size)]
    src = {"set": "folder", "path": os.path.basename(os.path.abspath(args.root)),
           "license": args.license, "attribution": args.attribution}
    return entries, [src]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="source", required=True)
    em = sub.add_parser("emoji", help="the npm emoji sets")
    em.add_argument("--sets", default="google,twitter",
                    help="comma-separated, from: " + ", ".join(EMOJI_SETS))
    em.add_argument("--cache", default=".npmcache", help="where npm tarballs are kept")
    fo = sub.add_parser("folder", help="every image under a folder")
    fo.add_argument("root")
    fo.add_argument("--license", default="", help="licence of the images, for the model card")
    fo.add_argument("--attribution", default="", help="credit line, for the model card")
    for p in (em, fo):
        p.add_argument("--size", type=int, default=64, help="output side in pixels")
        p.add_argument("--out", required=True, help="pack file to write")
    args = ap.parse_args(argv)

    entries, sources = (build_emoji if args.source == "emoji" else build_folder)(args)
    if not entries:
        sys.exit(f"dataset: no images found for {args.source}")
    n = write_pack(args.out, entries, args.size, sources)
    held = sum(is_heldout(name) for _, name, _ in entries)
    print(f"dataset: {n} images ({held} held out), {os.path.getsize(args.out) / 1e6:.1f} MB "
          f"-> {args.out}")


if __name__ == "__main__":
    main()
