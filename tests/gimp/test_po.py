"""Every language in po/LINGUAS translates every user-visible string of the
current sources: the catalogue is extracted afresh from po/POTFILES, each
.po is merged against it, and none may have an untranslated or fuzzy entry.

Usage: test_po.py PLUGIN_DIR [CLI]   (run from tests/gimp)"""
import os
import re
import subprocess
import sys
import tempfile

from gimptest import check, finish

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PO = os.path.join(ROOT, "po")

with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, "dctdiff.pot")
    subprocess.run(["xgettext", "--from-code=UTF-8", "--keyword=_", "--keyword=N_",
                    "-D", ROOT, "-f", os.path.join(PO, "POTFILES"), "-o", pot],
                   check=True)
    with open(os.path.join(PO, "LINGUAS")) as f:
        languages = f.read().split()
    check(sorted(languages) == ["de", "es", "fr", "it", "ja", "pt_BR", "ru", "zh_CN"],
          f"po/LINGUAS lists the eight languages ({' '.join(languages)})")
    for lang in languages:
        merged = os.path.join(tmp, f"{lang}.po")
        subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged,
                        os.path.join(PO, f"{lang}.po"), pot], check=True)
        stats = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull,
                                merged], stderr=subprocess.PIPE, text=True)
        complete = (stats.returncode == 0 and
                    re.fullmatch(r"\d+ translated messages?\.\s*", stats.stderr))
        check(complete, f"{lang}: complete and valid ({stats.stderr.strip()})")
finish()
