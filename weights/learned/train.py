#!/usr/bin/python3
"""train.py - fits the `learned` upscaler (reference.py) in closed form.

For every training photo, each of its 8 flips and rotations is shrunk by PIL's
bicubic (the benchmark's protocol), enlarged back by libdctdiff's spectral
method, and hashed; a random share of the pixels adds its patch and luma
detail to the normal equations of its bucket.  The filters are the ridge
solutions of those equations; buckets with too few samples keep a zero filter
(spectral's output).  The sums are saved every 25 photos, so a stopped run
resumes where it was (--state); no randomness depends on the order of runs.

  nice -n 19 python3 weights/learned/train.py --lib build/engine/libdctdiff.so \
      --images DIR --factor 2 --state runs/x2.npz --out model.safetensors \
      --data "T91 + General-100" --licence "research use"
"""
import argparse
import json
import os
import sys
import zlib

import numpy as np
from PIL import Image
from safetensors.numpy import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', '..', 'tests', 'bench'))
import reference  # noqa: E402
from libdctdiff import Lib  # noqa: E402


def gaussian(radius, sigma):
    w = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    return (w / w.sum()).astype(np.float32).astype(np.float64)  # as the file holds it


def pairs(lib, hr, factor):
    """(spectral luma, true luma) for the 8 dihedral copies of hr."""
    h, w = hr.shape[0] // factor * factor, hr.shape[1] // factor * factor
    base = hr[:h, :w]
    for k in range(8):
        img = np.ascontiguousarray(np.rot90(base if k < 4 else base[:, ::-1], k % 4))
        lr = np.array(Image.fromarray(img).resize((img.shape[1] // factor,
                                                   img.shape[0] // factor), Image.BICUBIC))
        s = lib.upscale(lr, img.shape[1], img.shape[0], dtype=np.float32)
        yield reference.luma(s), reference.luma(img.astype(np.float32) / np.float32(255))


def edges(lib, files, args, window):
    """Strength and coherence thresholds: tertiles over the first photos."""
    st, co = [], []
    for f in files[:24]:
        y, _ = next(pairs(lib, load(f), args.factor))
        _, s, c = reference.structure(y, window)
        st.append(s.ravel()[::7])
        co.append(c.ravel()[::7])
    st, co = np.concatenate(st), np.concatenate(co)
    q = np.linspace(0, 1, args.strengths + 1)[1:-1]
    q2 = np.linspace(0, 1, args.coherences + 1)[1:-1]
    as32 = lambda a: a.astype(np.float32).astype(np.float64)  # as the file holds them
    return as32(np.quantile(st, q)), as32(np.quantile(co, q2))


def load(path):
    return np.array(Image.open(path).convert('RGB'))


def accumulate(state, model, y, target, rng, share):
    idx = reference.buckets(y, model).ravel()
    keep = np.flatnonzero(rng.random(idx.size) < share)
    keep = keep[np.argsort(idx[keep], kind='stable')]
    idx, t = idx[keep], target.ravel()[keep].astype(np.float64)
    r, w = model['radius'], y.shape[1]
    d = np.arange(-r, r + 1)
    ys = np.clip(keep[:, None, None] // w + d[None, :, None], 0, y.shape[0] - 1)
    xs = np.clip(keep[:, None, None] % w + d[None, None, :], 0, w - 1)
    pt = y[ys, xs].reshape(keep.size, -1).astype(np.float64)
    starts = np.flatnonzero(np.r_[True, idx[1:] != idx[:-1]])
    ends = np.r_[starts[1:], idx.size]
    for a, b in zip(starts, ends):
        k = idx[a]
        p = pt[a:b]
        state['ata'][k] += p.T @ p
        state['atb'][k] += p.T @ t[a:b]
        state['count'][k] += b - a


def solve(state, ridge, min_count):
    n, k = state['atb'].shape
    filters = np.zeros((n, k), np.float32)
    for i in range(n):
        if state['count'][i] < min_count:
            continue
        a = state['ata'][i]
        lam = ridge * np.trace(a) / k + 1e-12
        filters[i] = np.linalg.solve(a + lam * np.eye(k), state['atb'][i])
    return filters


def save_state(path, state, done):
    np.savez(path + '.tmp.npz', done=json.dumps(sorted(done)), **state)
    os.replace(path + '.tmp.npz', path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--lib', required=True)
    ap.add_argument('--images', required=True, nargs='+', help='folders of PNG photos')
    ap.add_argument('--factor', type=int, default=2)
    ap.add_argument('--radius', type=int, default=5, help='filter patch radius')
    ap.add_argument('--window', type=int, default=4, help='structure tensor window radius')
    ap.add_argument('--angles', type=int, default=24)
    ap.add_argument('--strengths', type=int, default=3)
    ap.add_argument('--coherences', type=int, default=3)
    ap.add_argument('--share', type=float, default=0.25, help='share of pixels sampled')
    ap.add_argument('--ridge', type=float, default=1e-3)
    ap.add_argument('--min-count', type=int, default=200)
    ap.add_argument('--state', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--data', required=True, help='training data, for the metadata')
    ap.add_argument('--licence', required=True, help='licence of the weights, for the metadata')
    ap.add_argument('--exclude', nargs='*', default=[], help='file names left out')
    args = ap.parse_args()
    lib = Lib(args.lib)
    files = sorted(os.path.join(d, f) for d in args.images for f in os.listdir(d)
                   if f.endswith('.png') and f not in args.exclude)
    window = gaussian(args.window, args.window / 2.0)
    k = (2 * args.radius + 1) ** 2
    if os.path.exists(args.state):
        z = np.load(args.state)
        state = {n: z[n].copy() for n in ('ata', 'atb', 'count', 'strength_edges',
                                          'coherence_edges')}
        done = set(json.loads(str(z['done'])))
    else:
        se, ce = edges(lib, files, args, window)
        n = args.factor ** 2 * args.angles * args.strengths * args.coherences
        state = {'ata': np.zeros((n, k, k)), 'atb': np.zeros((n, k)),
                 'count': np.zeros(n, np.int64), 'strength_edges': se, 'coherence_edges': ce}
        done = set()
    model = {'factor': args.factor, 'radius': args.radius, 'window': window,
             'angles': args.angles, 'strength_edges': state['strength_edges'],
             'coherence_edges': state['coherence_edges']}
    for i, f in enumerate(files):
        name = os.path.basename(f)
        if name in done:
            continue
        rng = np.random.default_rng(zlib.crc32(name.encode()))
        for y, ref in pairs(lib, load(f), args.factor):
            accumulate(state, model, y, ref - y, rng, args.share)
        done.add(name)
        if len(done) % 25 == 0 or i == len(files) - 1:
            save_state(args.state, state, done)
        print('%d/%d %s' % (i + 1, len(files), name), flush=True)
    filters = solve(state, args.ridge, args.min_count)
    shape = (args.factor ** 2, args.angles, args.strengths, args.coherences, k)
    tensors = {'filters': filters.reshape(shape),
               'window': window.astype(np.float32),
               'strength_edges': state['strength_edges'].astype(np.float32),
               'coherence_edges': state['coherence_edges'].astype(np.float32)}
    meta = {'format': 'dctdiff-learned-upscale', 'version': '1',
            'layout': 'hashed-residual-filters', 'base': 'spectral/bicubic',
            'factor': str(args.factor), 'radius': str(args.radius),
            'training_data': args.data, 'licence': args.licence,
            'training': 'weights/learned/train.py --radius %d --window %d --angles %d '
                        '--strengths %d --coherences %d --share %g --ridge %g --min-count %d'
                        % (args.radius, args.window, args.angles, args.strengths,
                           args.coherences, args.share, args.ridge, args.min_count),
            'samples': str(int(state['count'].sum())),
            'empty_buckets': str(int((state['count'] < args.min_count).sum()))}
    save_file(tensors, args.out, metadata=meta)
    print('wrote', args.out, meta['samples'], 'samples,', meta['empty_buckets'], 'empty buckets')


if __name__ == '__main__':
    main()
