package dev.latent.report;

import java.util.List;
import java.util.Locale;

/** A chart's frame: the plot box, its two scales, grid lines, tick labels, axis titles and a legend column. */
final class Plot {
  static final String AXIS = "#444444";
  static final String GRID = "#e6e6e6";
  static final int FONT = 12;

  final Svg svg;
  final Scale x;
  final Scale y;
  final double left;
  final double top;
  final double right;
  final double bottom;
  private final String clipId;
  private double legendY;

  /**
   * {@code legend} pixels on the right are kept for the legend; {@code xr}, {@code yr} are the data ranges.
   */
  Plot(String id, String label, int width, int height, int legend, double[] xr, double[] yr) {
    svg = new Svg(width, height, id, label);
    left = 78;
    top = 16;
    right = width - legend - 16;
    bottom = height - 52;
    x = new Scale(xr[0], xr[1], left, right);
    y = new Scale(yr[0], yr[1], bottom, top);
    clipId = "clip-" + id;
    legendY = top + 6;
    svg.raw("<defs><clipPath id=\"" + clipId + "\"><rect x=\"" + Svg.num(left) + "\" y=\"" + Svg.num(top)
        + "\" width=\"" + Svg.num(right - left) + "\" height=\"" + Svg.num(bottom - top) + "\"/></clipPath></defs>\n");
    svg.rect(left, top, right - left, bottom - top, "#fcfcfc", "class=\"plot-area\" stroke=\"#cccccc\"");
  }

  /** Grid, ticks and axis titles; integer ticks on x when {@code integerX}. */
  Plot axes(String xTitle, String yTitle, boolean integerX) {
    List<Double> xt = integerX ? x.integerTicks(8) : x.ticks(7);
    List<Double> yt = y.ticks(6);
    double xs = xt.size() > 1 ? xt.get(1) - xt.get(0) : 1;
    double ys = yt.size() > 1 ? yt.get(1) - yt.get(0) : 1;
    svg.open("class=\"axes\" font-family=\"sans-serif\" fill=\"" + AXIS + "\"");
    for (double v : xt) {
      double px = x.at(v);
      svg.line(px, top, px, bottom, GRID, 1, null);
      svg.line(px, bottom, px, bottom + 5, AXIS, 1, null);
      svg.text(px, bottom + 18, integerX ? String.format(Locale.ROOT, "%.0f", v) : Scale.label(v, xs), FONT, "middle",
          0, null);
    }
    for (double v : yt) {
      double py = y.at(v);
      svg.line(left, py, right, py, GRID, 1, null);
      svg.line(left - 5, py, left, py, AXIS, 1, null);
      svg.text(left - 8, py + 4, Scale.label(v, ys), FONT, "end", 0, null);
    }
    svg.line(left, bottom, right, bottom, AXIS, 1, null);
    svg.line(left, top, left, bottom, AXIS, 1, null);
    svg.text((left + right) / 2, bottom + 40, xTitle, 13, "middle", 0, "class=\"x-title\"");
    svg.text(18, (top + bottom) / 2, yTitle, 13, "middle", -90, "class=\"y-title\"");
    svg.close();
    return this;
  }

  /** Opens a group clipped to the plot box for data; close it with {@code svg.close()}. */
  Plot openData(String cls) {
    svg.open("class=\"" + cls + "\" clip-path=\"url(#" + clipId + ")\"");
    return this;
  }

  /** One legend entry: a swatch drawn by {@code swatch} ("line", "dash", "dot", "box") and its text. */
  Plot legend(String swatch, String colour, String text) {
    double lx = right + 18;
    double ly = legendY;
    svg.open("class=\"legend-entry\" font-family=\"sans-serif\"");
    switch (swatch) {
      case "line" -> svg.line(lx, ly, lx + 22, ly, colour, 2.5, null);
      case "thin" -> svg.line(lx, ly, lx + 22, ly, colour, 1.2, null);
      case "dash" -> svg.line(lx, ly, lx + 22, ly, colour, 1.5, "stroke-dasharray=\"5 3\"");
      case "dot" -> svg.circle(lx + 11, ly, 4, colour, null);
      case "ring" -> svg.circle(lx + 11, ly, 6, "none", "stroke=\"" + colour + "\" stroke-width=\"2\"");
      default -> svg.rect(lx + 4, ly - 6, 14, 12, colour, null);
    }
    svg.text(lx + 28, ly + 4, text, FONT, "start", 0, "fill=\"" + AXIS + "\"");
    svg.close();
    legendY += 19;
    return this;
  }

  String finish() {
    return svg.finish();
  }
}
