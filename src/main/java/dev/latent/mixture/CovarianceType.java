package dev.latent.mixture;

import java.util.Locale;

/** scikit-learn's four covariance parametrisations; the name is the key used in files and flags. */
public enum CovarianceType {
  FULL, DIAG, SPHERICAL, TIED;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a key; the message names the accepted values. */
  public static CovarianceType parse(String s) {
    for (CovarianceType t : values()) {
      if (t.key().equals(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown covariance type '" + s + "' (expected full, diag, spherical or tied)");
  }

  /** How many covariance arrays the type holds: one per component, or one shared (tied). */
  public int blocks(int k) {
    return this == TIED ? 1 : k;
  }

  /** Length of one covariance array: d*d (full, tied), d (diag) or 1 (spherical). */
  public int blockLength(int d) {
    return switch (this) {
      case FULL, TIED -> d * d;
      case DIAG -> d;
      case SPHERICAL -> 1;
    };
  }

  /** Free covariance parameters, as scikit-learn's {@code _n_parameters}. */
  public long freeParameters(int k, int d) {
    long sym = (long) d * (d + 1) / 2;
    return switch (this) {
      case FULL -> k * sym;
      case TIED -> sym;
      case DIAG -> (long) k * d;
      case SPHERICAL -> k;
    };
  }
}
