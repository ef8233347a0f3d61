#!/usr/bin/python3
"""train_cnn.py - trains the `learned-cnn` upscaler (cnn_reference.py): a
small convolutional network on the small image's luma that predicts, as
factor^2 sub-pixel channels, what the `learned` (hashed filters) upscale
still misses.

Each step replaces one entry of a pool of training pairs: a random photo in
one of its 8 flips and rotations, shrunk by PIL's bicubic (the benchmark's
protocol) and enlarged by libdctdiff's `learned` method; the target is the
true luma minus that upscale's luma.  A batch is random patches of the pool.
Loss: mean squared error (PSNR's).  The last layer starts at zero, so the
network starts at `learned`'s output and training only has to add to it.

One thread, CPU; resumable: the checkpoint (model, optimiser, step, random
states) is written every --save-every-min minutes and at the end, and a rerun
with the same --checkpoint continues from it.  --export writes the model file
from a checkpoint without training.

  OMP_NUM_THREADS=1 nice -n 19 python3 weights/learned/train_cnn.py \
      --lib build/engine/libdctdiff.so --images DIR --factor 2 \
      --checkpoint runs/cnn-x2.pt --out learned-cnn-x2.safetensors \
      --data "..." --licence "..."
"""
import argparse
import math
import os
import random
import sys
import time

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', '..', 'tests', 'bench'))
import cnn_reference  # noqa: E402
import reference  # noqa: E402
from libdctdiff import Lib  # noqa: E402


def load(path):
    return np.array(Image.open(path).convert('RGB'))


def pair(lib, hr, factor, k):
    """(small luma, f^2 x h x w luma residual over `learned`) of dihedral copy k."""
    h, w = hr.shape[0] // factor * factor, hr.shape[1] // factor * factor
    base = hr[:h, :w]
    img = np.ascontiguousarray(np.rot90(base if k < 4 else base[:, ::-1], k % 4))
    lr = np.array(Image.fromarray(img).resize((img.shape[1] // factor,
                                               img.shape[0] // factor), Image.BICUBIC))
    up = lib.upscale(lr, img.shape[1], img.shape[0], method='learned', threads=1,
                     dtype=np.float32)
    res = reference.luma(img.astype(np.float32) / np.float32(255)) - reference.luma(up)
    return reference.luma(lr.astype(np.float32) / np.float32(255)), cnn_reference.to_phases(
        res, factor)


class Pool:
    """Training pairs, one replaced per step: fresh data at one upscale per step."""

    def __init__(self, lib, files, factor, size, rng, need):
        self.lib, self.files, self.factor, self.rng, self.need = lib, files, factor, rng, need
        self.items = [self.fresh() for _ in range(size)]

    def fresh(self):
        while True:
            f = self.files[self.rng.randrange(len(self.files))]
            y, res = pair(self.lib, load(f), self.factor, self.rng.randrange(8))
            if min(y.shape) >= self.need:
                return torch.from_numpy(y), torch.from_numpy(res)

    def refresh(self):
        self.items[self.rng.randrange(len(self.items))] = self.fresh()

    def batch(self, n, patch, margin):
        xs, ts = [], []
        for _ in range(n):
            y, res = self.items[self.rng.randrange(len(self.items))]
            i = self.rng.randrange(y.shape[0] - patch - 2 * margin + 1)
            j = self.rng.randrange(y.shape[1] - patch - 2 * margin + 1)
            xs.append(y[i:i + patch + 2 * margin, j:j + patch + 2 * margin])
            ts.append(res[:, i + margin:i + margin + patch, j + margin:j + margin + patch])
        return torch.stack(xs)[:, None], torch.stack(ts)


def validation(lib, files, factor):
    return [pair(lib, load(f), factor, 0) for f in files]


def gain_db(net, val, margin):
    """PSNR gain (luma, borders of `margin` small pixels left out) over `learned`."""
    before = after = 0.0
    with torch.no_grad():
        for y, res in val:
            t = torch.from_numpy(res)[:, margin:-margin, margin:-margin]
            p = net(torch.from_numpy(y)[None, None])[0]
            before += float((t ** 2).mean())
            after += float(((t - p) ** 2).mean())
    return 10 * math.log10(before / after)


def save(path, state):
    torch.save(state, path + '.tmp')
    os.replace(path + '.tmp', path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--lib', required=True)
    ap.add_argument('--images', required=True, nargs='+', help='folders of PNG photos')
    ap.add_argument('--exclude', nargs='*', default=[], help='file names left out')
    ap.add_argument('--validate', nargs='*', default=[], help='PNG photos to report gains on')
    ap.add_argument('--factor', type=int, default=2)
    ap.add_argument('--width', type=int, default=16, help='channels of the hidden layers')
    ap.add_argument('--kernels', default=','.join(map(str, cnn_reference.KERNELS)),
                    help='kernel size of each layer')
    ap.add_argument('--patch', type=int, default=24, help='small-image patch (outputs)')
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--pool', type=int, default=48)
    ap.add_argument('--refresh-every', type=int, default=4, help='steps per new pool entry')
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--steps', type=int, default=40000, help='length of the cosine schedule')
    ap.add_argument('--stop-after-min', type=float, default=0, help='wall minutes, 0: none')
    ap.add_argument('--save-every-min', type=float, default=5)
    ap.add_argument('--checkpoint', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--export', action='store_true', help='write --out from the checkpoint')
    ap.add_argument('--data', required=True, help='training data, for the metadata')
    ap.add_argument('--licence', required=True, help='licence of the weights, for the metadata')
    args = ap.parse_args()
    torch.set_num_threads(1)
    ck = torch.load(args.checkpoint, weights_only=False) if os.path.exists(
        args.checkpoint) else None
    if ck:  # the checkpoint's network, whatever --width and --kernels say
        args.width, args.kernels = ck['width'], ','.join(map(str, ck['kernels']))
    kernels = [int(k) for k in args.kernels.split(',')]
    net = cnn_reference.Net(args.factor, args.width, kernels)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    step, rng = 0, random.Random(args.factor)
    torch.manual_seed(args.factor)
    if ck:
        net.load_state_dict(ck['model'])
        opt.load_state_dict(ck['optimiser'])
        step = ck['step']
        rng.setstate(ck['rng'])
        torch.set_rng_state(ck['torch_rng'])
        print('resumed at step', step, flush=True)
    training = 'weights/learned/train_cnn.py --width %d --kernels %s --patch %d --batch %d ' \
               '--pool %d --refresh-every %d --lr %g --steps %d' % (
                   args.width, args.kernels, args.patch, args.batch, args.pool,
                   args.refresh_every, args.lr, args.steps)
    state = lambda: {'model': net.state_dict(), 'optimiser': opt.state_dict(), 'step': step,
                     'rng': rng.getstate(), 'torch_rng': torch.get_rng_state(),
                     'factor': args.factor, 'width': args.width, 'kernels': kernels,
                     'training': training}
    if args.export:
        cnn_reference.save_model(net, args.out, step, args.data, args.licence, training)
        print('wrote', args.out, 'at step', step)
        return
    lib = Lib(args.lib)
    files = sorted(os.path.join(d, f) for d in args.images for f in os.listdir(d)
                   if f.endswith('.png') and f not in args.exclude)
    margin = net.radius
    val = validation(lib, args.validate, args.factor)
    pool = Pool(lib, files, args.factor, args.pool, rng, args.patch + 2 * margin)
    start = saved = time.time()
    loss_sum, loss_n = 0.0, 0
    while step < args.steps:
        for g in opt.param_groups:
            g['lr'] = args.lr * 0.5 * (1 + math.cos(math.pi * step / args.steps))
        x, t = pool.batch(args.batch, args.patch, margin)
        loss = torch.mean((net(x) - t) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % args.refresh_every == 0:
            pool.refresh()
        loss_sum, loss_n = loss_sum + float(loss), loss_n + 1
        now = time.time()
        done = args.stop_after_min and now - start > args.stop_after_min * 60
        if now - saved > args.save_every_min * 60 or step == args.steps or done:
            save(args.checkpoint, state())
            gain = ' val gain %.3f dB' % gain_db(net, val, margin) if val else ''
            print('step %d loss %.3e%s' % (step, loss_sum / loss_n, gain), flush=True)
            loss_sum, loss_n, saved = 0.0, 0, now
        if done:
            break
    cnn_reference.save_model(net, args.out, step, args.data, args.licence, training)
    print('wrote', args.out, 'at step', step, flush=True)


if __name__ == '__main__':
    main()
