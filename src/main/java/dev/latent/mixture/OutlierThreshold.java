package dev.latent.mixture;

/**
 * The log-density below which rows are flagged as outliers: {@code value} is the {@code rank}-th smallest
 * log-density of {@code rows} rows, rank = floor(quantile * rows) (no threshold, NaN, when that is 0);
 * {@code flagged} rows are at or below it (more than rank only when log-densities tie at the threshold).
 */
public record OutlierThreshold(double quantile, double value, long rank, long rows, long flagged, int passes) {

  /** True when the row with this log-density is an outlier (never for a NaN threshold). */
  public boolean flags(double logDensity) {
    return logDensity <= value;
  }
}
