package dev.latent.em;

import java.io.Serializable;

/**
 * Sufficient statistics of one E-step: per component the responsibility sum, the weighted sum and the
 * weighted scatter of (x - shift), where shift is the broadcast mean. Accumulating about a shift close to
 * the mean avoids the cancellation of E[xx^T] - mu mu^T, and partitions still merge by plain addition.
 *
 * <p>Arrays are allocated on first use, so the zero value that Spark ships to every task is small.
 * Full scatter is packed: the upper triangle row by row, d(d+1)/2 entries per component.
 */
public final class SuffStats implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int k;
  public final int d;
  public final EStepTask.Scatter scatter;
  private final int scatterLength;
  private final int rowStatisticLength;
  private boolean allocated;

  double[] resp;
  double[] sum;
  double[] scat;
  long[] assignHash;
  /** The task's {@link RowStatistic}, summed over rows (empty without one). */
  double[] rowStatistic;
  /** Weight of the rows whose most likely component is j (equals resp for hard assignment). */
  double[] hardCount;
  /** Total log-likelihood (soft) or classification log-likelihood (hard), each row times its weight. */
  public double logLik;
  /** Sum over rows of weight * log max_j r_ij (soft): the entropy term of ICL. */
  public double classLogLik;
  /** Sum over rows of weight * squared Mahalanobis distance to the assigned component (hard). */
  public double hardDist;
  /** Sum over rows of weight * max_j r_ij (only when the task measures): mean hardness of a stage. */
  public double hardness;
  /**
   * Sum over rows of weight * (-sum_j r_ij ln r_ij) of the tempered responsibilities (only when the task
   * measures): how soft the assignment still is along an annealing path.
   */
  public double temperedEntropy;
  /**
   * Sum over rows of weight * sum_j r_ij ln r_ij (soft, when the task asks for it): minus the entropy of
   * the responsibilities, a term of the variational lower bound.
   */
  public double respLogResp;
  public double weightSum;
  public long rows;
  final TopRows worst;
  /** The E-step's work arrays, reused for every block of the partition; never shipped. */
  private transient EStep.Scratch scratch;

  public SuffStats(int k, int d, EStepTask.Scatter scatter, int worstRows) {
    this(k, d, scatter, worstRows, 0);
  }

  private SuffStats(int k, int d, EStepTask.Scatter scatter, int worstRows, int rowStatisticLength) {
    this.k = k;
    this.rowStatisticLength = rowStatisticLength;
    this.d = d;
    this.scatter = scatter;
    this.scatterLength = switch (scatter) {
      case NONE -> 0;
      case DIAG -> d;
      case FULL -> d * (d + 1) / 2;
    };
    this.worst = new TopRows(worstRows, d);
  }

  public static SuffStats zeroFor(EStepTask task) {
    return new SuffStats(task.k, task.d, task.scatter, task.worstRows,
        task.rowStatistic == null ? 0 : task.rowStatistic.length());
  }

  void ensureAllocated() {
    if (!allocated) {
      resp = new double[k];
      sum = new double[k * d];
      scat = new double[k * scatterLength];
      assignHash = new long[k];
      hardCount = new double[k];
      rowStatistic = new double[rowStatisticLength];
      allocated = true;
    }
  }

  /** Uses {@code o}'s scratch arrays (one thread's statistics of the same task, filled one after another). */
  void shareScratch(SuffStats o) {
    scratch = o.scratch(EStep.TILE);
  }

  EStep.Scratch scratch(int tile) {
    if (scratch == null) {
      scratch = new EStep.Scratch(k, d, tile);
    }
    return scratch;
  }

  /** Entries of one component's scatter: 0, d, or d(d+1)/2 (packed upper triangle). */
  int scatterLength() {
    return scatterLength;
  }

  /** Adds row x[off..off+d) with responsibility-times-weight rw to component j. */
  void addRow(int j, double rw, double[] x, int off, double[] shift, double[] diff) {
    resp[j] += rw;
    int s = j * d;
    for (int i = 0; i < d; i++) {
      double t = x[off + i] - shift[i];
      diff[i] = t;
      sum[s + i] += rw * t;
    }
    int q = j * scatterLength;
    if (scatter == EStepTask.Scatter.FULL) {
      for (int i = 0; i < d; i++) {
        double a = rw * diff[i];
        for (int p = i; p < d; p++) {
          scat[q++] += a * diff[p];
        }
      }
    } else if (scatter == EStepTask.Scatter.DIAG) {
      for (int i = 0; i < d; i++) {
        scat[q + i] += rw * diff[i] * diff[i];
      }
    }
  }

  /** Adds another partition's statistics into this one and returns this. */
  public SuffStats merge(SuffStats o) {
    if (o.allocated) {
      ensureAllocated();
      add(resp, o.resp);
      add(sum, o.sum);
      add(scat, o.scat);
      add(hardCount, o.hardCount);
      add(rowStatistic, o.rowStatistic);
      for (int j = 0; j < k; j++) {
        assignHash[j] += o.assignHash[j];
      }
    }
    logLik += o.logLik;
    classLogLik += o.classLogLik;
    hardDist += o.hardDist;
    hardness += o.hardness;
    temperedEntropy += o.temperedEntropy;
    respLogResp += o.respLogResp;
    weightSum += o.weightSum;
    rows += o.rows;
    worst.merge(o.worst);
    return this;
  }

  private static void add(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
  }

  public boolean isEmpty() {
    return !allocated;
  }

  /** Responsibility sum of component j (weighted count). */
  public double resp(int j) {
    return allocated ? resp[j] : 0.0;
  }

  /** Weight of the rows whose most likely component is j. */
  public double hardCount(int j) {
    return allocated ? hardCount[j] : 0.0;
  }

  /** Order-independent fingerprint of which rows are assigned to component j (hard assignment only). */
  public long assignHash(int j) {
    return allocated ? assignHash[j] : 0L;
  }

  /** Component j's weighted sum of (x - shift), length d. */
  public double[] sumOf(int j) {
    double[] out = new double[d];
    if (allocated) {
      System.arraycopy(sum, j * d, out, 0, d);
    }
    return out;
  }

  /** Component j's weighted scatter of (x - shift): full d x d row-major, or the diagonal (length d). */
  public double[] scatterOf(int j) {
    if (scatter == EStepTask.Scatter.FULL) {
      double[] out = new double[d * d];
      if (allocated) {
        int q = j * scatterLength;
        for (int i = 0; i < d; i++) {
          for (int p = i; p < d; p++) {
            out[i * d + p] = scat[q];
            out[p * d + i] = scat[q];
            q++;
          }
        }
      }
      return out;
    }
    double[] out = new double[d];
    if (allocated && scatter == EStepTask.Scatter.DIAG) {
      System.arraycopy(scat, j * d, out, 0, d);
    }
    return out;
  }

  /** The task's row statistic summed over the rows (not copied; empty when the task had none). */
  public double[] rowStatistic() {
    ensureAllocated();
    return rowStatistic;
  }

  public TopRows worst() {
    return worst;
  }
}
