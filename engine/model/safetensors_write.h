/* safetensors_write.h - writes a tensor table as a safetensors file.
 *
 * The header holds __metadata__ first, then the tensors in table order with
 * consecutive data offsets, padded with spaces to a multiple of 8 bytes as
 * the format recommends.  The file is written beside path under a temporary
 * name and renamed into place only when complete. */
#ifndef DCTDIFF_SAFETENSORS_WRITE_H
#define DCTDIFF_SAFETENSORS_WRITE_H

#include "core/status.h"
#include "core/safetensors.h"

dctdiff_status safetensors_write(const char *path, const safetensors_file *f,
                                 const char *const *keys, const char *const *values, int n,
                                 dctdiff_error *err);

#endif
