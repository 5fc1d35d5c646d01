package dev.latent.report;

/**
 * What the report needs beyond summary.json and model.json, all of bounded size: the data's mean and
 * covariance (from the load scan's column statistics, for the principal axes), a sample of at most
 * {@link #SAMPLE_ROWS} rows drawn per row from {@code seed} with each row's cluster and largest
 * responsibility, and the weighted histogram of 1 - max_k r_ik over every row (null for K-means, whose
 * assignments are hard; bins as {@link dev.latent.em.AssignmentProfile}).
 */
public record ReportData(
    long seed,
    long rows,
    double[] dataMean,
    double[] dataCovariance,
    double[][] sample,
    int[] cluster,
    double[] maxResponsibility,
    double[] uncertaintyEdges,
    double[] uncertaintyWeights) {

  /** Rows drawn for the scatter plots. */
  public static final int SAMPLE_ROWS = 2000;

  public int d() {
    return dataMean.length;
  }

  public boolean hasUncertainty() {
    return uncertaintyWeights != null;
  }
}
