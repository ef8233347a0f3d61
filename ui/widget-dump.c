/* widget-dump.c - see widget-dump.h.  One line per widget: depth, type,
 * widget name and any visible text; under an entry (a spin button too) a
 * line "=value" with the text typed in it. */
#include "widget-dump.h"

static void dump_widget (GtkWidget *widget, gpointer data);

typedef struct
{
  GString *out;
  int      depth;
} Dump;

/* Labels, buttons, window titles, the chosen entry of a text combo box,
 * and widgets that draw their own label (GimpSpinScale has a "label"
 * property and no GtkLabel child). */
static gchar *
widget_text (GtkWidget *widget)
{
  GParamSpec *label = g_object_class_find_property (G_OBJECT_GET_CLASS (widget),
                                                    "label");
  gchar      *text  = NULL;

  if (GTK_IS_LABEL (widget))
    return g_strdup (gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_WINDOW (widget))
    return g_strdup (gtk_window_get_title (GTK_WINDOW (widget)));
  if (GTK_IS_COMBO_BOX_TEXT (widget))
    return gtk_combo_box_text_get_active_text (GTK_COMBO_BOX_TEXT (widget));
  if (label && label->value_type == G_TYPE_STRING)
    g_object_get (widget, "label", &text, NULL);
  return text;
}

static void
dump_widget (GtkWidget *widget, gpointer data)
{
  Dump  *d    = data;
  gchar *text = widget_text (widget);

  g_string_append_printf (d->out, "%d %s %s %s\n", d->depth,
                          G_OBJECT_TYPE_NAME (widget),
                          gtk_widget_get_name (widget), text ? text : "");
  g_free (text);
  if (GTK_IS_ENTRY (widget))
    g_string_append_printf (d->out, "%d =value %s %s\n", d->depth + 1,
                            gtk_widget_get_name (widget),
                            gtk_entry_get_text (GTK_ENTRY (widget)));
  if (GTK_IS_CONTAINER (widget))
    {
      d->depth++;
      gtk_container_forall (GTK_CONTAINER (widget), dump_widget, d);
      d->depth--;
    }
}

static void
write_dump (GtkWidget *window, const gchar *suffix)
{
  const gchar *name = g_object_get_data (G_OBJECT (window), "dctdiff-dump-name");
  gchar       *file = g_strconcat (name, suffix, ".txt", NULL);
  gchar       *path = g_build_filename (g_getenv ("DCTDIFF_WIDGET_DUMP"), file, NULL);
  Dump         d    = { g_string_new (NULL), 0 };

  dump_widget (window, &d);
  g_file_set_contents (path, d.out->str, -1, NULL);
  g_string_free (d.out, TRUE);
  g_free (path);
  g_free (file);
}

static gboolean
write_shown (gpointer window)
{
  write_dump (window, "");
  g_object_unref (window);
  return G_SOURCE_REMOVE;
}

static void
window_mapped (GtkWidget *window)
{
  /* After the first frame, so late-built parts of the dialog are in. */
  g_timeout_add (500, write_shown, g_object_ref (window));
}

/* What the user left in the fields, for tests that type into them. */
static void
window_unmapped (GtkWidget *window)
{
  write_dump (window, "-closed");
}

void
widget_dump_on_map (GtkWidget   *window,
                    const gchar *name)
{
  if (! g_getenv ("DCTDIFF_WIDGET_DUMP"))
    return;
  g_object_set_data_full (G_OBJECT (window), "dctdiff-dump-name",
                          g_strdup (name), g_free);
  g_signal_connect (window, "map", G_CALLBACK (window_mapped), NULL);
  g_signal_connect (window, "unmap", G_CALLBACK (window_unmapped), NULL);
}
