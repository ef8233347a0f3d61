/* dct.h - orthonormal 2-D DCT-II and its inverse (DCT-III) on square blocks,
 * B = 2, 4, 8 or 16, in the separable form (rows, then columns).
 *
 *   X[u][v] = a(u) a(v) sum_y sum_x p[y][x] cos(pi(2y+1)u/2B) cos(pi(2x+1)v/2B)
 *   a(0) = sqrt(1/B), a(k>0) = sqrt(2/B)
 *
 * u is the vertical frequency (coefficient row), raster index u*B + v. */
#ifndef DCTDIFF_DCT_H
#define DCTDIFF_DCT_H

/* 1 for B in {2, 4, 8, 16}. */
int dct_size_ok(int B);

/* In place on a B*B row-major block.  The float versions compute in float
 * (as the official OpenCV float32 DCT does); the double ones in double. */
void dct_forward_f(float *block, int B);
void dct_inverse_f(float *block, int B);
void dct_forward_d(double *block, int B);
void dct_inverse_d(double *block, int B);

/* The low-to-high frequency order of §1.6 of method.md (JPEG zig-zag, first
 * step to (u=0, v=1)): order[p] = raster index of the p-th coefficient. */
void dct_zigzag(int B, int *order);

#endif
