"""libdctdiff.py - call libdctdiff's upscaler from Python (ctypes + numpy).

The benchmarks use this so that quality numbers do not depend on the CLI.
"""
import ctypes as C
import os

import numpy as np

_TYPES = {np.dtype(np.uint8): 0, np.dtype(np.uint16): 1, np.dtype(np.float32): 2}


class Image(C.Structure):
    _fields_ = [("width", C.c_int), ("height", C.c_int), ("channels", C.c_int),
                ("type", C.c_int), ("stride", C.c_size_t), ("data", C.c_void_p)]


class Error(C.Structure):
    _fields_ = [("status", C.c_int), ("msg", C.c_char * 256)]


PROGRESS = C.CFUNCTYPE(C.c_int, C.c_void_p, C.c_int, C.c_int, C.c_char_p)


class Params(C.Structure):
    _fields_ = [("method", C.c_int), ("filter", C.c_int), ("threads", C.c_int),
                ("progress", PROGRESS), ("progress_user", C.c_void_p)]


class Entry(C.Structure):
    _fields_ = [("value", C.c_int), ("name", C.c_char_p), ("label", C.c_char_p)]


class Lib:
    def __init__(self, path):
        self.lib = C.CDLL(os.path.abspath(path))
        self.lib.dctdiff_upscale.argtypes = [C.POINTER(Image), C.POINTER(Image),
                                             C.POINTER(Params), C.POINTER(Error)]
        self.lib.dctdiff_upscale_params_init.argtypes = [C.POINTER(Params)]
        for fn in ("dctdiff_upscale_methods", "dctdiff_downscale_filters"):
            getattr(self.lib, fn).restype = C.POINTER(Entry)

    def _names(self, fn):
        table, out, i = getattr(self.lib, fn)(), {}, 0
        while table[i].name:
            out[table[i].name.decode()] = table[i].value
            i += 1
        return out

    def methods(self):
        return self._names("dctdiff_upscale_methods")

    def filters(self):
        return self._names("dctdiff_downscale_filters")

    def default_method(self):
        p = Params()
        self.lib.dctdiff_upscale_params_init(C.byref(p))
        return {v: k for k, v in self.methods().items()}[p.method]

    def upscale(self, img, width, height, method="spectral", filter="bicubic", threads=0,
                dtype=None):
        """img: HxW or HxWxC array (uint8, uint16 or float32)."""
        src = np.ascontiguousarray(img if img.ndim == 3 else img[:, :, None])
        dst = np.empty((height, width, src.shape[2]), dtype or src.dtype)
        p = Params()
        self.lib.dctdiff_upscale_params_init(C.byref(p))
        p.method, p.filter, p.threads = self.methods()[method], self.filters()[filter], threads
        err = Error()
        st = self.lib.dctdiff_upscale(C.byref(_wrap(src)), C.byref(_wrap(dst)), C.byref(p),
                                      C.byref(err))
        if st != 0:
            raise RuntimeError(err.msg.decode())
        return dst if img.ndim == 3 else dst[:, :, 0]


def _wrap(a):
    return Image(a.shape[1], a.shape[0], a.shape[2], _TYPES[a.dtype], a.strides[0],
                 a.ctypes.data)
