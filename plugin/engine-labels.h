/* engine-labels.h - the English labels of the engine's name tables
 * (dctdiff_upscale_methods, dctdiff_downscale_filters, dctdiff_samplers),
 * listed here only so that xgettext puts them into po/dctdiff.pot; the
 * plug-in translates them at run time (plugin_choice_from_table).  Keep in
 * step with engine/upscale/upscaler.c and engine/generate/generate.c. */
#if 0
N_("Paper (DCTdiff 4x4 blocks, x2)")
N_("Spectral (seamless, any size)")
N_("Learned (spectral plus trained detail)")
N_("Learned CNN (learned plus a small network)")
N_("Bicubic")
N_("Box (area average)")
N_("None (sharp or unknown source)")
N_("DPM-Solver (official, fast)")
N_("DDIM (deterministic)")
N_("Euler (probability-flow ODE)")
N_("Euler-Maruyama (stochastic)")
N_("DPM-Solver++ 2M (multistep)")
N_("DPM-Solver++ 3M (multistep)")
N_("UniPC (multistep, predictor-corrector)")
#endif
