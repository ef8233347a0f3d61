#!/bin/sh
# train_all.sh LIB OUT [TRAIN] - every `learned` model, at low priority on one core:
# x2 and x4 from the research sets (../shared/bench/train, less a 20-photo
# BSD200 validation split) and from the redistributable Debian photos
# (photos.py).  Resumable: rerun after a stop.  Run inside a Debian 13 root.
set -eu
lib=$1 out=$2
here=$(dirname "$0")
train=${3:-$here/../../../shared/bench/train/images}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
mkdir -p "$out"
[ -d "$out/photos" ] || python3 "$here/photos.py" "$out"
val=$(ls "$train" | grep '^bsd200_' | tail -20)
research="T91, General-100 and BSD200 less 20 validation photos (../shared/bench/train)"
debian="photographs of Debian wallpaper packages, listed in weights/learned/photos.tsv"
for f in 2 4; do
    nice -n 19 python3 "$here/train.py" --lib "$lib" --factor $f --images "$out/photos" \
        --state "$out/debian-x$f.npz" --out "$out/debian-x$f.safetensors" \
        --data "$debian" --licence "GPL-3.0-or-later, as the project (the photos: GPL-2+, LGPL-3, CC-BY-4.0, CC-BY-SA-3.0/4.0, CC0-1.0; authors in the model card)"
    nice -n 19 python3 "$here/train.py" --lib "$lib" --factor $f --images "$train" \
        --exclude $val --state "$out/research-x$f.npz" --out "$out/research-x$f.safetensors" \
        --data "$research" --licence "research use only (training photos carry no licence)"
done
