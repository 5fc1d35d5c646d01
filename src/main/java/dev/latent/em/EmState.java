package dev.latent.em;

import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.vb.VariationalPosterior;
import dev.latent.vb.WeightPrior;
import java.io.Serializable;

import java.util.List;

/**
 * The EM loop between two data scans: every candidate's parameters and history, enough to continue
 * exactly where it stopped (a checkpoint). Its size is O(restarts K d^2) plus the per-iteration traces;
 * no row data. Mixtures are not stored but rebuilt from weights, means and covariances, which is how
 * they were built in the first place, so a resumed fit repeats the same arithmetic.
 *
 * @param scans the E-step scans done so far (0: seeded, nothing scanned yet)
 */
public record EmState(int scans, List<CandidateState> candidates) {

  /**
   * One candidate. {@code phase} is a name of {@code Candidate.Phase}, {@code init} of {@link InitMethod}
   * (how it was started; null before it is); arrays not used by the phase are
   * null. {@code previousScore} is NaN before the first score; {@code last} is set once the final E-step
   * has scored the candidate (phase DONE). A variational candidate past its first variational M-step
   * keeps its posterior in {@code variational} (its mixture is rebuilt from it) and its lower bounds in
   * {@code elboTrace}.
   */
  public record CandidateState(String phase, String init, double[][] centres, double[] weights, double[][] means,
      double[][] covariances, int iterations, int initIterations, boolean converged, double[] trace,
      double[] inertiaTrace, List<String> warnings, long[] previousHash, double previousScore, boolean repaired,
      Scores last, Annealed annealed, VariationalPosterior variational, double[] elboTrace) {

    /** A candidate that is not variational. */
    public CandidateState(String phase, String init, double[][] centres, double[] weights, double[][] means,
        double[][] covariances, int iterations, int initIterations, boolean converged, double[] trace,
        double[] inertiaTrace, List<String> warnings, long[] previousHash, double previousScore, boolean repaired,
        Scores last, Annealed annealed) {
      this(phase, init, centres, weights, means, covariances, iterations, initIterations, converged, trace,
          inertiaTrace, warnings, previousHash, previousScore, repaired, last, annealed, null, null);
    }

    /** A candidate that does not anneal. */
    public CandidateState(String phase, String init, double[][] centres, double[] weights, double[][] means,
        double[][] covariances, int iterations, int initIterations, boolean converged, double[] trace,
        double[] inertiaTrace, List<String> warnings, long[] previousHash, double previousScore, boolean repaired,
        Scores last) {
      this(phase, init, centres, weights, means, covariances, iterations, initIterations, converged, trace,
          inertiaTrace, warnings, previousHash, previousScore, repaired, last, null);
    }
  }

  /** An annealed candidate's place on its path: the stage under way, its iterations, the stages done. */
  public record Annealed(int stage, int stageIterations, List<Annealing.Stage> stages) {}

  /** What a candidate's final E-step measured under its final parameters (all a result needs of it). */
  public record Scores(double logLik, double classLogLik, double hardDist, double weightSum, long rows,
      double[] hardCounts) implements Serializable {

    static Scores of(SuffStats s) {
      double[] counts = new double[s.k];
      for (int j = 0; j < s.k; j++) {
        counts[j] = s.hardCount(j);
      }
      return new Scores(s.logLik, s.classLogLik, s.hardDist, s.weightSum, s.rows, counts);
    }
  }

  /**
   * Checks that this state can continue a fit of {@code spec} on data of dimension {@code d}: as many
   * candidates as restarts, known phases, and every array in the shape the phase needs. Throws
   * IllegalArgumentException naming the first problem (a checkpoint is a file, and files can be wrong).
   */
  public void check(FitSpec spec, int d) {
    check(List.of(spec), d);
  }

  /** As {@link #check(FitSpec, int)} for a sweep: the candidates of every spec in turn, restarts each. */
  public void check(List<FitSpec> specs, int d) {
    if (scans < 0) {
      throw new IllegalArgumentException("scans is negative");
    }
    int total = 0;
    for (FitSpec spec : specs) {
      total += spec.restarts();
    }
    if (candidates.size() != total) {
      throw new IllegalArgumentException("it holds " + candidates.size() + " candidate(s), the fit has " + total);
    }
    int c = 0;
    for (FitSpec spec : specs) {
      for (int r = 0; r < spec.restarts(); r++, c++) {
        check(spec, d, candidates.get(c), specs.size() > 1 ? spec.label() + ", candidate " + r + ": "
            : "candidate " + r + ": ");
      }
    }
  }

  private static void check(FitSpec spec, int d, CandidateState s, String where) {
    int k = spec.k();
    Candidate.Phase phase;
    try {
      phase = Candidate.Phase.valueOf(s.phase());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(where + "unknown phase '" + s.phase() + "'");
    }
    Annealed a = s.annealed();
    if (spec.annealing().anneal() != (a != null)) {
      throw new IllegalArgumentException(where + (a == null ? "the fit anneals but the state has no stage"
          : "the state has annealing stages but the fit does not anneal"));
    }
    if (a != null && (a.stage() < 0 || a.stageIterations() < 0 || a.stages() == null
        || a.stages().size() < a.stage() || a.stages().size() > a.stage() + 1)) {
      throw new IllegalArgumentException(where + "annealing stage " + a.stage() + " does not fit its "
          + (a.stages() == null ? "missing" : a.stages().size()) + " finished stage(s)");
    }
    if (s.init() != null) {
      try {
        InitMethod.valueOf(s.init());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + "unknown start '" + s.init() + "'");
      }
    }
    if (s.trace() == null || s.inertiaTrace() == null || s.warnings() == null) {
      throw new IllegalArgumentException(where + "the trace or warnings are missing");
    }
    if (s.centres() != null) {
      matrix(s.centres(), k, d, where + "centres");
    }
    if (s.previousHash() != null && s.previousHash().length != k) {
      throw new IllegalArgumentException(where + "previousHash has " + s.previousHash().length + " entries, k is " + k);
    }
    boolean usesMixture = spec.kind() == ModelKind.GMM
        && (phase == Candidate.Phase.EM || phase == Candidate.Phase.FINAL || phase == Candidate.Phase.DONE);
    if (usesMixture) {
      if (s.weights() == null || s.weights().length != k) {
        throw new IllegalArgumentException(where + "weights must have " + k + " entries");
      }
      matrix(s.means(), k, d, where + "means");
      matrix(s.covariances(), spec.covariance().blocks(k), spec.covariance().blockLength(d), where + "covariances");
    } else if (phase == Candidate.Phase.KMEANS || phase == Candidate.Phase.GMM_START
        || phase == Candidate.Phase.LABEL_SCATTER || spec.kind() == ModelKind.KMEANS
        && (phase == Candidate.Phase.FINAL || phase == Candidate.Phase.DONE)) {
      if (s.centres() == null) {
        throw new IllegalArgumentException(where + "the centres are missing");
      }
    }
    if (spec.kind() == ModelKind.VBGMM) {
      checkVariational(spec, d, phase, s, where);
    }
    if (phase == Candidate.Phase.DONE && (s.last() == null || s.last().hardCounts() == null
        || s.last().hardCounts().length != k)) {
      throw new IllegalArgumentException(where + "a finished candidate needs its final scores");
    }
  }

  /** A variational candidate past its start holds a posterior of the fit's type and shape, and its bounds. */
  private static void checkVariational(FitSpec spec, int d, Candidate.Phase phase, CandidateState s, String where) {
    boolean started = phase == Candidate.Phase.VB || phase == Candidate.Phase.FINAL || phase == Candidate.Phase.DONE;
    VariationalPosterior p = s.variational();
    if (!started) {
      return;
    }
    if (p == null || s.elboTrace() == null) {
      throw new IllegalArgumentException(where + "a variational candidate needs its posterior and lower bounds");
    }
    int k = spec.k();
    if (p.type() != spec.covariance() || p.weightPrior() != spec.priors().weightPrior()) {
      throw new IllegalArgumentException(where + "the posterior is " + p.type().key() + " with a "
          + p.weightPrior().key() + " prior, the fit " + spec.covariance().key() + " with "
          + spec.priors().weightPrior().key());
    }
    matrix(p.weightConcentration(), p.weightPrior() == WeightPrior.DIRICHLET_PROCESS ? 2 : 1, k,
        where + "variational.weightConcentration");
    matrix(new double[][] {p.meanPrecision()}, 1, k, where + "variational.meanPrecision");
    matrix(p.means(), k, d, where + "variational.means");
    matrix(new double[][] {p.degreesOfFreedom()}, 1, p.type() == CovarianceType.TIED ? 1 : k,
        where + "variational.degreesOfFreedom");
    matrix(p.covariances(), p.type().blocks(k), p.type().blockLength(d), where + "variational.covariances");
  }

  private static void matrix(double[][] m, int rows, int cols, String what) {
    if (m == null || m.length != rows) {
      throw new IllegalArgumentException(what + " must have " + rows + " rows");
    }
    for (double[] r : m) {
      if (r == null || r.length != cols) {
        throw new IllegalArgumentException(what + " rows must have " + cols + " entries");
      }
      for (double v : r) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException(what + " holds a value that is not finite");
        }
      }
    }
  }
}
