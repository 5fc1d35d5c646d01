package dev.latent.report;

/**
 * What the report needs beyond summary.json and model.json, all of bounded size: the data's mean and
 * covariance (from the load scan's column statistics, for the principal axes), a sample of at most
 * {@link #SAMPLE_ROWS} rows drawn per row from {@code seed} with each row's cluster and largest
 * responsibility, and the weighted histogram of 1 - max_k r_ik over every row (null for K-means, whose
 * assignments are hard).
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
  /** Bins of the uncertainty histogram over [0, 1 - 1/K], the range of 1 - max_k r_ik. */
  public static final int UNCERTAINTY_BINS = 20;

  public int d() {
    return dataMean.length;
  }

  public boolean hasUncertainty() {
    return uncertaintyWeights != null;
  }

  /** The bin edges of the uncertainty histogram for K components: UNCERTAINTY_BINS equal bins of [0, 1 - 1/K]. */
  public static double[] uncertaintyEdges(int k) {
    double hi = k > 1 ? 1.0 - 1.0 / k : 1.0;
    double[] e = new double[UNCERTAINTY_BINS + 1];
    for (int i = 0; i <= UNCERTAINTY_BINS; i++) {
      e[i] = hi * i / UNCERTAINTY_BINS;
    }
    return e;
  }

  /** The bin of uncertainty u in {@link #uncertaintyEdges(int)} (the top edge goes into the last bin). */
  public static int uncertaintyBin(double u, int k) {
    double hi = k > 1 ? 1.0 - 1.0 / k : 1.0;
    int b = (int) Math.floor(u / hi * UNCERTAINTY_BINS);
    return Math.max(0, Math.min(UNCERTAINTY_BINS - 1, b));
  }
}
