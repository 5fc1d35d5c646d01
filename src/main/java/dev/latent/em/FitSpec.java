package dev.latent.em;

import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.vb.PriorSettings;
import java.io.Serializable;

/**
 * Everything the EM loop needs to know about one fit, already validated by the caller's configuration.
 * {@code start} is set when {@code init} is MODEL; {@code restarts} candidates run in the same scans.
 * {@code distance} matters only for K-means (cosine: the rows are already of unit length), {@code priors}
 * only for a variational mixture (null there means scikit-learn's defaults), {@code annealing} only for
 * a Gaussian mixture (null means plain EM).
 */
public record FitSpec(ModelKind kind, CovarianceType covariance, int k, int maxIter, double tol,
    double regCovar, long seed, InitMethod init, StartParams start, int restarts, Distance distance,
    PriorSettings priors, Annealing annealing) implements Serializable {

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
    if (distance == null) {
      distance = Distance.EUCLIDEAN;
    }
    if (distance == Distance.COSINE && kind != ModelKind.KMEANS) {
      throw new IllegalArgumentException("the cosine distance is for K-means only");
    }
    if (priors == null && kind == ModelKind.VBGMM) {
      priors = PriorSettings.DEFAULTS;
    }
    if (annealing == null) {
      annealing = Annealing.NONE;
    }
    if (annealing.active() && kind != ModelKind.GMM) {
      throw new IllegalArgumentException("annealing and a fixed variance are for Gaussian mixtures");
    }
    if (annealing.fixed() && covariance != CovarianceType.SPHERICAL) {
      throw new IllegalArgumentException("a fixed variance needs spherical covariances");
    }
  }

  /** A fit with variational priors and plain EM's schedule. */
  public FitSpec(ModelKind kind, CovarianceType covariance, int k, int maxIter, double tol, double regCovar,
      long seed, InitMethod init, StartParams start, int restarts, Distance distance, PriorSettings priors) {
    this(kind, covariance, k, maxIter, tol, regCovar, seed, init, start, restarts, distance, priors,
        Annealing.NONE);
  }

  /** A Gaussian mixture with a fixed variance or an annealing schedule (see {@link Annealing}). */
  public FitSpec(ModelKind kind, CovarianceType covariance, int k, int maxIter, double tol, double regCovar,
      long seed, InitMethod init, StartParams start, int restarts, Distance distance, Annealing annealing) {
    this(kind, covariance, k, maxIter, tol, regCovar, seed, init, start, restarts, distance, null, annealing);
  }

  /** A fit without variational priors (GMM, K-means; a vbgmm gets the default priors). */
  public FitSpec(ModelKind kind, CovarianceType covariance, int k, int maxIter, double tol, double regCovar,
      long seed, InitMethod init, StartParams start, int restarts, Distance distance) {
    this(kind, covariance, k, maxIter, tol, regCovar, seed, init, start, restarts, distance, null,
        Annealing.NONE);
  }

  /** A Euclidean fit. */
  public FitSpec(ModelKind kind, CovarianceType covariance, int k, int maxIter, double tol, double regCovar,
      long seed, InitMethod init, StartParams start, int restarts) {
    this(kind, covariance, k, maxIter, tol, regCovar, seed, init, start, restarts, Distance.EUCLIDEAN);
  }

  boolean cosine() {
    return distance == Distance.COSINE;
  }

  /** How the fit is named in logs and the selection table: "k=3 full" or "k=3 kmeans". */
  public String label() {
    return "k=" + k + " " + (kind == ModelKind.GMM ? covariance.key()
        : kind == ModelKind.VBGMM ? kind.key() + " " + covariance.key() : kind.key());
  }
}
