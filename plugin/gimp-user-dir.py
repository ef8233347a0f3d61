"""gimp-user-dir.py VERSION - print the folder GIMP VERSION (major.minor,
e.g. 3.2) keeps a user's profile in, as GIMP itself finds it: GIMP3_DIRECTORY
when set, else the platform's config folder + GIMP/VERSION.  meson runs this
with its own Python, so it works wherever meson does."""
import os
import sys

version = sys.argv[1]
if os.environ.get("GIMP3_DIRECTORY"):
    print(os.path.abspath(os.environ["GIMP3_DIRECTORY"]))
elif sys.platform == "win32":
    print(os.path.join(os.environ["APPDATA"], "GIMP", version))
elif sys.platform == "darwin":
    print(os.path.join(os.path.expanduser("~"), "Library", "Application Support",
                       "GIMP", version))
else:
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    print(os.path.join(config, "GIMP", version))
