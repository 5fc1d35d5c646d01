package dev.latent.em;

import dev.latent.math.Kernels;
import dev.latent.math.LogSumExp;
import dev.latent.math.TileKernels;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import java.util.Arrays;

/**
 * The one per-partition mapper: E-step over a block of rows into sufficient statistics, for each of
 * several candidate fits (restarts) in the same scan. Spark-free, so it is tested on plain arrays.
 *
 * <p>Blocked: each block is cut into tiles of {@link #TILE} rows, transposed once to columns (except for
 * K-means with few centres, whose kernel reads the rows as they are: see {@link #nearest}), and every
 * step then runs over a whole tile per component (see {@link TileKernels}): the squared distances
 * (for full and tied covariances, the tile times the precision factor, minus the mean), the
 * log-sum-exp over components, and for soft assignment the statistics as one weighted Gram matrix per
 * component and tile. {@link RowEStep} is the row-at-a-time reference this is tested against; hard
 * assignment (K-means) gets the same distances bitwise, so the same labels, and adds each row to its one
 * component as the reference does. Scratch arrays live with the partition's statistics, so nothing is
 * allocated per row or per block.
 */
public final class EStep {
  /**
   * Rows per tile: for d = 10 the tile's columns (d x 128 doubles; diagonal statistics also store a
   * centred and a weighted copy) stay in the L1 cache while the Gram matrix reads them (256-row tiles
   * timed slower).
   */
  static final int TILE = 128;

  private EStep() {}

  /** Accumulates {@code block} into {@code stats[c]} for every candidate c whose task is not null. */
  public static SuffStats[] accumulate(EStepTask[] tasks, DataBlock block, SuffStats[] stats) {
    for (int c = 0; c < tasks.length; c++) {
      if (tasks[c] != null) {
        accumulate(tasks[c], block, stats[c]);
      }
    }
    return stats;
  }

  public static SuffStats accumulate(EStepTask task, DataBlock block, SuffStats stats) {
    return accumulate(task, block, stats, Kernels.get());
  }

  /** As {@link #accumulate(EStepTask, DataBlock, SuffStats)} with the given kernels (tests, benchmarks). */
  public static SuffStats accumulate(EStepTask task, DataBlock block, SuffStats stats, TileKernels kernels) {
    if (block.d != task.d) {
      throw new IllegalArgumentException("block dimension " + block.d + " != model dimension " + task.d);
    }
    if (task.assign == EStepTask.Assign.LABELS) {
      // No densities to compute: one pass per fit, so the row path is all it needs.
      return RowEStep.accumulate(task, block, stats);
    }
    stats.ensureAllocated();
    Scratch s = stats.scratch(TILE);
    int d = task.d;
    if (task.assign == EStepTask.Assign.HARD && unitSpheres(task.mixture)) {
      s.shiftCentres(task.mixture);
      boolean few = task.k <= kernels.fewCentres();
      for (int row0 = 0; row0 < block.rows; row0 += TILE) {
        int n = Math.min(TILE, block.rows - row0);
        int np = (n + TileKernels.PAD - 1) / TileKernels.PAD * TileKernels.PAD;
        if (!few) {
          // The tile's columns for the products (a few centres take the rows as they are).
          TileKernels.toColumns(block.x, row0, n, d, s.xt, TILE);
          for (int i = 0; i < d; i++) {
            Arrays.fill(s.xt, i * TILE + n, i * TILE + np, 0.0);
          }
        }
        weights(block, row0, n, np, s.w);
        nearest(task, block, row0, n, np, s, stats, kernels, few);
      }
      return stats;
    }
    for (int row0 = 0; row0 < block.rows; row0 += TILE) {
      int n = Math.min(TILE, block.rows - row0);
      // Kernels run over np rows: the tile padded with zero rows of weight 0, which add exact zeros.
      int np = (n + TileKernels.PAD - 1) / TileKernels.PAD * TileKernels.PAD;
      TileKernels.toColumns(block.x, row0, n, d, s.xt, TILE);
      for (int r = 0; r < n; r++) {
        s.w[r] = block.weight(row0 + r);
      }
      for (int r = n; r < np; r++) {
        s.w[r] = 0.0;
        for (int i = 0; i < d; i++) {
          s.xt[i * TILE + r] = 0.0;
        }
      }
      logits(task.scoring(), task.assign == EStepTask.Assign.SOFT, s, np, kernels);
      if (task.assign == EStepTask.Assign.HARD) {
        hard(task, block, row0, n, np, s, stats, kernels);
      } else {
        soft(task, block, row0, n, np, s, stats, kernels);
      }
    }
    if (task.assign == EStepTask.Assign.SOFT) {
      addSoftPartials(s, stats, task.k, d);
    }
    return stats;
  }

  /** w[0..n) = the rows' weights, w[n..np) = 0 (the padding rows). */
  private static void weights(DataBlock block, int row0, int n, int np, double[] w) {
    if (block.weights == null) {
      Arrays.fill(w, 0, n, 1.0);
    } else {
      System.arraycopy(block.weights, row0, w, 0, n);
    }
    Arrays.fill(w, n, np, 0.0);
  }

  /**
   * s.maha[j][r] and s.logit[j][r] for every component j and row r of the tile. Hard assignment takes
   * the full and tied distances exactly as the row path does them (its labels must be the row path's);
   * soft assignment the faster fused kernel.
   */
  private static void logits(Mixture m, boolean soft, Scratch s, int n, TileKernels kernels) {
    int d = m.d;
    for (int j = 0; j < m.k; j++) {
      double[] maha = s.maha[j];
      double[] mu = m.meanOf(j);
      double[] f = m.factorOf(j);
      switch (m.type) {
        case FULL, TIED -> {
          if (soft) {
            kernels.centredTriangularNorms(s.xt, TILE, n, d, mu, f, s.diff, s.y, maha);
          } else {
            kernels.centre(s.xt, TILE, n, d, mu, s.diff);
            kernels.triangularNorms(f, d, s.diff, TILE, n, s.y, maha);
          }
        }
        case DIAG -> kernels.diagonalNorms(s.xt, TILE, n, d, mu, f, maha);
        default -> kernels.sphericalNorms(s.xt, TILE, n, d, mu, f[0], maha);
      }
      double[] logit = s.logit[j];
      double c = m.logNorm(j);
      for (int r = 0; r < n; r++) {
        logit[r] = c - 0.5 * maha[r];
      }
    }
  }

  /** Argmax per row, then each row's statistics added to its one component (as {@link RowEStep}). */
  private static void hard(EStepTask task, DataBlock block, int row0, int n, int np, Scratch s, SuffStats stats,
      TileKernels kernels) {
    int d = task.d;
    double[] x = block.x;
    kernels.argmax(s.logit, s.maha, task.k, np, s.best, s.max, s.bestMaha);
    boolean sumsOnly = task.scatter == EStepTask.Scatter.NONE;
    // Running totals in locals (same order of additions as the row path), written back after the tile.
    long rows = stats.rows;
    double weightSum = stats.weightSum;
    double logLik = stats.logLik;
    double hardDist = stats.hardDist;
    for (int r = 0; r < n; r++) {
      double w = s.w[r];
      if (w == 0.0) {
        continue;
      }
      int j = s.best[r];
      int off = (row0 + r) * d;
      long key = block.keys[row0 + r];
      rows++;
      weightSum += w;
      logLik += w * s.max[r];
      hardDist += w * s.bestMaha[r];
      addToOne(task, stats, j, w, x, off, key, sumsOnly, s.rowDiff);
    }
    if (sumsOnly) {
      kernels.addToLabels(x, row0, n, d, s.w, s.best, s.flatShifts(task.shifts), stats.sum);
    }
    stats.rows = rows;
    stats.weightSum = weightSum;
    stats.logLik = logLik;
    stats.hardDist = hardDist;
    offerWorstOfTile(stats, block, row0, n, s.w, s.max);
  }

  /**
   * True for K-means' mixture ({@link Mixture#forCentres}): spherical, unit variance, equal weights, so
   * the logits order the rows' centres exactly as their squared distances do.
   */
  static boolean unitSpheres(Mixture m) {
    if (m.type != CovarianceType.SPHERICAL) {
      return false;
    }
    for (int j = 0; j < m.k; j++) {
      if (m.factorOf(j)[0] != 1.0 || m.logNorm(j) != m.logNorm(0)) {
        return false;
      }
    }
    return true;
  }

  /**
   * K-means (Lloyd): the nearest centre of every row of the tile, then each row added to its centre as
   * {@link #hard} does. Labels and distances equal the row path's exactly, by one of two kernels.
   *
   * <p>Up to {@link TileKernels#fewCentres} centres (eight with AVX-512): {@link TileKernels#nearestOfFew},
   * one centre per vector lane, which computes every distance and logit by the row path's own operations,
   * so its labels are the row path's by construction (21 against 29 ns per row for the matrix product at
   * d = 10, K = 8, which also needs the tile transposed and the best distance recomputed).
   *
   * <p>More centres: one small matrix product ({@link TileKernels#nearestByProducts}). The expanded form
   * ||x||^2 - 2 x.c + ||c||^2 of the shifted row and centres (x - s, c - s, s the mean of the centres)
   * differs from the row path's rounded sum of (x_i - c_i)^2 by at most about (5d + 6) u (||x - s||^2 +
   * max ||c - s||^2), u = 2^-53: the kernels' chains of d fused multiply-adds start at -||c - s||^2 / 2, so
   * by Higham 2002, eq. 3.5, their error is at most gamma_d (||c - s||^2 + 2 |x - s| |c - s|) <= gamma_d
   * (||x - s||^2 + 2 ||c - s||^2), ||c - s||^2 adds gamma_d ||c - s||^2, the shift's own rounding about 4u,
   * the row path's sum gamma_d of a distance below 2 (||x - s||^2 + ||c - s||^2); the logits' rounding adds
   * 4u |log w - d/2 log 2 pi|. A row whose two smallest e differ by more than {@code tol} below (more than
   * twice the bound for two centres) has the row path's label; the others, near ties, are recomputed
   * exactly by the row path's own operations. The best centre's distance is always recomputed exactly
   * ({@link TileKernels#bestDistances}, d operations per row), so inertia and the log-likelihood are the
   * row path's to the bit.
   */
  private static void nearest(EStepTask task, DataBlock block, int row0, int n, int np, Scratch s,
      SuffStats stats, TileKernels kernels, boolean few) {
    Mixture m = task.mixture;
    int k = task.k;
    int d = task.d;
    double[] x = block.x;
    if (few) {
      kernels.nearestOfFew(x, row0, n, d, s.meansByCoordinate, k, m.logNorm(0), s.best, s.bestMaha, s.work);
    } else {
      kernels.nearestByProducts(s.xt, TILE, np, d, s.shift, s.diff, s.centres, s.cc, k, s.best, s.gap, s.xx,
          s.work);
      // Labels: the products' unless a near tie, then the row path's own.
      double perNorm = 0x1p-50 * (1.5 * d + 8);
      double tol0 = perNorm * s.ccMax + 0x1p-50 * (Math.abs(m.logNorm(0)) + 1.0);
      for (int r = 0; r < n; r++) {
        if (s.w[r] != 0.0 && !(s.gap[r] > tol0 + perNorm * s.xx[r])) {
          m.logits(x, (row0 + r) * d, s.rowMaha, s.rowLogit, s.rowDiff);
          s.best[r] = LogSumExp.argmax(s.rowLogit, k);
          s.recomputed++;
        }
      }
      kernels.bestDistances(s.xt, TILE, np, d, s.means, s.best, s.offsets, s.bestMaha);
    }
    boolean sumsOnly = task.scatter == EStepTask.Scatter.NONE;
    if (sumsOnly) {
      double[] w = block.weights == null ? null : s.w;
      kernels.addToLabels(x, row0, n, d, w, s.best, s.flatShifts(task.shifts), stats.sum);
    }
    // Every component's logNorm is the same (unitSpheres): the row path's logit of the distance.
    double logNorm = m.logNorm(0);
    long rows = stats.rows;
    double weightSum = stats.weightSum;
    double logLik = stats.logLik;
    double hardDist = stats.hardDist;
    if (sumsOnly && block.weights == null) {
      // Every weight 1: w x = x exactly, and the weights' sums count rows (see addOnes).
      int[] count = s.count;
      Arrays.fill(count, 0);
      long[] hash = stats.assignHash;
      long[] keys = block.keys;
      // The tile's lowest logit on the way, for offerRowsOfTile (every weight is 1 here).
      double lowest = Double.POSITIVE_INFINITY;
      for (int r = 0; r < n; r++) {
        int j = s.best[r];
        double m2 = s.bestMaha[r];
        double logit = logNorm - 0.5 * m2;
        s.max[r] = logit;
        if (logit < lowest) {
          lowest = logit;
        }
        logLik += logit;
        hardDist += m2;
        hash[j] += RowRandom.mix(keys[row0 + r]);
        count[j]++;
      }
      stats.rows = rows + n;
      stats.weightSum = addOnes(weightSum, n);
      stats.logLik = logLik;
      stats.hardDist = hardDist;
      for (int j = 0; j < k; j++) {
        if (count[j] > 0) {
          stats.hardCount[j] = addOnes(stats.hardCount[j], count[j]);
          stats.resp[j] = addOnes(stats.resp[j], count[j]);
        }
      }
      if (stats.worst.accepts(-lowest, Long.MIN_VALUE)) {
        offerRowsOfTile(stats, block, row0, n, s.w, s.max);
      }
      return;
    }
    for (int r = 0; r < n; r++) {
      double w = s.w[r];
      if (w == 0.0) {
        continue;
      }
      int j = s.best[r];
      double m2 = s.bestMaha[r];
      double logit = logNorm - 0.5 * m2;
      s.max[r] = logit;
      rows++;
      weightSum += w;
      logLik += w * logit;
      hardDist += w * m2;
      stats.assignHash[j] += RowRandom.mix(block.keys[row0 + r]);
      stats.hardCount[j] += w;
      if (sumsOnly) {
        stats.resp[j] += w;
      } else {
        stats.addRow(j, w, x, (row0 + r) * d, task.shifts[j], s.rowDiff);
      }
    }
    stats.rows = rows;
    stats.weightSum = weightSum;
    stats.logLik = logLik;
    stats.hardDist = hardDist;
    offerWorstOfTile(stats, block, row0, n, s.w, s.max);
  }

  /**
   * a + 1 + 1 + ... (c ones, each addition rounded, as the row path adds unit weights): one exact addition
   * when a is a whole number below 2^52 (every partial sum is then a whole number below 2^53, so exact).
   */
  static double addOnes(double a, int c) {
    if (a == Math.rint(a) && Math.abs(a) < 0x1p52) {
      return a + c;
    }
    for (int i = 0; i < c; i++) {
      a += 1.0;
    }
    return a;
  }

  /**
   * A hard-assigned row into its one component j: its key's hash and weight, then (with scatter) its sum
   * and scatter about the shift. Without scatter (K-means) the caller adds the tile's sums afterwards
   * ({@link TileKernels#addToLabels}: the same operations as SuffStats.addRow without the scatter).
   */
  private static void addToOne(EStepTask task, SuffStats stats, int j, double w, double[] x, int off, long key,
      boolean sumsOnly, double[] rowDiff) {
    stats.assignHash[j] += RowRandom.mix(key);
    stats.hardCount[j] += w;
    if (sumsOnly) {
      stats.resp[j] += w;
    } else {
      stats.addRow(j, w, x, off, task.shifts[j], rowDiff);
    }
  }

  /**
   * Offers the tile's rows as worst-explained candidates (score -objective[r], as {@link RowEStep}):
   * one test of the tile's worst score first, so that once the set is full almost no tile goes row by row.
   */
  private static void offerWorstOfTile(SuffStats stats, DataBlock block, int row0, int n, double[] w,
      double[] objective) {
    double lowest = Double.POSITIVE_INFINITY;
    for (int r = 0; r < n; r++) {
      if (w[r] != 0.0 && objective[r] < lowest) {
        lowest = objective[r];
      }
    }
    if (stats.worst.accepts(-lowest, Long.MIN_VALUE)) {
      offerRowsOfTile(stats, block, row0, n, w, objective);
    }
  }

  /** Offers every row of the tile of nonzero weight (score -objective[r]), once the tile's worst is accepted. */
  private static void offerRowsOfTile(SuffStats stats, DataBlock block, int row0, int n, double[] w,
      double[] objective) {
    for (int r = 0; r < n; r++) {
      if (w[r] != 0.0) {
        RowEStep.offerWorst(stats, -objective[r], block.keys[row0 + r], block.x, (row0 + r) * block.d);
      }
    }
  }

  /**
   * Responsibilities by log-sum-exp per row (the kernel's posteriors), then per component the weighted
   * sums and scatter of the tile about the component's shift, as one weighted Gram matrix
   * ({@link TileKernels#centredWeightedGram}), into the scratch's partial sums
   * ({@link TileKernels#addPartials}; {@link #addSoftPartials} after the block).
   */
  private static void soft(EStepTask task, DataBlock block, int row0, int n, int np, Scratch s, SuffStats stats,
      TileKernels kernels) {
    int k = task.k;
    int d = task.d;
    kernels.argmax(s.logit, s.maha, k, np, s.best, s.max, s.bestMaha);
    boolean fixed = task.fixed();
    boolean tempered = task.beta != 1.0;
    if (fixed) {
      fixedVarianceLogits(task, s, k, np);
    }
    if (tempered) {
      temper(task.beta, s, k, np);
    }
    kernels.posteriors(s.logit, k, np, s.w, s.max, s.resp, s.lse);
    if (task.rowStatistic != null) {
      task.rowStatistic.addTile(block.x, row0, n, s.w, s.resp, stats.rowStatistic);
    }
    // Untempered: lse0 and max0 are the row's own log-likelihood terms (lse and max at beta = 1).
    double[] lse0 = tempered ? s.lse0 : s.lse;
    double[] max0 = tempered ? s.max0 : s.max;
    long rows = stats.rows;
    double weightSum = stats.weightSum;
    double logLik = stats.logLik;
    double classLogLik = stats.classLogLik;
    for (int r = 0; r < n; r++) {
      double w = s.w[r];
      if (w == 0.0) {
        continue;
      }
      double lse = fixed ? s.offset[r] + lse0[r] : lse0[r];
      long key = block.keys[row0 + r];
      rows++;
      weightSum += w;
      logLik += w * lse;
      classLogLik += w * (max0[r] - lse0[r]);
      stats.hardCount[s.best[r]] += w;
      if (fixed) {
        stats.assignHash[s.best[r]] += RowRandom.mix(key);
      }
      if (task.measure) {
        stats.hardness += w * Math.exp(s.max[r] - s.lse[r]);
        stats.temperedEntropy += w * entropy(s.logit, k, r, s.lse[r]);
      }
      if (fixed || tempered) {
        // The row's own log-likelihood is not s.lse here: offered row by row.
        RowEStep.offerWorst(stats, -lse, key, block.x, (row0 + r) * d);
      }
    }
    stats.rows = rows;
    stats.weightSum = weightSum;
    stats.logLik = logLik;
    stats.classLogLik = classLogLik;
    if (!fixed && !tempered) {
      offerWorstOfTile(stats, block, row0, n, s.w, s.lse);
    }
    if (task.entropy) {
      stats.respLogResp += respLogResp(s, k, n);
    }
    double[] acc = s.partials(stats.scatterLength());
    int per = s.partialsPerComponent;
    for (int j = 0; j < k; j++) {
      int a0 = j * per * TileKernels.PAD;
      if (task.scatter == EStepTask.Scatter.FULL) {
        kernels.centredWeightedGram(s.xt, TILE, np, d, task.shifts[j], s.resp[j], s.diff, s.wd, acc, a0);
        continue;
      }
      kernels.centredWeightedSums(s.xt, TILE, np, d, task.shifts[j], s.resp[j], s.diff, s.wd, acc, a0);
      int q0 = a0 + (1 + d) * TileKernels.PAD;
      if (task.scatter == EStepTask.Scatter.DIAG) {
        kernels.weightedSquares(s.wd, s.diff, TILE, np, d, acc, q0);
      }
    }
  }

  /** The block's partial sums of the soft statistics into resp, sum and scat, zeroed for the next block. */
  private static void addSoftPartials(Scratch s, SuffStats stats, int k, int d) {
    int len = stats.scatterLength();
    double[] acc = s.partials(len);
    int pad = TileKernels.PAD;
    for (int j = 0; j < k; j++) {
      int a0 = j * s.partialsPerComponent * pad;
      TileKernels.addPartials(acc, a0, 1, stats.resp, j);
      TileKernels.addPartials(acc, a0 + pad, d, stats.sum, j * d);
      TileKernels.addPartials(acc, a0 + (1 + d) * pad, len, stats.scat, j * len);
    }
  }

  /**
   * Every covariance fixed at S I: the logits were K-means' (squared distances s_j under the
   * nearest-centre mixture, the same kernel and the same argmax, so best[r] is K-means' label bit for
   * bit). They become logits relative to that label, (ln w_j - ln w_b) - (s_j - s_b) / (2 S), and the
   * row's offset ln w_b - d/2 ln(2 pi S) - s_b / (2 S) is kept apart. Scaling the differences rather
   * than the distances keeps a gap of 2 S (746 + |ln w_j / w_b|) between s_j and s_b a logit below -746
   * after rounding, whose exponential is exactly 0: the row is then hard-assigned as Lloyd assigns it.
   */
  private static void fixedVarianceLogits(EStepTask task, Scratch s, int k, int n) {
    double half = 0.5 / task.fixedVariance;
    double logNorm = -0.5 * task.d * Math.log(2.0 * Math.PI * task.fixedVariance);
    double[] lw = task.logWeights;
    for (int r = 0; r < n; r++) {
      int b = s.best[r];
      double sb = s.bestMaha[r];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        double v = (lw[j] - lw[b]) - (s.maha[j][r] - sb) * half;
        s.logit[j][r] = v;
        if (v > max) {
          max = v;
        }
      }
      s.max[r] = max;
      s.offset[r] = lw[b] + logNorm - sb * half;
    }
  }

  /**
   * Keeps each row's untempered maximum and log-sum-exp (its log-likelihood) in max0 and lse0, then
   * multiplies the logits by beta; beta > 0 keeps the argmax, and fl(beta max) is the tempered maximum.
   */
  private static void temper(double beta, Scratch s, int k, int n) {
    for (int r = 0; r < n; r++) {
      double m = s.max[r];
      s.max0[r] = m;
      double sum = 0.0;
      for (int j = 0; j < k; j++) {
        sum += Math.exp(s.logit[j][r] - m);
      }
      s.lse0[r] = m + Math.log(sum);
      for (int j = 0; j < k; j++) {
        s.logit[j][r] *= beta;
      }
      s.max[r] = m * beta;
    }
  }

  /** -sum_j p_j ln p_j of row r with p_j = exp(logit_j - lse): sum_j p_j (lse - logit_j), each term >= 0. */
  static double entropy(double[][] logit, int k, int r, double lse) {
    double h = 0.0;
    for (int j = 0; j < k; j++) {
      double p = Math.exp(logit[j][r] - lse);
      if (p > 0.0) {
        h += p * (lse - logit[j][r]);
      }
    }
    return h;
  }

  /** sum_r sum_j resp_jr (logit_jr - lse_r), i.e. w r ln r summed over the tile (resp holds w r). */
  private static double respLogResp(Scratch s, int k, int n) {
    double t = 0.0;
    for (int r = 0; r < n; r++) {
      double lse = s.lse[r];
      for (int j = 0; j < k; j++) {
        double rw = s.resp[j][r];
        if (rw > 0.0) {
          t += rw * (s.logit[j][r] - lse);
        }
      }
    }
    return t;
  }

  /** Per-partition work arrays for tiles of {@code tile} rows: allocated once, reused for every block. */
  static final class Scratch {
    final double[] xt;
    final double[] diff;
    final double[] wd;
    final double[] y;
    final double[] w;
    final double[] max;
    final double[] bestMaha;
    final int[] best;
    final double[] lse;
    final double[] lse0;
    final double[] max0;
    final double[] offset;
    final double[] rowDiff;
    final double[][] maha;
    final double[][] logit;
    final double[][] resp;
    // K-means: the centres shifted by their mean, their squared norms, and per row the products' results.
    final double[] shift;
    final double[] means;
    /** The means coordinate by coordinate, TileKernels.PAD per coordinate (filled when k <= PAD): nearestOfFew's. */
    final double[] meansByCoordinate;
    final int[] offsets;
    final double[] centres;
    final double[] cc;
    double ccMax;
    final double[] gap;
    final double[] xx;
    final double[] work;
    final double[] rowMaha;
    final double[] rowLogit;
    /** The task's shifts as one k x d row-major array (K-means' sums), and the task they were taken from. */
    final double[] shifts;
    private double[][] shiftsOf;
    /** K-means on unweighted blocks: the tile's rows per centre. */
    final int[] count;
    /** Rows whose label was recomputed exactly as a near tie (tests and benchmarks read it). */
    long recomputed;
    private final int k;
    private final int d;
    /** Soft assignment: per component, TileKernels.PAD partial sums of its weight, sums and scatter. */
    private double[] partials;
    int partialsPerComponent;

    Scratch(int k, int d, int tile) {
      this.k = k;
      this.d = d;
      xt = new double[d * tile];
      diff = new double[d * tile];
      wd = new double[d * tile];
      y = new double[tile];
      w = new double[tile];
      max = new double[tile];
      bestMaha = new double[tile];
      best = new int[tile];
      lse = new double[tile];
      lse0 = new double[tile];
      max0 = new double[tile];
      offset = new double[tile];
      rowDiff = new double[d];
      maha = new double[k][tile];
      logit = new double[k][tile];
      resp = new double[k][tile];
      shift = new double[d];
      means = new double[k * d];
      meansByCoordinate = new double[d * TileKernels.PAD];
      offsets = new int[tile];
      centres = new double[k * d];
      cc = new double[k];
      gap = new double[tile];
      xx = new double[tile];
      work = new double[9 * tile];
      rowMaha = new double[k];
      rowLogit = new double[k];
      shifts = new double[k * d];
      count = new int[k];
    }

    /** {@link #shifts} filled from the task's (copied once per task: a scratch serves one task). */
    double[] flatShifts(double[][] taskShifts) {
      if (shiftsOf != taskShifts) {
        for (int j = 0; j < taskShifts.length; j++) {
          System.arraycopy(taskShifts[j], 0, shifts, j * taskShifts[j].length, taskShifts[j].length);
        }
        shiftsOf = taskShifts;
      }
      return shifts;
    }

    /** The soft statistics' partial sums (all zero between blocks), allocated by the first soft scan. */
    double[] partials(int scatterLength) {
      if (partials == null) {
        partialsPerComponent = 1 + d + scatterLength;
        partials = new double[k * partialsPerComponent * TileKernels.PAD];
      }
      return partials;
    }

    /** The mixture's means less their mean (s), and their squared norms, for {@link EStep#nearest}. */
    void shiftCentres(Mixture m) {
      int k = m.k;
      int d = m.d;
      Arrays.fill(shift, 0.0);
      for (int j = 0; j < k; j++) {
        double[] mu = m.meanOf(j);
        for (int i = 0; i < d; i++) {
          shift[i] += mu[i] / k;
        }
      }
      ccMax = 0.0;
      for (int j = 0; j < k; j++) {
        double[] mu = m.meanOf(j);
        double t = 0.0;
        for (int i = 0; i < d; i++) {
          double v = mu[i] - shift[i];
          means[j * d + i] = mu[i];
          if (k <= TileKernels.PAD) {
            meansByCoordinate[i * TileKernels.PAD + j] = mu[i];
          }
          centres[j * d + i] = v;
          t += v * v;
        }
        cc[j] = t;
        ccMax = Math.max(ccMax, t);
      }
    }
  }
}
