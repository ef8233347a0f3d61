"""gimptest.py - run a real GIMP 3 on the freshly built plug-in, in batch mode.

Every run gets a throw-away GIMP profile (GIMP3_DIRECTORY) whose
plug-ins/dctdiff links to the build tree's plug-in folder, a throw-away HOME,
an explicit --batch-interpreter, --quit and a timeout, so a test can neither
touch the user's GIMP nor hang.
"""
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

# tests/gimp/meson.build found these.
CONSOLE = os.environ.get("DCTDIFF_GIMP_CONSOLE")
GUI = os.environ.get("DCTDIFF_GIMP_GUI")
VERSION = os.environ.get("DCTDIFF_GIMP_VERSION", "")
# The build's -Db_sanitize; meson sets *SAN_OPTIONS for every build.
SANITIZED = os.environ.get("DCTDIFF_SANITIZE", "none") not in ("", "none")
SANITIZERS = ("ASAN_OPTIONS", "UBSAN_OPTIONS")


class Gimp:
    def __init__(self, plugin_dir, name="gimp"):
        if os.environ.get("DCTDIFF_GIMP_MISSING"):
            fail("GIMP is not installed, so the plug-in cannot be tested (looked for "
                 f"{os.environ['DCTDIFF_GIMP_MISSING']}); install GIMP (Debian: apt-get "
                 "install gimp) and reconfigure, or build with -Dplugin=disabled")
        self.tmp = tempfile.mkdtemp(prefix=f"dctdiff-{name}-")
        self.profile = os.path.join(self.tmp, "profile")
        self.home = os.path.join(self.tmp, "home")
        os.makedirs(os.path.join(self.profile, "plug-ins"))
        os.makedirs(self.home)
        os.symlink(os.path.abspath(plugin_dir),
                   os.path.join(self.profile, "plug-ins", "dctdiff"))
        with open(os.path.join(self.profile, "gimprc"), "w") as f:
            f.write(f'(show-welcome-dialog no)\n(config-version "{VERSION}")\n')
        self.env = {
            "HOME": self.home,
            "GIMP3_DIRECTORY": self.profile,
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "OPENBLAS_NUM_THREADS": "1",
        }
        # A sanitizer build of the plug-in reports into files here, since
        # GIMP does not pass on a plug-in's exit status; any report fails
        # the test (see close).
        # Whole stacks (fast_unwind_on_malloc=0): GLib and GIMP have no
        # frame pointers, and only a whole stack shows whose a leak is.
        self.reports = os.path.join(self.tmp, "sanitizer")
        for key in SANITIZERS if SANITIZED else ():
            self.env[key] = f"{os.environ.get(key, '')}:log_path={self.reports}"
        if SANITIZED:
            self.env["ASAN_OPTIONS"] += ":fast_unwind_on_malloc=0"
        if SANITIZED and "LSAN_OPTIONS" in os.environ:
            self.env["LSAN_OPTIONS"] = os.environ["LSAN_OPTIONS"]

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def user_models(self):
        d = os.path.join(self.profile, "dctdiff", "models")
        os.makedirs(d, exist_ok=True)
        return d

    def command(self, interpreter, exprs, gui=False, images=()):
        cmd = [GUI if gui else CONSOLE, "-n", "--quit",
               f"--batch-interpreter={interpreter}"]
        if not gui:
            cmd.insert(1, "-i")
        for e in exprs:
            cmd += ["-b", e]
        return cmd + list(images)

    def run(self, interpreter, *exprs, timeout=300, expect_rc=0, env=None):
        """Runs the batch; returns (rc, output).  Fails when rc differs."""
        full_env = dict(self.env, **(env or {}))
        p = subprocess.run(["timeout", "-k", "5", str(timeout)] +
                           self.command(interpreter, exprs), env=full_env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        if expect_rc is not None and p.returncode != expect_rc:
            sys.stdout.write(p.stdout)
            fail(f"GIMP exited with {p.returncode}, expected {expect_rc}")
        return p.returncode, p.stdout

    def scheme(self, *exprs, **kw):
        return self.run("plug-in-script-fu-eval", *exprs, **kw)

    def python(self, code, **kw):
        return self.run("python-fu-eval", code, **kw)

    def start(self, interpreter, *exprs, gui=False, images=(), env=None,
              timeout=300):
        """Starts GIMP without waiting; the caller owns the Popen."""
        full_env = dict(self.env, **(env or {}))
        return subprocess.Popen(["timeout", "-k", "5", str(timeout)] +
                                self.command(interpreter, exprs, gui, images),
                                env=full_env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)

    def close(self):
        if SANITIZED:
            findings = []
            for path in sorted(glob.glob(self.reports + ".*")):
                with open(path, errors="replace") as f:
                    findings += our_findings(f.read())
            for text in findings:
                sys.stdout.write(text + "\n")
            check(not findings, f"the plug-in ran clean under its sanitizers "
                                f"({len(findings)} finding(s))")
        shutil.rmtree(self.tmp, ignore_errors=True)


# A frame in our sources, as the sanitizers print it from the build tree.
OUR_FRAME = re.compile(r" in \S+ \.\./(plugin|ui|engine)/")


def our_findings(report):
    """The parts of a sanitizer report that are ours: every error, and each
    leak whose allocation stack passes through our sources.  A leak with no
    such frame was made and kept by GIMP, GEGL or GLib alone (libgimp frees
    neither its plug-in object nor its pipes before exit)."""
    if "ERROR: LeakSanitizer" not in report:
        return [report] if report.strip() else []
    blocks = re.split(r"\n(?=(?:Direct|Indirect) leak of)", report)[1:]
    return [b.strip() for b in blocks if OUR_FRAME.search(b)]


def default_model(plugin_dir):
    """The bundled model the plug-in uses when none is named: the file that
    plugin/common/models.h names DEFAULT_MODEL_FILE, in plugin_dir/models."""
    header = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "..", "..", "plugin", "common", "models.h")
    with open(header) as f:
        name = re.search(r'#define DEFAULT_MODEL_FILE "([^"]+)"', f.read()).group(1)
    return os.path.join(plugin_dir, "models", name)


def kill_group(proc):
    """Ends a GIMP started by Gimp.start, with everything it spawned."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


failures = 0


def check(cond, what):
    global failures
    if cond:
        print(f"ok   {what}")
    else:
        failures += 1
        print(f"FAIL {what}")


def fail(what):
    print(f"FAIL {what}")
    sys.exit(1)


def finish():
    print(f"{failures} failure(s)")
    sys.exit(1 if failures else 0)


# Python for python-fu-eval that the image-type tests share, to go before
# their own code (which defines SRC, the PNG to start from): a procedure run
# that returns (ok, message), every mode x alpha x precision an image can
# have, and an image of one of them whose copy of the background layer,
# `top`, is scaled and offset inside the canvas.
IMAGE_KINDS_CODE = r'''
def run_procedure(name, image, drawables, **settings):
    proc = Gimp.get_pdb().lookup_procedure(name)
    config = proc.create_config()
    config.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
    config.set_property("image", image)
    config.set_core_object_array("drawables", drawables)
    for key, value in settings.items():
        config.set_property(key, value)
    result = proc.run(config)
    ok = result.index(0) == Gimp.PDBStatusType.SUCCESS
    return ok, ("" if ok else result.index(1))

PRECISIONS = {
    "u8-linear": Gimp.Precision.U8_LINEAR, "u8-perceptual": Gimp.Precision.U8_NON_LINEAR,
    "u16-linear": Gimp.Precision.U16_LINEAR, "u16-perceptual": Gimp.Precision.U16_NON_LINEAR,
    "u32-linear": Gimp.Precision.U32_LINEAR, "u32-perceptual": Gimp.Precision.U32_NON_LINEAR,
    "half-linear": Gimp.Precision.HALF_LINEAR, "half-perceptual": Gimp.Precision.HALF_NON_LINEAR,
    "float-linear": Gimp.Precision.FLOAT_LINEAR, "float-perceptual": Gimp.Precision.FLOAT_NON_LINEAR,
}

# (tag, base, alpha, precision) for every kind, tagged "rgb alpha u8-linear".
IMAGE_KINDS = [(f"{base} {'alpha' if alpha else 'opaque'} {pname}", base, alpha, precision)
               for base in ("rgb", "gray") for alpha in (False, True)
               for pname, precision in PRECISIONS.items()]

def build_kind(base, alpha, precision, top_size, top_offsets):
    image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(SRC))
    if base == "gray":
        image.convert_grayscale()
    image.convert_precision(precision)
    bg = image.get_layers()[0]
    if alpha:
        bg.add_alpha()
    top = Gimp.Layer.new_from_drawable(bg, image)
    image.insert_layer(top, None, 0)
    top.scale(*top_size, False)
    top.set_offsets(*top_offsets)
    return image, bg, top
'''


def write_test_png(path, width, height, mode="RGB"):
    """A smooth pattern with hard edges and a soft alpha ramp: content that
    tells DCT upscaling apart from nearest or bilinear resampling."""
    import numpy as np
    from PIL import Image
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = 127.5 + 100 * np.sin(x / 5.0) * np.cos(y / 7.0)
    g = np.where((x // 8 + y // 8) % 2 == 0, 200.0, 60.0)
    b = 255.0 * x / max(width - 1, 1)
    a = 255.0 * (0.25 + 0.75 * y / max(height - 1, 1))
    planes = {"RGB": [r, g, b], "RGBA": [r, g, b, a], "L": [r], "LA": [r, a]}[mode]
    arr = np.clip(np.rint(np.stack(planes, axis=-1)), 0, 255).astype(np.uint8)
    if arr.shape[-1] == 1:
        arr = arr[..., 0]
    Image.fromarray(arr, mode).save(path)


def read_png(path):
    import numpy as np
    from PIL import Image
    return np.asarray(Image.open(path))
