"""TEMPORARY stand-in for weights/dctdiff_py/tokens.py (tokens helper) until it is merged.
Batched numpy tokeniser, method.md sections 1-2."""
import numpy as np


def zigzag(B):
    out = []
    for s in range(2 * B - 1):
        diag = [(u, s - u) for u in range(B) if 0 <= s - u < B]
        if s % 2 == 0:
            diag.reverse()
        out += [u * B + v for u, v in diag]
    return np.array(out)


def dct_matrix(B):
    k = np.arange(B)[:, None]
    n = np.arange(B)[None, :]
    c = np.cos(np.pi * (2 * n + 1) * k / (2 * B)) * np.sqrt(2.0 / B)
    c[0] /= np.sqrt(2.0)
    return c


def _blocks(plane, B):
    n, h, w = plane.shape
    return plane.reshape(n, h // B, B, w // B, B).transpose(0, 1, 3, 2, 4)


def _unblocks(blocks):
    n, a, b, B, _ = blocks.shape
    return blocks.transpose(0, 1, 3, 2, 4).reshape(n, a * B, b * B)


def tokenize(rgb, B, m, eta, chroma="420"):
    rgb = rgb.astype(np.float64)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    cb = -0.168736 * r - 0.331264 * g + 0.5 * b + 128
    cr = 0.5 * r - 0.418688 * g - 0.081312 * b + 128
    if chroma == "420":
        def down(p):
            return (((p[:, 0::2, 0::2] + p[:, 0::2, 1::2]) + p[:, 1::2, 0::2]) + p[:, 1::2, 1::2]) * 0.25
        cb, cr = down(cb), down(cr)
    C = dct_matrix(B).astype(np.float32)
    z = zigzag(B)[:m]

    def coeffs(p):
        blk = _blocks(p.astype(np.float32) - np.float32(128), B)
        X = C @ blk @ C.T
        return X.reshape(*X.shape[:3], B * B)[..., z] / np.float32(eta)

    N = rgb.shape[0]
    Y = coeffs(y)
    M = Y.shape[1] // 2
    Y = Y.reshape(N, M, 2, M, 2, m).transpose(0, 1, 3, 2, 4, 5).reshape(N, M * M, 4 * m)
    parts = [Y]
    for p in (cb, cr):
        c = coeffs(p)
        if chroma == "420":
            parts.append(c.reshape(N, M * M, m))
        else:
            parts.append(c.reshape(N, M, 2, M, 2, m).transpose(0, 1, 3, 2, 4, 5).reshape(N, M * M, 4 * m))
    return np.concatenate(parts, axis=-1).astype(np.float32)


def _up(p):
    def up1(a, axis):
        n = a.shape[axis]
        a = np.moveaxis(a, axis, -1)
        out = np.empty(a.shape[:-1] + (2 * n,), np.float32)
        out[..., 0] = a[..., 0]
        out[..., -1] = a[..., -1]
        out[..., 1:-1:2] = np.float32(0.75) * a[..., :-1] + np.float32(0.25) * a[..., 1:]
        out[..., 2:-1:2] = np.float32(0.25) * a[..., :-1] + np.float32(0.75) * a[..., 1:]
        return np.moveaxis(out, -1, axis)
    return up1(up1(p, 2), 1)


def detokenize(tok, B, m, eta, chroma="420"):
    tok = np.clip(tok.astype(np.float32), -2, 2)
    N, T, K = tok.shape
    M = int(round(np.sqrt(T)))
    C = dct_matrix(B)
    z = zigzag(B)[:m]

    def planes(vals, grid):
        X = np.zeros(vals.shape[:-1] + (B * B,))
        X[..., z] = vals.astype(np.float64) * eta
        X = X.reshape(*vals.shape[:-1], B, B)
        return (_unblocks(C.T @ X @ C) + 128).astype(np.float32)

    def quad(v):
        return v.reshape(N, M, M, 2, 2, m).transpose(0, 1, 3, 2, 4, 5).reshape(N, 2 * M, 2 * M, m)

    y = planes(quad(tok[..., :4 * m]), 2 * M)
    if chroma == "420":
        cb = _up(planes(tok[..., 4 * m:5 * m].reshape(N, M, M, m), M))
        cr = _up(planes(tok[..., 5 * m:6 * m].reshape(N, M, M, m), M))
    else:
        cb = planes(quad(tok[..., 4 * m:8 * m]), 2 * M)
        cr = planes(quad(tok[..., 8 * m:12 * m]), 2 * M)
    dcb, dcr = cb - np.float32(128), cr - np.float32(128)
    r = y + np.float32(1.402) * dcr
    g = y - np.float32(0.344136) * dcb - np.float32(0.714136) * dcr
    b = y + np.float32(1.772) * dcb
    return np.floor(np.clip(np.stack([r, g, b], -1), 0, 255)).astype(np.uint8)
