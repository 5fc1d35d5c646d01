package dev.latent.bench;

import dev.latent.em.Annealing;
import dev.latent.em.Distance;
import dev.latent.em.EmLoop;
import dev.latent.em.FitResult;
import dev.latent.em.FitSpec;
import dev.latent.em.InitMethod;
import dev.latent.em.LocalData;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.testing.Refs;
import java.util.Locale;
import java.util.Random;

/**
 * Does deterministic annealing (--anneal) escape the poor local optima that plain EM reaches from the
 * same start? For each data set, S seeds of the default start (seeded centres, K-means, one M-step),
 * each fitted plainly and annealed (beta 0.1, 0.2, 0.4, 0.8, 1); reports how often each reaches the
 * best mean log-likelihood seen (within 1e-6), the mean and the worst. Spark-free (LocalData), so it
 * runs on one core in seconds. Usage: AnnealStudy [seeds] [init: random|kmeans++]
 * [anneal-start] [anneal-factor] [tol].
 */
public final class AnnealStudy {
  private static double start;
  private static double factor;
  private static double tol;

  private AnnealStudy() {}

  public static void main(String[] args) {
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    InitMethod init = args.length > 1 && args[1].equals("kmeans++") ? InitMethod.KMEANS_PP : InitMethod.RANDOM;
    start = args.length > 2 ? Double.parseDouble(args[2]) : 0.1;
    factor = args.length > 3 ? Double.parseDouble(args[3]) : 2.0;
    tol = args.length > 4 ? Double.parseDouble(args[4]) : 1e-6;
    System.out.printf(Locale.ROOT, "init %s, anneal-start %s, anneal-factor %s, tol %s%n", init.key(), start, factor,
        tol);
    System.out.printf(Locale.ROOT, "%-22s %-5s %3s %5s | %-26s | %-26s%n", "data", "type", "K", "seeds",
        "plain: at best, mean, worst", "anneal: at best, mean, worst");
    study("iris", Refs.features("iris"), 3, CovarianceType.FULL, seeds, init);
    study("iris", Refs.features("iris"), 5, CovarianceType.FULL, seeds, init);
    study("faithful", Refs.features("faithful"), 2, CovarianceType.FULL, seeds, init);
    study("faithful", Refs.features("faithful"), 4, CovarianceType.FULL, seeds, init);
    study("penguins", Refs.features("penguins"), 3, CovarianceType.FULL, seeds, init);
    study("penguins", Refs.features("penguins"), 3, CovarianceType.DIAG, seeds, init);
    study("grid 5x5, d=2", grid(25, 40, 11), 25, CovarianceType.FULL, seeds, init);
  }

  /** A 5 x 5 grid of unit Gaussians 3 apart (overlapping neighbours), m rows each: many local optima. */
  static double[][] grid(int k, int m, long seed) {
    Random rnd = new Random(seed);
    double[][] x = new double[k * m][2];
    int side = (int) Math.round(Math.sqrt(k));
    for (int r = 0; r < x.length; r++) {
      int j = r % k;
      x[r][0] = 3.0 * (j % side) + rnd.nextGaussian();
      x[r][1] = 3.0 * (j / side) + rnd.nextGaussian();
    }
    return x;
  }

  static void study(String name, double[][] x, int k, CovarianceType type, int seeds, InitMethod init) {
    LocalData data = LocalData.of(x, null, null);
    double[] plain = new double[seeds];
    double[] annealed = new double[seeds];
    for (int s = 0; s < seeds; s++) {
      plain[s] = fit(data, k, type, s, init, Annealing.NONE).meanLogLik();
      annealed[s] = fit(data, k, type, s, init, new Annealing(Double.NaN, true, start, factor)).meanLogLik();
    }
    double best = Double.NEGATIVE_INFINITY;
    for (int s = 0; s < seeds; s++) {
      best = Math.max(best, Math.max(plain[s], annealed[s]));
    }
    System.out.printf(Locale.ROOT, "%-22s %-5s %3d %5d | %s | %s   (best %.6f)%n", name, type.key(), k, seeds,
        summary(plain, best), summary(annealed, best), best);
  }

  private static FitResult fit(LocalData data, int k, CovarianceType type, long seed, InitMethod init,
      Annealing a) {
    FitSpec spec = new FitSpec(ModelKind.GMM, type, k, 1000, tol, 1e-6, seed, init, null, 1, Distance.EUCLIDEAN, a);
    return EmLoop.fit(data, spec, data.columns());
  }

  private static String summary(double[] v, double best) {
    int at = 0;
    double sum = 0.0;
    double worst = Double.POSITIVE_INFINITY;
    for (double x : v) {
      at += x >= best - 1e-6 ? 1 : 0;
      sum += x;
      worst = Math.min(worst, x);
    }
    return String.format(Locale.ROOT, "%3d/%-3d %9.5f %9.5f", at, v.length, sum / v.length, worst);
  }
}
