/* status.h - how the engine reports errors: one message, written by whoever
 * detects the fault, naming the thing at fault; callers only propagate. */
#ifndef DCTDIFF_STATUS_H
#define DCTDIFF_STATUS_H

#include "dctdiff.h"

/* Fills err (which may be NULL) and returns s, so that a failing check reads
 * `return dd_fail(err, DCTDIFF_E_ARG, "width %d is not positive", w);`. */
dctdiff_status dd_fail(dctdiff_error *err, dctdiff_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* n * size, or 0 with a DCTDIFF_E_NOMEM message when it overflows. */
size_t dd_mul_size(size_t n, size_t size, dctdiff_error *err);

#endif
