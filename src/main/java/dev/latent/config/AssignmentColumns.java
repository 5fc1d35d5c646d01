package dev.latent.config;

import dev.latent.io.UsageException;
import java.util.Locale;

/**
 * What {@code fit} writes per row ({@code --assignments}): {@code full} every input column, the cluster
 * and for Gaussian mixtures the probabilities p0..p{K-1}; {@code labels} the input columns and the
 * cluster only (no K numbers per row to compute and format); {@code none} no assignments folder.
 */
public enum AssignmentColumns {
  FULL, LABELS, NONE;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  static AssignmentColumns parse(String v) {
    for (AssignmentColumns a : values()) {
      if (a.key().equals(v)) {
        return a;
      }
    }
    throw new UsageException("--assignments is full, labels or none, got '" + v + "'");
  }
}
