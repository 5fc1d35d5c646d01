package dev.latent.em;

import dev.latent.math.Cholesky;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import dev.latent.vb.Priors;
import dev.latent.vb.VariationalFit;
import dev.latent.vb.VariationalPosterior;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One candidate fit as a small state machine: each data scan it asks for one E-step task and takes the
 * resulting statistics. Restarts are several candidates sharing the same scans; a finished candidate
 * asks for nothing while the others go on.
 *
 * <p>Phases: label initialisation (means, then scatter about them), K-means (hard E-steps; also the
 * start of a GMM), one hard E-step with scatter to start a GMM from K-means labels, EM (soft E-steps),
 * and a final E-step that scores the final parameters. A variational mixture (vbgmm) starts the same
 * ways, turns its first responsibilities (labels, K-means labels, or a GMM's posteriors: VB_START) into a
 * posterior by one variational M-step, and iterates in VB: soft E-steps under the posterior's expected
 * log-probabilities, stopped on the change of the total lower bound (scikit-learn's rule).
 *
 * <p>A candidate is part of a {@link Sweep}, a serializable step state that may be run away from the
 * driver: it must stay deterministic and serializable, and it logs only through its {@link Journal}
 * ({@code log.info}, {@code log.warn}), which the driver writes once, never through a logger of its own.
 */
final class Candidate implements Serializable {
  private static final long serialVersionUID = 1L;
  /**
   * A log-likelihood drop larger than this (relative) is reported: exact EM cannot decrease it. regCovar
   * makes the M-step a slightly inexact maximiser, which shows as drops of ~1e-10 near convergence.
   */
  private static final double MONOTONE_SLACK = 1e-9;

  enum Phase { LABEL_MEANS, LABEL_SCATTER, KMEANS, GMM_START, EM, VB_START, VB, FINAL, DONE }

  private final int index;
  private final FitSpec spec;
  private final double[] colVar;
  private final int d;
  private final String tag;
  private final Journal log;
  private Phase phase;
  private InitMethod init;

  private double[][] centres;
  private Mixture mixture;
  private double[] weights;
  private double[][] covariances;

  private int iterations;
  private int initIterations;
  private boolean converged;
  private final List<Double> trace = new ArrayList<>();
  private final List<Double> inertiaTrace = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private long[] previousHash;
  private double previousScore = Double.NaN;
  private boolean repaired;
  private EmState.Scores last;
  // Annealing (see Annealing): the stage under way, its EM iterations, and the stages finished.
  private int stage;
  private int stageIterations;
  private final List<Annealing.Stage> stages = new ArrayList<>();
  // Variational fits only: the priors (from the data), the posterior and the lower bound after each iteration.
  private Priors priors;
  private VariationalPosterior posterior;
  private final List<Double> elboTrace = new ArrayList<>();

  /** {@code tag} prefixes every log line and warning ("" for a lone fit); lines go to {@code log}. */
  Candidate(int index, FitSpec spec, double[] colVar, int d, String tag, Journal log) {
    this.index = index;
    this.spec = spec;
    this.colVar = colVar;
    this.d = d;
    this.tag = tag;
    this.log = log;
  }

  /** Starts from seeded centres ({@code how}: k-means++, k-means|| or random): K-means first, for either model. */
  void startFromCentres(double[][] c, InitMethod how) {
    centres = c;
    init = how;
    phase = Phase.KMEANS;
  }

  /**
   * Starts a GMM from seeded centres without the K-means refinement: one M-step on the partition of the
   * rows by their nearest seed. Restarts need it for diversity: K-means maps most seeds to the same few
   * partitions, so K-means-started restarts keep finding the same EM optimum (see {@link EmLoop#sweep}).
   */
  void startFromSeeds(double[][] c, InitMethod how) {
    centres = c;
    init = how;
    phase = spec.kind().gaussian() ? Phase.GMM_START : Phase.KMEANS;
  }

  /** A variational fit's priors from the data's mean and covariance (ddof 1); set before it starts. */
  void usePriorsOf(ColumnStats columns) {
    if (variational()) {
      priors = spec.priors().priors(spec.covariance(), spec.k(), columns.mean(), columns.covariance(1.0));
    }
  }

  private boolean variational() {
    return spec.kind() == ModelKind.VBGMM;
  }

  void startFromLabels() {
    init = InitMethod.LABELS;
    phase = Phase.LABEL_MEANS;
  }

  void startFromModel(StartParams p) throws Mixture.DegenerateComponentException {
    init = InitMethod.MODEL;
    if (spec.annealing().fixed()) {
      // Covariances fixed at S I: the model's weights and means (centres) are the whole start, so EM
      // iteration t meets K-means pass t from the same model.
      weights = p.weights().clone();
      mixture = fixedMixture(weights, p.means());
      phase = Phase.EM;
      return;
    }
    if (spec.kind() == ModelKind.KMEANS || p.kind() == ModelKind.KMEANS) {
      centres = Mixture.deepCopy(p.means());
      if (spec.cosine()) {
        for (int j = 0; j < centres.length; j++) {
          if (!Distance.normalise(centres[j], 0, d)) {
            throw new Mixture.DegenerateComponentException(j, "a centre of length zero has no direction");
          }
        }
      }
      phase = spec.kind() == ModelKind.KMEANS ? Phase.KMEANS : Phase.GMM_START;
      return;
    }
    if (variational() && p.variational() != null && p.variational().type() == spec.covariance()
        && p.variational().weightPrior() == priors.weightPrior()) {
      // A vbgmm model continues from its posterior, as if its iterations had gone on.
      adopt(p.variational());
      phase = Phase.VB;
      return;
    }
    weights = p.weights().clone();
    covariances = p.covariancesAs(spec.covariance(), d);
    mixture = Mixture.of(spec.covariance(), weights, p.means(), covariances);
    // A variational fit from a GMM starts from that model's responsibilities (one soft E-step).
    phase = variational() ? Phase.VB_START : Phase.EM;
  }

  int index() {
    return index;
  }

  /** This candidate's state between two scans, for a checkpoint (arrays are copies). */
  EmState.CandidateState snapshot() {
    return new EmState.CandidateState(phase.name(), init == null ? null : init.name(),
        centres == null ? null : Mixture.deepCopy(centres), weights == null ? null : weights.clone(),
        mixture == null ? null : mixture.means(),
        covariances == null ? null : Mixture.deepCopy(covariances), iterations, initIterations, converged,
        toArray(trace), toArray(inertiaTrace), List.copyOf(warnings),
        previousHash == null ? null : previousHash.clone(), previousScore, repaired, last,
        spec.annealing().anneal() ? new EmState.Annealed(stage, stageIterations, List.copyOf(stages)) : null,
        posterior == null ? null : copy(posterior), variational() ? toArray(elboTrace) : null);
  }

  private static VariationalPosterior copy(VariationalPosterior p) {
    return new VariationalPosterior(p.type(), p.weightPrior(), Mixture.deepCopy(p.weightConcentration()),
        p.meanPrecision().clone(), Mixture.deepCopy(p.means()), p.degreesOfFreedom().clone(),
        Mixture.deepCopy(p.covariances()));
  }

  /**
   * Continues from a snapshot already checked by {@link EmState#check}. The mixture is rebuilt from its
   * weights, means and covariances exactly as the M-step built it, so the next E-step is the one an
   * uninterrupted run would have done.
   */
  void restore(EmState.CandidateState s) {
    phase = Phase.valueOf(s.phase());
    init = s.init() == null ? null : InitMethod.valueOf(s.init());
    centres = s.centres() == null ? null : Mixture.deepCopy(s.centres());
    weights = s.weights() == null ? null : s.weights().clone();
    covariances = s.covariances() == null ? null : Mixture.deepCopy(s.covariances());
    mixture = null;
    if (s.means() != null && weights != null && covariances != null) {
      try {
        mixture = Mixture.of(spec.covariance(), weights, s.means(), covariances);
      } catch (Mixture.DegenerateComponentException e) {
        throw new IllegalArgumentException("candidate " + index + ": the saved mixture is not usable: "
            + e.getMessage(), e);
      }
    }
    iterations = s.iterations();
    // Without annealing one stage holds every iteration.
    stage = s.annealed() == null ? 0 : s.annealed().stage();
    stageIterations = s.annealed() == null ? iterations : s.annealed().stageIterations();
    stages.clear();
    if (s.annealed() != null) {
      stages.addAll(s.annealed().stages());
    }
    initIterations = s.initIterations();
    converged = s.converged();
    trace.clear();
    for (double v : s.trace()) {
      trace.add(v);
    }
    inertiaTrace.clear();
    for (double v : s.inertiaTrace()) {
      inertiaTrace.add(v);
    }
    warnings.clear();
    warnings.addAll(s.warnings());
    previousHash = s.previousHash() == null ? null : s.previousHash().clone();
    previousScore = s.previousScore();
    repaired = s.repaired();
    last = s.last();
    // A variational candidate's mixture is its posterior's (expected log-weights and precisions).
    posterior = null;
    elboTrace.clear();
    if (s.variational() != null) {
      adopt(s.variational());
    }
    if (s.elboTrace() != null) {
      for (double v : s.elboTrace()) {
        elboTrace.add(v);
      }
    }
  }

  boolean done() {
    return phase == Phase.DONE;
  }

  Phase phase() {
    return phase;
  }

  /** The E-step this candidate needs next, or null when it has finished. */
  EStepTask task() {
    int k = spec.k();
    EStepTask.Scatter gmmScatter = EStepTask.Scatter.of(spec.covariance());
    boolean gmm = spec.kind().gaussian();
    return switch (phase) {
      case LABEL_MEANS -> new EStepTask(EStepTask.Assign.LABELS, null, new double[k][d], EStepTask.Scatter.NONE, 0);
      case LABEL_SCATTER -> new EStepTask(EStepTask.Assign.LABELS, null, centres, gmmScatter, 0);
      case KMEANS -> EStepTask.nearest(centres, EStepTask.Scatter.NONE);
      case GMM_START -> EStepTask.nearest(centres, gmmScatter);
      case EM -> emTask(gmmScatter);
      case VB_START -> EStepTask.under(mixture, false, gmmScatter);
      case VB -> EStepTask.under(mixture, false, gmmScatter).withEntropy();
      case FINAL -> gmm ? EStepTask.under(mixture, false, EStepTask.Scatter.NONE)
          : EStepTask.nearest(centres, EStepTask.Scatter.NONE);
      case DONE -> null;
    };
  }

  /** A soft E-step, tempered and with a fixed variance when this fit anneals (see {@link Annealing}). */
  private EStepTask emTask(EStepTask.Scatter scatter) {
    EStepTask t = EStepTask.under(mixture, false, scatter);
    Annealing a = spec.annealing();
    return a.active() ? t.tempered(a.beta(stage), a.variance(stage), a.anneal()) : t;
  }

  /** The spherical mixture with every variance fixed at this stage's S. */
  private Mixture fixedMixture(double[] w, double[][] means) throws Mixture.DegenerateComponentException {
    double v = spec.annealing().variance(stage);
    covariances = new double[spec.k()][];
    for (int j = 0; j < covariances.length; j++) {
      covariances[j] = new double[] {v};
    }
    return Mixture.of(CovarianceType.SPHERICAL, w, means, covariances);
  }

  /** After an M-step (or a new stage): the M-step's weights and {@code means}, every variance at this stage's S. */
  private void fixVariance(double[][] means) {
    try {
      mixture = fixedMixture(weights, means);
    } catch (Mixture.DegenerateComponentException e) {
      // The weights came from an M-step (positive) and S >= Annealing.MIN_VARIANCE: cannot happen.
      throw new IllegalStateException(tag + "the fixed-variance mixture is not usable: " + e.getMessage(), e);
    }
  }

  /** Takes the statistics of the task last handed out. */
  void accept(SuffStats s) {
    if (s.weightSum <= 0.0) {
      throw new IllegalStateException("the data have no rows with positive weight");
    }
    switch (phase) {
      case LABEL_MEANS -> acceptLabelMeans(s);
      case LABEL_SCATTER -> startGmm(s, "labels");
      case KMEANS -> acceptKmeans(s);
      case GMM_START -> startGmm(s, "k-means labels");
      case EM -> acceptEm(s);
      case VB_START -> startVb(s, mixture.means(), "the initial model's responsibilities");
      case VB -> acceptVb(s);
      case FINAL -> {
        last = EmState.Scores.of(s);
        phase = Phase.DONE;
      }
      default -> throw new IllegalStateException("candidate has finished");
    }
  }

  private void acceptLabelMeans(SuffStats s) {
    double[][] zero = new double[spec.k()][d];
    MStep.Update u = MStep.kmeans(s, zero, spec.cosine());
    if (variational()) {
      // An unused label's centre is only the shift of zero statistics: nothing to relocate, and the
      // component starts at its prior (N_k = 10 eps), as in scikit-learn.
      for (int j = 0; j < spec.k(); j++) {
        if (!(s.resp(j) > 0.0)) {
          warn("initial labels: no row has label " + j + ": component " + j + " starts at its prior");
        }
      }
    } else {
      note(u.warnings(), "initial labels");
    }
    centres = u.means();
    phase = spec.kind() == ModelKind.KMEANS ? Phase.KMEANS : Phase.LABEL_SCATTER;
  }

  private void startGmm(SuffStats s, String from) {
    if (variational()) {
      startVb(s, centres, from);
      return;
    }
    MStep.Update u = MStep.gmm(s, centres, spec.covariance(), spec.regCovar(), colVar);
    note(u.warnings(), "initial M-step");
    adopt(u);
    if (spec.annealing().fixed()) {
      fixVariance(u.means());
    }
    log.info(tag + "GMM started by one M-step from " + from);
    previousHash = null;
    phase = Phase.EM;
  }

  private void acceptKmeans(SuffStats s) {
    boolean gmm = spec.kind().gaussian();
    int maxIter = gmm ? FitSpec.INIT_KMEANS_MAX_ITER : spec.maxIter();
    double tol = gmm ? FitSpec.INIT_KMEANS_TOL : spec.tol();
    int pass = gmm ? ++initIterations : ++iterations;
    double j = s.hardDist;
    if (!gmm) {
      inertiaTrace.add(j);
      trace.add(FitResult.kmeansLogLik(j, s.weightSum, d) / s.weightSum);
    }
    if (!repaired && !Double.isNaN(previousScore) && j > previousScore * (1 + MONOTONE_SLACK)) {
      warnings.add(String.format(Locale.ROOT, "%sk-means pass %d: J increased from %.12g to %.12g", tag, pass, previousScore, j));
    }
    long[] hash = new long[spec.k()];
    for (int c = 0; c < hash.length; c++) {
      hash[c] = s.assignHash(c);
    }
    MStep.Update u = MStep.kmeans(s, centres, spec.cosine());
    repaired = !u.warnings().isEmpty();
    note(u.warnings(), "k-means pass " + pass);
    centres = u.means();
    weights = u.weights();
    boolean unchanged = previousHash != null && Arrays.equals(hash, previousHash);
    boolean small = tol > 0 && !Double.isNaN(previousScore) && previousScore - j <= tol * previousScore;
    log.info(tag + "k-means pass " + pass + ": J = " + String.format(Locale.ROOT, "%.10g", j)
        + (unchanged ? " (no assignment changed)" : ""));
    previousHash = hash;
    previousScore = j;
    if (unchanged || small || pass >= maxIter) {
      boolean ok = unchanged || small;
      if (gmm) {
        if (!ok) {
          warnings.add(tag + "the initial k-means stopped at " + maxIter + " passes without converging");
        }
        previousScore = Double.NaN;
        repaired = false;
        phase = Phase.GMM_START;
      } else {
        converged = ok;
        phase = Phase.FINAL;
      }
    }
  }

  private void acceptEm(SuffStats s) {
    iterations++;
    stageIterations++;
    Annealing a = spec.annealing();
    double beta = a.beta(stage);
    double ll = s.logLik / s.weightSum;
    trace.add(ll);
    // Tempered EM (beta < 1) does not maximise the untempered likelihood, so only beta = 1 is checked.
    if (!repaired && beta == 1.0 && !Double.isNaN(previousScore)
        && ll < previousScore - MONOTONE_SLACK * Math.max(1.0, Math.abs(previousScore))) {
      String w = String.format(Locale.ROOT, "%siteration %d: the mean log-likelihood decreased from %.15g to %.15g",
          tag, iterations, previousScore, ll);
      log.warn(w);
      warnings.add(w);
    }
    long[] hash = null;
    if (a.fixed()) {
      hash = new long[spec.k()];
      for (int c = 0; c < hash.length; c++) {
        hash[c] = s.assignHash(c);
      }
    }
    MStep.Update u = MStep.gmm(s, mixture.means(), spec.covariance(), spec.regCovar(), colVar);
    repaired = !u.warnings().isEmpty();
    note(u.warnings(), "iteration " + iterations);
    adopt(u);
    if (a.fixed()) {
      fixVariance(u.means());
    }
    double change = Double.isNaN(previousScore) ? Double.POSITIVE_INFINITY : ll - previousScore;
    // At a tiny S the log-likelihood is about -J / (2 S) and its changes fall below its own rounding:
    // a fixed-variance fit has also converged when no row's most likely component changed.
    boolean unchanged = hash != null && previousHash != null && Arrays.equals(hash, previousHash);
    log.info(tag + "iteration " + iterations + ": mean log-likelihood " + String.format(Locale.ROOT, "%.12g", ll)
        + " (change " + String.format(Locale.ROOT, "%.3g", change) + ")" + (unchanged ? " (no label changed)" : "")
        + (a.anneal() ? String.format(Locale.ROOT, " [stage %d, beta %.4g%s]", stage, beta,
            a.fixed() ? String.format(Locale.ROOT, ", variance %.4g", a.variance(stage)) : "") : ""));
    previousScore = ll;
    previousHash = hash;
    boolean stageConverged = Math.abs(change) < spec.tol() || unchanged;
    boolean capped = !stageConverged && stageIterations >= spec.maxIter();
    if (!stageConverged && !capped) {
      return;
    }
    if (capped) {
      warnings.add(tag + "did not converge in " + spec.maxIter() + " iterations"
          + (a.anneal() ? " (stage " + stage + ")" : "") + " (last change " + String.format(Locale.ROOT, "%.3g", change)
          + ", tol " + spec.tol() + ")");
    }
    if (!a.anneal()) {
      converged = stageConverged;
      phase = Phase.FINAL;
      return;
    }
    double hardness = s.hardness / s.weightSum;
    stages.add(new Annealing.Stage(beta, a.variance(stage), stageIterations, s.logLik, hardness,
        s.temperedEntropy / s.weightSum));
    log.info(tag + "stage " + stage + " done: " + stageIterations + " iterations, mean hardness "
        + String.format(Locale.ROOT, "%.12g", hardness));
    boolean last;
    if (a.fixed()) {
      last = hardness > Annealing.HARD || stage + 1 >= Annealing.MAX_VARIANCE_STAGES;
      if (!last && a.variance(stage + 1) < Annealing.MIN_VARIANCE) {
        warnings.add(tag + "the variance path stopped at S = " + a.variance(stage)
            + ": the next stage would go below " + Annealing.MIN_VARIANCE + " (mean hardness "
            + hardness + ")");
        last = true;
      } else if (last && !(hardness > Annealing.HARD)) {
        warnings.add(tag + "the variance path ended after " + Annealing.MAX_VARIANCE_STAGES
            + " stages with mean hardness " + hardness + ", not above " + Annealing.HARD);
      }
    } else {
      last = beta == 1.0;
    }
    if (last) {
      converged = stageConverged;
      phase = Phase.FINAL;
      return;
    }
    stage++;
    stageIterations = 0;
    previousScore = Double.NaN;
    previousHash = null;
    if (a.fixed()) {
      fixVariance(mixture.means());
    }
  }

  /**
   * The first variational M-step, from the responsibilities of the start (scikit-learn's
   * {@code _initialize}); scatter in {@code s} is about {@code shifts}. No lower bound yet.
   */
  private void startVb(SuffStats s, double[][] shifts, String from) {
    MStep.Estimates e = MStep.estimates(s, shifts, spec.covariance(), spec.regCovar());
    adopt(VariationalPosterior.update(priors, e.nk(), e.means(), e.covariances()));
    log.info(tag + "variational mixture started by one variational M-step from " + from);
    phase = Phase.VB;
  }

  /**
   * One variational iteration: the M-step from the E-step's statistics, then the lower bound from their
   * entropy term and the new posterior; stops when the bound changes by less than tol (in total, not per
   * row, as scikit-learn). A component that loses its rows is not re-seeded: n_k = 10 eps leaves it at its
   * prior, which is how the model prunes itself.
   */
  private void acceptVb(SuffStats s) {
    iterations++;
    trace.add(s.logLik / s.weightSum);
    MStep.Estimates e = MStep.estimates(s, mixture.means(), spec.covariance(), spec.regCovar());
    adopt(VariationalPosterior.update(priors, e.nk(), e.means(), e.covariances()));
    double elbo;
    try {
      elbo = posterior.lowerBound(s.respLogResp);
    } catch (Cholesky.NotPositiveDefiniteException ex) {
      throw new IllegalStateException(tag + "iteration " + iterations + ": a posterior covariance is singular ("
          + ex.getMessage() + ")", ex);
    }
    if (!Double.isFinite(elbo)) {
      throw new IllegalStateException(tag + "iteration " + iterations + ": the lower bound is not finite");
    }
    elboTrace.add(elbo);
    if (!Double.isNaN(previousScore) && elbo < previousScore - MONOTONE_SLACK * Math.abs(previousScore)) {
      String w = String.format(Locale.ROOT, "%siteration %d: the lower bound decreased from %.15g to %.15g",
          tag, iterations, previousScore, elbo);
      log.warn(w);
      warnings.add(w);
    }
    double change = Double.isNaN(previousScore) ? Double.POSITIVE_INFINITY : elbo - previousScore;
    log.info(tag + "iteration " + iterations + ": lower bound " + String.format(Locale.ROOT, "%.12g", elbo)
        + " (change " + String.format(Locale.ROOT, "%.3g", change) + ")");
    previousScore = elbo;
    if (Math.abs(change) < spec.tol()) {
      converged = true;
      phase = Phase.FINAL;
    } else if (iterations >= spec.maxIter()) {
      warnings.add(tag + "did not converge in " + spec.maxIter() + " iterations (last change of the lower bound "
          + String.format(Locale.ROOT, "%.3g", change) + ", tol " + spec.tol() + ")");
      phase = Phase.FINAL;
    }
  }

  private void adopt(VariationalPosterior p) {
    posterior = p;
    try {
      mixture = p.mixture();
    } catch (Mixture.DegenerateComponentException ex) {
      throw new IllegalStateException(tag + "the variational posterior cannot score rows: " + ex.getMessage()
          + " (a constant column makes the covariance prior singular)", ex);
    }
    weights = mixture.weights();
    covariances = p.covariances();
  }

  private void adopt(MStep.Update u) {
    mixture = u.mixture();
    weights = u.weights();
    covariances = u.covariances();
  }

  /** Records a warning about this candidate's start (logged, and kept for the summary). */
  void warn(String w) {
    log.warn(tag + w);
    warnings.add(tag + w);
  }

  private void note(List<String> ws, String where) {
    for (String w : ws) {
      String line = tag + where + ": " + w;
      log.warn(line);
      warnings.add(line);
    }
  }

  /** Mean log-likelihood (GMM) or minus the mean inertia (K-means) under the final parameters: higher wins. */
  double finalScore() {
    if (variational()) {
      return elboTrace.get(elboTrace.size() - 1);
    }
    return spec.kind() == ModelKind.GMM ? last.logLik() / last.weightSum() : -last.hardDist() / last.weightSum();
  }

  FitResult result(double[] candidateScores) {
    int k = spec.k();
    double[] sizes = new double[k];
    for (int j = 0; j < k; j++) {
      sizes[j] = last.hardCounts()[j];
    }
    boolean gmm = spec.kind().gaussian();
    double[][] means = gmm ? mixture.means() : Mixture.deepCopy(centres);
    double inertia = gmm ? Double.NaN : last.hardDist();
    double logLik = gmm ? last.logLik() : FitResult.kmeansLogLik(inertia, last.weightSum(), d);
    double[] w = gmm ? mixture.weights() : MStep.normalise(sizes);
    return new FitResult(spec.kind(), gmm ? spec.covariance() : null, w, means,
        gmm ? mixture.covariances() : null, iterations, converged, toArray(trace), toArray(inertiaTrace),
        initIterations, logLik, gmm ? last.classLogLik() : 0.0, inertia, last.weightSum(), last.rows(), sizes,
        List.copyOf(warnings), index, candidateScores, init,
        variational() ? new VariationalFit(priors, posterior, finalScore(), toArray(elboTrace)) : null,
        spec.annealing().anneal() ? List.copyOf(stages) : null, spec.annealing().fixed(), List.of());
  }

  /** This candidate's history for the report: its trace and final score. */
  FitResult.Restart restart(double score) {
    return new FitResult.Restart(index, toArray(trace), toArray(inertiaTrace), toArray(elboTrace), score);
  }

  private static double[] toArray(List<Double> l) {
    double[] a = new double[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }
}
