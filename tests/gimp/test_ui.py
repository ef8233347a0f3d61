"""The dialogs in a real GIMP under Xvfb.

  - English: the upscale and generate dialogs open from Python-Fu in
    interactive mode; screenshots are saved and the widgets the plug-in
    lists (DCTDIFF_WIDGET_DUMP) must include the expected ones.  The size
    fields show the real result (the upscale's 2x size, the model's native
    size and default steps), and a width typed into the upscale dialog
    moves its height and factor with it.
  - Undo: on a displayed image, an upscale is undone with Ctrl+Z in the
    image window; the image must come back exactly.
  - German: with a de_DE locale the dialogs show translated labels.

Skipped (exit 77) without Xvfb, xdotool, ImageMagick's import or localedef.
Screenshots go to $DCTDIFF_SCREENSHOTS (meson sets build/tests/gimp/screenshots;
docs/ holds copies).

Usage: test_ui.py PLUGIN_DIR [CLI]"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

import numpy as np

from gimptest import (Gimp, check, default_model, finish, kill_group, read_png,
                      write_test_png)

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE_MODEL = os.path.join(HERE, "..", "fixtures", "uvit_b2.safetensors")

for tool in ("Xvfb", "xdotool", "import", "localedef"):
    if not shutil.which(tool):
        print(f"skip: {tool} is not installed")
        sys.exit(77)

plugin_dir = sys.argv[1]
# The dialog starts on the plug-in's default model, whose steps differ from
# the other bundled model's.
FIRST_MODEL = default_model(plugin_dir)
shots = os.environ.get("DCTDIFF_SCREENSHOTS") or os.path.abspath("screenshots")

OPEN_DIALOGS = r'''
def interactive(name, **settings):
    proc = Gimp.get_pdb().lookup_procedure(name)
    config = proc.create_config()
    config.set_property("run-mode", Gimp.RunMode.INTERACTIVE)
    for key, value in settings.items():
        if key == "drawables":
            config.set_core_object_array(key, value)
        else:
            config.set_property(key, value)
    return proc.run(config).index(0).value_nick

image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(SRC))
Gimp.Display.new(image)
interactive("plug-in-dctdiff-upscale", image=image, drawables=image.get_layers())
# A fresh profile has no last values, so these reach the dialog: enough work
# for the progress window to stay up until the test presses Stop (or 0, the
# model's default, which the dialog shows as the model's number).
status = interactive("plug-in-dctdiff-generate", steps=STEPS, count=8)
with open(STATUS, "w") as f:
    f.write("%s %d\n" % (status, len(Gimp.get_images())))
'''

UNDO = r'''
import time
image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(SRC))
Gimp.Display.new(image)
Gimp.displays_flush()
proc = Gimp.get_pdb().lookup_procedure("plug-in-dctdiff-upscale")
config = proc.create_config()
config.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
config.set_property("image", image)
config.set_core_object_array("drawables", image.get_layers())
config.set_property("factor", 2.0)
proc.run(config)
Gimp.displays_flush()
with open(MARK, "w") as f:
    f.write("%d %d\n" % (image.get_width(), image.get_height()))
end = time.time() + 90
while image.get_width() != 48 and time.time() < end:
    time.sleep(0.2)
Gimp.file_save(Gimp.RunMode.NONINTERACTIVE, image, Gio.File.new_for_path(DST), None)
'''


def start_xvfb():
    for n in range(91, 120):
        if not os.path.exists(f"/tmp/.X11-unix/X{n}") and not os.path.exists(f"/tmp/.X{n}-lock"):
            xvfb = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1280x1024x24",
                                     "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            for _ in range(100):
                if os.path.exists(f"/tmp/.X11-unix/X{n}"):
                    return xvfb, f":{n}"
                time.sleep(0.1)
            xvfb.kill()
    raise RuntimeError("no free X display")


def xdo(display, *args):
    p = subprocess.run(["xdotool", *args], env={"DISPLAY": display},
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return p.stdout.split()


def wait_window(display, title, proc, seconds=120):
    end = time.time() + seconds
    while time.time() < end and proc.poll() is None:
        ids = xdo(display, "search", "--onlyvisible", "--name", title)
        if ids:
            return ids[-1]
        time.sleep(0.3)
    return None


def wait_file(path, proc, seconds=60):
    end = time.time() + seconds
    while time.time() < end and proc.poll() is None:
        if os.path.exists(path):
            return True
        time.sleep(0.2)
    return os.path.exists(path)


def labels(dump_path):
    """Texts of the dumped widgets, mnemonic underscores removed."""
    with open(dump_path) as f:
        return {" ".join(line.split()[3:]).replace("_", "") for line in f}


def names(dump_path):
    with open(dump_path) as f:
        return {line.split()[2] for line in f}


def values(dump_path):
    """What the entries show: by widget name, and by the label of the widget
    that draws its own (a GIMP spin scale)."""
    got, label = {}, None
    with open(dump_path) as f:
        for line in f:
            parts = line.split()
            if len(parts) > 2 and parts[1] == "=value":
                got[parts[2]] = " ".join(parts[3:])
                if label:
                    got[label] = " ".join(parts[3:])
            label = " ".join(parts[3:]).replace("_", "") if len(parts) > 3 else None
    return got


def model_meta(path, key):
    """A number from a model file's metadata."""
    with open(path, "rb") as f:
        header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
    return int(header["__metadata__"][key])


def window_height(display, win):
    out = subprocess.run(["xdotool", "getwindowgeometry", win], env={"DISPLAY": display},
                         stdout=subprocess.PIPE, text=True).stdout
    found = re.search(r"Geometry: (\d+)x(\d+)", out)
    return int(found.group(2)) if found else None


def check_sizes(tag, dialog, dump, steps):
    """The size fields and steps show real numbers, never 0."""
    got = values(dump)
    if dialog == "upscale":
        shown = (got.get("dctdiff-width"), got.get("dctdiff-height"))
        check(shown == ("400", "300"), f"{tag} upscale: a 200x150 image x2 shows 400 x 300 ({shown})")
    else:
        native = str(model_meta(FIRST_MODEL, "dct.resolution"))
        shown = (got.get("dctdiff-width"), got.get("dctdiff-height"))
        check(shown == (native, native), f"{tag} generate: shows the native size {native} ({shown})")
        want = str(steps or model_meta(FIRST_MODEL, "sampler.steps"))
        label = [k for k in got if k in ("Steps", "Schritte")]
        check(label and got[label[0]] == want,
              f"{tag} generate: Steps shows {want} ({label and got[label[0]]})")


def type_width(display, win, dumps, proc):
    """Types 500 into the upscale dialog's Width: height and factor follow."""
    xdo(display, "windowfocus", "--sync", win)
    xdo(display, "key", "--clearmodifiers", "alt+w")
    xdo(display, "key", "--clearmodifiers", "ctrl+a")
    xdo(display, "type", "500")
    xdo(display, "key", "--clearmodifiers", "Tab")
    time.sleep(0.5)
    xdo(display, "key", "--clearmodifiers", "Escape")
    closed = os.path.join(dumps, "upscale-closed.txt")
    if not wait_file(closed, proc, 30):
        check(False, "en upscale: widget list written on close")
        return
    time.sleep(0.5)
    got = values(closed)
    shown = (got.get("dctdiff-width"), got.get("dctdiff-height"), got.get("Scale factor"))
    check(shown[:2] == ("500", "375") and shown[2] and float(shown[2]) == 2.5,
          f"en upscale: width 500 moves height and factor to 375 and 2.5 {shown}")


def show_dialogs(gimp, display, titles, lang_env, tag, expect, steps):
    """Opens both dialogs and checks them; in English also starts sampling
    and stops it with the progress window's Stop button."""
    dumps = gimp.path(f"dump-{tag}")
    os.makedirs(dumps)
    src, status = gimp.path(f"in-{tag}.png"), gimp.path(f"status-{tag}")
    write_test_png(src, 200, 150, "RGB")
    env = dict(lang_env, DISPLAY=display, DCTDIFF_WIDGET_DUMP=dumps)
    proc = gimp.start("python-fu-eval",
                      f"SRC = {src!r}\nSTATUS = {status!r}\nSTEPS = {steps}\n" + OPEN_DIALOGS,
                      gui=True, env=env)
    try:
        for dialog, title in titles.items():
            win = wait_window(display, title, proc)
            check(win is not None, f"{tag}: the {dialog} dialog opens ({title})")
            if win is None:
                return
            dump = os.path.join(dumps, f"{dialog}.txt")
            wait_file(dump, proc, 30)
            time.sleep(1.0)  # let the preview render before the picture
            height = window_height(display, win)
            print(f"{tag} {dialog} dialog: {height} px tall")
            # 3.2's radio frames for short choice lists made it 803 px.
            if dialog == "upscale":
                check(height and height <= 720,
                      f"{tag} upscale: the dialog fits a laptop screen ({height} px)")
            subprocess.run(["import", "-window", win,
                            os.path.join(shots, f"{dialog}-dialog-{tag}.png")],
                           env={"DISPLAY": display}, check=False)
            if os.path.exists(dump):
                got_labels, got_names = labels(dump), names(dump)
                for text in expect[dialog]["labels"]:
                    check(text in got_labels, f"{tag} {dialog}: shows {text!r}")
                for name in expect[dialog].get("names", []):
                    check(name in got_names, f"{tag} {dialog}: has widget {name}")
                check_sizes(tag, dialog, dump, steps)
                if dialog == "generate":
                    # The chosen model was read: it shows its native size, in
                    # every locale (a decimal comma once made it unreadable).
                    sized = [t for t in got_labels if re.fullmatch(r".+ \(\d+ [x×] \d+\)", t)]
                    check(sized, f"{tag} generate: the model is listed with its size {sized}")
            else:
                check(False, f"{tag} {dialog}: widget list written")
            xdo(display, "windowfocus", "--sync", win)
            if dialog == "generate" and tag == "en":
                xdo(display, "key", "--clearmodifiers", "alt+o")
                stop_sampling(display, proc, dumps, status)
            elif dialog == "upscale" and tag == "en":
                type_width(display, win, dumps, proc)
            else:
                xdo(display, "key", "--clearmodifiers", "Escape")
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            kill_group(proc)


def stop_sampling(display, proc, dumps, status):
    win = wait_window(display, "^DCTdiff: generating$", proc, 60)
    check(win is not None, "en: OK starts sampling in a progress window")
    if win is None:
        return
    dump = os.path.join(dumps, "progress.txt")
    wait_file(dump, proc, 30)
    time.sleep(2.0)  # a few preview frames
    subprocess.run(["import", "-window", win, os.path.join(shots, "generate-progress-en.png")],
                   env={"DISPLAY": display}, check=False)
    check(os.path.exists(dump) and "dctdiff-stop" in names(dump),
          "en progress: has the Stop button")
    xdo(display, "windowfocus", "--sync", win)
    xdo(display, "key", "--clearmodifiers", "alt+s")
    if wait_file(status, proc, 120):
        time.sleep(0.5)
        with open(status) as f:
            result, images = f.read().split()
        check(result == "cancel" and images == "1",
              f"en progress: Stop cancels and makes no image ({result}, {images} image(s))")
    else:
        check(False, "en progress: Stop ends the sampling")


def undo_test(gimp, display):
    src, dst, mark = gimp.path("undo-in.png"), gimp.path("undo-out.png"), gimp.path("scaled")
    write_test_png(src, 48, 32, "RGBA")
    proc = gimp.start("python-fu-eval",
                      f"SRC = {src!r}\nDST = {dst!r}\nMARK = {mark!r}\n" + UNDO,
                      gui=True, env={"DISPLAY": display})
    try:
        if not wait_file(mark, proc, 120):
            check(False, "undo: the upscale ran on a displayed image")
            return
        with open(mark) as f:
            check(f.read().split() == ["96", "64"], "undo: the image was upscaled")
        win = wait_window(display, "GIMP$", proc, 60)
        check(win is not None, "undo: the image window is shown")
        if win:
            xdo(display, "windowfocus", "--sync", win)
            xdo(display, "key", "--clearmodifiers", "ctrl+z")
        proc.wait(timeout=120)
        check(os.path.exists(dst) and np.array_equal(read_png(src), read_png(dst)),
              "undo: one Ctrl+Z restores the original exactly")
    finally:
        if proc.poll() is None:
            kill_group(proc)


EXPECT_EN = {
    "upscale": {"labels": ["Scale factor", "Width", "Height", "Method",
                           "Source filter", "Scope", "Zoom:"],
                "names": ["dctdiff-preview", "dctdiff-zoom"]},
    "generate": {"labels": ["Installed models:", "Steps", "SNR scale", "Seed",
                            "Dice", "Sampler", "Number of images"],
                 "names": ["dctdiff-model-chooser", "dctdiff-dice", "dctdiff-size"]},
}
EXPECT_DE = {
    "upscale": {"labels": ["Skalierungsfaktor", "Breite", "Höhe", "Methode",
                           "Quellfilter", "Bereich", "Zoom:"]},
    "generate": {"labels": ["Installierte Modelle:", "Schritte", "SNR-Skalierung",
                            "Startwert", "Würfeln", "Anzahl der Bilder"]},
}

xvfb, display = start_xvfb()
gimp = Gimp(plugin_dir, "ui")
try:
    os.makedirs(shots, exist_ok=True)
    shutil.copy(FIXTURE_MODEL, os.path.join(gimp.user_models(), "tiny-test.safetensors"))

    show_dialogs(gimp, display, {"upscale": "^DCT Upscale$", "generate": "^DCTdiff Generate$"},
                 {}, "en", EXPECT_EN, 1000)
    undo_test(gimp, display)

    locales = gimp.path("locales")
    os.makedirs(locales)
    made = subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8",
                           os.path.join(locales, "de_DE.UTF-8")]).returncode == 0
    check(made, "a de_DE.UTF-8 locale can be made (Debian package: locales)")
    if made:
        show_dialogs(gimp, display,
                     {"upscale": "^DCT-Hochskalierung$", "generate": "^DCTdiff-Generierung$"},
                     {"LOCPATH": locales, "LANG": "de_DE.UTF-8", "LANGUAGE": "de"},
                     "de", EXPECT_DE, 0)
    print(f"screenshots: {shots}")
finally:
    gimp.close()
    xvfb.kill()
    xvfb.wait()
finish()
