"""cnn_reference.py - the `learned-cnn` upscaler's model in PyTorch.

The small image's luma Y (0.299 R + 0.587 G + 0.114 B, in [0, 1]) goes
through convolutions with ReLU between them and no biases, the first layer's
kernels summing to zero: the network sees gradients only, a flat image gets
no residual (stays flat), and the residual scales with the contrast.  The
last layer
has factor^2 channels, one per sub-pixel phase: channel (r % f) * f + x % f at
small pixel (r / f, x / f) is the luma residual of output pixel (r, x) over
the `learned` (hashed filters) upscale.  The residual is added to every colour
channel of that upscale, which moves luma alone (the luma weights sum to 1);
chroma and alpha stay `learned`'s, i.e. spectral's.

The convolutions are unpadded; a whole image is padded first by the
network's radius with its edge repeated (the engine does the same, so strips
need only a halo of `radius` small rows).  engine/upscale/learned_cnn.c
computes this file's `upscale_luma_residual`, and tests/fixtures/
make_learned_cnn_fixture.py checks both agree to float32 rounding.
"""
import json
import struct

import numpy as np
import torch

KERNELS = (5, 3, 3, 3, 3, 3)  # the default; a file's tensors give its own


class Net(torch.nn.Module):
    def __init__(self, factor, width, kernels=KERNELS):
        super().__init__()
        chans = [1] + [width] * (len(kernels) - 1) + [factor * factor]
        self.convs = torch.nn.ModuleList(
            torch.nn.Conv2d(chans[i], chans[i + 1], k, bias=False)
            for i, k in enumerate(kernels))
        torch.nn.init.zeros_(self.convs[-1].weight)
        self.factor, self.width, self.kernels = factor, width, tuple(kernels)
        self.radius = sum(k // 2 for k in kernels)

    def weights(self):
        """The effective kernels: the first layer's less their means."""
        w = [c.weight for c in self.convs]
        return [w[0] - w[0].mean(dim=(2, 3), keepdim=True)] + w[1:]

    def forward(self, y):
        """y: N x 1 x H x W -> N x f^2 x (H - 2 radius) x (W - 2 radius)."""
        x = y
        for i, w in enumerate(self.weights()):
            x = torch.nn.functional.conv2d(x, w)
            if i < len(self.convs) - 1:
                x = torch.relu(x)
        return x


def to_phases(res, f):
    """H x W residual -> f^2 x H/f x W/f, channel (r % f) * f + x % f."""
    h, w = res.shape[0] // f, res.shape[1] // f
    return np.ascontiguousarray(res.reshape(h, f, w, f).transpose(1, 3, 0, 2)
                                .reshape(f * f, h, w))


def from_phases(ph, f):
    n, h, w = ph.shape
    return ph.reshape(f, f, h, w).transpose(2, 0, 3, 1).reshape(h * f, w * f)


def upscale_luma_residual(net, small_luma):
    """The output-size luma residual of a whole small image (H x W float32)."""
    r = net.radius
    p = np.pad(small_luma, r, mode='edge')
    with torch.no_grad():
        ph = net(torch.from_numpy(np.ascontiguousarray(p))[None, None])[0].numpy()
    return from_phases(ph, net.factor)


def write_safetensors(path, tensors, meta):
    """F32 tensors, in the format's layout (the training root lacks the
    safetensors package)."""
    header, blobs, at = {'__metadata__': meta}, [], 0
    for name, a in tensors.items():
        b = np.ascontiguousarray(a, '<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(a.shape), 'data_offsets': [at, at + len(b)]}
        blobs.append(b)
        at += len(b)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


def read_safetensors(path):
    with open(path, 'rb') as f:
        raw = f.read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop('__metadata__', {})
    body = raw[8 + n:]
    return {k: np.frombuffer(body[v['data_offsets'][0]:v['data_offsets'][1]], '<f4')
            .reshape(v['shape']) for k, v in header.items()}, meta


def save_model(net, path, step, data, licence, training):
    with torch.no_grad():
        tensors = {'conv%d.weight' % i: w.detach().numpy().copy()
                   for i, w in enumerate(net.weights())}
    meta = {'format': 'dctdiff-learned-upscale', 'version': '1',
            'layout': 'cnn-residual', 'base': 'learned/bicubic',
            'factor': str(net.factor), 'width': str(net.width),
            'kernels': json.dumps(list(net.kernels)), 'activation': 'relu', 'bias': 'none',
            'training_data': data, 'licence': licence,
            'training': training, 'steps': str(step),
            'parameters': str(sum(t.size for t in tensors.values()))}
    write_safetensors(path, tensors, meta)


def load_model(path):
    tensors, meta = read_safetensors(path)
    net = Net(int(meta['factor']), int(meta['width']), json.loads(meta['kernels']))
    for i, c in enumerate(net.convs):
        c.weight.data.copy_(torch.from_numpy(tensors['conv%d.weight' % i].copy()))
    return net
