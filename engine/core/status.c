/* status.c - error messages and small shared helpers. */
#include "core/status.h"

#include <stdarg.h>
#include <stdio.h>

const char *dctdiff_status_name(dctdiff_status s)
{
    switch (s) {
    case DCTDIFF_OK: return "ok";
    case DCTDIFF_E_ARG: return "bad-argument";
    case DCTDIFF_E_IO: return "io-error";
    case DCTDIFF_E_FORMAT: return "bad-format";
    case DCTDIFF_E_NOMEM: return "out-of-memory";
    case DCTDIFF_E_CANCELLED: return "cancelled";
    case DCTDIFF_E_UNSUPPORTED: return "unsupported";
    }
    return "unknown";
}

dctdiff_status dd_fail(dctdiff_error *err, dctdiff_status s, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->status = s;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return s;
}

size_t dd_mul_size(size_t n, size_t size, dctdiff_error *err)
{
    if (size != 0 && n > SIZE_MAX / size) {
        dd_fail(err, DCTDIFF_E_NOMEM, "size overflow: %zu x %zu bytes", n, size);
        return 0;
    }
    return n * size;
}
