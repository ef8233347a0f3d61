"""Batch upscaling from Script-Fu and from Python-Fu on a real PNG; both
results must equal the CLI's `dctdiff upscale` output pixel for pixel.

Usage: test_batch_upscale.py PLUGIN_DIR [CLI]"""
import subprocess
import sys

import numpy as np

from gimptest import Gimp, check, finish, read_png, write_test_png

plugin_dir = sys.argv[1]
cli = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
gimp = Gimp(plugin_dir, "batch")

# The Script-Fu and Python-Fu examples below are copied verbatim into
# docs/plugin.md; keep them readable.
SCRIPT_FU = '''
(let* ((image (car (gimp-file-load RUN-NONINTERACTIVE "{src}")))
       (layers (car (gimp-image-get-selected-drawables image))))
  (plug-in-dctdiff-upscale #:run-mode RUN-NONINTERACTIVE
                           #:image image #:drawables layers
                           #:factor 2.0 #:method "{method}" #:filter "bicubic")
  (gimp-file-save RUN-NONINTERACTIVE image "{dst}" -1)
  (gimp-image-delete image))
'''

PYTHON_FU = '''
image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path("{src}"))
proc = Gimp.get_pdb().lookup_procedure("plug-in-dctdiff-upscale")
config = proc.create_config()
config.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
config.set_property("image", image)
config.set_core_object_array("drawables", image.get_selected_drawables())
config.set_property("factor", 2.0)
config.set_property("method", "{method}")
config.set_property("filter", "bicubic")
result = proc.run(config)
assert result.index(0) == Gimp.PDBStatusType.SUCCESS, result.index(1)
Gimp.file_save(Gimp.RunMode.NONINTERACTIVE, image, Gio.File.new_for_path("{dst}"), None)
image.delete()
'''

CASES = [(mode, method) for mode in ("RGB", "RGBA")
         for method in ("spectral", "paper", "learned", "learned-cnn")]

try:
    files = {}
    for mode, method in CASES:
        src = gimp.path(f"in-{mode}.png")
        write_test_png(src, 40, 24, mode)
        files[mode, method] = (src, gimp.path(f"sf-{mode}-{method}.png"),
                               gimp.path(f"py-{mode}-{method}.png"))
    # One GIMP for all the Script-Fu calls, one for all the Python-Fu ones.
    gimp.scheme(*[SCRIPT_FU.format(src=src, dst=sf, method=method)
                  for (mode, method), (src, sf, py) in files.items()])
    gimp.python("\n".join(PYTHON_FU.format(src=src, dst=py, method=method)
                          for (mode, method), (src, sf, py) in files.items()))

    for (mode, method), (src, sf, py) in files.items():
        tag = f"{mode} {method}"
        a, b = read_png(sf), read_png(py)
        check(a.shape[:2] == (48, 80), f"{tag}: Script-Fu result is 80x48")
        check(a.shape == b.shape and np.array_equal(a, b),
              f"{tag}: Script-Fu and Python-Fu agree")
        if cli:
            ref = gimp.path(f"cli-{mode}-{method}.png")
            subprocess.run([cli, "upscale", "-q", "--scale", "2",
                            "--method", method, "--filter", "bicubic",
                            src, ref], check=True)
            c = read_png(ref)
            diff = (np.abs(a.astype(int) - c.astype(int)).max()
                    if a.shape == c.shape else -1)
            check(diff == 0, f"{tag}: GIMP equals the CLI pixel for pixel "
                             f"(max difference {diff})")
    if not cli:
        print("note: the CLI was not built; the CLI comparison did not run")
finally:
    gimp.close()
finish()
