/* test_output_size.c - dctdiff_output_size, the one output size rule: a
 * factor, one side with the aspect kept, both sides, rounding, and every
 * limit with its message. */
#include "check.h"
#include "dctdiff.h"

#include <math.h>
#include <string.h>

static void expect_size(int sw, int sh, double f, int w, int h, int ew, int eh)
{
    dctdiff_error err = { 0 };
    int ow = -1, oh = -1;
    dctdiff_status s = dctdiff_output_size(sw, sh, f, w, h, &ow, &oh, &err);
    CHECK(s == DCTDIFF_OK && ow == ew && oh == eh,
          "%dx%d factor %g size %dx%d: got %s %dx%d (%s), expected %dx%d", sw, sh, f, w, h,
          dctdiff_status_name(s), ow, oh, err.msg, ew, eh);
}

static void expect_refusal(int sw, int sh, double f, int w, int h, const char *words)
{
    dctdiff_error err = { 0 };
    int ow = -1, oh = -1;
    dctdiff_status s = dctdiff_output_size(sw, sh, f, w, h, &ow, &oh, &err);
    CHECK(s == DCTDIFF_E_ARG && err.status == DCTDIFF_E_ARG && strstr(err.msg, words),
          "%dx%d factor %g size %dx%d: got %s '%s', expected a refusal saying '%s'", sw, sh,
          f, w, h, dctdiff_status_name(s), err.msg, words);
    CHECK(ow == -1 && oh == -1, "a refusal wrote a size %dx%d", ow, oh);
}

int main(void)
{
    /* A factor, rounded half away from zero, as Image > Scale Image does. */
    expect_size(30, 20, 2.0, 0, 0, 60, 40);
    expect_size(30, 20, 1.5, 0, 0, 45, 30);
    expect_size(30, 20, 2.5, 0, 0, 75, 50);
    expect_size(5, 3, 1.5, 0, 0, 8, 5);              /* 7.5 -> 8, 4.5 -> 5 */
    expect_size(30, 20, DCTDIFF_FACTOR_MIN, 0, 0, 1, 1); /* never below 1 pixel */
    expect_size(64, 64, DCTDIFF_FACTOR_MAX, 0, 0, 4096, 4096);
    /* One side: the other keeps the aspect ratio; the factor is ignored. */
    expect_size(30, 20, 7.0, 90, 0, 90, 60);
    expect_size(30, 20, 7.0, 0, 50, 75, 50);
    expect_size(3, 1, 1.0, 0, 1, 3, 1);
    expect_size(1, 64, 1.0, 0, 1, 1, 1);             /* 1/64 of a pixel -> 1 */
    /* Both sides: exactly those, any aspect. */
    expect_size(30, 20, 0.0, 31, 97, 31, 97);
    expect_size(64, 64, 1.0, DCTDIFF_SIDE_MAX, 1, DCTDIFF_SIDE_MAX, 1);
    /* A square source (generated samples): one side makes a square. */
    expect_size(64, 64, 1.0, 0, 200, 200, 200);

    expect_refusal(30, 20, 0.0, 0, 0, "factor 0 is outside the limits");
    expect_refusal(30, 20, -2.0, 0, 0, "outside the limits");
    expect_refusal(30, 20, NAN, 0, 0, "outside the limits");
    expect_refusal(30, 20, DCTDIFF_FACTOR_MAX * 1.001, 0, 0, "outside the limits (0.001 to 64)");
    expect_refusal(30, 20, 2.0, -1, 0, "outside the limits");
    expect_refusal(30, 20, 2.0, DCTDIFF_SIDE_MAX + 1, 0, "65535 a side");
    expect_refusal(1100, 20, 64.0, 0, 0, "70400x1280 pixels; the limit is 65535 a side");
    expect_refusal(1, 64, 1.0, 2000, 0, "2000x128000 pixels");
    expect_refusal(0, 20, 2.0, 0, 0, "source size 0x20");
    return check_finish("test_output_size");
}
