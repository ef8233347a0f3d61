"""Upscaling on every mode x precision x alpha combination, on an image with
two layers (one smaller and offset), a selection, a channel and a path:
checks sizes, offsets, that mode, precision and alpha are kept, that the
selected-layers scope leaves the canvas alone, and that an indexed image is
refused with a message.  (Undo is checked in the GUI test: GIMP 3.0 has no
PDB procedure that undoes.)

Usage: test_image_types.py PLUGIN_DIR [CLI]"""
import json
import sys

from gimptest import IMAGE_KINDS_CODE, Gimp, check, finish, write_test_png

plugin_dir = sys.argv[1]
gimp = Gimp(plugin_dir, "types")

CODE = r'''
import json

def upscale(image, drawables, **settings):
    return run_procedure("plug-in-dctdiff-upscale", image, drawables, **settings)

def build(base, alpha, precision):
    image, bg, top = build_kind(base, alpha, precision, (20, 14), (9, 5))
    image.select_rectangle(Gimp.ChannelOps.REPLACE, 4, 6, 10, 8)
    channel = Gimp.Channel.new(image, "channel", 48, 32, 50.0, Gegl.Color.new("red"))
    image.insert_channel(channel, None, 0)
    path = Gimp.Path.new(image, "path")
    path.stroke_new_from_points(Gimp.PathStrokeType.BEZIER,
                                [3, 3, 3, 3, 3, 3, 30, 20, 30, 20, 30, 20], False)
    image.insert_path(path, None, 0)
    return image, bg, top

def describe(image):
    sel = Gimp.Selection.bounds(image)
    path = image.get_paths()[0]
    stroke = path.get_strokes()[0]
    return {
        "size": [image.get_width(), image.get_height()],
        "base": int(image.get_base_type()),
        "precision": int(image.get_precision()),
        "layers": [[l.get_width(), l.get_height(), *l.get_offsets()[1:], l.has_alpha()]
                   for l in image.get_layers()],
        "channels": [[c.get_width(), c.get_height()] for c in image.get_channels()],
        "selection": list(sel[-4:]),
        "path": [round(v, 3) for v in path.stroke_get_points(stroke)[1]],
    }

report = {}
for tag, base, alpha, precision in IMAGE_KINDS:
    image, bg, top = build(base, alpha, precision)
    before = describe(image)
    status, message = upscale(image, [bg], factor=2.0)
    report[tag] = {"ok": status, "message": message,
                   "before": before, "after": describe(image)}
    image.delete()

image, bg, top = build("rgb", True, Gimp.Precision.U8_NON_LINEAR)
status, message = upscale(image, [top], factor=2.0, scope="layers")
report["layers scope"] = {"ok": status, "message": message, "after": describe(image)}
image.delete()

image, bg, top = build("rgb", False, Gimp.Precision.U8_NON_LINEAR)
status, message = upscale(image, [bg], width=72, height=0)
report["width only"] = {"ok": status, "message": message, "after": describe(image)}
image.delete()

image, bg, top = build("rgb", True, Gimp.Precision.U8_NON_LINEAR)
group = Gimp.GroupLayer.new(image, "group")
image.insert_layer(group, None, 0)
image.reorder_item(top, group, 0)
status, message = upscale(image, [bg], factor=2.0)
report["group"] = {"ok": status, "message": message,
                   "child": [top.get_width(), top.get_height(), *top.get_offsets()[1:]]}
image.delete()

image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(SRC))
image.convert_indexed(Gimp.ConvertDitherType.NONE, Gimp.ConvertPaletteType.GENERATE,
                      16, False, False, "")
status, message = upscale(image, image.get_layers(), factor=2.0)
report["indexed"] = {"ok": status, "message": message,
                     "after": [image.get_width(), image.get_height()]}
image.delete()

with open(OUT, "w") as f:
    json.dump(report, f)
'''

try:
    src, out = gimp.path("in.png"), gimp.path("report.json")
    write_test_png(src, 48, 32, "RGB")
    gimp.python(f"SRC = {src!r}\nOUT = {out!r}\n" + IMAGE_KINDS_CODE + CODE)
    with open(out) as f:
        report = json.load(f)

    for tag, r in report.items():
        if tag in ("layers scope", "width only", "group", "indexed"):
            continue
        b, a = r["before"], r["after"]
        ok = r["ok"]
        check(ok, f"{tag}: runs ({r['message']})")
        if not ok:
            continue
        check(a["size"] == [96, 64], f"{tag}: image is 96x64")
        check(a["base"] == b["base"] and a["precision"] == b["precision"],
              f"{tag}: mode and precision kept")
        check(a["layers"] == [[40, 28, 18, 10, b["layers"][0][4]],
                              [96, 64, 0, 0, b["layers"][1][4]]],
              f"{tag}: layer sizes, offsets and alpha {a['layers']}")
        check(a["channels"] == [[96, 64]], f"{tag}: channel scaled")
        # The selection is resampled with the user's interpolation, as Image >
        # Scale Image does, so its soft edge may reach a few pixels further.
        check(all(abs(v - e) <= 3 for v, e in zip(a["selection"], [8, 12, 28, 28])),
              f"{tag}: selection scaled {a['selection']}")
        check(a["path"] == [2 * v for v in b["path"]], f"{tag}: path scaled")

    r = report["layers scope"]
    check(r["ok"], f"layers scope: runs ({r['message']})")
    check(r["after"]["size"] == [48, 32], "layers scope: canvas unchanged")
    check(r["after"]["layers"] == [[40, 28, -1, -2, True], [48, 32, 0, 0, True]],
          f"layers scope: only the selected layer grows, about its centre "
          f"{r['after']['layers']}")
    check(r["after"]["selection"] == [4, 6, 14, 14], "layers scope: selection unchanged")

    r = report["width only"]
    check(r["ok"] and r["after"]["size"] == [72, 48],
          f"width only: height follows the aspect ratio {r['after']['size']}")

    r = report["group"]
    check(r["ok"] and r["child"] == [40, 28, 18, 10],
          f"a layer inside a group is upscaled like any other {r['child']} ({r['message']})")

    r = report["indexed"]
    check(not r["ok"] and "indexed" in r["message"]
          and r["after"] == [48, 32],
          f"indexed image refused with a message: {r['message']!r}")
finally:
    gimp.close()
finish()
