package dev.latent.report;

import java.util.Locale;

/** Cluster colours: ten well-separated hues (Tableau 10), then hues spread by the golden angle. */
final class Palette {
  private static final String[] TEN = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
      "#ff9da7", "#9c755f", "#bab0ac"};

  private Palette() {}

  static String of(int j) {
    if (j < TEN.length) {
      return TEN[j];
    }
    double hue = (j * 137.508) % 360.0;
    return String.format(Locale.ROOT, "hsl(%.0f, 60%%, 45%%)", hue);
  }

  /** White to dark blue for t in [0, 1] (a sequential scale for the heat map). */
  static String sequential(double t) {
    t = Math.max(0.0, Math.min(1.0, t));
    int r = (int) Math.round(247 + (8 - 247) * t);
    int g = (int) Math.round(251 + (48 - 251) * t);
    int b = (int) Math.round(255 + (107 - 255) * t);
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }
}
