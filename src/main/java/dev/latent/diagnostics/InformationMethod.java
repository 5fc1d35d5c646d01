package dev.latent.diagnostics;

import java.util.Locale;

/** Which Fisher information the standard errors invert ({@code --standard-errors observed|opg}). */
public enum InformationMethod {
  /** Minus the Hessian of the log-likelihood at the fitted parameters (Louis 1982). */
  OBSERVED,
  /** The sum over rows of the outer products of the per-row scores (the empirical information). */
  OPG;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a key; the message names the accepted values. */
  public static InformationMethod parse(String s) {
    for (InformationMethod m : values()) {
      if (m.key().equals(s)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown method '" + s + "' (expected observed, opg or none)");
  }
}
