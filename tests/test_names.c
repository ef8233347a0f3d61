/* test_names.c - the engine's public name tables (core/names.c): each table
 * names every value of its enum once, in order, with a label for menus;
 * lookup finds each name and refuses others; "the model's default" is the
 * one entry outside the sampler table. */
#include "check.h"
#include "dctdiff.h"

#include <string.h>

/* The table has count entries with values 0..count-1 in order, distinct
 * non-empty names of lower-case letters, digits, '-' and '+', and labels;
 * lookup returns each value. */
static void check_table(const char *what, const dctdiff_enum_entry *t, int count)
{
    int n = 0;
    for (; t[n].name; n++) {
        const dctdiff_enum_entry *e = &t[n];
        CHECK(e->value == n, "%s: entry %d has value %d", what, n, e->value);
        CHECK(e->name[0] && strspn(e->name, "abcdefghijklmnopqrstuvwxyz0123456789-+") ==
                                strlen(e->name),
              "%s: name '%s' is not a plain identifier", what, e->name);
        CHECK(e->label && e->label[0], "%s: '%s' has no label", what, e->name);
        CHECK(dctdiff_enum_lookup(t, e->name) == e->value, "%s: lookup of '%s' gives %d",
              what, e->name, dctdiff_enum_lookup(t, e->name));
    }
    CHECK(n == count, "%s: %d entries for %d values", what, n, count);
    CHECK(dctdiff_enum_lookup(t, "no-such-name") == -1 && dctdiff_enum_lookup(t, "") == -1 &&
              dctdiff_enum_lookup(t, NULL) == -1,
          "%s: an unknown name is found", what);
}

int main(void)
{
    check_table("upscale methods", dctdiff_upscale_methods(), DCTDIFF_UPSCALE_COUNT_);
    check_table("downscale filters", dctdiff_downscale_filters(), DCTDIFF_DOWNSCALE_COUNT_);
    check_table("samplers", dctdiff_samplers(), DCTDIFF_SAMPLER_COUNT_);
    CHECK(dctdiff_enum_lookup(NULL, "paper") == -1, "lookup in no table finds a name");

    const dctdiff_enum_entry *t = dctdiff_samplers();
    CHECK(dctdiff_enum_lookup(t, "dpm-solver") == DCTDIFF_SAMPLER_DPM_SOLVER &&
              dctdiff_enum_lookup(t, "ddim") == DCTDIFF_SAMPLER_DDIM &&
              dctdiff_enum_lookup(t, "euler-ode") == DCTDIFF_SAMPLER_EULER_ODE &&
              dctdiff_enum_lookup(t, "euler-sde") == DCTDIFF_SAMPLER_EULER_SDE &&
              dctdiff_enum_lookup(t, "dpm-solver++-2m") == DCTDIFF_SAMPLER_DPMPP_2M &&
              dctdiff_enum_lookup(t, "dpm-solver++-3m") == DCTDIFF_SAMPLER_DPMPP_3M &&
              dctdiff_enum_lookup(t, "unipc") == DCTDIFF_SAMPLER_UNIPC,
          "sampler names");

    const dctdiff_enum_entry *d = dctdiff_model_default();
    CHECK(d->value == DCTDIFF_SAMPLER_DEFAULT && strcmp(d->name, "model-default") == 0 &&
              d->label && d->label[0],
          "the model's default is {%d, %s}", d->value, d->name);
    CHECK(dctdiff_enum_lookup(t, d->name) == -1, "the model's default is in the sampler table");
    CHECK(DCTDIFF_DEFAULT == 0, "DCTDIFF_DEFAULT is %d, documented as 0", DCTDIFF_DEFAULT);

    return check_finish("test_names");
}
