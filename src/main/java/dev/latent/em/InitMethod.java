package dev.latent.em;

/**
 * Where a fit starts: seeded rows (k-means++, k-means|| or random), a given model, or a label column.
 * AUTO picks k-means|| or k-means++ from the size of the job (see {@link #resolve}).
 */
public enum InitMethod {
  KMEANS_PP, KMEANS_PARALLEL, RANDOM, MODEL, LABELS, AUTO;

  /** Rows from which AUTO considers k-means||: below this a scan is cheap and k-means++ is exact D^2 sampling. */
  public static final long AUTO_MIN_ROWS = 100_000;

  /**
   * AUTO becomes k-means|| when the input has at least {@link #AUTO_MIN_ROWS} rows and k-means++'s k
   * sequential scans would outnumber the {@link KMeansParallel#SCANS} scans of k-means||; otherwise
   * k-means++. Other methods are returned as they are.
   */
  public InitMethod resolve(long rows, int k) {
    if (this != AUTO) {
      return this;
    }
    return rows >= AUTO_MIN_ROWS && k > KMeansParallel.SCANS ? KMEANS_PARALLEL : KMEANS_PP;
  }

  /** True for the methods that draw initial centres from the rows. */
  public boolean seeded() {
    return this == KMEANS_PP || this == KMEANS_PARALLEL || this == RANDOM || this == AUTO;
  }

  /** The name used in flags and summaries. */
  public String key() {
    return switch (this) {
      case KMEANS_PP -> "kmeans++";
      case KMEANS_PARALLEL -> "kmeans||";
      case RANDOM -> "random";
      case MODEL -> "model";
      case LABELS -> "labels";
      case AUTO -> "auto";
    };
  }
}
