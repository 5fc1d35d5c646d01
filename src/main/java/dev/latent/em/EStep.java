package dev.latent.em;

/**
 * The one per-partition mapper: E-step over a block of rows into sufficient statistics, for each of
 * several candidate fits (restarts) in the same scan. Spark-free, so it is tested on plain arrays.
 */
public final class EStep {
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
    if (block.d != task.d) {
      throw new IllegalArgumentException("block dimension " + block.d + " != model dimension " + task.d);
    }
    int k = task.k;
    int d = task.d;
    double[] maha = new double[k];
    double[] logits = new double[k];
    double[] diff = new double[d];
    double[] x = block.x;
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
          int j = argmax(logits, k);
          stats.logLik += w * logits[j];
          stats.hardDist += w * maha[j];
          stats.assignHash[j] += RowRandom.mix(key);
          stats.hardCount[j] += w;
          offerWorst(stats, -logits[j], key, x, off);
          stats.addRow(j, w, x, off, task.shifts[j], diff);
          break;
        }
        default: {
          task.mixture.logits(x, off, maha, logits, diff);
          int best = argmax(logits, k);
          double lse = logSumExp(logits, k, logits[best]);
          stats.logLik += w * lse;
          stats.classLogLik += w * (logits[best] - lse);
          stats.hardCount[best] += w;
          offerWorst(stats, -lse, key, x, off);
          for (int j = 0; j < k; j++) {
            double rw = w * Math.exp(logits[j] - lse);
            if (rw > 0.0) {
              stats.addRow(j, rw, x, off, task.shifts[j], diff);
            }
          }
        }
      }
    }
    return stats;
  }

  private static void offerWorst(SuffStats stats, double score, long key, double[] x, int off) {
    if (stats.worst.accepts(score, key)) {
      stats.worst.offer(score, key, x, off);
    }
  }

  /** Index of the largest logit; ties go to the lowest index (as scikit-learn's argmin of distances). */
  static int argmax(double[] a, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (a[j] > a[best]) {
        best = j;
      }
    }
    return best;
  }

  /** log sum_j exp(a_j), given the maximum; every a_j = -inf gives -inf. */
  static double logSumExp(double[] a, int k, double max) {
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double s = 0.0;
    for (int j = 0; j < k; j++) {
      s += Math.exp(a[j] - max);
    }
    return max + Math.log(s);
  }
}
