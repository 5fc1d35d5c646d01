package dev.latent.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's charts as SVG text. Each data element carries its numbers in {@code data-*} attributes
 * (full precision), so a test reads back exactly what a chart was drawn from.
 */
final class Charts {
  static final int WIDE = 1140;
  static final int HALF = 560;
  static final int HEIGHT = 380;

  private Charts() {}

  /** A line through (x[i], y[i]); {@code emphasis} draws it thicker, with its points. */
  record Series(String name, double[] x, double[] y, String colour, boolean emphasis) {}

  /** A marked point (the kept model): a ring and a short text. */
  record Mark(double x, double y, String text, String colour) {}

  /** A component's ellipse in the chart's plane: centre and 2 x 2 covariance [[a, b], [b, c]]. */
  record Ellipse(int component, double cx, double cy, double a, double b, double c) {}

  static String values(double[] v) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      b.append(i == 0 ? "" : " ").append(v[i]);
    }
    return b.toString();
  }

  static String lines(String id, String label, int width, String xTitle, String yTitle, List<Series> series,
      List<Mark> marks, boolean integerX) {
    List<double[]> xs = new ArrayList<>();
    List<double[]> ys = new ArrayList<>();
    for (Series s : series) {
      xs.add(s.x());
      ys.add(s.y());
    }
    for (Mark m : marks) {
      xs.add(new double[] {m.x()});
      ys.add(new double[] {m.y()});
    }
    double[] xr = Scale.extent(integerX ? 0.0 : 0.02, xs.toArray(double[][]::new));
    if (integerX) {
      xr = new double[] {xr[0] - 0.3, xr[1] + 0.3};
    }
    Plot p = new Plot(id, label, width, HEIGHT, 210, xr, Scale.extent(0.06, ys.toArray(double[][]::new)));
    p.axes(xTitle, yTitle, integerX);
    p.openData("data");
    // Thin lines first, so the emphasised one is drawn on top.
    for (int pass = 0; pass < 2; pass++) {
      for (Series s : series) {
        if (s.emphasis() != (pass == 1)) {
          continue;
        }
        double[][] pts = finitePoints(s.x(), s.y(), p);
        String attrs = "class=\"series\" data-name=\"" + Svg.escape(s.name()) + "\" data-x=\"" + values(s.x())
            + "\" data-values=\"" + values(s.y()) + "\" stroke-linejoin=\"round\"";
        p.svg.polyline(pts[0], pts[1], s.colour(), s.emphasis() ? 2.8 : 1.4, attrs
            + (s.emphasis() ? "" : " stroke-opacity=\"0.75\""));
        if (s.emphasis() || pts[0].length <= 30) {
          for (int i = 0; i < pts[0].length; i++) {
            p.svg.circle(pts[0][i], pts[1][i], s.emphasis() ? 3 : 2, s.colour(), null);
          }
        }
      }
    }
    for (Mark m : marks) {
      double mx = p.x.at(m.x());
      double my = p.y.at(m.y());
      p.svg.circle(mx, my, 9, "none", "class=\"mark\" stroke=\"" + m.colour() + "\" stroke-width=\"2.5\" data-x=\""
          + m.x() + "\" data-value=\"" + m.y() + "\"");
    }
    p.svg.close();
    for (Mark m : marks) {
      double mx = p.x.at(m.x());
      double my = p.y.at(m.y());
      boolean below = my < p.top + 30;
      p.svg.text(mx, below ? my + 24 : my - 14, m.text(), 12, "middle", 0,
          "font-family=\"sans-serif\" font-weight=\"bold\" fill=\"" + Plot.AXIS + "\"");
    }
    for (Series s : series) {
      p.legend(s.emphasis() ? "line" : "thin", s.colour(), s.name());
    }
    return p.finish();
  }

  private static double[][] finitePoints(double[] x, double[] y, Plot p) {
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
        n++;
      }
    }
    double[] px = new double[n];
    double[] py = new double[n];
    int j = 0;
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
        px[j] = p.x.at(x[i]);
        py[j++] = p.y.at(y[i]);
      }
    }
    return new double[][] {px, py};
  }

  /**
   * Rows of the sample as dots coloured by cluster, each component's 1- and 2-sigma ellipses, and its
   * mean numbered. The view holds every dot and the 1-sigma ellipses; 2-sigma ellipses may be clipped.
   */
  static String scatter(String id, String label, String xTitle, String yTitle, double[] x, double[] y, int[] cluster,
      int k, List<Ellipse> ellipses, boolean hasCovariances) {
    List<double[]> xs = new ArrayList<>(List.of(x));
    List<double[]> ys = new ArrayList<>(List.of(y));
    for (Ellipse e : ellipses) {
      double sx = Math.sqrt(Math.max(e.a(), 0));
      double sy = Math.sqrt(Math.max(e.c(), 0));
      xs.add(new double[] {e.cx() - sx, e.cx() + sx});
      ys.add(new double[] {e.cy() - sy, e.cy() + sy});
    }
    Plot p = new Plot(id, label, HALF, 440, 0, Scale.extent(0.04, xs.toArray(double[][]::new)),
        Scale.extent(0.04, ys.toArray(double[][]::new)));
    p.axes(xTitle, yTitle, false);
    p.openData("data");
    p.svg.open("class=\"points\" fill-opacity=\"0.55\"");
    for (int i = 0; i < x.length; i++) {
      p.svg.circle(p.x.at(x[i]), p.y.at(y[i]), 2.2, Palette.of(cluster[i]), "class=\"point\" data-cluster=\""
          + cluster[i] + "\"");
    }
    p.svg.close();
    double sx = (p.x.p1 - p.x.p0) / (p.x.hi - p.x.lo);
    double sy = (p.y.p1 - p.y.p0) / (p.y.hi - p.y.lo);
    for (Ellipse e : ellipses) {
      String colour = Palette.of(e.component());
      double cx = p.x.at(e.cx());
      double cy = p.y.at(e.cy());
      if (hasCovariances) {
        // The covariance in pixels: D S D with D = diag(sx, sy) (sy < 0: the y axis points down).
        double a = e.a() * sx * sx;
        double b = e.b() * sx * sy;
        double c = e.c() * sy * sy;
        double mid = (a + c) / 2;
        double rad = Math.sqrt((a - c) * (a - c) / 4 + b * b);
        double l1 = Math.max(mid + rad, 0);
        double l2 = Math.max(mid - rad, 0);
        double angle = Math.toDegrees(0.5 * Math.atan2(2 * b, a - c));
        for (int s = 1; s <= 2; s++) {
          p.svg.ellipse(cx, cy, s * Math.sqrt(l1), s * Math.sqrt(l2), angle, colour, s == 1 ? 2.2 : 1.6,
              "class=\"ellipse\" data-component=\"" + e.component() + "\" data-sigma=\"" + s + "\""
                  + (s == 2 ? " stroke-dasharray=\"6 4\"" : ""));
        }
      }
    }
    p.svg.close();
    for (Ellipse e : ellipses) {
      double cx = p.x.at(e.cx());
      double cy = p.y.at(e.cy());
      p.svg.open("class=\"centre\" data-component=\"" + e.component() + "\" font-family=\"sans-serif\"");
      p.svg.circle(cx, cy, 9, "#ffffff", "stroke=\"" + Palette.of(e.component()) + "\" stroke-width=\"2.5\"");
      p.svg.text(cx, cy + 4, Integer.toString(e.component()), 11, "middle", 0, "font-weight=\"bold\" fill=\"#222222\"");
      p.svg.close();
    }
    return p.finish();
  }

  /**
   * Vertical bars, one per name; {@code reference}, when finite, is a dashed horizontal line labelled
   * {@code referenceText}.
   */
  static String bars(String id, String label, int width, String xTitle, String yTitle, String[] names, double[] v,
      String[] colours, double reference, String referenceText) {
    double hi = 0;
    for (double x : v) {
      hi = Math.max(hi, x);
    }
    if (Double.isFinite(reference)) {
      hi = Math.max(hi, reference);
    }
    Plot p = new Plot(id, label, width, HEIGHT, 0, new double[] {-0.5, v.length - 0.5},
        new double[] {0, hi > 0 ? hi * 1.08 : 1});
    p.axes(xTitle, yTitle, true);
    p.openData("data");
    double bw = Math.max(2, (p.x.at(1) - p.x.at(0)) * 0.7);
    for (int i = 0; i < v.length; i++) {
      double x0 = p.x.at(i) - bw / 2;
      p.svg.rect(x0, p.y.at(v[i]), bw, p.y.at(0) - p.y.at(v[i]), colours[i], "class=\"bar\" data-name=\""
          + Svg.escape(names[i]) + "\" data-value=\"" + v[i] + "\"");
    }
    if (Double.isFinite(reference)) {
      double ry = p.y.at(reference);
      p.svg.line(p.left, ry, p.right, ry, "#b22222", 1.5, "stroke-dasharray=\"6 4\" class=\"reference\"");
    }
    p.svg.close();
    if (Double.isFinite(reference)) {
      p.svg.text(p.right - 4, p.y.at(reference) - 6, referenceText, 12, "end", 0,
          "font-family=\"sans-serif\" fill=\"#b22222\"");
    }
    return p.finish();
  }

  /** A histogram over the bins [edges[i], edges[i+1]); the y axis shows each bin's share in percent. */
  static String histogram(String id, String label, String xTitle, double[] edges, double[] counts) {
    double total = 0;
    for (double c : counts) {
      total += c;
    }
    double hi = 0;
    for (double c : counts) {
      hi = Math.max(hi, total > 0 ? 100 * c / total : 0);
    }
    Plot p = new Plot(id, label, HALF, HEIGHT, 0, new double[] {edges[0], edges[edges.length - 1]},
        new double[] {0, hi > 0 ? hi * 1.08 : 1});
    p.axes(xTitle, "share of rows (%)", false);
    p.openData("data");
    for (int i = 0; i < counts.length; i++) {
      double share = total > 0 ? 100 * counts[i] / total : 0;
      double x0 = p.x.at(edges[i]);
      double x1 = p.x.at(edges[i + 1]);
      p.svg.rect(x0 + 0.5, p.y.at(share), x1 - x0 - 1, p.y.at(0) - p.y.at(share), "#4e79a7", "class=\"bin\" data-lo=\""
          + edges[i] + "\" data-hi=\"" + edges[i + 1] + "\" data-value=\"" + counts[i] + "\"");
      if (counts[i] > 0 && p.y.at(0) - p.y.at(share) < 2) {
        // A bin too small to see still shows that it is not empty.
        p.svg.rect(x0 + 0.5, p.y.at(0) - 2, x1 - x0 - 1, 2, "#4e79a7", null);
      }
    }
    p.svg.close();
    return p.finish();
  }

  /**
   * A K x K matrix as coloured cells, white for 0 to dark blue for {@code scaleMax} (NaN: the largest
   * off-diagonal entry), values written in. The diagonal (a component against itself) is grey.
   */
  static String heatmap(String id, String label, double[][] m, String what, double scaleMax) {
    int k = m.length;
    double max = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        if (i != j && Double.isFinite(m[i][j])) {
          max = Math.max(max, m[i][j]);
        }
      }
    }
    if (Double.isFinite(scaleMax)) {
      max = scaleMax;
    }
    // Cells shrink with K so that the map stays within a laptop-wide page (K = 100: 8 px cells).
    int cell = k <= 23 ? Math.max(18, Math.min(60, 420 / Math.max(1, k))) : Math.max(6, 840 / k);
    int left = 90;
    int top = 40;
    int width = Math.max(HALF, left + k * cell + 150);
    int height = top + k * cell + 70;
    Svg s = new Svg(width, height, id, label);
    s.open("font-family=\"sans-serif\" fill=\"" + Plot.AXIS + "\"");
    s.text(left + k * cell / 2.0, top - 12, "component", 13, "middle", 0, null);
    s.text(24, top + k * cell / 2.0, "component", 13, "middle", -90, null);
    for (int i = 0; i < k; i++) {
      s.text(left + (i + 0.5) * cell, top + k * cell + 16, Integer.toString(i), Plot.FONT, "middle", 0, null);
      s.text(left - 8, top + (i + 0.5) * cell + 4, Integer.toString(i), Plot.FONT, "end", 0, null);
    }
    s.close();
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double v = m[i][j];
        double t = max > 0 && Double.isFinite(v) ? v / max : Double.isFinite(v) ? 0 : 1;
        String fill = i == j ? "#e0e0e0" : Palette.sequential(t);
        s.rect(left + j * cell, top + i * cell, cell - 1, cell - 1, fill, "class=\"cell\" data-row=\""
            + i + "\" data-col=\"" + j + "\" data-value=\"" + v + "\"");
        if (k <= 12) {
          s.text(left + (j + 0.5) * cell, top + (i + 0.5) * cell + 4, i == j ? "–" : short3(v), cell >= 40 ? 11 : 9,
              "middle", 0, "font-family=\"sans-serif\" fill=\"" + (i != j && t > 0.55 ? "#ffffff" : "#222222") + "\"");
        }
      }
    }
    // The colour scale: 0 to the largest entry.
    int lx = left + k * cell + 30;
    int steps = 20;
    double h = k * cell;
    for (int q = 0; q < steps; q++) {
      s.rect(lx, top + h - (q + 1) * h / steps, 16, h / steps + 0.5, Palette.sequential((q + 0.5) / steps), null);
    }
    s.open("font-family=\"sans-serif\" fill=\"" + Plot.AXIS + "\"");
    s.text(lx + 22, top + 10, short3(max), Plot.FONT, "start", 0, null);
    s.text(lx + 22, top + h, "0", Plot.FONT, "start", 0, null);
    s.text(lx, top + h + 34, what, Plot.FONT, "start", 0, null);
    s.close();
    return s.finish();
  }

  static String short3(double v) {
    if (!Double.isFinite(v)) {
      return v > 0 ? "∞" : "–";
    }
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e4 || a < 1e-2) {
      return String.format(Locale.ROOT, "%.2g", v);
    }
    return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
  }
}
