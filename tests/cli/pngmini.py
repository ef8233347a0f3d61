"""pngmini - a small PNG encoder and decoder on zlib alone, so the CLI tests
check dctdiff's files with a decoder that shares no code with libpng and
need no package beyond Python itself.

decode() handles what dctdiff writes (non-interlaced, colour types 0, 2, 4,
6 at 8 or 16 bits, any filter); encode() writes every colour type and bit
depth that the tests feed in (palettes, 1-bit gray, tRNS, Adam7)."""
import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


# Adam7 passes: (x start, y start, x step, y step)
ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
         (0, 1, 1, 2))


def _pack_rows(width, height, ch, depth, samples):
    """Filter-0 scanlines of a sub-image, bit-packed below 8 bits."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        row = samples[y * width * ch:(y + 1) * width * ch]
        if depth == 16:
            raw += struct.pack(">%dH" % len(row), *row)
        elif depth == 8:
            raw += bytes(row)
        else:
            per_byte = 8 // depth
            for i in range(0, len(row), per_byte):
                b = 0
                for j, v in enumerate(row[i:i + per_byte]):
                    b |= v << (8 - depth * (j + 1))
                raw.append(b)
    return raw


def encode(width, height, color_type, depth, samples, palette=None, trns=None, interlace=False):
    """samples: a flat list, row-major, CHANNELS[color_type] values per pixel
    (palette indices for type 3).  Rows use filter 0; interlace writes the
    seven Adam7 passes."""
    ch = CHANNELS[color_type]
    if not interlace:
        raw = _pack_rows(width, height, ch, depth, samples)
    else:
        raw = bytearray()
        for x0, y0, dx, dy in ADAM7:
            xs, ys = range(x0, width, dx), range(y0, height, dy)
            if not xs or not ys:
                continue
            sub = [samples[(y * width + x) * ch + c] for y in ys for x in xs for c in range(ch)]
            raw += _pack_rows(len(xs), len(ys), ch, depth, sub)
    out = SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0,
                                                 1 if interlace else 0))
    if palette is not None:
        out += chunk(b"PLTE", bytes(v for rgb in palette for v in rgb))
    if trns is not None:
        out += chunk(b"tRNS", bytes(trns))
    return out + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b"")


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(kind, line, prev, bpp):
    out = bytearray(line)
    for i in range(len(out)):
        a = out[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if kind == 1:
            out[i] = (out[i] + a) & 255
        elif kind == 2:
            out[i] = (out[i] + b) & 255
        elif kind == 3:
            out[i] = (out[i] + ((a + b) >> 1)) & 255
        elif kind == 4:
            out[i] = (out[i] + _paeth(a, b, c)) & 255
        elif kind != 0:
            raise ValueError("bad filter type %d" % kind)
    return out


def decode(data):
    """-> dict(width, height, channels, depth, samples: flat list)."""
    if data[:8] != SIGNATURE:
        raise ValueError("not a PNG")
    pos, idat, ihdr, ended = 8, bytearray(), None, False
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise ValueError("CRC error in %r" % kind)
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            ended = True
        pos += 12 + length
    if ihdr is None or not ended:
        raise ValueError("missing IHDR or IEND")
    width, height, depth, color_type, _, _, interlace = ihdr
    if color_type not in (0, 2, 4, 6) or depth not in (8, 16) or interlace:
        raise ValueError("pngmini cannot decode type %d depth %d interlace %d"
                         % (color_type, depth, interlace))
    ch = CHANNELS[color_type]
    bpp = ch * depth // 8
    stride = width * bpp
    raw = zlib.decompress(bytes(idat))
    if len(raw) != height * (stride + 1):
        raise ValueError("image data is %d bytes, expected %d" % (len(raw), height * (stride + 1)))
    prev, samples = bytearray(stride), []
    for y in range(height):
        start = y * (stride + 1)
        line = _unfilter(raw[start], raw[start + 1:start + 1 + stride], prev, bpp)
        samples += struct.unpack(">%dH" % (stride // 2), line) if depth == 16 else line
        prev = line
    return dict(width=width, height=height, channels=ch, depth=depth, samples=list(samples))
