/* names.c - every public name table of the engine in one place: the stable
 * names the CLI, the GIMP procedures and model metadata use, and the short
 * English labels of menus.  The labels are marked with N_() so that the
 * plug-in's po/ catalogue extracts them from here (po/POTFILES); the
 * library itself never translates, the plug-in does (gettext on a label). */
#include "dctdiff.h"

#include <string.h>

#define N_(text) text

static const dctdiff_enum_entry upscale_methods[] = {
    { DCTDIFF_UPSCALE_PAPER, "paper", N_("Paper (DCTdiff 4x4 blocks, x2)") },
    { DCTDIFF_UPSCALE_SPECTRAL, "spectral", N_("Spectral (seamless, any size)") },
    { DCTDIFF_UPSCALE_LEARNED, "learned", N_("Learned (spectral plus trained detail)") },
    { DCTDIFF_UPSCALE_LEARNED_CNN, "learned-cnn",
      N_("Learned CNN (learned plus a small network)") },
    { 0, NULL, NULL },
};

static const dctdiff_enum_entry downscale_filters[] = {
    { DCTDIFF_DOWNSCALE_BICUBIC, "bicubic", N_("Bicubic") },
    { DCTDIFF_DOWNSCALE_BOX, "box", N_("Box (area average)") },
    { DCTDIFF_DOWNSCALE_NONE, "none", N_("None (sharp or unknown source)") },
    { 0, NULL, NULL },
};

static const dctdiff_enum_entry samplers[] = {
    { DCTDIFF_SAMPLER_DPM_SOLVER, "dpm-solver", N_("DPM-Solver (official, fast)") },
    { DCTDIFF_SAMPLER_DDIM, "ddim", N_("DDIM (deterministic)") },
    { DCTDIFF_SAMPLER_EULER_ODE, "euler-ode", N_("Euler (probability-flow ODE)") },
    { DCTDIFF_SAMPLER_EULER_SDE, "euler-sde", N_("Euler-Maruyama (stochastic)") },
    { DCTDIFF_SAMPLER_DPMPP_2M, "dpm-solver++-2m", N_("DPM-Solver++ 2M (multistep)") },
    { DCTDIFF_SAMPLER_DPMPP_3M, "dpm-solver++-3m", N_("DPM-Solver++ 3M (multistep)") },
    { DCTDIFF_SAMPLER_UNIPC, "unipc", N_("UniPC (multistep, predictor-corrector)") },
    { 0, NULL, NULL },
};

static const dctdiff_enum_entry model_default = {
    DCTDIFF_SAMPLER_DEFAULT, "model-default", N_("The model's default")
};

const dctdiff_enum_entry *dctdiff_upscale_methods(void)
{
    return upscale_methods;
}

const dctdiff_enum_entry *dctdiff_downscale_filters(void)
{
    return downscale_filters;
}

const dctdiff_enum_entry *dctdiff_samplers(void)
{
    return samplers;
}

const dctdiff_enum_entry *dctdiff_model_default(void)
{
    return &model_default;
}

int dctdiff_enum_lookup(const dctdiff_enum_entry *table, const char *name)
{
    if (!table || !name)
        return -1;
    for (; table->name; table++)
        if (strcmp(table->name, name) == 0)
            return table->value;
    return -1;
}
