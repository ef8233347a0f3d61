"""DCTdiff tokens in numpy: the reference for engine/core/tokens.c (method.md §1, §2).

An 8-bit RGB image becomes a (T, K) float32 array of tokens and back.  A token
covers a 2B x 2B pixel area and holds its four Y blocks (TL, TR, BL, BR), then
either one block of each half-size chroma plane ('420', the official layout,
K = 6m) or the four blocks of each full-size chroma plane ('444', K = 12m).
Each block keeps its first m zig-zag DCT coefficients, divided by eta.

Every step uses the precision of the official code: float64 colour and chroma
mean, float32 blocks and forward DCT, float64 division by eta stored as float32
tokens; float64 de-scaling and inverse DCT, float32 planes, bilinear chroma and
inverse colour, then clip and floor.
"""
import numpy as np

CHROMA_MODES = ('420', '444')


def zigzag(B):
    """Raster indices u*B + v in JPEG zig-zag order, first step to (u=0, v=1)."""
    order = []
    for s in range(2 * B - 1):
        diag = [(u, s - u) for u in range(B) if 0 <= s - u < B]
        if s % 2 == 0:
            diag.reverse()
        order += [u * B + v for u, v in diag]
    return np.array(order)


def dct_matrix(B):
    """Orthonormal DCT-II basis C[k, n] (float64): X = C P C^T, P = C^T X C."""
    k = np.arange(B)[:, None]
    n = np.arange(B)[None, :]
    C = np.cos(np.pi * (2 * n + 1) * k / (2 * B)) * np.sqrt(2.0 / B)
    C[0] /= np.sqrt(2.0)
    return C


def _check(height, width, block_size, low_freqs, chroma):
    B = block_size
    if B not in (2, 4, 8, 16):
        raise ValueError('block size %r is not 2, 4, 8 or 16' % (B,))
    if height <= 0 or width <= 0 or height % (2 * B) or width % (2 * B):
        raise ValueError('size %dx%d is not a positive multiple of 2B = %d'
                         % (width, height, 2 * B))
    if not 1 <= low_freqs <= B * B:
        raise ValueError('low_freqs %r is outside 1..%d' % (low_freqs, B * B))
    if chroma not in CHROMA_MODES:
        raise ValueError("chroma %r is not '420' or '444'" % (chroma,))


def _to_blocks(plane, B):
    """(h, w) -> (h/B, w/B, B, B): block (i, j) of the plane."""
    h, w = plane.shape
    return plane.reshape(h // B, B, w // B, B).transpose(0, 2, 1, 3)


def _from_blocks(blocks):
    n, m, B, _ = blocks.shape
    return blocks.transpose(0, 2, 1, 3).reshape(n * B, m * B)


def _quads(blocks):
    """(2R, 2M, ...) -> (R*M, 4, ...): per 2x2 group of blocks, TL, TR, BL, BR."""
    n, m, rest = blocks.shape[0], blocks.shape[1], blocks.shape[2:]
    q = blocks.reshape((n // 2, 2, m // 2, 2) + rest).swapaxes(1, 2)
    return q.reshape((n // 2 * (m // 2), 4) + rest)


def _unquads(quads, rows, cols):
    """(R*M, 4, ...) -> (2R, 2M, ...), the inverse of _quads."""
    rest = quads.shape[2:]
    q = quads.reshape((rows, cols, 2, 2) + rest).swapaxes(1, 2)
    return q.reshape((2 * rows, 2 * cols) + rest)


def rgb_to_tokens(img, block_size, low_freqs, eta, chroma='420'):
    """uint8 (H, W, 3) RGB -> (T, K) float32 tokens, T = (H/2B)(W/2B)."""
    if img.dtype != np.uint8 or img.ndim != 3 or img.shape[2] != 3:
        raise ValueError('expected uint8 RGB (H, W, 3), got %s %s' % (img.dtype, img.shape))
    H, W, _ = img.shape
    B, m = block_size, low_freqs
    _check(H, W, B, m, chroma)
    rgb = img.astype(np.float64)
    R, G, Bc = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    Y = 0.299 * R + 0.587 * G + 0.114 * Bc
    Cb = -0.168736 * R - 0.331264 * G + 0.5 * Bc + 128
    Cr = 0.5 * R - 0.418688 * G - 0.081312 * Bc + 128
    if chroma == '420':
        # Exact 2x2 mean, summed TL + TR + BL + BR (OpenCV's INTER_AREA path).
        Cb, Cr = [(((p[0::2, 0::2] + p[0::2, 1::2]) + p[1::2, 0::2]) + p[1::2, 1::2]) * 0.25
                  for p in (Cb, Cr)]

    C = dct_matrix(B).astype(np.float32)
    z = zigzag(B)[:m]

    def coefficients(plane):
        blocks = _to_blocks(plane.astype(np.float32) - np.float32(128), B)
        X = C @ blocks @ C.T                                  # float32 DCT-II
        return X.reshape(X.shape[:2] + (B * B,))[..., z]      # (rows, cols, m)

    slots = [_quads(coefficients(Y))]                         # (T, 4, m)
    for plane in (Cb, Cr):
        X = coefficients(plane)
        slots.append(X.reshape(-1, 1, m) if chroma == '420' else _quads(X))
    # float32 coefficients / float64 eta, then stored as float32 (official).
    tokens = np.concatenate(slots, 1).astype(np.float64) / float(eta)
    return tokens.reshape(tokens.shape[0], -1).astype(np.float32)


def upsample2(plane):
    """float32 (h, w) -> (2h, 2w): half-pixel bilinear, 0.25/0.75 weights,
    edges repeated; horizontal pass, then vertical, each rounded to float32."""
    def up_rows(p):  # doubles axis 0
        a, b = np.float32(0.25), np.float32(0.75)
        out = np.empty((2 * p.shape[0],) + p.shape[1:], np.float32)
        out[0], out[-1] = p[0], p[-1]
        out[1:-1:2] = b * p[:-1] + a * p[1:]   # 2k+1: 0.75 in[k] + 0.25 in[k+1]
        out[2::2] = a * p[:-1] + b * p[1:]     # 2k:   0.25 in[k-1] + 0.75 in[k]
        return out
    horizontal = up_rows(plane.T).T
    return up_rows(horizontal)


def tokens_to_rgb(tokens, height, width, block_size, low_freqs, eta, chroma='420'):
    """(T, K) tokens -> uint8 (height, width, 3) RGB, as the official DCT_to_RGB."""
    B, m = block_size, low_freqs
    _check(height, width, B, m, chroma)
    rows, cols = height // (2 * B), width // (2 * B)
    nb = 6 if chroma == '420' else 12
    t = np.clip(np.asarray(tokens, np.float32), np.float32(-2), np.float32(2))
    t = t.reshape(rows * cols, nb, m)

    X = np.zeros((rows * cols, nb, B * B))
    X[..., zigzag(B)[:m]] = t.astype(np.float64) * float(eta)
    C = dct_matrix(B)
    P = C.T @ X.reshape(rows * cols, nb, B, B) @ C + 128      # float64 DCT-III
    P = P.astype(np.float32)

    Y = _from_blocks(_unquads(P[:, 0:4], rows, cols))
    if chroma == '420':
        Cb, Cr = [upsample2(_from_blocks(P[:, s].reshape(rows, cols, B, B))) for s in (4, 5)]
    else:
        Cb, Cr = [_from_blocks(_unquads(P[:, s:s + 4], rows, cols)) for s in (4, 8)]

    dcb, dcr = Cb - np.float32(128), Cr - np.float32(128)
    R = Y + np.float32(1.402) * dcr
    G = Y - np.float32(0.344136) * dcb - np.float32(0.714136) * dcr
    Bc = Y + np.float32(1.772) * dcb
    rgb = np.stack([R, G, Bc], -1)
    return np.clip(rgb, 0, 255).astype(np.uint8)   # astype truncates: floor
