package dev.latent.em;

/**
 * Everything the EM loop needs to know about one fit, already validated by the caller's configuration.
 * {@code start} is set when {@code init} is MODEL; {@code restarts} candidates run in the same scans.
 */
public record FitSpec(ModelKind kind, CovarianceType covariance, int k, int maxIter, double tol,
    double regCovar, long seed, InitMethod init, StartParams start, int restarts) {

  /** Iteration cap and tolerance of the K-means run that starts a GMM (scikit-learn's KMeans defaults). */
  public static final int INIT_KMEANS_MAX_ITER = 300;
  public static final double INIT_KMEANS_TOL = 1e-4;

  public FitSpec {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    if (restarts < 1) {
      throw new IllegalArgumentException("restarts must be at least 1, got " + restarts);
    }
    if (init == InitMethod.MODEL && start == null) {
      throw new IllegalArgumentException("init from a model needs the model's parameters");
    }
  }
}
