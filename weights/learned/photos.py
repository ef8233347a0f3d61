#!/usr/bin/python3
"""photos.py - the redistributable training photos of the shipped `learned`
model: the photographs of Debian's wallpaper packages listed in photos.tsv
(each with its author and licence, from the package's copyright file).

Downloads the packages with `apt-get download` into OUT/deb, unpacks them,
and writes each listed photo as OUT/photos/NAME.png, shrunk (Lanczos) so its
longer side is at most --size pixels: the wallpapers are JPEGs at 2560 px and
more, and shrinking hides their compression artefacts, which the model would
otherwise learn to reproduce.  Copies each package's copyright file beside
them.  Run inside a Debian 13 root: python3 weights/learned/photos.py OUT
"""
import argparse
import csv
import glob
import os
import shutil
import subprocess

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def listed():
    with open(os.path.join(HERE, 'photos.tsv'), newline='') as f:
        return list(csv.DictReader(f, delimiter='\t'))


def unpack(package, deb_dir):
    root = os.path.join(deb_dir, 'x', package)
    if os.path.isdir(root):
        return root
    if not glob.glob(os.path.join(deb_dir, package + '_*.deb')):
        subprocess.run(['apt-get', 'download', package], cwd=deb_dir, check=True)
    deb = glob.glob(os.path.join(deb_dir, package + '_*.deb'))[0]
    os.makedirs(os.path.dirname(root), exist_ok=True)
    subprocess.run(['dpkg-deb', '-x', deb, root + '.tmp'], check=True)
    os.rename(root + '.tmp', root)
    return root


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--size', type=int, default=1024)
    args = ap.parse_args()
    deb_dir, photo_dir = os.path.join(args.out, 'deb'), os.path.join(args.out, 'photos')
    os.makedirs(deb_dir, exist_ok=True)
    os.makedirs(photo_dir, exist_ok=True)
    for row in listed():
        root = unpack(row['package'], deb_dir)
        shutil.copy(os.path.join(root, 'usr/share/doc', row['package'], 'copyright'),
                    os.path.join(photo_dir, row['package'] + '.copyright'))
        im = Image.open(os.path.join(root, row['path'])).convert('RGB')
        scale = min(1.0, args.size / max(im.size))
        if scale < 1.0:
            im = im.resize((round(im.width * scale), round(im.height * scale)), Image.LANCZOS)
        parts = row['path'].split('/')
        name = parts[-4] if 'contents' in parts else os.path.splitext(parts[-1])[0]
        im.save(os.path.join(photo_dir, name + '.png'))
        print(name, im.size, row['licence'])


if __name__ == '__main__':
    main()
