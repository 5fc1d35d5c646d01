package dev.latent.em;

import java.util.Locale;

/** The model families fitted by the same mapper. */
public enum ModelKind {
  GMM, KMEANS;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ModelKind parse(String s) {
    for (ModelKind m : values()) {
      if (m.key().equals(s)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown model '" + s + "' (expected gmm or kmeans)");
  }
}
