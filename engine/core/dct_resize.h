/* dct_resize.h - resizing a whole image through its DCT-II spectrum.
 *
 * Each axis is taken to the frequency domain by the orthonormal DCT-II of
 * its length, the spectrum is cut (shrinking) or padded with zeros
 * (enlarging) to the new length, scaled by sqrt(new / old) so levels stay,
 * and taken back by the inverse DCT of the new length.  Shrinking keeps
 * exactly the frequencies the small image can hold; enlarging adds none.
 * Sharp edges ring a little (the spectrum is cut, not tapered). */
#ifndef DCTDIFF_DCT_RESIZE_H
#define DCTDIFF_DCT_RESIZE_H

#include "dctdiff.h"

/* src: `planes` planes of w x h floats, one after the other -> dst: the
 * same planes at nw x nh.  Plain loops in double, so the result is the same
 * on every thread count and machine. */
dctdiff_status dct_resize(const float *src, int w, int h, int planes, float *dst, int nw,
                          int nh, dctdiff_error *err);

#endif
