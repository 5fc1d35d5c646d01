package dev.latent.report;

import java.util.Locale;

/**
 * A small SVG writer: elements appended as text, attributes escaped, coordinates rounded to 0.1 px. Our
 * own rather than a chart library: the report needs a handful of shapes, must be one self-contained
 * file with no scripts, and its charts must be plain XML the tests can read back.
 */
final class Svg {
  private final StringBuilder out = new StringBuilder();
  final int width;
  final int height;

  Svg(int width, int height, String id, String label) {
    this.width = width;
    this.height = height;
    out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"").append(escape(id))
        .append("\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" role=\"img\" aria-label=\"").append(escape(label)).append("\">\n");
    out.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" fill=\"#ffffff\"/>\n");
  }

  static String num(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("an SVG coordinate must be finite, got " + v);
    }
    double r = Math.round(v * 10.0) / 10.0;
    return r == Math.rint(r) ? Long.toString((long) r) : String.format(Locale.ROOT, "%.1f", r);
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            b.append(' ');
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  Svg line(double x1, double y1, double x2, double y2, String stroke, double strokeWidth, String extra) {
    out.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(x2))
        .append("\" y2=\"").append(num(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"")
        .append(num(strokeWidth)).append('"').append(extra == null ? "" : " " + extra).append("/>\n");
    return this;
  }

  Svg rect(double x, double y, double w, double h, String fill, String extra) {
    out.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
        .append(num(Math.max(w, 0))).append("\" height=\"").append(num(Math.max(h, 0))).append("\" fill=\"")
        .append(fill).append('"').append(extra == null ? "" : " " + extra).append("/>\n");
    return this;
  }

  Svg circle(double cx, double cy, double r, String fill, String extra) {
    out.append("<circle cx=\"").append(num(cx)).append("\" cy=\"").append(num(cy)).append("\" r=\"").append(num(r))
        .append("\" fill=\"").append(fill).append('"').append(extra == null ? "" : " " + extra).append("/>\n");
    return this;
  }

  /** An open polyline through (xs[i], ys[i]) in pixels. */
  Svg polyline(double[] xs, double[] ys, String stroke, double strokeWidth, String extra) {
    out.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"").append(num(strokeWidth))
        .append("\" points=\"");
    for (int i = 0; i < xs.length; i++) {
      out.append(i == 0 ? "" : " ").append(num(xs[i])).append(',').append(num(ys[i]));
    }
    out.append('"').append(extra == null ? "" : " " + extra).append("/>\n");
    return this;
  }

  /** An ellipse with semi-axes rx, ry, turned by {@code degrees} (clockwise on screen) about its centre. */
  Svg ellipse(double cx, double cy, double rx, double ry, double degrees, String stroke, double strokeWidth,
      String extra) {
    out.append("<ellipse cx=\"").append(num(cx)).append("\" cy=\"").append(num(cy)).append("\" rx=\"").append(num(rx))
        .append("\" ry=\"").append(num(ry)).append("\" transform=\"rotate(").append(num(degrees)).append(' ')
        .append(num(cx)).append(' ').append(num(cy)).append(")\" fill=\"none\" stroke=\"").append(stroke)
        .append("\" stroke-width=\"").append(num(strokeWidth)).append('"')
        .append(extra == null ? "" : " " + extra).append("/>\n");
    return this;
  }

  /** Text; {@code anchor} start, middle or end; {@code rotate} degrees about the anchor point (0: none). */
  Svg text(double x, double y, String s, int size, String anchor, double rotate, String extra) {
    out.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" font-size=\"").append(size)
        .append("\" text-anchor=\"").append(anchor).append('"');
    if (rotate != 0) {
      out.append(" transform=\"rotate(").append(num(rotate)).append(' ').append(num(x)).append(' ').append(num(y))
          .append(")\"");
    }
    out.append(extra == null ? "" : " " + extra).append('>').append(escape(s)).append("</text>\n");
    return this;
  }

  /** Markup written as it is (only for fixed, already escaped fragments). */
  Svg raw(String markup) {
    out.append(markup);
    return this;
  }

  Svg open(String attributes) {
    out.append("<g ").append(attributes).append(">\n");
    return this;
  }

  Svg title(String s) {
    out.append("<title>").append(escape(s)).append("</title>\n");
    return this;
  }

  Svg close() {
    out.append("</g>\n");
    return this;
  }

  String finish() {
    return out + "</svg>\n";
  }
}
