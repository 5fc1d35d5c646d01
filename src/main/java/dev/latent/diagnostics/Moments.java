package dev.latent.diagnostics;

import java.io.Serializable;

/**
 * Count, mean and sum of squared deviations of a stream of numbers (Welford 1962), merged across
 * partitions by Chan, Golub and LeVeque (1979): a few numbers per partition whatever their size, and
 * no cancellation as in sum x^2 - n mean^2.
 */
public final class Moments implements Serializable {
  private static final long serialVersionUID = 1L;

  private long n;
  private double mean;
  private double m2;

  public void add(double x) {
    n++;
    double delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
  }

  /** Adds another partition's moments into this one and returns this. */
  public Moments merge(Moments o) {
    if (o.n == 0) {
      return this;
    }
    if (n == 0) {
      n = o.n;
      mean = o.mean;
      m2 = o.m2;
      return this;
    }
    long total = n + o.n;
    double delta = o.mean - mean;
    mean += delta * o.n / total;
    m2 += o.m2 + delta * delta * ((double) n * o.n / total);
    n = total;
    return this;
  }

  public long count() {
    return n;
  }

  public double mean() {
    return mean;
  }

  /** The sample standard deviation (n - 1 in the denominator); 0 for fewer than two values. */
  public double standardDeviation() {
    return n < 2 ? 0.0 : Math.sqrt(m2 / (n - 1));
  }

  /** The standard error of the mean: standard deviation / sqrt(n). */
  public double standardError() {
    return n < 2 ? 0.0 : standardDeviation() / Math.sqrt(n);
  }
}
