package dev.latent.vb;

import java.util.Locale;

/**
 * The prior on the mixture weights of a variational mixture, as scikit-learn's
 * {@code weight_concentration_prior_type}: a truncated Dirichlet process by stick-breaking (Blei and
 * Jordan 2006), whose weights shrink geometrically beyond the components the data use, or a symmetric
 * Dirichlet distribution (Bishop, PRML 10.2).
 */
public enum WeightPrior {
  DIRICHLET_PROCESS, DIRICHLET_DISTRIBUTION;

  /** The name in flags and files: dirichlet-process or dirichlet-distribution. */
  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static WeightPrior parse(String s) {
    for (WeightPrior p : values()) {
      if (p.key().equals(s)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown weight prior '" + s
        + "' (expected dirichlet-process or dirichlet-distribution)");
  }
}
