#!/usr/bin/env python3
"""CLI tests for `dctdiff upscale`: every error path with real bad files,
and round trips whose outputs are read back with pngmini (and with PIL when
it is installed).  Each case is one meson test:

    test_cli.py DCTDIFF CASE     run one case (exit 0 = pass)
    test_cli.py --list           print the case names

Runs on Python 3.11+ with the standard library only."""
import os
import pty
import select
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pngmini  # noqa: E402

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


# ---------------------------------------------------------------------------
# Helpers


def run(args, **kw):
    return subprocess.run([DCTDIFF] + args, capture_output=True, text=True, timeout=120, **kw)


def gradient(w, h, ch, maxval):
    """A smooth ramp, different per channel, so scaling has something to keep."""
    return [((x * 7 + y * 5 + c * 40) * maxval // (7 * w + 5 * h + 160)) for y in range(h)
            for x in range(w) for c in range(ch)]


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def rgb_png(path, w=24, h=16, depth=8):
    write(path, pngmini.encode(w, h, 2, depth, gradient(w, h, 3, (1 << depth) - 1)))


def read_png(path):
    with open(path, "rb") as f:
        return pngmini.decode(f.read())


def leftovers(d, keep):
    return sorted(set(os.listdir(d)) - set(keep))


def expect_error(args, rc, phrase, out):
    """The command fails with exit code rc and one stderr line containing
    phrase, writes nothing to stdout and leaves no out file or temp file."""
    d = os.path.dirname(out)
    before = set(os.listdir(d)) if os.path.isdir(d) else set()
    r = run(args)
    lines = r.stderr.strip().splitlines()
    check(r.returncode == rc, "exit code %d, expected %d (stderr: %r)" % (r.returncode, rc, r.stderr))
    check(len(lines) == 1, "expected one stderr line, got %r" % r.stderr)
    check(lines[0].startswith("dctdiff: "), "message lacks the 'dctdiff: ' prefix: %r" % lines[0])
    check(phrase.lower() in lines[0].lower(), "message %r lacks %r" % (lines[0], phrase))
    check(r.stdout == "", "unexpected stdout %r" % r.stdout)
    check(not os.path.exists(out) or os.path.isdir(out), "%s was written" % out)
    if os.path.isdir(d):
        check(set(os.listdir(d)) == before, "files left behind: %r" % (set(os.listdir(d)) - before))


def expect_ok(args):
    r = run(args)
    check(r.returncode == 0, "exit code %d: %s" % (r.returncode, r.stderr.strip()))
    check(r.stderr == "", "stderr not empty (no progress bar off a terminal): %r" % r.stderr)
    return r


def pil_agrees(path, img):
    """When PIL is there, it must read the same size, depth and pixels."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as im:
        check(im.size == (img["width"], img["height"]), "PIL size %r" % (im.size,))
        im.load()
        if img["depth"] == 8:
            flat = [v for px in im.getdata() for v in (px if isinstance(px, tuple) else (px,))]
            check(flat == img["samples"], "PIL pixels differ from pngmini's")


# ---------------------------------------------------------------------------
# Error paths


@case
def missing_input(t):
    expect_error(["upscale", "-s", "2", t + "/nothere.png", t + "/out.png"], 1,
                 "no such file", t + "/out.png")


@case
def not_a_png(t):
    write(t + "/text.png", b"this is a text file, not an image\n")
    expect_error(["upscale", "-s", "2", t + "/text.png", t + "/out.png"], 1, "not a PNG", t + "/out.png")


@case
def empty_file(t):
    write(t + "/empty.png", b"")
    expect_error(["upscale", "-s", "2", t + "/empty.png", t + "/out.png"], 1, "empty", t + "/out.png")


@case
def truncated_png(t):
    rgb_png(t + "/in.png")
    data = open(t + "/in.png", "rb").read()
    for cut in (12, 40, len(data) // 2, len(data) - 6):
        write(t + "/cut.png", data[:cut])
        expect_error(["upscale", "-s", "2", t + "/cut.png", t + "/out.png"], 1, "truncated",
                     t + "/out.png")


@case
def corrupt_png(t):
    rgb_png(t + "/in.png")
    data = bytearray(open(t + "/in.png", "rb").read())
    data[data.index(b"IDAT") + 6] ^= 0xFF
    write(t + "/bad.png", bytes(data))
    expect_error(["upscale", "-s", "2", t + "/bad.png", t + "/out.png"], 1, "cannot read",
                 t + "/out.png")


@case
def zero_sizes(t):
    rgb_png(t + "/in.png")
    for opts in (["--scale", "0"], ["--width", "0"], ["--height", "0"], ["--width", "-5"],
                 ["--scale", "nan"], ["--scale", "2x"]):
        expect_error(["upscale"] + opts + [t + "/in.png", t + "/out.png"], 2, opts[0],
                     t + "/out.png")


@case
def absurd_sizes(t):
    rgb_png(t + "/in.png", 24, 16)
    expect_error(["upscale", "--width", "65536", t + "/in.png", t + "/out.png"], 2, "--width",
                 t + "/out.png")
    # A factor outside the engine's limits (DCTDIFF_FACTOR_MAX) is a usage error.
    expect_error(["upscale", "--scale", "3000", t + "/in.png", t + "/out.png"], 2, "--scale",
                 t + "/out.png")
    # 1100 x 64 = 70400 > 65535: refused before any allocation.
    write(t + "/wide.png", pngmini.encode(1100, 1, 0, 8, [128] * 1100))
    expect_error(["upscale", "--scale", "64", t + "/wide.png", t + "/out.png"], 1, "limit",
                 t + "/out.png")
    # The kept aspect ratio pushes the other side over the limit.
    write(t + "/tall.png", pngmini.encode(1, 64, 0, 8, [128] * 64))
    expect_error(["upscale", "--width", "2000", t + "/tall.png", t + "/out.png"], 1, "limit",
                 t + "/out.png")


@case
def unwritable_output(t):
    rgb_png(t + "/in.png")
    expect_error(["upscale", "-s", "2", t + "/in.png", t + "/no/such/dir/out.png"], 1,
                 "cannot write", t + "/no/such/dir/out.png")
    os.mkdir(t + "/adir")
    expect_error(["upscale", "-s", "2", t + "/in.png", t + "/adir"], 1, "directory", t + "/adir")


@case
def bad_usage(t):
    rgb_png(t + "/in.png")
    out = t + "/out.png"
    cases = [
        (["upscale", "--bogus", "-s", "2", t + "/in.png", out], "--bogus"),
        (["upscale", "-Z", "-s", "2", t + "/in.png", out], "-Z"),
        (["upscale", "--method", "lanczos", "-s", "2", t + "/in.png", out], "lanczos"),
        (["upscale", "--filter", "gauss", "-s", "2", t + "/in.png", out], "gauss"),
        (["upscale", "--depth", "12", "-s", "2", t + "/in.png", out], "--depth"),
        (["upscale", "--threads", "many", "-s", "2", t + "/in.png", out], "--threads"),
        (["upscale", "-s", "2", t + "/in.png"], "expected IN.png and OUT.png"),
        (["upscale", t + "/in.png", out], "no output size"),
        (["upscale", "-s", "2", "--width", "10", t + "/in.png", out], "not both"),
        (["upscale", t + "/in.png", out, "--scale"], "needs a value"),
        (["frobnicate"], "unknown command"),
    ]
    for args, phrase in cases:
        expect_error(args, 2, phrase, out)


@case
def unknown_name_lists_choices(t):
    """An unknown method lists exactly the names that --help shows."""
    rgb_png(t + "/in.png")
    r = run(["upscale", "--method", "nope", "-s", "2", t + "/in.png", t + "/out.png"])
    check(r.returncode == 2, "exit code %d" % r.returncode)
    choices = r.stderr.split("choose ")[-1].strip().rstrip(")").split("|")
    check(len(choices) >= 2, "choices %r" % choices)
    h = run(["upscale", "--help"]).stdout
    for name in choices:
        check(name in h, "--help lacks method %r" % name)


@case
def existing_output_kept_on_failure(t):
    write(t + "/out.png", b"precious")
    write(t + "/text.png", b"not a png")
    r = run(["upscale", "-s", "2", t + "/text.png", t + "/out.png"])
    check(r.returncode == 1, "exit code %d" % r.returncode)
    check(open(t + "/out.png", "rb").read() == b"precious", "existing OUT was changed")


@case
def engine_refusal_leaves_no_output(t):
    """A size the method cannot make (the paper method only doubles) fails
    after OUT's temp file exists: the temp file goes, an old OUT stays."""
    rgb_png(t + "/in.png")
    expect_error(["upscale", "--method", "paper", "--scale", "3", t + "/in.png", t + "/out.png"],
                 1, "paper", t + "/out.png")
    write(t + "/old.png", b"precious")
    r = run(["upscale", "--method", "paper", "--scale", "3", t + "/in.png", t + "/old.png"])
    check(r.returncode == 1, "exit code %d" % r.returncode)
    check(open(t + "/old.png", "rb").read() == b"precious", "existing OUT was changed")
    check(leftovers(t, ["in.png", "old.png"]) == [], "left behind: %r" % leftovers(t, ["in.png", "old.png"]))


@case
def interrupt_leaves_no_output(t):
    """Ctrl-C during the work: exit 130, no OUT, no temp file.  stderr is a
    pty, so the progress bar is drawn and tells us the work has started."""
    w, h = 512, 512
    write(t + "/in.png", pngmini.encode(w, h, 0, 8, gradient(w, h, 1, 255)))
    master, slave = pty.openpty()
    # 16384 x 16384 gray: long enough that the signal lands mid-work.
    p = subprocess.Popen([DCTDIFF, "upscale", "-s", "32", t + "/in.png", t + "/out.png"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    seen, deadline = b"", time.time() + 60
    while b"%" not in seen and time.time() < deadline and p.poll() is None:
        if select.select([master], [], [], 0.5)[0]:
            try:
                seen += os.read(master, 4096)
            except OSError:
                break
    check(b"%" in seen, "no progress bar on a terminal (got %r)" % seen)
    check(b"[" in seen and b"]" in seen, "progress output is not a bar: %r" % seen)
    p.send_signal(signal.SIGINT)
    rc = p.wait(timeout=60)
    try:
        while select.select([master], [], [], 0.2)[0]:
            seen += os.read(master, 4096)
    except OSError:
        pass
    os.close(master)
    check(rc == 130, "exit code %d after SIGINT, expected 130 (output %r)" % (rc, seen[-200:]))
    check(b"interrupted" in seen, "no 'interrupted' message: %r" % seen[-200:])
    check(leftovers(t, ["in.png"]) == [], "left behind: %r" % leftovers(t, ["in.png"]))


# ---------------------------------------------------------------------------
# Happy paths

# name: (colour type, depth, palette, tRNS) -> expected (channels, depth) out
FORMATS = {
    "gray8": (0, 8, None, None, 1, 8),
    "gray16": (0, 16, None, None, 1, 16),
    "gray1": (0, 1, None, None, 1, 8),
    "gray_alpha8": (4, 8, None, None, 2, 8),
    "gray_alpha16": (4, 16, None, None, 2, 16),
    "rgb8": (2, 8, None, None, 3, 8),
    "rgb16": (2, 16, None, None, 3, 16),
    "rgba8": (6, 8, None, None, 4, 8),
    "rgba16": (6, 16, None, None, 4, 16),
    "palette": (3, 8, [(255, 0, 0), (0, 255, 0), (0, 0, 255), (9, 9, 9)], None, 3, 8),
    "palette_trns": (3, 4, [(255, 0, 0), (0, 255, 0), (0, 0, 255), (9, 9, 9)], [0, 128], 4, 8),
    "gray_trns": (0, 8, None, [0, 7], 2, 8),
}


def format_input(path, name, w, h):
    ct, depth, palette, trns, _, _ = FORMATS[name]
    ch = pngmini.CHANNELS[ct]
    if palette:
        samples = [(x + y) % len(palette) for y in range(h) for x in range(w)]
    else:
        samples = gradient(w, h, ch, (1 << depth) - 1)
    write(path, pngmini.encode(w, h, ct, depth, samples, palette, trns))


@case
def formats_round_trip(t):
    """Every input format gives an output of twice the size with the
    expected channels and depth, readable by an independent decoder."""
    for name, spec in FORMATS.items():
        format_input(t + "/%s.png" % name, name, 20, 14)
        expect_ok(["upscale", "-s", "2", t + "/%s.png" % name, t + "/%s-x2.png" % name])
        img = read_png(t + "/%s-x2.png" % name)
        got = (img["width"], img["height"], img["channels"], img["depth"])
        check(got == (40, 28, spec[4], spec[5]), "%s: got %r, expected %r" % (name, got, (40, 28) + spec[4:]))
        maxval = (1 << img["depth"]) - 1
        check(all(0 <= v <= maxval for v in img["samples"]), "%s: samples out of range" % name)
        pil_agrees(t + "/%s-x2.png" % name, img)
    check(leftovers(t, [f for n in FORMATS for f in (n + ".png", n + "-x2.png")]) == [],
          "temp files left: %r" % os.listdir(t))


@case
def flat_colour_is_kept(t):
    """A flat image stays flat (within rounding) at 8 and 16 bits, for every
    method that can make the size; a sanity check on the pixels."""
    methods = run(["upscale", "--method", "?", "-s", "2", "x", "y"]).stderr
    methods = methods.split("choose ")[-1].strip().rstrip(")").split("|")
    for depth, tol in ((8, 2), (16, 2 * 257)):
        maxval = (1 << depth) - 1
        colour = [maxval * 2 // 5, maxval * 3 // 5, maxval * 4 // 5, maxval]
        write(t + "/flat.png", pngmini.encode(32, 32, 6, depth, colour * (32 * 32)))
        for m in methods:
            expect_ok(["upscale", "--method", m, "-s", "2", t + "/flat.png", t + "/out.png"])
            img = read_png(t + "/out.png")
            worst = max(abs(v - colour[i % 4]) for i, v in enumerate(img["samples"]))
            check(worst <= tol, "%s, %d bits: flat colour off by %d" % (m, depth, worst))


@case
def interlaced_input(t):
    """An Adam7 file decodes to the same pixels as the plain one: both give
    the same output bytes."""
    w, h = 21, 13
    samples = gradient(w, h, 3, 255)
    write(t + "/plain.png", pngmini.encode(w, h, 2, 8, samples))
    write(t + "/adam7.png", pngmini.encode(w, h, 2, 8, samples, interlace=True))
    expect_ok(["upscale", "-s", "2", t + "/plain.png", t + "/a.png"])
    expect_ok(["upscale", "-s", "2", t + "/adam7.png", t + "/b.png"])
    a, b = read_png(t + "/a.png"), read_png(t + "/b.png")
    check(a["samples"] == b["samples"], "interlaced input gave different pixels")


@case
def depth_option(t):
    rgb_png(t + "/in8.png", depth=8)
    rgb_png(t + "/in16.png", depth=16)
    expect_ok(["upscale", "-s", "2", "--depth", "16", t + "/in8.png", t + "/o16.png"])
    expect_ok(["upscale", "-s", "2", "--depth", "8", t + "/in16.png", t + "/o8.png"])
    a, b = read_png(t + "/o16.png"), read_png(t + "/o8.png")
    check(a["depth"] == 16 and b["depth"] == 8, "depths %d, %d" % (a["depth"], b["depth"]))
    # 8-bit data widened to 16 bits spans the 16-bit range, not 0..255.
    check(max(a["samples"]) > 255 * 16, "16-bit output of 8-bit input is not scaled: max %d"
          % max(a["samples"]))


@case
def size_options(t):
    rgb_png(t + "/in.png", 30, 20)
    for opts, size in ((["--width", "90"], (90, 60)), (["--height", "50"], (75, 50)),
                       (["--width", "41", "--height", "77"], (41, 77)),
                       (["--scale", "1.5"], (45, 30)), (["--scale", "2.5"], (75, 50))):
        expect_ok(["upscale"] + opts + [t + "/in.png", t + "/out.png"])
        img = read_png(t + "/out.png")
        check((img["width"], img["height"]) == size, "%r gave %dx%d, expected %dx%d"
              % ((opts, img["width"], img["height"]) + size))


@case
def threads_same_bytes(t):
    rgb_png(t + "/in.png", 40, 24)
    expect_ok(["upscale", "-s", "2", "--threads", "1", t + "/in.png", t + "/a.png"])
    expect_ok(["upscale", "-s", "2", "--threads", "3", t + "/in.png", t + "/b.png"])
    check(read_png(t + "/a.png")["samples"] == read_png(t + "/b.png")["samples"],
          "pixels differ between 1 and 3 threads")


@case
def overwrites_output(t):
    rgb_png(t + "/in.png")
    write(t + "/out.png", b"old")
    expect_ok(["upscale", "-s", "2", t + "/in.png", t + "/out.png"])
    check(read_png(t + "/out.png")["width"] == 48, "output not replaced")
    check(leftovers(t, ["in.png", "out.png"]) == [], "temp files left: %r" % os.listdir(t))


@case
def help_and_version(t):
    for args in (["--help"], ["upscale", "--help"], ["upscale", "-h"]):
        r = run(args)
        check(r.returncode == 0 and r.stdout.startswith("Usage: dctdiff"), "%r: %r" % (args, r))
    top = run(["--help"]).stdout
    check("upscale" in top, "--help does not list upscale")
    h = run(["upscale", "--help"]).stdout
    for opt in ("--scale", "--width", "--height", "--method", "--filter", "--threads",
                "--depth", "--quiet"):
        check(opt in h, "upscale --help lacks %s" % opt)
    check(h.count("(default)") == 2, "--help should mark one default method and one filter")
    v = run(["--version"])
    check(v.returncode == 0 and v.stdout.startswith("dctdiff ") and v.stdout.count(".") == 2,
          "--version: %r" % v.stdout)
    r = run([])
    check(r.returncode == 2 and "Usage" in r.stderr, "no arguments: %r" % r)


# ---------------------------------------------------------------------------


def main(argv):
    global DCTDIFF
    if argv[1:] == ["--list"]:
        print("\n".join(CASES))
        return 0
    if len(argv) != 3 or argv[2] not in CASES:
        print("usage: test_cli.py DCTDIFF CASE | --list", file=sys.stderr)
        return 2
    DCTDIFF = os.path.abspath(argv[1])
    with tempfile.TemporaryDirectory(prefix="dctdiff-cli-") as t:
        try:
            CASES[argv[2]](t)
        except Failure as e:
            print("FAIL %s: %s" % (argv[2], e))
            return 1
    print("ok %s" % argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
