package dev.latent.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.math.Kernels;
import dev.latent.math.TileKernels;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The blocked E-step ({@link EStep}) against the row-at-a-time reference ({@link RowEStep}) on the same
 * rows cut into blocks of several sizes (around the 256-row tile): soft and hard, every covariance type,
 * with sample weights (some zero). Tolerance 1e-9 relative; an entry of a sum or scatter is compared
 * relative to its Cauchy-Schwarz bound (sqrt(S_ii S_pp), sqrt(R S_ii)), since off-diagonal entries can be
 * near zero. Hard assignment must give the same labels, counts and distances exactly. Both kernel sets
 * are checked: plain Java and the Vector API (surefire runs with the module, as conf/jvm-flags does).
 * Soft tasks also sum the entropy term w r ln r of the variational lower bound, which only they compute.
 */
class BlockedEStepTest {
  private static final double TOL = 1e-9;
  private static final int N = 1537;
  private static final int D = 5;
  private static final int K = 4;
  private static final int[] BLOCK_ROWS = {1, 7, 255, 256, 257, 600, N};

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String kernels : List.of("java", "vector")) {
      for (CovarianceType t : CovarianceType.values()) {
        for (boolean hard : new boolean[] {false, true}) {
          for (boolean weighted : new boolean[] {false, true}) {
            out.add(Arguments.of(kernels, t, hard, weighted));
          }
        }
      }
    }
    return out.stream();
  }

  static TileKernels kernels(String name) {
    TileKernels k = name.equals("java") ? Kernels.java() : Kernels.vector();
    assertNotNull(k, "the Vector API module is missing: run with --add-modules=jdk.incubator.vector");
    return k;
  }

  @ParameterizedTest(name = "{0} {1} hard={2} weighted={3}")
  @MethodSource("cases")
  void blockedMatchesRowAtATime(String kernels, CovarianceType type, boolean hard, boolean weighted)
      throws Exception {
    TileKernels kern = kernels(kernels);
    Random rnd = new Random(17 + type.ordinal());
    double[][] means = new double[K][D];
    for (int j = 0; j < K; j++) {
      for (int i = 0; i < D; i++) {
        // Far from the origin, so that centring matters.
        means[j][i] = 100.0 + 4.0 * rnd.nextGaussian();
      }
    }
    double[] x = new double[N * D];
    for (int r = 0; r < N; r++) {
      int j = rnd.nextInt(K);
      for (int i = 0; i < D; i++) {
        x[r * D + i] = means[j][i] + (1.0 + i) * rnd.nextGaussian();
      }
    }
    double[] w = null;
    if (weighted) {
      w = new double[N];
      for (int r = 0; r < N; r++) {
        w[r] = r % 11 == 0 ? 0.0 : 0.1 + 3.0 * rnd.nextDouble();
      }
    }
    Mixture m = Mixture.of(type, new double[] {0.1, 0.2, 0.3, 0.4}, means, covariances(type, rnd));
    EStepTask task = hard ? EStepTask.under(Mixture.forCentres(means), true, EStepTask.Scatter.of(type))
        : EStepTask.under(m, false, EStepTask.Scatter.of(type)).withEntropy();

    SuffStats ref = RowEStep.accumulate(task, block(x, w, 0, N), SuffStats.zeroFor(task));
    for (int size : BLOCK_ROWS) {
      SuffStats got = SuffStats.zeroFor(task);
      for (int r0 = 0; r0 < N; r0 += size) {
        EStep.accumulate(task, block(x, w, r0, Math.min(size, N - r0)), got, kern);
      }
      String where = kernels + " " + type + (hard ? " hard" : " soft") + ", blocks of " + size;
      compare(ref, got, task, hard, where);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void severalCandidatesInOneScan(CovarianceType type) throws Exception {
    // Kernels.get(): the ones EStep's public entry points use.
    Random rnd = new Random(5);
    double[][] means = new double[K][D];
    for (int j = 0; j < K; j++) {
      for (int i = 0; i < D; i++) {
        means[j][i] = 3.0 * rnd.nextGaussian();
      }
    }
    double[] x = new double[N * D];
    for (int i = 0; i < x.length; i++) {
      x[i] = 2.0 * rnd.nextGaussian();
    }
    Mixture m = Mixture.of(type, new double[] {0.25, 0.25, 0.25, 0.25}, means, covariances(type, rnd));
    EStepTask[] tasks = {EStepTask.under(m, false, EStepTask.Scatter.of(type)), null,
        EStepTask.under(Mixture.forCentres(means), true, EStepTask.Scatter.NONE)};
    SuffStats[] got = new SuffStats[3];
    SuffStats[] ref = new SuffStats[3];
    for (int c : new int[] {0, 2}) {
      got[c] = SuffStats.zeroFor(tasks[c]);
      ref[c] = RowEStep.accumulate(tasks[c], block(x, null, 0, N), SuffStats.zeroFor(tasks[c]));
    }
    for (int r0 = 0; r0 < N; r0 += 300) {
      EStep.accumulate(tasks, block(x, null, r0, Math.min(300, N - r0)), got);
    }
    compare(ref[0], got[0], tasks[0], false, type + " candidate 0");
    assertEquals(0.0, got[0].respLogResp, "the entropy term is summed only when a task asks for it");
    compare(ref[2], got[2], tasks[2], true, type + " candidate 2");
  }

  /**
   * K-means on rows placed on (and within a few ulps of) the bisecting planes of pairs of centres, far
   * from the origin: the matrix-product distances (more centres than the kernels' few) cannot order these,
   * so the near-tie rows must be recomputed; the few-centres kernel computes the row path's distances
   * themselves. Either way the labels, counts and distances must be the row path's exactly.
   */
  @ParameterizedTest(name = "{0} offset={1} k={2}")
  @MethodSource("nearTieCases")
  void nearTiesGetTheRowPathsLabels(String kernels, double offset, int k) {
    TileKernels kern = kernels(kernels);
    Random rnd = new Random(99);
    double[][] centres = new double[k][D];
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < D; i++) {
        centres[j][i] = offset + 4.0 * rnd.nextGaussian();
      }
    }
    double[] steps = {0.0, 1e-17, -1e-17, 1e-16, -1e-16, 1e-15, -1e-14, 1e-12, 1e-9, 0.3};
    double[] x = new double[N * D];
    for (int r = 0; r < N; r++) {
      int a = rnd.nextInt(k);
      int b = (a + 1 + rnd.nextInt(k - 1)) % k;
      double[] ab = new double[D];
      double[] noise = new double[D];
      double abab = 0.0;
      double nab = 0.0;
      for (int i = 0; i < D; i++) {
        ab[i] = centres[b][i] - centres[a][i];
        noise[i] = 0.5 * rnd.nextGaussian();
        abab += ab[i] * ab[i];
        nab += noise[i] * ab[i];
      }
      double step = steps[r % steps.length];
      for (int i = 0; i < D; i++) {
        // The midpoint, plus noise orthogonal to b - a, plus a step along b - a.
        x[r * D + i] = 0.5 * (centres[a][i] + centres[b][i]) + noise[i] - nab / abab * ab[i] + step * ab[i];
      }
    }
    EStepTask task = EStepTask.nearest(centres, EStepTask.Scatter.NONE);
    SuffStats ref = RowEStep.accumulate(task, block(x, null, 0, N), SuffStats.zeroFor(task));
    for (int size : BLOCK_ROWS) {
      SuffStats got = SuffStats.zeroFor(task);
      for (int r0 = 0; r0 < N; r0 += size) {
        EStep.accumulate(task, block(x, null, r0, Math.min(size, N - r0)), got, kern);
      }
      String where = kernels + " near ties at offset " + offset + ", k = " + k + ", blocks of " + size;
      compare(ref, got, task, true, where);
      long recomputed = got.scratch(EStep.TILE).recomputed;
      if (k > kern.fewCentres()) {
        assertTrue(recomputed > 0 && recomputed < N / 2, where + ": " + recomputed + " rows recomputed");
      } else {
        assertEquals(0, recomputed, where + ": the few-centres kernel has no near ties to recompute");
      }
    }
  }

  /**
   * K-means (no scatter) over blocks with fractional weights (some zero) and blocks without weights, in
   * turn: the unweighted tiles count their rows per centre instead of adding weights of 1, and the sums
   * go through a kernel, so every count, weight, sum, distance and label hash must still be the row
   * path's to the bit.
   */
  @ParameterizedTest(name = "{0} k={1}")
  @MethodSource("kernelsAndCentres")
  void kmeansStatisticsAreTheRowPathsBitwise(String kernels, int k) {
    TileKernels kern = kernels(kernels);
    Random rnd = new Random(41);
    double[][] centres = new double[k][D];
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < D; i++) {
        centres[j][i] = 50.0 + 4.0 * rnd.nextGaussian();
      }
    }
    double[] x = new double[N * D];
    double[] w = new double[N];
    for (int r = 0; r < N; r++) {
      int j = rnd.nextInt(k);
      for (int i = 0; i < D; i++) {
        x[r * D + i] = centres[j][i] + 2.0 * rnd.nextGaussian();
      }
      // Small weights: fractional counts below 1 when whole rows (weight 1) are added to them.
      w[r] = r % 13 == 0 ? 0.0 : 1e-3 * (0.1 + 3.0 * rnd.nextDouble());
    }
    EStepTask task = EStepTask.nearest(centres, EStepTask.Scatter.NONE);
    for (int size : new int[] {7, 200, 600}) {
      SuffStats ref = SuffStats.zeroFor(task);
      SuffStats got = SuffStats.zeroFor(task);
      int b = 0;
      for (int r0 = 0; r0 < N; r0 += size, b++) {
        int rows = Math.min(size, N - r0);
        DataBlock block = block(x, b % 2 == 0 ? w : null, r0, rows);
        RowEStep.accumulate(task, block, ref);
        EStep.accumulate(task, block, got, kern);
      }
      String where = kernels + ", k = " + k + ", blocks of " + size;
      assertEquals(ref.rows, got.rows, where);
      assertEquals(ref.weightSum, got.weightSum, 0.0, where + ": weight");
      assertEquals(ref.logLik, got.logLik, 0.0, where + ": log-likelihood");
      assertEquals(ref.hardDist, got.hardDist, 0.0, where + ": distances");
      for (int j = 0; j < k; j++) {
        assertEquals(ref.assignHash(j), got.assignHash(j), where + ": labels of " + j);
        assertEquals(ref.hardCount(j), got.hardCount(j), 0.0, where + ": count of " + j);
        assertEquals(ref.resp(j), got.resp(j), 0.0, where + ": weight of " + j);
        assertArrayEquals(ref.sumOf(j), got.sumOf(j), 0.0, where + ": sum of " + j);
      }
    }
  }

  /**
   * Exact ties (two pairs of equal centres) and equal logits from different distances (two centres an ulp
   * apart, so logNorm - dist / 2 rounds to the same number for rows near them, their distances not): the
   * row path's argmax takes the first centre, not the nearest, and the blocked path must take the same,
   * with the same distances, bit for bit.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kernelNames")
  void tiesTakeTheRowPathsFirstCentre(String kernels) {
    TileKernels kern = kernels(kernels);
    Random rnd = new Random(12);
    double[][] c = new double[6][D];
    for (int i = 0; i < D; i++) {
      c[0][i] = 3.0 * rnd.nextGaussian();
      c[2][i] = 10.0 + rnd.nextGaussian();
      c[4][i] = -2.0 + rnd.nextGaussian();
    }
    c[1] = c[0].clone();
    c[3] = c[2].clone();
    c[3][0] = Math.nextUp(c[3][0]);
    c[5] = c[4].clone();
    double[] x = new double[N * D];
    for (int r = 0; r < N; r++) {
      int j = 2 * rnd.nextInt(3);
      for (int i = 0; i < D; i++) {
        x[r * D + i] = c[j][i] + 0.1 * rnd.nextGaussian();
      }
    }
    EStepTask task = EStepTask.nearest(c, EStepTask.Scatter.NONE);
    Mixture m = Mixture.forCentres(c);
    int logitTies = 0;
    double[] maha = new double[6];
    double[] logits = new double[6];
    double[] diff = new double[D];
    for (int r = 0; r < N; r++) {
      m.logits(x, r * D, maha, logits, diff);
      if (logits[2] == logits[3] && maha[2] != maha[3]) {
        logitTies++;
      }
    }
    assertTrue(logitTies > N / 10, "rows whose logits tie at different distances: " + logitTies);
    SuffStats ref = RowEStep.accumulate(task, block(x, null, 0, N), SuffStats.zeroFor(task));
    for (int size : new int[] {5, 128, N}) {
      SuffStats got = SuffStats.zeroFor(task);
      for (int r0 = 0; r0 < N; r0 += size) {
        EStep.accumulate(task, block(x, null, r0, Math.min(size, N - r0)), got, kern);
      }
      String where = kernels + " ties, blocks of " + size;
      assertEquals(ref.logLik, got.logLik, 0.0, where + ": log-likelihood");
      assertEquals(ref.hardDist, got.hardDist, 0.0, where + ": distances");
      for (int j = 0; j < 6; j++) {
        assertEquals(ref.assignHash(j), got.assignHash(j), where + ": labels of " + j);
        assertEquals(ref.hardCount(j), got.hardCount(j), 0.0, where + ": count of " + j);
        assertArrayEquals(ref.sumOf(j), got.sumOf(j), 0.0, where + ": sum of " + j);
      }
      assertEquals(0.0, got.hardCount(1), where + ": a duplicate centre never wins");
      assertEquals(0.0, got.hardCount(5), where + ": a duplicate centre never wins");
    }
  }

  /**
   * A NaN logit (a NaN centre: never from validated data, but the kernels must not disagree) matches no
   * lane's maximum: both kernels then take the row path's argmax, a real centre.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kernelNames")
  void aNanCentreGetsTheRowPathsLabel(String kernels) {
    TileKernels kern = kernels(kernels);
    double[] byCoordinate = new double[TileKernels.PAD];
    double[] centre = {0.0, Double.NaN, 5.0};
    System.arraycopy(centre, 0, byCoordinate, 0, 3);
    int[] best = new int[5];
    double[] dist = new double[5];
    kern.nearestOfFew(new double[] {4.0, -1.0, 2.6, 5.0, 0.0}, 0, 5, 1, byCoordinate, 3, -1.0, best, dist,
        new double[4 * TileKernels.PAD]);
    double[][] c = {{0.0}, {Double.NaN}, {5.0}};
    Mixture m = Mixture.forCentres(c);
    double[] maha = new double[3];
    double[] logits = new double[3];
    double[] x = {4.0, -1.0, 2.6, 5.0, 0.0};
    for (int r = 0; r < 5; r++) {
      m.logits(x, r, maha, logits, new double[1]);
      int j = dev.latent.math.LogSumExp.argmax(logits, 3);
      assertEquals(j, best[r], kernels + ": row " + r);
      assertEquals(maha[j], dist[r], 0.0, kernels + ": row " + r);
    }
  }

  static Stream<String> kernelNames() {
    return Stream.of("java", "vector");
  }

  /**
   * Near ties with k = 4 and 8 (one centre per lane, with and without missing lanes) and 9 and 12 (the
   * matrix product, four centres at a time and a remainder), each at three distances from the origin.
   */
  static Stream<Arguments> nearTieCases() {
    List<Arguments> out = new ArrayList<>();
    for (String kernels : List.of("java", "vector")) {
      for (double offset : new double[] {0.0, 1e3, 1e6}) {
        for (int k : new int[] {4, 8, 9, 12}) {
          out.add(Arguments.of(kernels, offset, k));
        }
      }
    }
    return out.stream();
  }

  /** K = 1, 3, 5 and 8 (one centre per lane) and 12 (the matrix product), for both kernels. */
  static Stream<Arguments> kernelsAndCentres() {
    List<Arguments> out = new ArrayList<>();
    for (String kernels : List.of("java", "vector")) {
      for (int k : new int[] {1, 3, 5, 8, 12}) {
        out.add(Arguments.of(kernels, k));
      }
    }
    return out.stream();
  }

  static Stream<CovarianceType> types() {
    return Stream.of(CovarianceType.values());
  }

  private static void compare(SuffStats ref, SuffStats got, EStepTask task, boolean hard, String where) {
    assertEquals(ref.rows, got.rows, where + ": rows");
    assertEquals(ref.weightSum, got.weightSum, TOL * ref.weightSum, where + ": weight");
    assertEquals(ref.logLik, got.logLik, TOL * Math.abs(ref.logLik), where + ": log-likelihood");
    assertEquals(ref.classLogLik, got.classLogLik, TOL * Math.max(1.0, Math.abs(ref.classLogLik)),
        where + ": classification log-likelihood");
    assertEquals(ref.respLogResp, got.respLogResp, TOL * Math.max(1.0, Math.abs(ref.respLogResp)),
        where + ": sum of r ln r");
    if (task.entropy) {
      assertTrue(ref.respLogResp < -1.0, where + ": the rows' responsibilities overlap, so r ln r adds up");
    }
    if (hard) {
      assertEquals(ref.hardDist, got.hardDist, 0.0, where + ": distances");
      for (int j = 0; j < task.k; j++) {
        assertEquals(ref.assignHash(j), got.assignHash(j), where + ": labels of component " + j);
        assertEquals(ref.hardCount(j), got.hardCount(j), 0.0, where + ": count of component " + j);
      }
    } else {
      assertArrayEquals(ref.hardCount, got.hardCount, TOL * ref.weightSum, where + ": most likely counts");
    }
    int d = task.d;
    for (int j = 0; j < task.k; j++) {
      double r = ref.resp(j);
      assertEquals(r, got.resp(j), TOL * r, where + ": resp " + j);
      double[] sRef = ref.scatterOf(j);
      double[] sGot = got.scatterOf(j);
      double[] diag = new double[d];
      for (int i = 0; i < d; i++) {
        diag[i] = sRef.length == d * d ? sRef[i * d + i] : sRef.length == d ? sRef[i] : Double.NaN;
      }
      double[] sumRef = ref.sumOf(j);
      double[] sumGot = got.sumOf(j);
      for (int i = 0; i < d; i++) {
        double bound = Double.isNaN(diag[i]) ? Math.abs(sumRef[i]) : Math.sqrt(r * diag[i]);
        assertEquals(sumRef[i], sumGot[i], TOL * Math.max(bound, Math.abs(sumRef[i])), where + ": sum " + j);
      }
      for (int e = 0; e < sRef.length; e++) {
        double bound = sRef.length == d * d ? Math.sqrt(diag[e / d] * diag[e % d]) : Math.abs(sRef[e]);
        assertEquals(sRef[e], sGot[e], TOL * bound, where + ": scatter " + j + " entry " + e);
      }
    }
    int[] oRef = ref.worst().order();
    int[] oGot = got.worst().order();
    assertEquals(oRef.length, oGot.length, where + ": worst rows");
    for (int i = 0; i < oRef.length; i++) {
      assertEquals(ref.worst().key(oRef[i]), got.worst().key(oGot[i]), where + ": worst row " + i);
      double sr = ref.worst().score(oRef[i]);
      assertEquals(sr, got.worst().score(oGot[i]), TOL * Math.abs(sr), where + ": worst score " + i);
    }
    assertTrue(ref.rows > 0);
  }

  private static DataBlock block(double[] x, double[] w, int row0, int rows) {
    double[] bx = new double[rows * D];
    System.arraycopy(x, row0 * D, bx, 0, rows * D);
    long[] keys = new long[rows];
    for (int r = 0; r < rows; r++) {
      keys[r] = DataBlock.rowKey(0, row0 + r + 2);
    }
    double[] bw = null;
    if (w != null) {
      bw = new double[rows];
      System.arraycopy(w, row0, bw, 0, rows);
    }
    return new DataBlock(rows, D, bx, keys, bw, null);
  }

  /** Random covariances of the type: A A^T + diag for full and tied, positive diagonals otherwise. */
  private static double[][] covariances(CovarianceType type, Random rnd) {
    int blocks = type.blocks(K);
    double[][] c = new double[blocks][];
    for (int b = 0; b < blocks; b++) {
      switch (type) {
        case FULL, TIED -> {
          double[] a = new double[D * D];
          for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextGaussian();
          }
          double[] s = new double[D * D];
          for (int i = 0; i < D; i++) {
            for (int p = 0; p < D; p++) {
              double v = 0.0;
              for (int q = 0; q < D; q++) {
                v += a[i * D + q] * a[p * D + q];
              }
              s[i * D + p] = v + (i == p ? 0.5 : 0.0);
            }
          }
          c[b] = s;
        }
        case DIAG -> {
          c[b] = new double[D];
          for (int i = 0; i < D; i++) {
            c[b][i] = 0.5 + 4.0 * rnd.nextDouble();
          }
        }
        default -> c[b] = new double[] {0.5 + 4.0 * rnd.nextDouble()};
      }
    }
    return c;
  }
}
