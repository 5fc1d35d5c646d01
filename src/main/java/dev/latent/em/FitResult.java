package dev.latent.em;

import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.vb.VariationalFit;
import dev.latent.vb.WeightPrior;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A finished fit: final parameters, how it got there, and its scores under the final parameters.
 * {@code trace} holds the mean log-likelihood of the parameters entering each iteration (for K-means
 * the equivalent spherical-model value, see {@link #kmeansLogLik}); {@code inertiaTrace} is K-means' J.
 * {@code variational} is set for a vbgmm fit only (priors, posterior, lower bound and its trace);
 * {@code annealing} lists the stages of an annealed GMM fit (else null), and {@code fixedVariance} says
 * that its covariances were given (--fixed-variance), not estimated.
 */
public record FitResult(
    ModelKind kind,
    CovarianceType covariance,
    double[] weights,
    double[][] means,
    double[][] covariances,
    int iterations,
    boolean converged,
    double[] trace,
    double[] inertiaTrace,
    int initIterations,
    double logLik,
    double classLogLik,
    double inertia,
    double weightSum,
    long rows,
    double[] clusterWeights,
    List<String> warnings,
    int candidate,
    double[] candidateScores,
    InitMethod init,
    VariationalFit variational,
    List<Annealing.Stage> annealing,
    boolean fixedVariance,
    List<Restart> restarts) {

  /**
   * One restart (candidate) of the same fit: its trace (and K-means' J per pass) and its final score, so the
   * report can draw every restart and not just the one kept. O(iterations) numbers each.
   */
  public record Restart(int candidate, double[] trace, double[] inertiaTrace, double[] elboTrace, double score) {}

  /** A variational or plain result (no annealing stages, covariances estimated, no other restarts yet). */
  public FitResult(ModelKind kind, CovarianceType covariance, double[] weights, double[][] means,
      double[][] covariances, int iterations, boolean converged, double[] trace, double[] inertiaTrace,
      int initIterations, double logLik, double classLogLik, double inertia, double weightSum, long rows,
      double[] clusterWeights, List<String> warnings, int candidate, double[] candidateScores, InitMethod init,
      VariationalFit variational) {
    this(kind, covariance, weights, means, covariances, iterations, converged, trace, inertiaTrace, initIterations,
        logLik, classLogLik, inertia, weightSum, rows, clusterWeights, warnings, candidate, candidateScores, init,
        variational, null, false, List.of());
  }

  /** This result with the traces of every restart of its fit. */
  public FitResult withRestarts(List<Restart> all) {
    return new FitResult(kind, covariance, weights, means, covariances, iterations, converged, trace, inertiaTrace,
        initIterations, logLik, classLogLik, inertia, weightSum, rows, clusterWeights, warnings, candidate,
        candidateScores, init, variational, annealing, fixedVariance, List.copyOf(all));
  }

  /** A GMM or K-means result. */
  public FitResult(ModelKind kind, CovarianceType covariance, double[] weights, double[][] means,
      double[][] covariances, int iterations, boolean converged, double[] trace, double[] inertiaTrace,
      int initIterations, double logLik, double classLogLik, double inertia, double weightSum, long rows,
      double[] clusterWeights, List<String> warnings, int candidate, double[] candidateScores, InitMethod init) {
    this(kind, covariance, weights, means, covariances, iterations, converged, trace, inertiaTrace, initIterations,
        logLik, classLogLik, inertia, weightSum, rows, clusterWeights, warnings, candidate, candidateScores, init,
        null);
  }

  public int k() {
    return weights.length;
  }

  /** This result with {@code first} (warnings about the data, found before the fit) ahead of its own. */
  public FitResult withWarningsFirst(List<String> first) {
    if (first.isEmpty()) {
      return this;
    }
    List<String> all = new ArrayList<>(first);
    all.addAll(warnings);
    return new FitResult(kind, covariance, weights, means, covariances, iterations, converged, trace, inertiaTrace,
        initIterations, logLik, classLogLik, inertia, weightSum, rows, clusterWeights, List.copyOf(all), candidate,
        candidateScores, init, variational, annealing, fixedVariance, restarts);
  }

  public int d() {
    return means[0].length;
  }

  /**
   * The same fit with its components renumbered: component i of the result is component order[i] of
   * this one (weights, means, covariances and cluster sizes; a tied covariance is shared and stays).
   */
  public FitResult permuted(int[] order) {
    int k = k();
    if (order.length != k) {
      throw new IllegalArgumentException("a renumbering of " + k + " components has " + order.length + " entries");
    }
    boolean identity = Arrays.equals(order, IntStream.range(0, k).toArray());
    if (variational != null && !identity && variational.posterior().weightPrior() == WeightPrior.DIRICHLET_PROCESS) {
      // A Dirichlet process posterior depends on the order of its sticks: renumbering would change the model.
      throw new IllegalStateException("a Dirichlet-process variational mixture cannot be renumbered");
    }
    double[] w = new double[k];
    double[][] mu = new double[k][];
    double[] sizes = new double[k];
    double[][] cov = covariances == null || covariance == CovarianceType.TIED ? covariances : new double[k][];
    for (int i = 0; i < k; i++) {
      w[i] = weights[order[i]];
      mu[i] = means[order[i]].clone();
      sizes[i] = clusterWeights[order[i]];
      if (cov != covariances) {
        cov[i] = covariances[order[i]].clone();
      }
    }
    // A symmetric Dirichlet prior is the same under any order: its posterior is renumbered with the rest.
    VariationalFit v = variational == null || identity ? variational
        : new VariationalFit(variational.priors(), variational.posterior().permuted(order), variational.elbo(),
            variational.elboTrace());
    return new FitResult(kind, covariance, w, mu, cov, iterations, converged, trace, inertiaTrace, initIterations,
        logLik, classLogLik, inertia, weightSum, rows, sizes, warnings, candidate, candidateScores, init,
        v, annealing, fixedVariance, restarts);
  }

  public double meanLogLik() {
    return logLik / weightSum;
  }

  /** Free parameters: means, k - 1 weights and the covariance's (K-means: centres and one variance). */
  public long parameters() {
    int k = k();
    int d = d();
    if (kind == ModelKind.KMEANS) {
      return (long) k * d + 1;
    }
    // --fixed-variance: the covariances are given, not estimated.
    return (long) k * d + (k - 1) + (fixedVariance ? 0 : covariance.freeParameters(k, d));
  }

  /** BIC in scikit-learn's sign (lower is better); n is the total weight. */
  public double bic() {
    return -2.0 * logLik + parameters() * Math.log(weightSum);
  }

  public double aic() {
    return -2.0 * logLik + 2.0 * parameters();
  }

  /** ICL as mclust defines it, in BIC's sign: BIC - 2 sum_i log max_k r_ik. */
  public double icl() {
    return bic() - 2.0 * classLogLik;
  }

  /**
   * K-means scored as the hard-assignment (classification) likelihood of a spherical mixture with one
   * shared variance, at its maximum sigma^2 = J / (n d): -n d / 2 (log(2 pi sigma^2) + 1).
   */
  public static double kmeansLogLik(double inertia, double weightSum, int d) {
    double var = Math.max(inertia / (weightSum * d), Double.MIN_NORMAL);
    return -0.5 * weightSum * d * (Math.log(2.0 * Math.PI * var) + 1.0);
  }
}
