"""Failures leave the image unchanged and GIMP running:
  - generation from a broken model file fails with a message that names the
    file and the fault, and the same GIMP then carries on with other work;
  - an upscale, or a generation into new layers, whose plug-in process is
    killed mid-way (what the status bar's Cancel does) leaves the image
    exactly as it was.

Usage: test_failure.py PLUGIN_DIR [CLI]"""
import os
import subprocess
import sys
import time

import numpy as np

from gimptest import Gimp, check, finish, kill_group, read_png, write_test_png

plugin_dir = sys.argv[1]
gimp = Gimp(plugin_dir, "failure")

BROKEN_MODEL = r'''
def call(name, **settings):
    proc = Gimp.get_pdb().lookup_procedure(name)
    config = proc.create_config()
    config.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
    for key, value in settings.items():
        config.set_property(key, value)
    result = proc.run(config)
    ok = result.index(0) == Gimp.PDBStatusType.SUCCESS
    return ok, ("" if ok else result.index(1))

ok, message = call("plug-in-dctdiff-generate", model=Gio.File.new_for_path(MODEL))
with open(OUT, "w") as f:
    f.write(("succeeded" if ok else "failed") + "\n" + message + "\n")

image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(SRC))
proc = Gimp.get_pdb().lookup_procedure("plug-in-dctdiff-upscale")
config = proc.create_config()
config.set_property("image", image)
config.set_core_object_array("drawables", image.get_layers())
ok = proc.run(config).index(0) == Gimp.PDBStatusType.SUCCESS
with open(OUT, "a") as f:
    f.write("later upscale %s %dx%d\n" % ("ok" if ok else "failed",
                                          image.get_width(), image.get_height()))
'''

KILLED = r'''
image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(SRC))
proc = Gimp.get_pdb().lookup_procedure("plug-in-dctdiff-upscale")
config = proc.create_config()
config.set_property("image", image)
config.set_core_object_array("drawables", image.get_layers())
config.set_property("factor", 2.0)
open(READY, "w").close()
status = proc.run(config).index(0)
Gimp.file_save(Gimp.RunMode.NONINTERACTIVE, image, Gio.File.new_for_path(DST), None)
with open(OUT, "w") as f:
    f.write("%s %d\n" % (status.value_nick, len(image.get_layers())))
'''


KILLED_GENERATE = r'''
image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(SRC))
proc = Gimp.get_pdb().lookup_procedure("plug-in-dctdiff-generate")
config = proc.create_config()
config.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
config.set_property("image", image)
config.set_property("output", "new-layers")
config.set_property("model", Gio.File.new_for_path(MODEL))
config.set_property("steps", 1000)
config.set_property("count", 8)
open(READY, "w").close()
status = proc.run(config).index(0)
Gimp.file_save(Gimp.RunMode.NONINTERACTIVE, image, Gio.File.new_for_path(DST), None)
with open(OUT, "w") as f:
    f.write("%s %d\n" % (status.value_nick, len(image.get_layers())))
'''


def plugin_pids(session):
    """Processes of our plug-in inside GIMP's session."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if comm == "dctdiff" and int(fields[3]) == session:
            pids.append((int(entry), int(fields[11]) + int(fields[12])))
    return pids


def wait_for(path, proc, seconds):
    end = time.time() + seconds
    while time.time() < end and proc.poll() is None:
        if os.path.exists(path):
            return True
        time.sleep(0.05)
    return False


try:
    # A broken model: a file that is not a safetensors model at all.
    model = os.path.join(gimp.user_models(), "broken.safetensors")
    with open(model, "wb") as f:
        f.write(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json at all}")
    src, out = gimp.path("small.png"), gimp.path("broken.txt")
    write_test_png(src, 24, 16, "RGB")
    gimp.python(f"MODEL = {model!r}\nSRC = {src!r}\nOUT = {out!r}\n" + BROKEN_MODEL)
    with open(out) as f:
        lines = f.read().splitlines()
    check(lines[0] == "failed", "broken model: generation fails")
    check(model in lines[1] and len(lines[1]) > len(model) + 20,
          f"broken model: the message names the file and the fault: {lines[1]!r}")
    check(lines[2] == "later upscale ok 48x32",
          f"broken model: GIMP carries on ({lines[2]})")

    # A kill mid-way, while upscaling and while sampling into new layers.
    # The work is large enough to take a while; the plug-in is killed once
    # it has used some CPU time (20 ticks; starting takes about 10), long
    # before it could reach the commit: 1600x1200 x2 computed in about 11
    # ticks on 16 cores and the kill sometimes came too late, so the upscale
    # is 2400x1800 x2 (about 25).
    model = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "fixtures",
                                         "uvit_b2.safetensors"))
    for what, code, size in (("upscale", KILLED, (2400, 1800)),
                             ("generate", KILLED_GENERATE, (64, 48))):
        src, dst = gimp.path(f"{what}.png"), gimp.path(f"after-kill-{what}.png")
        ready, out = gimp.path(f"ready-{what}"), gimp.path(f"killed-{what}.txt")
        write_test_png(src, *size, "RGB")
        proc = gimp.start("python-fu-eval",
                          f"SRC = {src!r}\nDST = {dst!r}\nREADY = {ready!r}\n"
                          f"OUT = {out!r}\nMODEL = {model!r}\n" + code)
        killed = False
        if wait_for(ready, proc, 120):
            end = time.time() + 120
            while not killed and time.time() < end and proc.poll() is None:
                for pid, ticks in plugin_pids(proc.pid):
                    if ticks >= 20:
                        os.kill(pid, 9)
                        killed = True
                time.sleep(0.02)
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            kill_group(proc)
        check(killed, f"kill {what}: the plug-in was killed while computing")
        check(proc.returncode == 0, f"kill {what}: GIMP finished the batch (rc {proc.returncode})")
        if os.path.exists(out):
            with open(out) as f:
                status, layers = f.read().split()
            check(status != "success", f"kill {what}: the call reports failure ({status})")
            check(layers == "1", f"kill {what}: no layer was added")
        else:
            check(False, f"kill {what}: the batch went on after the kill")
        if os.path.exists(dst):
            check(np.array_equal(read_png(src), read_png(dst)),
                  f"kill {what}: the image is unchanged, pixel for pixel")
finally:
    gimp.close()
finish()
