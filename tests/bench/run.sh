#!/bin/sh
# run.sh BUILD_DIR - every benchmark, one after another (`ninja -C build bench`).
# DCTDIFF_BENCH_IMAGES overrides the image folder (default: ../shared/bench/images
# beside the source tree); PYTHON the interpreter (it needs numpy, scipy, PIL).
set -e
here=$(dirname "$0")
py=${PYTHON:-/usr/bin/python3}
images=${DCTDIFF_BENCH_IMAGES:-$here/../../../shared/bench/images}
"$py" "$here/bench_quality.py" "$1/engine/libdctdiff.so" --images "$images"
"$py" "$here/bench_speed.py" "$1" --images "$images/Kodak24"
