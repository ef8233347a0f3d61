"""Batch generation from Script-Fu and from Python-Fu; results must equal the
CLI's `dctdiff generate` output for the same settings pixel for pixel: at
the model's native size, on a canvas twice as large (DCT upscaling), and
for the top layer of a two-image run.  Also: new layers in an open image,
and a call that names no model gets the plug-in's default.

The model is the tiny one shipped in weights/models when present, else the
network test fixture tests/fixtures/uvit_b2.safetensors.

Usage: test_batch_generate.py PLUGIN_DIR [CLI]"""
import os
import subprocess
import sys

import numpy as np

from gimptest import Gimp, check, default_model, finish, read_png

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
MODEL = next(p for p in (os.path.join(ROOT, "weights", "models", "emoji32-tiny.safetensors"),
                         os.path.join(ROOT, "tests", "fixtures", "uvit_b2.safetensors"))
             if os.path.exists(p))
MODEL = os.path.abspath(MODEL)

plugin_dir = sys.argv[1]
cli = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
gimp = Gimp(plugin_dir, "generate")

# Copied verbatim into docs/plugin.md.
SCRIPT_FU = '''
(let* ((image (car (plug-in-dctdiff-generate #:run-mode RUN-NONINTERACTIVE
                                             #:model "{model}" #:steps 8
                                             #:sampler "ddim" #:seed 7
                                             #:count {count} #:width {width}))))
  (gimp-file-save RUN-NONINTERACTIVE image "{dst}" -1)
  (gimp-image-delete image))
'''

PYTHON_FU = '''
proc = Gimp.get_pdb().lookup_procedure("plug-in-dctdiff-generate")
config = proc.create_config()
config.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
config.set_property("model", Gio.File.new_for_path("{model}"))
config.set_property("steps", 8)
config.set_property("sampler", "ddim")
config.set_property("seed", 7)
config.set_property("count", {count})
config.set_property("width", {width})
result = proc.run(config)
assert result.index(0) == Gimp.PDBStatusType.SUCCESS, result.index(1)
image = result.index(1)
Gimp.file_save(Gimp.RunMode.NONINTERACTIVE, image, Gio.File.new_for_path("{dst}"), None)
image.delete()
'''

NEW_LAYERS = r'''
image = Gimp.Image.new(20, 10, Gimp.ImageBaseType.RGB)
image.insert_layer(Gimp.Layer.new(image, "bg", 20, 10, Gimp.ImageType.RGB_IMAGE,
                                  100, Gimp.LayerMode.NORMAL), None, 0)
proc = Gimp.get_pdb().lookup_procedure("plug-in-dctdiff-generate")
config = proc.create_config()
config.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
config.set_property("image", image)
config.set_property("output", "new-layers")
config.set_property("model", Gio.File.new_for_path(MODEL))
config.set_property("steps", 2)
result = proc.run(config)
with open(OUT, "w") as f:
    f.write("%s %d %s\n" % (result.index(0).value_nick, len(image.get_layers()),
                            "same" if result.index(1) == image else "other"))
'''

# No #:model: the plug-in's default model.
DEFAULT_SF = '''
(let* ((image (car (plug-in-dctdiff-generate #:run-mode RUN-NONINTERACTIVE #:steps 8
                                             #:sampler "ddim" #:seed 7))))
  (gimp-file-save RUN-NONINTERACTIVE image "{dst}" -1)
  (gimp-image-delete image))
'''

# name: (count, canvas scale; 0 = native)
CASES = {"native": (1, 0), "canvas x2": (1, 2), "two images": (2, 0)}

def default_matches_cli():
    """A script that names no model samples the default model, as the CLI
    does given that file."""
    got, want = gimp.path("default.png"), gimp.path("default-cli.png")
    gimp.scheme(DEFAULT_SF.format(dst=got))
    subprocess.run([cli, "generate", "-q", "-m", default_model(plugin_dir), "-n", "8",
                    "-S", "ddim", "-s", "7", "-o", want], check=True)
    a, b = read_png(got), read_png(want)
    check(a.shape == b.shape and np.array_equal(a, b),
          f"no model named: GIMP samples {os.path.basename(default_model(plugin_dir))}")


try:
    # The native size, from a first native run.
    probe = gimp.path("probe.png")
    gimp.scheme(SCRIPT_FU.format(model=MODEL, count=1, width=0, dst=probe))
    native = read_png(probe).shape[1]

    runs = [(name, count, scale, gimp.path(f"sf-{i}.png"), gimp.path(f"py-{i}.png"))
            for i, (name, (count, scale)) in enumerate(CASES.items())]
    gimp.scheme(*[SCRIPT_FU.format(model=MODEL, count=count, width=native * scale,
                                   dst=sf) for _, count, scale, sf, _ in runs])
    gimp.python("\n".join(PYTHON_FU.format(model=MODEL, count=count,
                                           width=native * scale, dst=py)
                          for _, count, scale, _, py in runs))

    for i, (name, count, scale, sf, py) in enumerate(runs):
        a, b = read_png(sf), read_png(py)
        side = native * max(scale, 1)
        check(a.shape[:2] == (side, side), f"{name}: {side}x{side}")
        check(a.shape == b.shape and np.array_equal(a, b),
              f"{name}: Script-Fu and Python-Fu agree")
        if not cli:
            continue
        out = gimp.path(f"cli-{i}")
        args = [cli, "generate", "-q", "-m", MODEL, "-n", "8", "-S", "ddim",
                "-s", "7", "-c", str(count)]
        if scale:
            args += ["-u", str(scale)]
        if count == 1:
            subprocess.run(args + ["-o", out + ".png"], check=True)
            ref = out + ".png"
        else:
            # The top layer is the last sample; PNG export shows the top layer.
            subprocess.run(args + ["-o", out], check=True)
            ref = os.path.join(out, f"sample-{count - 1:04d}.png")
        c = read_png(ref)
        if a.shape[-1] == 4 and (a[..., 3] == 255).all():
            a = a[..., :3]  # GIMP exports a many-layer image with alpha
        diff = np.abs(a.astype(int) - c.astype(int)).max() if a.shape == c.shape else -1
        check(diff == 0, f"{name}: GIMP equals the CLI pixel for pixel "
                         f"(max difference {diff})")
    if not cli:
        print("note: the CLI was not built; the CLI comparison did not run")
    else:
        default_matches_cli()

    out = gimp.path("layers.txt")
    gimp.python(f"MODEL = {MODEL!r}\nOUT = {out!r}\n" + NEW_LAYERS)
    with open(out) as f:
        status, layers, same = f.read().split()
    check(status == "success" and layers == "2" and same == "same",
          f"new layers: one layer added to the given image ({status} {layers} {same})")
finally:
    gimp.close()
finish()
