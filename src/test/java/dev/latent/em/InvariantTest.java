package dev.latent.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import dev.latent.testing.Refs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Properties the Spark-free EM loop must have whatever the data: partition count, row weights and
 * restarts do not change what a fit means, EM never lowers its own log-likelihood, K-means is the
 * sigma -> 0 limit of the spherical E-step, and degenerate inputs are repaired instead of crashing.
 *
 * <p>Tolerances: "1e-9 relative" means |a - b| <= 1e-9 * max |b| over the array being compared (so
 * near-zero entries of a covariance are judged on the matrix's scale); scalars are relative to
 * themselves. Monotonicity allows 1e-12 relative rounding between successive trace entries.
 */
class InvariantTest {
  private static final double REL = 1e-9;
  private static final double MONOTONE_REL = 1e-12;

  // ---------------------------------------------------------------------------------------------
  // a. Partition independence

  static List<Arguments> partitionCases() {
    JsonNode start = Refs.ref("gmm_iris").get("inits").get("kmeans").get("by_covariance_type").get("full");
    StartParams sp = new StartParams(ModelKind.GMM, CovarianceType.FULL, Refs.vector(start.get("weights")),
        Refs.matrix(start.get("means")), Refs.covariances(start.get("covariances"), "full"));
    return List.of(
        Arguments.of("gmm full kmeans++", new FitSpec(ModelKind.GMM, CovarianceType.FULL, 3, 1000, 1e-10, 1e-6,
            11, InitMethod.KMEANS_PP, null, 1)),
        Arguments.of("gmm diag kmeans++", new FitSpec(ModelKind.GMM, CovarianceType.DIAG, 3, 1000, 1e-10, 1e-6,
            5, InitMethod.KMEANS_PP, null, 1)),
        Arguments.of("gmm full model", new FitSpec(ModelKind.GMM, CovarianceType.FULL, 3, 1000, 1e-10, 1e-6,
            0, InitMethod.MODEL, sp, 1)),
        Arguments.of("gmm full random restarts", new FitSpec(ModelKind.GMM, CovarianceType.FULL, 3, 1000, 1e-10,
            1e-6, 3, InitMethod.RANDOM, null, 3)),
        Arguments.of("kmeans kmeans++", new FitSpec(ModelKind.KMEANS, CovarianceType.FULL, 3, 300, 0.0, 1e-6,
            11, InitMethod.KMEANS_PP, null, 1)),
        // Repairs re-seed at the worst-explained rows, so these also check that those rows merge correctly.
        Arguments.of("kmeans empty-cluster repair", farCentreKmeans()),
        Arguments.of("gmm unused-component repair", farComponentGmm()));
  }

  /** K-means on iris from two rows and a centre far from every row: cluster 2 starts empty. */
  private static FitSpec farCentreKmeans() {
    double[][] x = Refs.features("iris");
    double[][] centres = {x[0].clone(), x[100].clone(), {100, 100, 100, 100}};
    StartParams sp = new StartParams(ModelKind.KMEANS, null, new double[3], centres, null);
    return new FitSpec(ModelKind.KMEANS, CovarianceType.FULL, 3, 300, 0.0, 1e-6, 0, InitMethod.MODEL, sp, 1);
  }

  /** A full GMM on iris whose third component is far from every row, so it takes no responsibility. */
  private static FitSpec farComponentGmm() {
    double[][] x = Refs.features("iris");
    double[][] means = {x[0].clone(), x[100].clone(), {100, 100, 100, 100}};
    double[][] cov = {{0.5}, {0.5}, {0.5}};
    StartParams sp = new StartParams(ModelKind.GMM, CovarianceType.SPHERICAL, new double[] {0.4, 0.4, 0.2}, means,
        cov);
    return new FitSpec(ModelKind.GMM, CovarianceType.FULL, 3, 1000, 1e-10, 1e-6, 0, InitMethod.MODEL, sp, 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("partitionCases")
  void partitionCountDoesNotChangeTheFit(String name, FitSpec spec) {
    double[][] x = Refs.features("iris");
    LocalData one = new LocalData(split(x, null, 1, false));
    FitResult base = EmLoop.fit(one, spec, one.columns());
    assertTrue(base.converged(), name + " should converge on iris");
    for (int parts : new int[] {3, 8}) {
      for (boolean roundRobin : new boolean[] {false, true}) {
        List<DataBlock> blocks = new ArrayList<>(split(x, null, parts, roundRobin));
        if (parts == 8) {
          // Spark partitions can be empty.
          blocks.add(3, new DataBlock(0, x[0].length, new double[0], new long[0], null, null));
        }
        String where = name + ", " + parts + (roundRobin ? " round-robin" : " contiguous") + " blocks";
        LocalData local = new LocalData(blocks);
        assertSameFit(base, EmLoop.fit(local, spec, local.columns()), 1.0, where + " (LocalData)");
        TreeData tree = new TreeData(blocks);
        assertSameFit(base, EmLoop.fit(tree, spec, tree.columns()), 1.0, where + " (tree-merged)");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // b. Monotone log-likelihood (and K-means' J)

  static List<Arguments> monotoneCases() {
    List<Arguments> cases = new ArrayList<>();
    for (String ds : List.of("iris", "faithful", "penguins")) {
      for (CovarianceType t : CovarianceType.values()) {
        cases.add(Arguments.of(ds, t));
      }
    }
    return cases;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("monotoneCases")
  void gmmLogLikelihoodNeverDecreases(String dataset, CovarianceType type) {
    double[][] x = Refs.features(dataset);
    int k = Refs.ref("gmm_" + dataset).get("K").asInt();
    LocalData data = LocalData.of(x, null, null);
    FitSpec spec = new FitSpec(ModelKind.GMM, type, k, 5000, 1e-10, 1e-6, 3, InitMethod.KMEANS_PP, null, 1);
    FitResult r = EmLoop.fit(data, spec, data.columns());
    // A re-seeded component is the one permitted drop; this seed must not need one, or the check is moot.
    assertFalse(r.warnings().stream().anyMatch(w -> w.contains("re-seeded")), () -> "repair: " + r.warnings());
    double[] t = r.trace();
    assertTrue(t.length >= 2, "at least two iterations");
    for (int i = 1; i < t.length; i++) {
      assertTrue(t[i] >= t[i - 1] - MONOTONE_REL * Math.abs(t[i - 1]),
          "trace[" + i + "] = " + t[i] + " < trace[" + (i - 1) + "] = " + t[i - 1]);
    }
    // The final score is one more E-step after the last M-step: it cannot be below the last trace entry.
    assertTrue(r.meanLogLik() >= t[t.length - 1] - MONOTONE_REL * Math.abs(t[t.length - 1]), "final score");
    assertFalse(r.warnings().stream().anyMatch(w -> w.contains("decreased")), () -> "warnings: " + r.warnings());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"iris", "faithful", "penguins"})
  void kmeansInertiaNeverIncreases(String dataset) {
    double[][] x = Refs.features(dataset);
    int k = Refs.ref("kmeans_" + dataset).get("K").asInt();
    LocalData data = LocalData.of(x, null, null);
    FitSpec spec = new FitSpec(ModelKind.KMEANS, CovarianceType.FULL, k, 300, 0.0, 1e-6, 3, InitMethod.KMEANS_PP,
        null, 1);
    FitResult r = EmLoop.fit(data, spec, data.columns());
    double[] j = r.inertiaTrace();
    for (int i = 1; i < j.length; i++) {
      assertTrue(j[i] <= j[i - 1] * (1 + MONOTONE_REL), "J[" + i + "] = " + j[i] + " > J[" + (i - 1) + "]");
    }
    assertTrue(r.inertia() <= j[j.length - 1] * (1 + MONOTONE_REL), "final inertia");
    assertFalse(r.warnings().stream().anyMatch(w -> w.contains("increased")), () -> "warnings: " + r.warnings());
  }

  // ---------------------------------------------------------------------------------------------
  // c. Row weights

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void weightTwoEqualsDuplicatedRowsGmm(CovarianceType type) {
    JsonNode start = Refs.ref("gmm_iris").get("inits").get("kmeans").get("by_covariance_type").get(type.key());
    StartParams sp = new StartParams(ModelKind.GMM, type, Refs.vector(start.get("weights")),
        Refs.matrix(start.get("means")), Refs.covariances(start.get("covariances"), type.key()));
    FitSpec spec = new FitSpec(ModelKind.GMM, type, 3, 1000, 1e-10, 1e-6, 0, InitMethod.MODEL, sp, 1);
    checkWeightTwoEqualsDuplicate(spec);
  }

  @Test
  void weightTwoEqualsDuplicatedRowsKmeans() {
    double[][] centres = Refs.matrix(Refs.ref("kmeans_iris").get("init").get("centers"));
    StartParams sp = new StartParams(ModelKind.KMEANS, null, new double[3], centres, null);
    FitSpec spec = new FitSpec(ModelKind.KMEANS, CovarianceType.FULL, 3, 300, 0.0, 1e-6, 0, InitMethod.MODEL, sp, 1);
    checkWeightTwoEqualsDuplicate(spec);
  }

  private static void checkWeightTwoEqualsDuplicate(FitSpec spec) {
    double[][] x = Refs.features("iris");
    int n = x.length;
    double[] w = new double[n];
    List<double[]> dup = new ArrayList<>(Arrays.asList(x));
    for (int r = 0; r < n; r++) {
      // Every fourth row, and a run of neighbours, so some weighted rows sit in each cluster.
      boolean twice = r % 4 == 0 || (r >= 60 && r < 70);
      w[r] = twice ? 2.0 : 1.0;
      if (twice) {
        dup.add(x[r]);
      }
    }
    LocalData weighted = LocalData.of(x, w, null);
    LocalData duplicated = LocalData.of(dup.toArray(new double[0][]), null, null);
    FitResult a = EmLoop.fit(weighted, spec, weighted.columns());
    FitResult b = EmLoop.fit(duplicated, spec, duplicated.columns());
    assertEquals(b.weightSum(), a.weightSum(), 0.0, "total weight");
    assertSameFit(b, a, 1.0, "weight 2 vs duplicated rows");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scalingCases")
  void zeroWeightEqualsAbsentRow(String name, FitSpec spec) {
    double[][] x = Refs.features("iris");
    double[] w = new double[x.length];
    List<Integer> kept = new ArrayList<>();
    for (int r = 0; r < x.length; r++) {
      w[r] = r % 7 == 3 ? 0.0 : 1.0;
      if (w[r] > 0) {
        kept.add(r);
      }
    }
    // The kept rows keep their keys (CSV lines), so k-means++ draws the same rows in both data sets.
    double[] flat = new double[kept.size() * 4];
    long[] keys = new long[kept.size()];
    for (int i = 0; i < kept.size(); i++) {
      System.arraycopy(x[kept.get(i)], 0, flat, i * 4, 4);
      keys[i] = DataBlock.rowKey(0, kept.get(i) + 2);
    }
    LocalData zero = new LocalData(split(x, w, 3, false));
    LocalData absent = new LocalData(List.of(new DataBlock(kept.size(), 4, flat, keys, null, null)));
    FitResult a = EmLoop.fit(absent, spec, absent.columns());
    FitResult b = EmLoop.fit(zero, spec, zero.columns());
    assertSameFit(a, b, 1.0, name + ": weight 0 vs absent rows");
    assertEquals(kept.size(), b.rows(), "rows that count");
  }

  static List<Arguments> scalingCases() {
    return List.of(
        Arguments.of("gmm full kmeans++", new FitSpec(ModelKind.GMM, CovarianceType.FULL, 3, 1000, 1e-10, 1e-6, 11,
            InitMethod.KMEANS_PP, null, 1)),
        Arguments.of("gmm tied kmeans++", new FitSpec(ModelKind.GMM, CovarianceType.TIED, 3, 1000, 1e-10, 1e-6, 11,
            InitMethod.KMEANS_PP, null, 1)),
        Arguments.of("kmeans kmeans++", new FitSpec(ModelKind.KMEANS, CovarianceType.FULL, 3, 300, 0.0, 1e-6, 11,
            InitMethod.KMEANS_PP, null, 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scalingCases")
  void scalingAllWeightsScalesOnlyTheTotals(String name, FitSpec spec) {
    double[][] x = Refs.features("iris");
    double[] w = new double[x.length];
    for (int r = 0; r < w.length; r++) {
      w[r] = 1.0 + (r % 3) * 0.5;
    }
    LocalData base = LocalData.of(x, w, null);
    FitResult a = EmLoop.fit(base, spec, base.columns());
    for (double factor : new double[] {10.0, 100.0}) {
      double[] ws = new double[w.length];
      for (int r = 0; r < w.length; r++) {
        ws[r] = w[r] * factor;
      }
      LocalData scaled = LocalData.of(x, ws, null);
      FitResult b = EmLoop.fit(scaled, spec, scaled.columns());
      assertSameFit(a, b, factor, name + " weights x" + factor);
      assertEquals(a.meanLogLik(), b.meanLogLik(), REL * Math.abs(a.meanLogLik()), "mean log-likelihood");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // d. K-means as the sigma -> 0 limit of the spherical E-step

  @Test
  void sphericalEStepTendsToHardAssignment() throws Exception {
    double[][] x = Refs.features("iris");
    // The reference's fitted centres, not its initial ones: row 112 of iris is exactly equidistant from
    // two initial centres, and there the soft limit is a 50/50 split, not the hard argmax.
    double[][] centres = Refs.matrix(Refs.ref("kmeans_iris").get("cluster_centers"));
    int k = centres.length;
    int d = centres[0].length;
    DataBlock block = split(x, null, 1, false).get(0);
    // The limit is the hard assignment only if no row is equidistant from two centres.
    assertTrue(minimumGap(x, centres) > 1e-3, "a row is (nearly) equidistant from two centres");

    EStepTask hardTask = new EStepTask(EStepTask.Assign.HARD, Mixture.forCentres(centres), centres,
        EStepTask.Scatter.DIAG, k);
    SuffStats hard = EStep.accumulate(hardTask, block, SuffStats.zeroFor(hardTask));

    double[] equal = new double[k];
    Arrays.fill(equal, 1.0 / k);
    double[] sigmas = {1e-2, 1e-4, 1e-6};
    double[] errors = new double[sigmas.length];
    for (int si = 0; si < sigmas.length; si++) {
      double s = sigmas[si];
      double[][] cov = new double[k][];
      for (int j = 0; j < k; j++) {
        cov[j] = new double[] {s};
      }
      Mixture m = Mixture.of(CovarianceType.SPHERICAL, equal, centres, cov);
      EStepTask softTask = new EStepTask(EStepTask.Assign.SOFT, m, centres, EStepTask.Scatter.DIAG, k);
      SuffStats soft = EStep.accumulate(softTask, block, SuffStats.zeroFor(softTask));
      // Equal weights and variances: the most likely component is the nearest centre at every s.
      for (int j = 0; j < k; j++) {
        assertEquals(hard.hardCount(j), soft.hardCount(j), 0.0, "most likely component, s=" + s);
      }
      errors[si] = statsDistance(soft, hard, k, d);
      // J recovered from the soft log-likelihood: -2 s (logLik - n log(1/k) + n d/2 log(2 pi s)) -> J.
      double n = soft.weightSum;
      double jSoft = -2.0 * s * (soft.logLik - n * Math.log(1.0 / k) + 0.5 * n * d * Math.log(2 * Math.PI * s));
      if (si == sigmas.length - 1) {
        assertEquals(hard.hardDist, jSoft, REL * hard.hardDist, "J from the soft log-likelihood at s=" + s);
      }
    }
    assertTrue(errors[0] > 1e-6, "at s=1e-2 some rows must still be shared, or the test shows nothing");
    for (int si = 1; si < sigmas.length; si++) {
      assertTrue(errors[si] <= errors[si - 1], "distance must shrink: " + Arrays.toString(errors));
    }
    assertTrue(errors[1] < errors[0], "distance must shrink: " + Arrays.toString(errors));
    assertTrue(errors[sigmas.length - 1] < REL, "distance at the smallest s: " + Arrays.toString(errors));
  }

  /**
   * Largest relative difference of resp sums, sums and diagonal scatters (each relative to its own scale).
   * The sums are about the fitted centres, so they are zero up to rounding, and the blocked E-step adds
   * them in another order than the row at a time: their scale is the Cauchy-Schwarz bound
   * |sum r (x - c)| <= sqrt(sum r * sum r (x - c)^2), not their own rounding noise.
   */
  private static double statsDistance(SuffStats soft, SuffStats hard, int k, int d) {
    double respScale = 0.0;
    double sumScale = 0.0;
    double scatScale = 0.0;
    for (int j = 0; j < k; j++) {
      respScale = Math.max(respScale, Math.abs(hard.resp(j)));
      double[] q = hard.scatterOf(j);
      for (int i = 0; i < d; i++) {
        sumScale = Math.max(sumScale, Math.sqrt(Math.abs(hard.resp(j) * q[i])));
      }
      scatScale = Math.max(scatScale, maxAbs(q));
    }
    double err = 0.0;
    for (int j = 0; j < k; j++) {
      err = Math.max(err, Math.abs(soft.resp(j) - hard.resp(j)) / respScale);
      double[] a = soft.sumOf(j);
      double[] b = hard.sumOf(j);
      double[] qa = soft.scatterOf(j);
      double[] qb = hard.scatterOf(j);
      for (int i = 0; i < d; i++) {
        err = Math.max(err, Math.abs(a[i] - b[i]) / sumScale);
        err = Math.max(err, Math.abs(qa[i] - qb[i]) / scatScale);
      }
    }
    return err;
  }

  /** Smallest difference between the nearest and second-nearest squared distance over all rows. */
  private static double minimumGap(double[][] x, double[][] centres) {
    double gap = Double.POSITIVE_INFINITY;
    for (double[] row : x) {
      double[] dist = new double[centres.length];
      for (int j = 0; j < centres.length; j++) {
        for (int i = 0; i < row.length; i++) {
          dist[j] += (row[i] - centres[j][i]) * (row[i] - centres[j][i]);
        }
      }
      Arrays.sort(dist);
      gap = Math.min(gap, dist[1] - dist[0]);
    }
    return gap;
  }

  // ---------------------------------------------------------------------------------------------
  // e. Restarts

  static List<Arguments> restartCases() {
    List<Arguments> cases = new ArrayList<>();
    for (long seed : new long[] {1, 2, 3}) {
      cases.add(Arguments.of("iris", ModelKind.GMM, seed));
      cases.add(Arguments.of("penguins", ModelKind.GMM, seed));
      cases.add(Arguments.of("iris", ModelKind.KMEANS, seed));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0} {1} seed {2}")
  @MethodSource("restartCases")
  void restartsKeepTheBestCandidate(String dataset, ModelKind kind, long seed) {
    double[][] x = Refs.features(dataset);
    LocalData data = LocalData.of(x, null, null);
    int k = 3;
    FitSpec one = new FitSpec(kind, CovarianceType.FULL, k, 1000, kind == ModelKind.GMM ? 1e-10 : 0.0, 1e-6, seed,
        InitMethod.KMEANS_PP, null, 1);
    FitSpec four = new FitSpec(kind, CovarianceType.FULL, k, 1000, one.tol(), 1e-6, seed, InitMethod.KMEANS_PP,
        null, 4);
    FitResult r1 = EmLoop.fit(data, one, data.columns());
    FitResult r4 = EmLoop.fit(data, four, data.columns());
    double s1 = score(r1);
    double s4 = score(r4);
    assertTrue(s4 >= s1, "4 restarts scored " + s4 + " < 1 restart " + s1);
    assertEquals(1, r1.candidateScores().length);
    assertEquals(4, r4.candidateScores().length);
    double[] cs = r4.candidateScores();
    double max = Arrays.stream(cs).max().orElseThrow();
    assertEquals(max, s4, 1e-12 * Math.abs(max), "kept score");
    assertEquals(max, cs[r4.candidate()], 0.0, "kept candidate's index");
    // Candidate 0 gets the same seed split as the single run, and candidates do not interact.
    assertEquals(s1, cs[0], 1e-12 * Math.abs(s1), "candidate 0 equals the single run");
  }

  /** What restarts maximise: mean log-likelihood (GMM) or minus the mean inertia (K-means). */
  private static double score(FitResult r) {
    return r.kind() == ModelKind.GMM ? r.meanLogLik() : -r.inertia() / r.weightSum();
  }

  // ---------------------------------------------------------------------------------------------
  // f. Empty-cluster repair

  @Test
  void kmeansRepairsAnEmptyCluster() {
    double[][] x = Refs.features("iris");
    FitSpec spec = farCentreKmeans();
    LocalData data = LocalData.of(x, null, null);
    FitResult r = assertDoesNotThrow(() -> EmLoop.fit(data, spec, data.columns()));
    assertTrue(r.warnings().stream().anyMatch(w -> w.contains("empty")), () -> "warnings: " + r.warnings());
    assertAllFinite(r);
    assertTrue(r.converged());
    for (int j = 0; j < 3; j++) {
      assertTrue(r.clusterWeights()[j] > 0, "cluster " + j + " is still empty");
      for (int i = 0; i < 4; i++) {
        assertTrue(r.means()[j][i] < 10, "centre " + j + " stayed far from the data");
      }
    }
  }

  @Test
  void gmmRepairsAnUnusedComponent() {
    double[][] x = Refs.features("iris");
    FitSpec spec = farComponentGmm();
    LocalData data = LocalData.of(x, null, null);
    FitResult r = assertDoesNotThrow(() -> EmLoop.fit(data, spec, data.columns()));
    assertTrue(r.warnings().stream().anyMatch(w -> w.contains("re-seeded")), () -> "warnings: " + r.warnings());
    assertAllFinite(r);
    for (int j = 0; j < 3; j++) {
      assertTrue(r.weights()[j] > 1e-3, "component " + j + " weight " + r.weights()[j]);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // g. Degenerate data

  static List<Arguments> degenerateCases() {
    List<Arguments> cases = new ArrayList<>();
    for (CovarianceType t : CovarianceType.values()) {
      cases.add(Arguments.of(t, 1e-6));
      cases.add(Arguments.of(t, 0.0));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0} regCovar {1}")
  @MethodSource("degenerateCases")
  void identicalRowsGiveAFiniteGmm(CovarianceType type, double regCovar) {
    double[][] x = new double[50][];
    for (int r = 0; r < x.length; r++) {
      x[r] = new double[] {1, 2};
    }
    LocalData data = LocalData.of(x, null, null);
    FitSpec spec = new FitSpec(ModelKind.GMM, type, 2, 200, 1e-10, regCovar, 5, InitMethod.KMEANS_PP, null, 1);
    FitResult r = assertDoesNotThrow(() -> EmLoop.fit(data, spec, data.columns()));
    assertAllFinite(r);
    assertTrue(Double.isFinite(r.logLik()), "log-likelihood " + r.logLik());
    for (int j = 0; j < 2; j++) {
      assertArrayEquals(new double[] {1, 2}, r.means()[j], 1e-9, "mean " + j);
    }
  }

  @Test
  void identicalRowsGiveAFiniteKmeans() {
    double[][] x = new double[50][];
    for (int r = 0; r < x.length; r++) {
      x[r] = new double[] {1, 2};
    }
    LocalData data = LocalData.of(x, null, null);
    FitSpec spec = new FitSpec(ModelKind.KMEANS, CovarianceType.FULL, 2, 300, 0.0, 1e-6, 5, InitMethod.KMEANS_PP,
        null, 1);
    FitResult r = assertDoesNotThrow(() -> EmLoop.fit(data, spec, data.columns()));
    assertAllFinite(r);
    assertEquals(0.0, r.inertia(), 0.0);
    assertTrue(Double.isFinite(r.logLik()), "log-likelihood " + r.logLik());
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /**
   * Rows of x as {@code parts} blocks keyed by their CSV line (header is line 1): contiguous blocks of
   * uneven sizes, or round-robin (row r in block r mod parts), which also changes the row order.
   */
  static List<DataBlock> split(double[][] x, double[] w, int parts, boolean roundRobin) {
    int n = x.length;
    int d = x[0].length;
    List<List<Integer>> rows = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      rows.add(new ArrayList<>());
    }
    for (int r = 0; r < n; r++) {
      // Uneven contiguous cuts: block p ends at n * ((p + 1) / parts)^2.
      int p = roundRobin ? r % parts : blockOf(r, n, parts);
      rows.get(p).add(r);
    }
    List<DataBlock> blocks = new ArrayList<>();
    for (List<Integer> idx : rows) {
      int m = idx.size();
      double[] flat = new double[m * d];
      long[] keys = new long[m];
      double[] bw = w == null ? null : new double[m];
      for (int i = 0; i < m; i++) {
        int r = idx.get(i);
        System.arraycopy(x[r], 0, flat, i * d, d);
        keys[i] = DataBlock.rowKey(0, r + 2);
        if (bw != null) {
          bw[i] = w[r];
        }
      }
      blocks.add(new DataBlock(m, d, flat, keys, bw, null));
    }
    return blocks;
  }

  private static int blockOf(int r, int n, int parts) {
    for (int p = 0; p < parts; p++) {
      double f = (p + 1.0) / parts;
      if (r < (int) Math.round(n * f * f)) {
        return p;
      }
    }
    return parts - 1;
  }

  /**
   * A DataPass that accumulates every block into its own zero value and combines them pairwise, the
   * shape of Spark's treeAggregate, so merge() is exercised (LocalData adds all blocks into one value).
   */
  static final class TreeData implements DataPass {
    private final List<DataBlock> blocks;

    TreeData(List<DataBlock> blocks) {
      this.blocks = blocks;
    }

    @Override
    public SuffStats[] estep(EStepTask[] tasks) {
      SuffStats[] out = new SuffStats[tasks.length];
      for (int c = 0; c < tasks.length; c++) {
        if (tasks[c] != null) {
          List<SuffStats> parts = new ArrayList<>();
          for (DataBlock b : blocks) {
            parts.add(EStep.accumulate(tasks[c], b, SuffStats.zeroFor(tasks[c])));
          }
          out[c] = tree(parts, SuffStats::merge);
        }
      }
      return out;
    }

    @Override
    public TopRows[] sample(SampleTask[] tasks) {
      TopRows[] out = new TopRows[tasks.length];
      for (int c = 0; c < tasks.length; c++) {
        if (tasks[c] != null) {
          List<TopRows> parts = new ArrayList<>();
          for (DataBlock b : blocks) {
            parts.add(tasks[c].accumulate(b, tasks[c].zero(dimension())));
          }
          out[c] = tree(parts, TopRows::merge);
        }
      }
      return out;
    }

    @Override
    public int dimension() {
      return blocks.get(0).d;
    }

    ColumnStats columns() {
      List<ColumnStats> parts = new ArrayList<>();
      for (DataBlock b : blocks) {
        parts.add(new ColumnStats(dimension()).add(b));
      }
      return tree(parts, ColumnStats::merge);
    }

    private static <T> T tree(List<T> parts, BinaryOperator<T> merge) {
      List<T> level = parts;
      while (level.size() > 1) {
        List<T> next = new ArrayList<>();
        for (int i = 0; i < level.size(); i += 2) {
          next.add(i + 1 < level.size() ? merge.apply(level.get(i), level.get(i + 1)) : level.get(i));
        }
        level = next;
      }
      return level.get(0);
    }
  }

  /**
   * Same fit up to {@code scale}: parameters equal to 1e-9 relative, totals (log-likelihood, inertia,
   * cluster weights, weight sum) of b equal to scale times a's, same iteration counts and convergence.
   */
  static void assertSameFit(FitResult a, FitResult b, double scale, String what) {
    assertEquals(a.iterations(), b.iterations(), what + ": iterations");
    assertEquals(a.initIterations(), b.initIterations(), what + ": initial k-means passes");
    assertEquals(a.converged(), b.converged(), what + ": converged");
    assertEquals(a.candidate(), b.candidate(), what + ": kept candidate");
    assertClose(a.weights(), b.weights(), what + ": weights");
    for (int j = 0; j < a.k(); j++) {
      assertClose(a.means()[j], b.means()[j], what + ": mean " + j);
    }
    if (a.covariances() != null) {
      assertNotNull(b.covariances(), what + ": covariances");
      for (int j = 0; j < a.covariances().length; j++) {
        assertClose(a.covariances()[j], b.covariances()[j], what + ": covariance " + j);
      }
    }
    assertClose(a.trace(), b.trace(), what + ": trace");
    assertClose(scaled(a.inertiaTrace(), scale), b.inertiaTrace(), what + ": inertia trace");
    assertClose(scaled(a.clusterWeights(), scale), b.clusterWeights(), what + ": cluster weights");
    assertScalar(a.weightSum() * scale, b.weightSum(), what + ": weight sum");
    if (a.kind() == ModelKind.KMEANS) {
      assertScalar(a.inertia() * scale, b.inertia(), what + ": inertia");
    }
    // K-means' log-likelihood depends on J / n only, times n, so it scales like GMM's.
    assertScalar(a.logLik() * scale, b.logLik(), what + ": log-likelihood");
    assertScalar(a.classLogLik() * scale, b.classLogLik(), what + ": classification log-likelihood");
  }

  private static double[] scaled(double[] a, double f) {
    double[] out = a.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] *= f;
    }
    return out;
  }

  private static void assertScalar(double expected, double actual, String what) {
    assertEquals(expected, actual, REL * Math.abs(expected), what);
  }

  private static void assertClose(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double tol = REL * maxAbs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, what + "[" + i + "]");
    }
  }

  private static double maxAbs(double[] a) {
    double m = 0.0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static void assertAllFinite(FitResult r) {
    for (double w : r.weights()) {
      assertTrue(Double.isFinite(w), "weight " + w);
    }
    for (double[] m : r.means()) {
      for (double v : m) {
        assertTrue(Double.isFinite(v), "mean " + Arrays.toString(m));
      }
    }
    if (r.covariances() != null) {
      for (double[] c : r.covariances()) {
        for (double v : c) {
          assertTrue(Double.isFinite(v), "covariance " + Arrays.toString(c));
        }
      }
    }
  }
}
