package dev.latent.em;

import java.util.Locale;

/**
 * How K-means measures distance. Cosine is spherical K-means (Dhillon and Modha 2001): rows are scaled to
 * unit length when they are read and centres are rescaled to unit length after every update, so the same
 * squared Euclidean mapper sees ||x - c||^2 = 2 (1 - cos(x, c)) and the nearest centre is the most similar.
 */
public enum Distance {
  EUCLIDEAN, COSINE;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Distance parse(String s) {
    for (Distance t : values()) {
      if (t.key().equals(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown distance '" + s + "' (expected euclidean or cosine)");
  }

  /** Scales v[off..off+d) to unit length in place; returns false (and leaves it) when its norm is zero. */
  public static boolean normalise(double[] v, int off, int d) {
    double s = 0.0;
    for (int i = 0; i < d; i++) {
      s += v[off + i] * v[off + i];
    }
    if (!(s > 0.0) || !Double.isFinite(s)) {
      return false;
    }
    double inv = 1.0 / Math.sqrt(s);
    for (int i = 0; i < d; i++) {
      v[off + i] *= inv;
    }
    return true;
  }
}
