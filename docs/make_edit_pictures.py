#!/usr/bin/env python3
"""Makes the before/after pictures of docs/editing.md with `dctdiff edit`
and the best model the project ships.  Standard library only.

    python3 docs/make_edit_pictures.py build/cli/dctdiff

Each picture is one row: the input (and the mask where there is one), then
the results, every tile enlarged 4x without smoothing so the model's own
pixels show."""
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "cli"))
import pngmini  # noqa: E402

MODEL = os.path.join(HERE, "..", "weights", "models", "emoji32.safetensors")
SCALE, GAP = 4, 6


def run(*args):
    subprocess.run([sys.argv[1]] + list(args), check=True)


def read(path):
    with open(path, "rb") as f:
        p = pngmini.decode(f.read())
    w, h, ch, s = p["width"], p["height"], p["channels"], p["samples"]
    return [[tuple(s[(y * w + x) * ch:(y * w + x) * ch + 3]) if ch >= 3 else (s[(y * w + x) * ch],) * 3
             for x in range(w)] for y in range(h)]


def write(path, w, h, rows):
    with open(path, "wb") as f:
        f.write(pngmini.encode(w, h, 2, 8, [c for r in rows for px in r for c in px]))


def sketch(path, n=32):
    """A rough colour sketch: a yellow face with dark eyes and mouth on white."""
    rows = []
    for y in range(n):
        row = []
        for x in range(n):
            dx, dy = x - n / 2 + 0.5, y - n / 2 + 0.5
            px = (255, 255, 255)
            if dx * dx + dy * dy < (n * 0.42) ** 2:
                px = (250, 200, 40)
            for ex in (-n * 0.17, n * 0.17):
                if (dx - ex) ** 2 + (dy + n * 0.1) ** 2 < (n * 0.07) ** 2:
                    px = (70, 40, 20)
            if abs(math.hypot(dx, dy + n * 0.05) - n * 0.24) < 1.2 and dy > n * 0.05:
                px = (70, 40, 20)
            row.append(px)
        rows.append(row)
    write(path, n, n, rows)


def hole_mask(path, n=32):
    rows = [[(255,) * 3 if n // 4 <= x < 3 * n // 4 and n // 4 <= y < 3 * n // 4 else (0,) * 3
             for x in range(n)] for y in range(n)]
    with open(path, "wb") as f:
        f.write(pngmini.encode(n, n, 0, 8, [r[0] for row in rows for r in row]))


def strip(out, tiles):
    """tiles: lists of pixel rows, all the same size -> one picture."""
    h, w = len(tiles[0]), len(tiles[0][0])
    W = len(tiles) * w * SCALE + (len(tiles) - 1) * GAP
    rows = []
    for y in range(h * SCALE):
        row = []
        for i, t in enumerate(tiles):
            if i:
                row += [(255, 255, 255)] * GAP
            row += [t[y // SCALE][x // SCALE] for x in range(w * SCALE)]
        rows.append(row)
    write(out, W, h * SCALE, rows)


def main():
    with tempfile.TemporaryDirectory() as d:
        p = lambda name: os.path.join(d, name)  # noqa: E731
        sketch(p("sketch.png"))
        hole_mask(p("hole.png"))
        run("generate", "-q", "--model", MODEL, "--seed", "4", "-o", p("art.png"))

        tiles = [read(p("sketch.png"))]
        for s in ("0.3", "0.5", "0.7"):
            run("edit", "-q", "--model", MODEL, p("sketch.png"), "--strength", s,
                "--seed", "1", "-o", p(f"var-{s}.png"))
            tiles.append(read(p(f"var-{s}.png")))
        strip(os.path.join(HERE, "edit-variation.png"), tiles)

        art = read(p("art.png"))
        holed = [[(128, 128, 128) if 8 <= x < 24 and 8 <= y < 24 else px
                  for x, px in enumerate(r)] for y, r in enumerate(art)]
        tiles = [art, holed]
        for seed in ("1", "2", "3"):
            run("edit", "-q", "--model", MODEL, p("art.png"), "--mask", p("hole.png"),
                "--seed", seed, "-o", p(f"fill-{seed}.png"))
            tiles.append(read(p(f"fill-{seed}.png")))
        strip(os.path.join(HERE, "edit-fill.png"), tiles)

        tiles = [art]
        for k, seed in (("1", "1"), ("1", "2"), ("2", "1"), ("3", "1")):
            run("edit", "-q", "--model", MODEL, p("art.png"), "--keep-low", k,
                "--seed", seed, "-o", p(f"detail-{k}-{seed}.png"))
            tiles.append(read(p(f"detail-{k}-{seed}.png")))
        strip(os.path.join(HERE, "edit-new-detail.png"), tiles)


if __name__ == "__main__":
    main()
