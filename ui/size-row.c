/* size-row.c - the dialogs' Width / Height row (see size-row.h). */
#include "size-row.h"

#include <glib/gi18n-lib.h>

#include "dctdiff.h"
#include "size-fields.h"

typedef struct
{
  GimpProcedureConfig *config;
  const gchar         *factor_prop;
  SizeFields           fields;
  GtkWidget           *spin[2];
  GtkWidget           *chain;
  gboolean             busy;  /* set while the row itself writes */
} SizeRow;

static void
read_config (SizeRow *r)
{
  g_object_get (r->config, "width", &r->fields.width,
                "height", &r->fields.height, NULL);
  r->fields.factor = 1.0;
  if (r->factor_prop)
    g_object_get (r->config, r->factor_prop, &r->fields.factor, NULL);
}

static void
write_config (SizeRow *r)
{
  r->busy = TRUE;
  g_object_set (r->config, "width", r->fields.width,
                "height", r->fields.height, NULL);
  if (r->factor_prop)
    g_object_set (r->config, r->factor_prop, r->fields.factor, NULL);
  r->busy = FALSE;
}

static void
show (SizeRow *r)
{
  int w, h;

  if (! size_fields_shown (&r->fields, &w, &h))
    return;
  r->busy = TRUE;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (r->spin[0]), w);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (r->spin[1]), h);
  r->busy = FALSE;
}

static void
side_changed (GtkSpinButton *spin, SizeRow *r)
{
  if (r->busy)
    return;
  size_fields_set_side (&r->fields, spin == GTK_SPIN_BUTTON (r->spin[1]),
                        gtk_spin_button_get_value_as_int (spin),
                        gimp_chain_button_get_active (GIMP_CHAIN_BUTTON (r->chain)));
  write_config (r);
  show (r);
}

static void
chain_toggled (GimpChainButton *chain, SizeRow *r)
{
  if (! gimp_chain_button_get_active (chain))
    return;
  size_fields_link (&r->fields);
  write_config (r);
  show (r);
}

/* The factor field was used: the size follows it. */
static void
factor_changed (GObject *config, GParamSpec *pspec, SizeRow *r)
{
  gdouble factor;

  if (r->busy)
    return;
  g_object_get (config, r->factor_prop, &factor, NULL);
  size_fields_set_factor (&r->fields, factor);
  write_config (r);
  show (r);
}

/* Anything else set the sides (a reset, the dialog's Reset button). */
static void
sides_changed (GObject *config, GParamSpec *pspec, SizeRow *r)
{
  if (r->busy)
    return;
  read_config (r);
  show (r);
}

static GtkWidget *
side_spin (GtkGrid *grid, int row, const gchar *mnemonic, const gchar *name,
           SizeRow *r)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);
  GtkWidget *spin  = gtk_spin_button_new_with_range (1, DCTDIFF_SIDE_MAX, 1);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
  gtk_widget_set_name (spin, name);
  gtk_entry_set_width_chars (GTK_ENTRY (spin), 7);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, spin, 1, row, 1, 1);
  g_signal_connect (spin, "value-changed", G_CALLBACK (side_changed), r);
  return spin;
}

static void
row_free (SizeRow *r)
{
  g_signal_handlers_disconnect_by_data (r->config, r);
  g_free (r);
}

GtkWidget *
size_row_new (GimpProcedureConfig *config,
              int                  src_w,
              int                  src_h,
              const gchar         *factor_prop)
{
  SizeRow   *r    = g_new0 (SizeRow, 1);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *unit = gtk_label_new (_("pixels"));
  gchar     *signal;

  r->config       = config;
  r->factor_prop  = factor_prop;
  r->fields.src_w = src_w;
  r->fields.src_h = src_h;
  read_config (r);

  gtk_widget_set_name (grid, "dctdiff-size");
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  r->spin[0] = side_spin (GTK_GRID (grid), 0, _("_Width"), "dctdiff-width", r);
  r->spin[1] = side_spin (GTK_GRID (grid), 1, _("Hei_ght"), "dctdiff-height", r);
  r->chain   = gimp_chain_button_new (GIMP_CHAIN_RIGHT);
  gtk_widget_set_name (r->chain, "dctdiff-chain");
  gimp_chain_button_set_active (GIMP_CHAIN_BUTTON (r->chain),
                                r->fields.width == 0 || r->fields.height == 0);
  gtk_grid_attach (GTK_GRID (grid), r->chain, 2, 0, 1, 2);
  gtk_grid_attach (GTK_GRID (grid), unit, 3, 0, 1, 2);
  g_signal_connect (r->chain, "toggled", G_CALLBACK (chain_toggled), r);

  g_signal_connect (config, "notify::width", G_CALLBACK (sides_changed), r);
  g_signal_connect (config, "notify::height", G_CALLBACK (sides_changed), r);
  if (factor_prop)
    {
      signal = g_strconcat ("notify::", factor_prop, NULL);
      g_signal_connect (config, signal, G_CALLBACK (factor_changed), r);
      g_free (signal);
    }
  g_object_set_data_full (G_OBJECT (grid), "dctdiff-size-row", r,
                          (GDestroyNotify) row_free);
  show (r);
  gtk_container_set_border_width (GTK_CONTAINER (grid), 12);
  gtk_widget_show_all (grid);
  return grid;
}

void
size_row_set_source (GtkWidget *row,
                     int        src_w,
                     int        src_h)
{
  SizeRow *r = g_object_get_data (G_OBJECT (row), "dctdiff-size-row");

  r->fields.src_w = src_w;
  r->fields.src_h = src_h;
  read_config (r);
  show (r);
}
