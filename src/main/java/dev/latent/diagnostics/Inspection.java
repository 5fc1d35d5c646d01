package dev.latent.diagnostics;

/**
 * What {@code latent inspect} reports about a mixture A: the closed-form divergences between its
 * components, and with a second mixture B the divergence of A from B (and of B from A) by the
 * variational approximation, the matched bound and Monte Carlo.
 */
public record Inspection(int k, double[][] kl, double[][] symmetricKl, double[][] bhattacharyya,
    double[][] overlapBound, Against against) {

  /** KL(A || B) three ways; {@code reverse} is KL(B || A) (null inside a reverse). */
  public record Against(double klVariational, double klMatchedBound, MonteCarlo monteCarlo, Against reverse) {}

  /** The Monte Carlo estimate with its standard error, from {@code samples} rows drawn with {@code seed}. */
  public record MonteCarlo(double estimate, double standardError, long samples, long seed) {
    public static MonteCarlo of(Moments m, long seed) {
      return new MonteCarlo(m.mean(), m.standardError(), m.count(), seed);
    }
  }

  /** The component matrices of a mixture (covariances full, row-major d x d). */
  public static Inspection of(double[] weights, double[][] means, double[][] covariances, Against against) {
    double[][] kl = GaussianDivergence.klMatrix(means, covariances);
    double[][] db = GaussianDivergence.bhattacharyyaMatrix(means, covariances);
    return new Inspection(weights.length, kl, GaussianDivergence.symmetricKlMatrix(kl), db,
        GaussianDivergence.overlapBoundMatrix(weights, db), against);
  }

  /** KL(A || B) by the variational approximation and the matched bound, with a Monte Carlo estimate. */
  public static Against between(double[] wA, double[][] meansA, double[][] covA, double[] wB, double[][] meansB,
      double[][] covB, MonteCarlo monteCarlo, Against reverse) {
    double[][] klAB = GaussianDivergence.klMatrix(meansA, covA, meansB, covB);
    double variational = MixtureDivergence.klVariational(wA, GaussianDivergence.klMatrix(meansA, covA), wB, klAB);
    return new Against(variational, MixtureDivergence.klMatchedBound(wA, wB, klAB), monteCarlo, reverse);
  }
}
