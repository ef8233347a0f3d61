/* test_dct_resize.c - whole-image resizing through the DCT spectrum
 * (core/dct_resize.c), which edits of other sizes rely on: a band-limited
 * image survives the way down and back, a constant stays, and planes are
 * resized independently. */
#include "check.h"
#include "core/dct_resize.h"

#include <math.h>

enum { W = 50, H = 30, w = 20, h = 12 };

static float wave(int x, int y, int fx, int fy)
{
    return (float)(100 + 30 * cos(M_PI * (2 * x + 1) * fx / (2.0 * W)) +
                   20 * cos(M_PI * (2 * y + 1) * fy / (2.0 * H)));
}

static void check_band_limited(void)
{
    float big[W * H], small_[w * h], back[W * H];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            big[y * W + x] = wave(x, y, 3, 2);
    CHECK(dct_resize(big, W, H, 1, small_, w, h, NULL) == DCTDIFF_OK, "resize down");
    CHECK(dct_resize(small_, w, h, 1, back, W, H, NULL) == DCTDIFF_OK, "resize up");
    check_close("band-limited image down and up", back, big, W * H, 1e-3, 0);
}

static void check_constant(void)
{
    float flat[W * H], flat_small[w * h], want[w * h];
    for (int i = 0; i < W * H; i++)
        flat[i] = 42.0f;
    for (int i = 0; i < w * h; i++)
        want[i] = 42.0f;
    CHECK(dct_resize(flat, W, H, 1, flat_small, w, h, NULL) == DCTDIFF_OK, "resize flat");
    check_close("a constant stays", flat_small, want, w * h, 1e-4, 0);
}

/* Two planes in one call give what each gives alone. */
static void check_planes(void)
{
    static float two[2 * W * H], both[2 * w * h], alone[2 * w * h];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            two[y * W + x] = wave(x, y, 5, 1);
            two[W * H + y * W + x] = wave(x, y, 1, 4);
        }
    CHECK(dct_resize(two, W, H, 2, both, w, h, NULL) == DCTDIFF_OK &&
              dct_resize(two, W, H, 1, alone, w, h, NULL) == DCTDIFF_OK &&
              dct_resize(two + W * H, W, H, 1, alone + w * h, w, h, NULL) == DCTDIFF_OK,
          "resize planes");
    check_close("two planes at once", both, alone, 2 * w * h, 0, 0);
}

int main(void)
{
    check_band_limited();
    check_constant();
    check_planes();
    return check_finish("test_dct_resize");
}
