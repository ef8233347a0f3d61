"""reference.py - the `learned` upscaler's model in numpy: hashed residual
filters over the spectral method (RAISR-style, Romano et al. 2016).

The spectral upscale S of the small image is computed first (by libdctdiff).
On its luma Y every output pixel is hashed by the local gradient structure:
the angle, strength and coherence of the structure tensor summed over a
window, and the pixel's phase on the factor's grid.  Each bucket holds one
linear filter, fitted in closed form (weights/learned/train.py), that maps the
patch of Y around the pixel to the luma detail spectral missed; the detail is
added to every colour channel, which changes luma alone (the luma weights sum
to 1).  Chroma and alpha stay spectral's.  engine/upscale/learned.c follows
this file operation for operation; tests/fixtures/make_learned_fixtures.py
checks the two agree.

Features are computed in float64 from float32 luma so that both sides pick
the same bucket; the filters run in float32.
"""
import numpy as np

LUMA = (np.float32(0.299), np.float32(0.587), np.float32(0.114))


def luma(rgb):
    """rgb: H x W x C float32 (C = 1 or 2: gray; 3 or 4: colour)."""
    if rgb.shape[2] < 3:
        return rgb[..., 0].copy()
    return LUMA[0] * rgb[..., 0] + LUMA[1] * rgb[..., 1] + LUMA[2] * rgb[..., 2]


def clamped(y, r):
    return np.pad(y, r, mode='edge')


def structure(y, window):
    """Angle bucket fraction in [0, 1), strength and coherence per pixel."""
    g = len(window) // 2
    p = clamped(y.astype(np.float64), 1 + g)
    gx = (p[1:-1, 2:] - p[1:-1, :-2]) * 0.5
    gy = (p[2:, 1:-1] - p[:-2, 1:-1]) * 0.5
    w = np.asarray(window, np.float64)

    def wsum(a):  # separable window, rows then columns, taps in order
        h, wd = a.shape[0] - 2 * g, a.shape[1] - 2 * g
        rows = sum(w[t] * a[:, t:t + wd] for t in range(2 * g + 1))
        return sum(w[t] * rows[t:t + h, :] for t in range(2 * g + 1))
    a, b, d = wsum(gx * gx), wsum(gx * gy), wsum(gy * gy)
    root = np.sqrt((a - d) * (a - d) + 4.0 * b * b)
    l1, l2 = (a + d + root) * 0.5, np.maximum((a + d - root) * 0.5, 0.0)
    s1, s2 = np.sqrt(l1), np.sqrt(l2)
    angle = (np.arctan2(2.0 * b, a - d) * 0.5 + np.pi / 2) / np.pi
    coherence = np.where(s1 + s2 > 0, (s1 - s2) / np.where(s1 + s2 > 0, s1 + s2, 1.0), 0.0)
    return np.minimum(angle, np.nextafter(1.0, 0.0)), s1, coherence


def buckets(y, model):
    """Bucket index of every pixel of y (output coordinates start at row0)."""
    angle, strength, coherence = structure(y, model['window'])
    qa, f = model['angles'], model['factor']
    a = np.minimum((angle * qa).astype(np.int64), qa - 1)
    s = np.searchsorted(model['strength_edges'], strength, side='right')
    c = np.searchsorted(model['coherence_edges'], coherence, side='right')
    qs, qc = len(model['strength_edges']) + 1, len(model['coherence_edges']) + 1
    h, w = y.shape
    rows = (np.arange(h) + model.get('row0', 0)) % f
    phase = rows[:, None] * f + (np.arange(w) % f)[None, :]
    return ((phase * qa + a) * qs + s) * qc + c


def patches(y, radius):
    k = 2 * radius + 1
    p = clamped(y, radius)
    v = np.lib.stride_tricks.sliding_window_view(p, (k, k))
    return v.reshape(y.shape[0], y.shape[1], k * k)


def detail(y, model):
    """Luma detail to add to spectral's output (float32, H x W)."""
    idx = buckets(y, model)
    pt = patches(y.astype(np.float32), model['radius'])
    filt = model['filters'].reshape(-1, pt.shape[2])
    return np.einsum('hwk,hwk->hw', pt, filt[idx], dtype=np.float32)


def apply(spectral_rgb, model):
    """spectral_rgb: H x W x C float32 spectral output (range 1)."""
    out = spectral_rgb.copy()
    d = detail(luma(spectral_rgb), model)
    colour = 1 if out.shape[2] < 3 else 3
    out[..., :colour] += d[..., None]
    return out


def load(path):
    """The model dict of a safetensors file written by train.py."""
    from safetensors import safe_open
    with safe_open(path, 'np') as f:
        meta = f.metadata()
        t = {k: f.get_tensor(k) for k in f.keys()}
    return {'factor': int(meta['factor']), 'radius': int(meta['radius']),
            'window': t['window'].astype(np.float64), 'angles': t['filters'].shape[1],
            'strength_edges': t['strength_edges'].astype(np.float64),
            'coherence_edges': t['coherence_edges'].astype(np.float64),
            'filters': t['filters'], 'meta': meta}
