package dev.latent.em;

import dev.latent.math.LogSumExp;

/**
 * The E-step one row at a time: the reference that {@link EStep}'s blocked kernels are tested against
 * (to 1e-9 relative), and the path for label initialisation and hard assignment's statistics.
 */
public final class RowEStep {
  private RowEStep() {}

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
    if (block.d != task.d) {
      throw new IllegalArgumentException("block dimension " + block.d + " != model dimension " + task.d);
    }
    int k = task.k;
    int d = task.d;
    double[] maha = new double[k];
    double[] logits = new double[k];
    double[] diff = new double[d];
    double[] x = block.x;
    double[] rowWeight = new double[1];
    double[][] rowResp = new double[k][1];
    stats.ensureAllocated();
    for (int r = 0; r < block.rows; r++) {
      double w = block.weight(r);
      if (w == 0.0) {
        continue;
      }
      int off = r * d;
      long key = block.keys[r];
      stats.rows++;
      stats.weightSum += w;
      switch (task.assign) {
        case LABELS: {
          int j = block.labels[r];
          stats.addRow(j, w, x, off, task.shifts[j], diff);
          stats.assignHash[j] += RowRandom.mix(key);
          stats.hardCount[j] += w;
          break;
        }
        case HARD: {
          task.mixture.logits(x, off, maha, logits, diff);
          int j = LogSumExp.argmax(logits, k);
          stats.logLik += w * logits[j];
          stats.hardDist += w * maha[j];
          stats.assignHash[j] += RowRandom.mix(key);
          stats.hardCount[j] += w;
          offerWorst(stats, -logits[j], key, x, off);
          stats.addRow(j, w, x, off, task.shifts[j], diff);
          break;
        }
        default: {
          task.scoring().logits(x, off, maha, logits, diff);
          int best = LogSumExp.argmax(logits, k);
          double offset = 0.0;
          double max = logits[best];
          if (task.fixed()) {
            // As EStep.fixedVarianceLogits: relative to K-means' label, differences scaled by 1 / (2 S).
            double half = 0.5 / task.fixedVariance;
            double[] lw = task.logWeights;
            max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
              logits[j] = (lw[j] - lw[best]) - (maha[j] - maha[best]) * half;
              max = Math.max(max, logits[j]);
            }
            offset = lw[best] - 0.5 * d * Math.log(2.0 * Math.PI * task.fixedVariance) - maha[best] * half;
            stats.assignHash[best] += RowRandom.mix(key);
          }
          double lse0 = LogSumExp.withMax(logits, 0, k, max);
          double lse = lse0;
          double tmax = max;
          if (task.beta != 1.0) {
            for (int j = 0; j < k; j++) {
              logits[j] *= task.beta;
            }
            tmax = max * task.beta;
            lse = LogSumExp.withMax(logits, 0, k, tmax);
          }
          stats.logLik += w * (offset + lse0);
          stats.classLogLik += w * (max - lse0);
          stats.hardCount[best] += w;
          if (task.measure) {
            stats.hardness += w * Math.exp(tmax - lse);
            double h = 0.0;
            for (int j = 0; j < k; j++) {
              double p = Math.exp(logits[j] - lse);
              if (p > 0.0) {
                h += p * (lse - logits[j]);
              }
            }
            stats.temperedEntropy += w * h;
          }
          offerWorst(stats, -(offset + lse0), key, x, off);
          double rlr = 0.0;
          for (int j = 0; j < k; j++) {
            double rw = w * Math.exp(logits[j] - lse);
            rowResp[j][0] = rw;
            if (rw > 0.0) {
              stats.addRow(j, rw, x, off, task.shifts[j], diff);
              rlr += rw * (logits[j] - lse);
            }
          }
          if (task.entropy) {
            stats.respLogResp += rlr;
          }
          if (task.rowStatistic != null) {
            rowWeight[0] = w;
            task.rowStatistic.addTile(x, r, 1, rowWeight, rowResp, stats.rowStatistic);
          }
        }
      }
    }
    return stats;
  }

  static void offerWorst(SuffStats stats, double score, long key, double[] x, int off) {
    if (stats.worst.accepts(score, key)) {
      stats.worst.offer(score, key, x, off);
    }
  }
}
