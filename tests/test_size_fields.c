/* test_size_fields.c - the dialogs' Width / Height / Scale factor fields
 * (plugin/common/size-fields.c): what they show and the values they set,
 * for a factor, a side typed with the chain linked and unlinked, closing
 * the chain, and sizes past the limits. */
#include "check.h"
#include "size-fields.h"

#include <math.h>

static void expect(const SizeFields *f, int ew, int eh, double efactor, const char *what)
{
    int w = -1, h = -1;
    int ok = size_fields_shown(f, &w, &h);
    CHECK(ok && w == ew && h == eh && fabs(f->factor - efactor) < 1e-9,
          "%s: shows %dx%d factor %g (ok %d), expected %dx%d factor %g", what, w, h,
          f->factor, ok, ew, eh, efactor);
}

int main(void)
{
    SizeFields f = { 200, 150, 2.0, 0, 0 };
    int w = 7, h = 9;

    /* A fresh dialog: the real size beside the factor, not 0 x 0. */
    expect(&f, 400, 300, 2.0, "factor 2");
    size_fields_set_factor(&f, 1.5);
    expect(&f, 300, 225, 1.5, "factor 1.5");
    CHECK(f.width == 0 && f.height == 0, "a factor leaves the sides unset (%d, %d)",
          f.width, f.height);

    /* Linked: the other side follows the aspect, the factor the width. */
    size_fields_set_side(&f, 0, 500, 1);
    expect(&f, 500, 375, 2.5, "width 500 linked");
    CHECK(f.width == 500 && f.height == 0, "linked width sets only the width (%d, %d)",
          f.width, f.height);
    size_fields_set_side(&f, 1, 75, 1);
    expect(&f, 100, 75, 0.5, "height 75 linked");

    /* Unlinked: the other side keeps what it showed. */
    size_fields_set_side(&f, 0, 300, 0);
    expect(&f, 300, 75, 1.5, "width 300 unlinked");
    size_fields_set_side(&f, 1, 400, 0);
    expect(&f, 300, 400, 1.5, "height 400 unlinked");
    CHECK(f.width == 300 && f.height == 400, "unlinked sides are both set (%d, %d)",
          f.width, f.height);

    /* Closing the chain brings the aspect back from the width. */
    size_fields_link(&f);
    expect(&f, 300, 225, 1.5, "chain closed");
    size_fields_link(&f);
    expect(&f, 300, 225, 1.5, "chain closed twice");

    /* Past the limits nothing is shown, and w, h stay untouched. */
    size_fields_set_side(&f, 1, 65535, 1);
    CHECK(!size_fields_shown(&f, &w, &h) && w == 7 && h == 9,
          "a width past 65535 is not shown (%dx%d)", w, h);
    CHECK(fabs(f.factor - 1.5) < 1e-9, "the factor stays when the size is refused (%g)",
          f.factor);

    /* A generate dialog's source is the model's native square. */
    SizeFields g = { 64, 64, 1.0, 0, 0 };
    expect(&g, 64, 64, 1.0, "native");
    size_fields_set_side(&g, 0, 128, 1);
    expect(&g, 128, 128, 2.0, "native width 128 linked");
    return check_finish("test_size_fields");
}
