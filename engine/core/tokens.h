/* tokens.h - where each token value sits in the image, for callers that
 * relate tokens to pixels (conditioned sampling, generate/edit.c).  The
 * layout itself is public (dctdiff.h). */
#ifndef DCTDIFF_TOKENS_H
#define DCTDIFF_TOKENS_H

#include "dctdiff.h"

/* Blocks in one token: 6 for 4:2:0, 12 for 4:4:4; each holds low_freqs
 * values, coefficient 0 first, in the layout's low-to-high order. */
int tokens_blocks_per_token(const dctdiff_token_layout *l);

/* The full-resolution pixel square [x0, x0 + side) x [y0, y0 + side) that
 * block b of token t covers (a half-size chroma block covers 2B pixels). */
void tokens_block_footprint(const dctdiff_token_layout *l, int t, int b, int *x0, int *y0,
                            int *side);

#endif
