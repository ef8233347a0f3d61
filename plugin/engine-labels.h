/* engine-labels.h - the English labels of the engine's name tables
 * (dctdiff_upscale_methods, dctdiff_downscale_filters, dctdiff_samplers),
 * listed here only so that xgettext puts them into po/dctdiff.pot; the
 * plug-in translates them at run time with gettext (table->label).
 * Keep in step with the engine's tables. */
#if 0
N_("Paper (x2, 8x8 blocks)")
#endif
