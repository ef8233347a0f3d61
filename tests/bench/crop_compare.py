#!/usr/bin/python3
"""crop_compare.py - the picture of docs/learned-crop.png: one crop of a
benchmark photo shrunk x4 by PIL's bicubic, enlarged back by bicubic,
Lanczos-3 (ImageMagick), spectral, learned and learned-cnn, beside the
original; each panel magnified x2 without smoothing and labelled.

Usage: crop_compare.py LIBDCTDIFF.so PHOTO.png OUT.png [--box X Y W H] [--scale 4]
"""
import argparse
import os
import sys
import tempfile

import numpy as np
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench_quality import lanczos3  # noqa: E402
from libdctdiff import Lib  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('lib')
    ap.add_argument('photo')
    ap.add_argument('out')
    ap.add_argument('--box', type=int, nargs=4, default=[270, 140, 128, 128])
    ap.add_argument('--scale', type=int, default=4)
    args = ap.parse_args()
    lib, f = Lib(args.lib), args.scale
    hr = np.array(Image.open(args.photo).convert('RGB'))
    h, w = hr.shape[0] // f * f, hr.shape[1] // f * f
    hr = hr[:h, :w]
    lr = np.array(Image.fromarray(hr).resize((w // f, h // f), Image.BICUBIC))
    with tempfile.TemporaryDirectory() as tmp:
        panels = [
            ('bicubic', np.array(Image.fromarray(lr).resize((w, h), Image.BICUBIC))),
            ('Lanczos-3', lanczos3(lr, w, h, tmp)),
            ('spectral', lib.upscale(lr, w, h, method='spectral')),
            ('learned', lib.upscale(lr, w, h, method='learned')),
            ('learned-cnn', lib.upscale(lr, w, h, method='learned-cnn')),
            ('original', hr),
        ]
    x, y, cw, ch = args.box
    zoom, label = 2, 18
    sheet = Image.new('RGB', (len(panels) * (cw * zoom + 4), ch * zoom + label), 'white')
    draw = ImageDraw.Draw(sheet)
    for i, (name, img) in enumerate(panels):
        crop = Image.fromarray(img[y:y + ch, x:x + cw]).resize((cw * zoom, ch * zoom),
                                                              Image.NEAREST)
        sheet.paste(crop, (i * (cw * zoom + 4), label))
        draw.text((i * (cw * zoom + 4) + 4, 3), '%s (x%d)' % (name, f) if name != 'original'
                  else name, fill='black')
    sheet.save(args.out, optimize=True)


if __name__ == '__main__':
    main()
