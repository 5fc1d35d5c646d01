package dev.latent.em;

import dev.latent.math.Cholesky;
import dev.latent.mixture.Mixture;
import java.io.Serializable;

/**
 * Draws rows from a Gaussian mixture: a component with probability its weight, then mu + L z with
 * Sigma = L L^T and z standard normal (Box and Muller 1958). Every number comes from
 * {@link RowRandom} with (seed, step, row index), so row i of a sample is the same whichever task draws
 * it: the sample does not depend on the partitioning.
 */
public final class MixtureSampler implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int k;
  private final int d;
  private final double[] cumulative;
  private final double[][] means;
  private final double[][] factors;

  private MixtureSampler(double[] cumulative, double[][] means, double[][] factors) {
    this.k = means.length;
    this.d = means[0].length;
    this.cumulative = cumulative;
    this.means = means;
    this.factors = factors;
  }

  public static MixtureSampler of(Mixture m) throws Mixture.DegenerateComponentException {
    double[] cum = new double[m.k];
    double total = 0.0;
    for (int j = 0; j < m.k; j++) {
      total += m.weight(j);
      cum[j] = total;
    }
    for (int j = 0; j < m.k; j++) {
      cum[j] /= total;
    }
    double[][] factors = new double[m.k][];
    for (int j = 0; j < m.k; j++) {
      try {
        factors[j] = Cholesky.decompose(m.fullCovariance(j), m.d);
      } catch (Cholesky.NotPositiveDefiniteException e) {
        throw new Mixture.DegenerateComponentException(j, e.getMessage());
      }
    }
    return new MixtureSampler(cum, m.means(), factors);
  }

  public int dimension() {
    return d;
  }

  /** Row {@code index} of the sample drawn with {@code seed}, into out[0..d); returns its component. */
  public int draw(long seed, long index, double[] z, double[] out) {
    double u = RowRandom.uniform(seed, 0, index);
    int j = 0;
    while (j < k - 1 && u >= cumulative[j]) {
      j++;
    }
    for (int p = 0; p < d; p += 2) {
      // u1 is in (0, 1), so the logarithm is finite.
      double r = Math.sqrt(-2.0 * Math.log(RowRandom.uniform(seed, 1 + p, index)));
      double theta = 2.0 * Math.PI * RowRandom.uniform(seed, 2 + p, index);
      z[p] = r * Math.cos(theta);
      if (p + 1 < d) {
        z[p + 1] = r * Math.sin(theta);
      }
    }
    double[] l = factors[j];
    for (int i = 0; i < d; i++) {
      double s = means[j][i];
      for (int q = 0; q <= i; q++) {
        s += l[i * d + q] * z[q];
      }
      out[i] = s;
    }
    return j;
  }
}
