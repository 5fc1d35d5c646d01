package dev.latent.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A linear map from data values to pixels, with "nice" tick values (1, 2 or 5 times a power of ten). */
final class Scale {
  final double lo;
  final double hi;
  final double p0;
  final double p1;

  /** Maps [lo, hi] onto pixels [p0, p1]; an empty range is widened so that the map stays finite. */
  Scale(double lo, double hi, double p0, double p1) {
    // A range narrower than a few parts in 1e9 of its values (a converged trace that no longer moves) has no
    // ticks that print apart: show it as a band around its middle instead.
    double mid = (lo + hi) / 2;
    double scale = Math.max(Math.abs(lo), Math.abs(hi));
    if (!(hi - lo > 1e-9 * scale) || !(hi > lo)) {
      double pad = scale == 0 ? 1.0 : scale * 1e-6;
      lo = mid - pad;
      hi = mid + pad;
    }
    this.lo = lo;
    this.hi = hi;
    this.p0 = p0;
    this.p1 = p1;
  }

  /** The range of the finite values, padded by {@code pad} of its width on both sides. */
  static double[] extent(double pad, double[]... series) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] s : series) {
      for (double v : s) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (lo > hi) {
      return new double[] {0, 1};
    }
    double w = hi - lo;
    return new double[] {lo - pad * w, hi + pad * w};
  }

  double at(double v) {
    return p0 + (v - lo) / (hi - lo) * (p1 - p0);
  }

  /** About {@code count} tick values inside [lo, hi]. */
  List<Double> ticks(int count) {
    double step = niceStep((hi - lo) / Math.max(1, count));
    List<Double> t = new ArrayList<>();
    double first = Math.ceil(lo / step - 1e-9) * step;
    for (double v = first; v <= hi + step * 1e-9; v += step) {
      t.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
      if (t.size() > 50) {
        break;
      }
    }
    return t;
  }

  /** Integer ticks only (iterations, K): at least 1 apart. */
  List<Double> integerTicks(int count) {
    double step = Math.max(1.0, niceStep((hi - lo) / Math.max(1, count)));
    step = Math.ceil(step);
    List<Double> t = new ArrayList<>();
    for (double v = Math.ceil(lo); v <= hi + 1e-9; v += step) {
      t.add(v + 0.0); // -0.0 would print as "-0"
    }
    return t;
  }

  static double niceStep(double raw) {
    if (!(raw > 0) || !Double.isFinite(raw)) {
      return 1.0;
    }
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
  }

  /** A tick label: as few digits as tell the ticks apart. */
  static String label(double v, double step) {
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e6 || a < 1e-3) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    int decimals = step > 0 ? Math.max(0, Math.min(15, (int) -Math.floor(Math.log10(step) + 1e-9))) : 6;
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
