package dev.latent.bench;

import dev.latent.em.DataBlock;
import dev.latent.em.RowRandom;
import dev.latent.io.BlockBuilder;
import dev.latent.math.Cholesky;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.DenseVector;
import org.apache.spark.mllib.linalg.Vector;

/**
 * A seeded Gaussian mixture with full covariances, and its rows generated on the executors: partition p
 * of P draws rows [n p / P, n (p + 1) / P) from its own generator seeded by (seed, p), so the same
 * arguments give the same rows as Latent blocks and as MLlib vectors, and the driver never holds them.
 */
final class SyntheticMixture implements Serializable {
  private static final long serialVersionUID = 1L;

  final int d;
  final int k;
  final double[] weights;
  final double[][] means;
  final double[][] covariances;
  private final double[][] chol;

  private SyntheticMixture(double[] weights, double[][] means, double[][] covariances, double[][] chol) {
    this.k = weights.length;
    this.d = means[0].length;
    this.weights = weights;
    this.means = means;
    this.covariances = covariances;
    this.chol = chol;
  }

  /**
   * Means uniform in [-spread, spread]^d, covariances A A^T / d + 0.2 I with A standard normal
   * (eigenvalues spread over about 0.2..4), weights 1 + U(0, 1) normalised.
   */
  static SyntheticMixture random(int d, int k, double spread, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] w = new double[k];
    double total = 0.0;
    for (int j = 0; j < k; j++) {
      w[j] = 1.0 + rnd.nextDouble();
      total += w[j];
    }
    double[][] mu = new double[k][d];
    double[][] cov = new double[k][d * d];
    double[][] l = new double[k][];
    for (int j = 0; j < k; j++) {
      w[j] /= total;
      for (int i = 0; i < d; i++) {
        mu[j][i] = spread * (2.0 * rnd.nextDouble() - 1.0);
      }
      double[] a = new double[d * d];
      for (int i = 0; i < a.length; i++) {
        a[i] = rnd.nextGaussian();
      }
      for (int i = 0; i < d; i++) {
        for (int p = 0; p < d; p++) {
          double s = 0.0;
          for (int q = 0; q < d; q++) {
            s += a[i * d + q] * a[p * d + q];
          }
          cov[j][i * d + p] = s / d + (i == p ? 0.2 : 0.0);
        }
      }
      try {
        l[j] = Cholesky.decompose(cov[j], d);
      } catch (Cholesky.NotPositiveDefiniteException e) {
        throw new IllegalStateException(e);
      }
    }
    return new SyntheticMixture(w, mu, cov, l);
  }

  Mixture mixture() {
    try {
      return Mixture.of(CovarianceType.FULL, weights, means, covariances);
    } catch (Mixture.DegenerateComponentException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The rows as Latent's cached blocks (about 256 KiB of features each, as io/BlockBuilder makes). */
  JavaRDD<DataBlock> blocks(JavaSparkContext jsc, long n, int partitions, long seed) {
    SyntheticMixture m = this;
    return jsc.parallelize(partitionIds(partitions), partitions)
        .mapPartitions(ids -> m.blocksOf(ids.next(), n, partitions, seed));
  }

  /** The same rows as MLlib's input: one dense vector per row. */
  JavaRDD<Vector> vectors(JavaSparkContext jsc, long n, int partitions, long seed) {
    SyntheticMixture m = this;
    return jsc.parallelize(partitionIds(partitions), partitions)
        .mapPartitions(ids -> m.vectorsOf(ids.next(), n, partitions, seed));
  }

  private static List<Integer> partitionIds(int partitions) {
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      ids.add(p);
    }
    return ids;
  }

  private Iterator<DataBlock> blocksOf(int p, long n, int partitions, long seed) {
    long first = n * p / partitions;
    long end = n * (p + 1) / partitions;
    int blockRows = BlockBuilder.blockRows(d);
    SplittableRandom rnd = new SplittableRandom(RowRandom.mix(seed) + p);
    double[] z = new double[d];
    return new Iterator<>() {
      private long next = first;

      @Override
      public boolean hasNext() {
        return next < end;
      }

      @Override
      public DataBlock next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int rows = (int) Math.min(blockRows, end - next);
        double[] x = new double[rows * d];
        long[] keys = new long[rows];
        for (int r = 0; r < rows; r++) {
          draw(rnd, z, x, r * d);
          keys[r] = DataBlock.rowKey(0, next + r + 2);
        }
        next += rows;
        return new DataBlock(rows, d, x, keys, null, null);
      }
    };
  }

  private Iterator<Vector> vectorsOf(int p, long n, int partitions, long seed) {
    Iterator<DataBlock> blocks = blocksOf(p, n, partitions, seed);
    return new Iterator<>() {
      private DataBlock b;
      private int r;

      @Override
      public boolean hasNext() {
        return (b != null && r < b.rows) || blocks.hasNext();
      }

      @Override
      public Vector next() {
        if (b == null || r == b.rows) {
          b = blocks.next();
          r = 0;
        }
        double[] v = new double[d];
        System.arraycopy(b.x, r * d, v, 0, d);
        r++;
        return new DenseVector(v);
      }
    };
  }

  /** One row: a component by weight, then mu + L z with z standard normal. */
  private void draw(SplittableRandom rnd, double[] z, double[] x, int off) {
    double u = rnd.nextDouble();
    int j = 0;
    while (j < k - 1 && u >= weights[j]) {
      u -= weights[j];
      j++;
    }
    for (int i = 0; i < d; i++) {
      z[i] = rnd.nextGaussian();
    }
    double[] l = chol[j];
    for (int i = 0; i < d; i++) {
      double s = means[j][i];
      for (int p = 0; p <= i; p++) {
        s += l[i * d + p] * z[p];
      }
      x[off + i] = s;
    }
  }
}
