"""Batch Re-imagine from Script-Fu and from Python-Fu on real PNGs: each
mode (fill a rectangular selection, variation, new detail) must equal the
CLI's `dctdiff edit` with the same settings pixel for pixel, with the
selection exported as the CLI's mask.  Also: an image of another size than
the model's, a gray image, --count as new layers above the source, the
source layer untouched, pixels outside the selection kept, and a feathered
selection blending softly.

Usage: test_batch_reimagine.py PLUGIN_DIR [CLI]"""
import os
import subprocess
import sys

import numpy as np

from gimptest import Gimp, check, finish, read_png, write_test_png

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.abspath(os.path.join(HERE, "..", "..", "weights", "models",
                                     "emoji32-tiny.safetensors"))

plugin_dir = sys.argv[1]
cli = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
gimp = Gimp(plugin_dir, "reimagine")

# Copied verbatim into docs/plugin.md.
SCRIPT_FU = '''
(let* ((image (car (gimp-file-load RUN-NONINTERACTIVE "{src}")))
       (layers (car (gimp-image-get-selected-drawables image)))
       (source (vector-ref layers 0)))
  {select}
  (plug-in-dctdiff-reimagine #:run-mode RUN-NONINTERACTIVE
                             #:image image #:drawables layers
                             #:model "{model}" #:mode "{mode}" #:strength {strength}
                             #:keep-low 1 #:steps 10 #:seed 5)
  (gimp-image-remove-layer image source)
  (gimp-file-save RUN-NONINTERACTIVE image "{dst}" -1)
  (gimp-image-delete image))
'''
SELECT_SF = "(gimp-image-select-rectangle image CHANNEL-OP-REPLACE 8 4 16 12)"

PYTHON_FU = '''
image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path("{src}"))
source = image.get_selected_drawables()[0]
{select}
proc = Gimp.get_pdb().lookup_procedure("plug-in-dctdiff-reimagine")
config = proc.create_config()
config.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
config.set_property("image", image)
config.set_core_object_array("drawables", [source])
config.set_property("model", Gio.File.new_for_path("{model}"))
config.set_property("mode", "{mode}")
config.set_property("strength", {strength})
config.set_property("keep-low", 1)
config.set_property("steps", 10)
config.set_property("seed", 5)
config.set_property("count", {count})
result = proc.run(config)
assert result.index(0) == Gimp.PDBStatusType.SUCCESS, result.index(1)
layers = image.get_layers()
with open("{dst}.txt", "w") as f:
    f.write("%d %d %s\\n" % (len(layers), layers.index(source), layers[0].get_name()))
for layer in layers[:-1]:
    layer.set_visible(False)
Gimp.file_save(Gimp.RunMode.NONINTERACTIVE, image, Gio.File.new_for_path("{dst}.source.png"), None)
layers[0].set_visible(True)
for layer in layers[1:]:
    image.remove_layer(layer)
Gimp.file_save(Gimp.RunMode.NONINTERACTIVE, image, Gio.File.new_for_path("{dst}"), None)
image.delete()
'''
SELECT_PY = "image.select_rectangle(Gimp.ChannelOps.REPLACE, 8, 4, 16, 12)"

# name: (png mode, size, mode, strength, selection?)
CASES = {
    "fill RGB 40x24": ("RGB", (40, 24), "fill", -1, True),
    "variation RGB 32x32": ("RGB", (32, 32), "variation", 0.6, False),
    "new detail RGB 40x24": ("RGB", (40, 24), "new-detail", -1, False),
    "fill gray 40x24": ("L", (40, 24), "fill", -1, True),
}


def mask_png(path, w, h):
    m = np.zeros((h, w), np.uint8)
    m[4:16, 8:24] = 255
    from PIL import Image
    Image.fromarray(m, "L").save(path)
    return m


try:
    runs = {}
    for name, (mode, (w, h), how, strength, sel) in CASES.items():
        tag = name.replace(" ", "-")
        src = gimp.path(f"in-{tag}.png")
        write_test_png(src, w, h, mode)
        runs[name] = (src, gimp.path(f"sf-{tag}.png"), gimp.path(f"py-{tag}.png"))
    gimp.scheme(*[SCRIPT_FU.format(src=src, dst=sf, model=MODEL, mode=CASES[n][2],
                                   strength=CASES[n][3],
                                   select=SELECT_SF if CASES[n][4] else "")
                  for n, (src, sf, py) in runs.items()])
    gimp.python("\n".join(PYTHON_FU.format(src=src, dst=py, model=MODEL, mode=CASES[n][2],
                                           strength=CASES[n][3], count=1,
                                           select=SELECT_PY if CASES[n][4] else "")
                          for n, (src, sf, py) in runs.items()))

    for name, (src, sf, py) in runs.items():
        mode, (w, h), how, strength, sel = CASES[name]
        a, b, orig = read_png(sf), read_png(py), read_png(src)
        check(a.shape == orig.shape, f"{name}: the new layer has the source's size and mode")
        check(a.shape == b.shape and np.array_equal(a, b), f"{name}: Script-Fu = Python-Fu")
        # (GIMP exports an alpha channel when a layer is hidden)
        kept = read_png(py + ".source.png").reshape(orig.shape[:2] + (-1,))
        colour = kept[..., :-1].reshape(orig.shape)
        check(np.array_equal(colour, orig) and np.all(kept[..., -1] == 255),
              f"{name}: the source layer is untouched")
        with open(py + ".txt") as f:
            n_layers, at, top = f.read().split(" ", 2)
        check((n_layers, at) == ("2", "1") and top.startswith("DCTdiff"),
              f"{name}: one new layer above the source ({n_layers} layers, source at {at})")
        if sel:
            m = np.zeros((h, w), bool)
            m[4:16, 8:24] = True
            keep = ~m
            check(np.array_equal(a[keep], orig[keep]), f"{name}: outside the selection kept")
            check(np.mean(a[m] != orig[m]) > 0.5, f"{name}: the selection was regenerated")
        if not cli:
            continue
        ref = gimp.path(f"cli-{name.replace(' ', '-')}.png")
        args = [cli, "edit", "-q", "--model", MODEL, src, "-o", ref, "-n", "10", "-s", "5"]
        if strength >= 0:
            args += ["--strength", str(strength)]
        if how == "new-detail":
            args += ["--keep-low", "1"]
        if sel:
            args += ["--mask", gimp.path(f"mask-{w}x{h}.png")]
            mask_png(args[-1], w, h)
        subprocess.run(args, check=True)
        c = read_png(ref)
        diff = np.abs(a.astype(int) - c.astype(int)).max() if a.shape == c.shape else -1
        check(diff == 0, f"{name}: GIMP equals the CLI pixel for pixel (max difference {diff})")
    if not cli:
        print("note: the CLI was not built; the CLI comparison did not run")

    # --count as new layers, and a feathered selection as a soft mask.
    src = runs["fill RGB 40x24"][0]
    soft = gimp.path("soft.png")
    gimp.python(PYTHON_FU.format(src=src, dst=soft, model=MODEL, mode="fill", strength=-1,
                                 count=3, select=SELECT_PY +
                                 "\nGimp.Selection.feather(image, 8.0)"))
    with open(soft + ".txt") as f:
        n_layers, at, _ = f.read().split(" ", 2)
    check((n_layers, at) == ("4", "3"), f"count 3: three new layers above the source "
                                        f"({n_layers} layers, source at {at})")
    a, orig = read_png(soft), read_png(src)
    far = np.zeros(orig.shape[:2], bool)
    far[:, 34:] = True   # more than the feather radius right of the rectangle
    check(np.array_equal(a[far], orig[far]), "feathered: far outside the selection kept")
    inner = np.zeros(orig.shape[:2], bool)
    inner[8:12, 14:18] = True
    band = np.zeros(orig.shape[:2], bool)
    band[4:16, 8:24] = True
    band[6:14, 11:21] = False
    d_in = np.abs(a[inner].astype(int) - orig[inner]).mean()
    d_band = np.abs(a[band].astype(int) - orig[band]).mean()
    print(f"feathered: mean change {d_in:.1f} in the middle, {d_band:.1f} near the edge")
    check(d_band < d_in and d_band > 0, "feathered: the edge blends softly")
finally:
    gimp.close()
finish()
