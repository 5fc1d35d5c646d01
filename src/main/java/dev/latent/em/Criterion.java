package dev.latent.em;

import java.util.List;
import java.util.Locale;

/** Model selection criteria, all in scikit-learn's sign: lower is better. */
public enum Criterion {
  BIC, AIC, ICL;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Criterion parse(String s) {
    for (Criterion c : values()) {
      if (c.key().equals(s)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown criterion '" + s + "' (expected bic, aic or icl)");
  }

  public double of(FitResult r) {
    return switch (this) {
      case BIC -> r.bic();
      case AIC -> r.aic();
      case ICL -> r.icl();
    };
  }

  /** Index of the entry with the lowest finite value; ties keep the earlier entry; -1 if none is finite. */
  public int best(List<FitResult> entries) {
    int best = -1;
    for (int i = 0; i < entries.size(); i++) {
      double v = of(entries.get(i));
      if (Double.isFinite(v) && (best < 0 || v < of(entries.get(best)))) {
        best = i;
      }
    }
    return best;
  }
}
