"""Re-imagine on every mode x precision x alpha combination: the selected
layer is smaller than the canvas and offset, with a selection crossing it.
Checks that each run makes one new layer above the source with the source's
size, offsets, type and alpha, leaves the source and the image's mode and
precision alone, keeps the pixels outside the selection (bit for bit for
8-bit perceptual layers, whose bytes the engine reads; within one level of
the layer's own precision otherwise, where they pass through float), and
that an indexed image, a layer group and a fill without a selection are
refused with a message.

Usage: test_reimagine_types.py PLUGIN_DIR [CLI]"""
import json
import os
import sys

from gimptest import IMAGE_KINDS_CODE, Gimp, check, finish, write_test_png

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.abspath(os.path.join(HERE, "..", "..", "weights", "models",
                                     "emoji32-tiny.safetensors"))
plugin_dir = sys.argv[1]
gimp = Gimp(plugin_dir, "reimagine-types")

CODE = r'''
import json
import struct

def reimagine(image, drawables, **settings):
    return run_procedure("plug-in-dctdiff-reimagine", image, drawables,
                         **{"model": Gio.File.new_for_path(MODEL), "steps": 4, **settings})

def pixels(layer):
    """The layer as 8-bit perceptual bytes (lossless for 8-bit perceptual
    layers) and as float."""
    w, h = layer.get_width(), layer.get_height()
    rect = Gegl.Rectangle.new(0, 0, w, h)
    buf = layer.get_buffer()
    fmt = "Y'A u8" if layer.is_gray() else "R'G'B'A u8"
    native = bytes(buf.get(rect, 1.0, fmt, Gegl.AbyssPolicy.NONE))
    fmt = "Y'A float" if layer.is_gray() else "R'G'B'A float"
    f = struct.unpack("%df" % (w * h * 4 if not layer.is_gray() else w * h * 2),
                      bytes(buf.get(rect, 1.0, fmt, Gegl.AbyssPolicy.NONE)))
    return native, f

def build(base, alpha, precision):
    image, bg, top = build_kind(base, alpha, precision, (36, 28), (9, 3))
    image.select_rectangle(Gimp.ChannelOps.REPLACE, 13, 7, 16, 12)
    return image, bg, top

report = {}
for tag, base, alpha, precision in IMAGE_KINDS:
    image, bg, top = build(base, alpha, precision)
    src_native, src_f = pixels(top)
    ok, message = reimagine(image, [top], mode="fill", seed=3)
    layers = image.get_layers()
    r = {"ok": ok, "message": message, "layers": len(layers),
         "precision_kept": image.get_precision() == precision}
    if ok:
        new = layers[0]
        r["new"] = [new.get_width(), new.get_height(), *new.get_offsets()[1:],
                    new.has_alpha(), int(new.type()) == int(top.type())]
        r["source_kept"] = pixels(top)[1] == src_f and layers[1] == top
        native, f = pixels(new)
        ch = 2 if top.is_gray() else 4
        w = top.get_width()
        outside_native = outside_f = inside = 0
        bpp = len(native) // (w * top.get_height())
        for y in range(top.get_height()):
            for x in range(w):
                sel = 4 <= x < 20 and 4 <= y < 16
                i = y * w + x
                same = native[i * bpp:(i + 1) * bpp] == src_native[i * bpp:(i + 1) * bpp]
                d = max(abs(f[i * ch + c] - src_f[i * ch + c]) for c in range(ch))
                if sel:
                    inside += not same
                else:
                    outside_native += not same
                    outside_f = max(outside_f, d)
        r.update(outside_native=outside_native, outside_f=outside_f, inside=inside)
    report[tag] = r
    image.delete()

image, bg, top = build("rgb", False, Gimp.Precision.U8_NON_LINEAR)
Gimp.Selection.none(image)
report["fill without selection"] = dict(zip(("ok", "message"),
                                            reimagine(image, [top], mode="fill")))
group = Gimp.GroupLayer.new(image, "group")
image.insert_layer(group, None, 0)
report["group"] = dict(zip(("ok", "message"), reimagine(image, [group])))
image.delete()

image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(SRC))
image.convert_indexed(Gimp.ConvertDitherType.NONE, Gimp.ConvertPaletteType.GENERATE,
                      16, False, False, "")
report["indexed"] = dict(zip(("ok", "message"), reimagine(image, image.get_layers())))
image.delete()

with open(OUT, "w") as f:
    json.dump(report, f)
'''

# One level of the coarsest precision that passes through float (16 bits
# per sample as u16 or half).
FLOAT_TOLERANCE = {"u8": 0.0, "u16": 1.5 / 65535, "u32": 1.5 / 65535, "half": 1e-3,
                   "float": 1e-6}

try:
    src, out = gimp.path("in.png"), gimp.path("report.json")
    write_test_png(src, 48, 32, "RGB")
    gimp.python(f"SRC = {src!r}\nOUT = {out!r}\nMODEL = {MODEL!r}\n" + IMAGE_KINDS_CODE + CODE,
                timeout=560)
    with open(out) as f:
        report = json.load(f)
    for tag, r in report.items():
        if tag in ("fill without selection", "group", "indexed"):
            continue
        check(r["ok"], f"{tag}: runs ({r['message']})")
        if not r["ok"]:
            continue
        check(r["layers"] == 3 and r["new"] == [36, 28, 9, 3, tag.split()[1] == "alpha", True],
              f"{tag}: one new layer like the source above it {r['new']}")
        check(r["source_kept"] and r["precision_kept"], f"{tag}: source and precision kept")
        check(r["inside"] > 16 * 12 // 2, f"{tag}: the selection changed ({r['inside']} px)")
        exact = tag.endswith("u8-perceptual")
        tol = FLOAT_TOLERANCE[tag.split()[2].split("-")[0]]
        check(r["outside_native"] == 0 if exact else r["outside_f"] <= tol,
              f"{tag}: outside the selection kept ({r['outside_native']} px differ in the "
              f"layer's bytes, largest float difference {r['outside_f']:.2g})")
    for tag, needle in (("fill without selection", "selection"), ("group", "group"),
                        ("indexed", "indexed")):
        r = report[tag]
        check(not r["ok"] and needle in r["message"],
              f"{tag}: refused with a message: {r['message']!r}")
finally:
    gimp.close()
finish()
