/* edit_image.h - the caller's image on its way to the model and back, for
 * dctdiff_edit: resizing to the model's square in the DCT domain, which
 * token values the mask keeps, and the final composite at full size. */
#ifndef DCTDIFF_EDIT_IMAGE_H
#define DCTDIFF_EDIT_IMAGE_H

#include "dctdiff.h"

/* 1 when img is a usable image of 1 to 4 channels (err names it `what`). */
dctdiff_status edit_image_check(const dctdiff_image *img, const char *what,
                                dctdiff_error *err);

/* init (any size, channels, type) -> rgb, 8-bit RGB at rgb's size. */
dctdiff_status edit_image_to_model(const dctdiff_image *init, dctdiff_image *rgb,
                                   dctdiff_error *err);

/* known[v] for every value v of one sample's tokens: 1 when it is kept from
 * the input: its block's pixels all have mask 0 (mask NULL: none do) at the
 * input's size w x h, or it is one of the first keep_low of its block. */
void edit_image_known(const dctdiff_token_layout *l, const dctdiff_image *mask, int w,
                      int h, int keep_low, unsigned char *known);

/* The generated 8-bit RGB (model size) resized to init's size and blended
 * into out by the mask (NULL: everywhere); out is init's twin. */
dctdiff_status edit_image_composite(const dctdiff_image *gen, const dctdiff_image *init,
                                    const dctdiff_image *mask, dctdiff_image *out,
                                    dctdiff_error *err);

/* out <- init, byte for byte. */
void edit_image_copy(const dctdiff_image *init, dctdiff_image *out);

#endif
