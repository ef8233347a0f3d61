"""An official-layout .pth checkpoint in GIMP, with no conversion step: the
plug-in generates from tests/fixtures/pth/tiny-f32-plain.pth, in the user's
model folder with its config beside it (tiny.json as tiny-official.json),
and the result equals the CLI's `dctdiff generate --model X.pth --config
X.json` pixel for pixel.  A .pth whose config cannot be found fails with the
engine's reason and makes no image.

Usage: test_batch_pth.py PLUGIN_DIR [CLI]"""
import os
import shutil
import subprocess
import sys

import numpy as np

from gimptest import Gimp, check, finish, read_png

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "fixtures", "pth")

plugin_dir = sys.argv[1]
cli = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
gimp = Gimp(plugin_dir, "pth")

RUN = '''
proc = Gimp.get_pdb().lookup_procedure("plug-in-dctdiff-generate")
config = proc.create_config()
config.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
config.set_property("model", Gio.File.new_for_path({model!r}))
config.set_property("steps", 3)
config.set_property("sampler", "ddim")
config.set_property("seed", 7)
result = proc.run(config)
with open({status!r}, "w") as f:
    f.write(result.index(0).value_nick + "\\n" + (result.index(1) if result.index(0) !=
            Gimp.PDBStatusType.SUCCESS else "") + "\\n")
if result.index(0) == Gimp.PDBStatusType.SUCCESS:
    image = result.index(1)
    Gimp.file_save(Gimp.RunMode.NONINTERACTIVE, image, Gio.File.new_for_path({dst!r}), None)
    image.delete()
'''

try:
    models = gimp.user_models()
    pth = os.path.join(models, "tiny-official.pth")
    shutil.copy(os.path.join(FIX, "tiny-f32-plain.pth"), pth)
    shutil.copy(os.path.join(FIX, "tiny.json"), os.path.join(models, "tiny-official.json"))
    lost = os.path.join(models, "no-config.pth")
    shutil.copy(os.path.join(FIX, "tiny-f32-plain.pth"), lost)

    dst, status = gimp.path("pth.png"), gimp.path("status.txt")
    lost_dst, lost_status = gimp.path("lost.png"), gimp.path("lost.txt")
    gimp.python(RUN.format(model=pth, status=status, dst=dst)
                + RUN.format(model=lost, status=lost_status, dst=lost_dst))
    with open(status) as f:
        st = f.read().split("\n")
    check(st[0] == "success", f"generate from a .pth: {st}")
    a = read_png(dst)
    check(a.shape[:2] == (8, 8), f"the .pth's native size 8x8, got {a.shape}")
    with open(lost_status) as f:
        st = f.read().split("\n")
    check(st[0] != "success" and "no published DCTdiff checkpoint" in st[1]
          and not os.path.exists(lost_dst), f"a .pth without config is refused: {st}")
    if cli:
        ref = gimp.path("cli.png")
        subprocess.run([cli, "generate", "-q", "-m", pth, "--config",
                        os.path.join(FIX, "tiny.json"), "-n", "3", "-S", "ddim", "-s", "7",
                        "-o", ref], check=True)
        c = read_png(ref)
        check(a.shape == c.shape and np.array_equal(a, c), "GIMP equals the CLI for the .pth")
    else:
        print("note: the CLI was not built; the CLI comparison did not run")
finally:
    gimp.close()
finish()
