package dev.latent.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Closed-form checks. The univariate formulas are those of the seed exercise
 * ({@code ../shared/seeds/001_*.txt}, exercise 1b): KL(p1 || p2) = ln(s2 / s1) + (s1^2 + (m1 - m2)^2) /
 * (2 s2^2) - 1/2, with its equal-variance and equal-mean cases. Tolerance 1e-12 relative unless stated.
 */
class GaussianDivergenceTest {
  private static final double TOL = 1e-12;

  private static double seedKl(double m1, double s1, double m2, double s2) {
    return Math.log(s2 / s1) + (s1 * s1 + (m1 - m2) * (m1 - m2)) / (2 * s2 * s2) - 0.5;
  }

  private static double kl1(double m1, double s1, double m2, double s2) {
    return GaussianDivergence.kl(new double[] {m1}, new double[] {s1 * s1}, new double[] {m2},
        new double[] {s2 * s2});
  }

  @Test
  void univariateEqualVariancesIsHalfTheSquaredMeanDifferenceOverTheVariance() {
    for (double s : new double[] {0.01, 0.7, 1.0, 3.0, 250.0}) {
      for (double dm : new double[] {-5.0, -0.3, 0.0, 1e-4, 2.0, 40.0}) {
        double expected = dm * dm / (2 * s * s);
        assertClose(expected, kl1(1.5 + dm, s, 1.5, s), TOL, "s=" + s + " dm=" + dm);
      }
    }
  }

  @Test
  void univariateEqualMeansIsAFunctionOfTheVarianceRatio() {
    for (double s1 : new double[] {0.05, 1.0, 4.0}) {
      for (double s2 : new double[] {0.1, 1.0, 2.5, 100.0}) {
        double expected = s1 * s1 / (2 * s2 * s2) - Math.log(s1 / s2) - 0.5;
        assertClose(expected, kl1(-2.0, s1, -2.0, s2), TOL, "s1=" + s1 + " s2=" + s2);
        // Depends on the ratio only.
        assertClose(expected, kl1(7.0, 3 * s1, 7.0, 3 * s2), TOL, "scaled s1=" + s1 + " s2=" + s2);
      }
    }
  }

  @Test
  void univariateGeneralCaseIsTheSeedFormulaAndAsymmetric() {
    assertClose(seedKl(0.0, 1.0, 1.0, 2.0), kl1(0.0, 1.0, 1.0, 2.0), TOL, "KL(N(0,1)||N(1,4))");
    assertClose(seedKl(1.0, 2.0, 0.0, 1.0), kl1(1.0, 2.0, 0.0, 1.0), TOL, "KL(N(1,4)||N(0,1))");
    assertTrue(Math.abs(kl1(0.0, 1.0, 1.0, 2.0) - kl1(1.0, 2.0, 0.0, 1.0)) > 0.5, "KL is not symmetric");
    double sym = GaussianDivergence.symmetricKl(new double[] {0}, new double[] {1}, new double[] {1},
        new double[] {4});
    assertClose(seedKl(0.0, 1.0, 1.0, 2.0) + seedKl(1.0, 2.0, 0.0, 1.0), sym, TOL, "symmetric KL");
  }

  @Test
  void nearlyEqualGaussiansGiveTheSecondOrderTermNotRoundingNoise() {
    // KL(N(0, 1) || N(0, (1+e)^2)) = r/2 - ln(r)/2 - 1/2 with r = (1+e)^-2, about (r-1)^2/4 - (r-1)^3/6.
    double e = 1e-7;
    double r = 1.0 / ((1 + e) * (1 + e));
    double rm1 = -e * (2 + e) / ((1 + e) * (1 + e));
    double expected = rm1 * rm1 / 4 - rm1 * rm1 * rm1 / 6 + rm1 * rm1 * rm1 * rm1 / 8;
    assertClose(expected, kl1(0.0, 1.0, 0.0, 1 + e), 1e-6, "r=" + r);
    assertTrue(kl1(0.0, 1.0, 0.0, 1 + 1e-12) >= 0.0);
  }

  @Test
  void independentCoordinatesAddUp() {
    double[] m0 = {1.0, -2.0, 0.5};
    double[] m1 = {0.0, 1.0, 0.7};
    double[] s0 = {1.0, 0.5, 2.0};
    double[] s1 = {3.0, 0.25, 2.0};
    double expected = 0.0;
    double[] c0 = new double[9];
    double[] c1 = new double[9];
    for (int i = 0; i < 3; i++) {
      expected += seedKl(m0[i], s0[i], m1[i], s1[i]);
      c0[i * 3 + i] = s0[i] * s0[i];
      c1[i * 3 + i] = s1[i] * s1[i];
    }
    assertClose(expected, GaussianDivergence.kl(m0, c0, m1, c1), TOL, "diagonal 3-d");
  }

  @Test
  void invariantUnderAnInvertibleAffineMap() {
    // KL and D_B do not change when both Gaussians are mapped by x -> A x + b.
    Random rnd = new Random(8);
    int d = 4;
    for (int trial = 0; trial < 20; trial++) {
      double[] m0 = randomVector(rnd, d);
      double[] m1 = randomVector(rnd, d);
      double[] c0 = randomSpd(rnd, d);
      double[] c1 = randomSpd(rnd, d);
      double[] a = new double[d * d];
      for (int i = 0; i < d * d; i++) {
        a[i] = rnd.nextGaussian();
      }
      for (int i = 0; i < d; i++) {
        a[i * d + i] += 3.0;
      }
      double[] b = randomVector(rnd, d);
      double[] n0 = affine(a, m0, b, d);
      double[] n1 = affine(a, m1, b, d);
      double[] t0 = congruence(a, c0, d);
      double[] t1 = congruence(a, c1, d);
      assertClose(GaussianDivergence.kl(m0, c0, m1, c1), GaussianDivergence.kl(n0, t0, n1, t1), 1e-9,
          "KL trial " + trial);
      assertClose(GaussianDivergence.bhattacharyya(m0, c0, m1, c1),
          GaussianDivergence.bhattacharyya(n0, t0, n1, t1), 1e-9, "D_B trial " + trial);
    }
  }

  @Test
  void matchesTheTraceFormulaWithAnExplicitInverseIn2d() {
    // Sigma_1 = [[2, 1], [1, 3]], det 5, inverse [[3, -1], [-1, 2]] / 5.
    double[] c0 = {1.0, 0.2, 0.2, 0.5};
    double[] c1 = {2.0, 1.0, 1.0, 3.0};
    double[] m0 = {1.0, 2.0};
    double[] m1 = {-1.0, 0.5};
    double tr = (3 * 1.0 - 1 * 0.2 - 1 * 0.2 + 2 * 0.5) / 5.0;
    double dx = m1[0] - m0[0];
    double dy = m1[1] - m0[1];
    double maha = (3 * dx * dx - 2 * dx * dy + 2 * dy * dy) / 5.0;
    double det0 = 1.0 * 0.5 - 0.2 * 0.2;
    double expected = 0.5 * (tr + maha - 2 + Math.log(5.0 / det0));
    assertClose(expected, GaussianDivergence.kl(m0, c0, m1, c1), TOL, "2-d KL");
    // D_B with Sigma = [[1.5, 0.6], [0.6, 1.75]], det 2.265, inverse [[1.75, -0.6], [-0.6, 1.5]] / 2.265.
    double detAvg = 1.5 * 1.75 - 0.36;
    double mahaAvg = (1.75 * dx * dx - 1.2 * dx * dy + 1.5 * dy * dy) / detAvg;
    double db = mahaAvg / 8 + 0.5 * Math.log(detAvg / Math.sqrt(det0 * 5.0));
    assertClose(db, GaussianDivergence.bhattacharyya(m0, c0, m1, c1), TOL, "2-d D_B");
  }

  @Test
  void univariateBhattacharyyaAndOverlapBound() {
    double m1 = 0.0;
    double s1 = 1.0;
    double m2 = 3.0;
    double s2 = 2.0;
    double v = s1 * s1 + s2 * s2;
    double expected = (m1 - m2) * (m1 - m2) / (4 * v) + 0.5 * Math.log(v / (2 * s1 * s2));
    double db = GaussianDivergence.bhattacharyya(new double[] {m1}, new double[] {s1 * s1},
        new double[] {m2}, new double[] {s2 * s2});
    assertClose(expected, db, TOL, "D_B");
    assertClose(Math.sqrt(0.3 * 0.7) * Math.exp(-expected), GaussianDivergence.overlapBound(0.3, 0.7, db),
        TOL, "overlap bound");
  }

  @Test
  void matricesHaveZeroDiagonalsAndTheirSymmetries() {
    Random rnd = new Random(3);
    int k = 4;
    int d = 3;
    double[][] means = new double[k][];
    double[][] covs = new double[k][];
    double[] w = {0.1, 0.2, 0.3, 0.4};
    for (int j = 0; j < k; j++) {
      means[j] = randomVector(rnd, d);
      covs[j] = randomSpd(rnd, d);
    }
    double[][] kl = GaussianDivergence.klMatrix(means, covs);
    double[][] sym = GaussianDivergence.symmetricKlMatrix(kl);
    double[][] db = GaussianDivergence.bhattacharyyaMatrix(means, covs);
    double[][] ob = GaussianDivergence.overlapBoundMatrix(w, db);
    double[][] cross = GaussianDivergence.klMatrix(means, covs, means, covs);
    for (int i = 0; i < k; i++) {
      assertEquals(0.0, kl[i][i], 0.0, "kl diagonal");
      assertEquals(0.0, sym[i][i], 0.0, "symmetric diagonal");
      assertEquals(0.0, db[i][i], 0.0, "D_B diagonal");
      // KL of a Gaussian from itself, computed as a cross pair, is exactly 0 too.
      assertEquals(0.0, cross[i][i], 0.0, "cross diagonal");
      assertClose(w[i], ob[i][i], TOL, "overlap diagonal");
      for (int j = 0; j < k; j++) {
        assertClose(GaussianDivergence.kl(means[i], covs[i], means[j], covs[j]), kl[i][j], TOL, "entry");
        assertEquals(sym[i][j], sym[j][i], 0.0, "symmetric");
        assertEquals(db[i][j], db[j][i], 0.0, "D_B symmetric");
        if (i != j) {
          assertTrue(kl[i][j] > 0.0, "KL > 0 off the diagonal");
          // The Renyi divergence of order 1/2 is 2 D_B, and Renyi divergences grow with the order up to
          // KL at order 1 (van Erven and Harremoes 2014), so 2 D_B <= KL both ways.
          assertTrue(2 * db[i][j] <= Math.min(kl[i][j], kl[j][i]) + 1e-12, "2 D_B <= KL");
        }
      }
    }
  }

  @Test
  void badShapesAndSingularCovariancesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GaussianDivergence.kl(new double[] {0, 0}, new double[] {1, 0, 0, 0}, new double[] {0, 0},
            new double[] {1, 0, 0, 1}));
    assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> GaussianDivergence.kl(new double[] {0, 0}, new double[] {1}, new double[] {0, 0},
            new double[] {1, 0, 0, 1}));
    assertTrue(e.getMessage().contains("do not make a 2-dimensional Gaussian"), e.getMessage());
  }

  static double[] randomVector(Random rnd, int d) {
    double[] v = new double[d];
    for (int i = 0; i < d; i++) {
      v[i] = rnd.nextGaussian() * 2;
    }
    return v;
  }

  /** B B^T + 0.5 I for a random B. */
  static double[] randomSpd(Random rnd, int d) {
    double[] b = new double[d * d];
    for (int i = 0; i < d * d; i++) {
      b[i] = rnd.nextGaussian();
    }
    double[] c = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = i == j ? 0.5 : 0.0;
        for (int p = 0; p < d; p++) {
          s += b[i * d + p] * b[j * d + p];
        }
        c[i * d + j] = s;
      }
    }
    return c;
  }

  private static double[] affine(double[] a, double[] x, double[] b, int d) {
    double[] y = new double[d];
    for (int i = 0; i < d; i++) {
      double s = b[i];
      for (int p = 0; p < d; p++) {
        s += a[i * d + p] * x[p];
      }
      y[i] = s;
    }
    return y;
  }

  /** A C A^T. */
  private static double[] congruence(double[] a, double[] c, int d) {
    double[] ac = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = 0.0;
        for (int p = 0; p < d; p++) {
          s += a[i * d + p] * c[p * d + j];
        }
        ac[i * d + j] = s;
      }
    }
    double[] out = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = 0.0;
        for (int p = 0; p < d; p++) {
          s += ac[i * d + p] * a[j * d + p];
        }
        out[i * d + j] = s;
      }
    }
    // Exactly symmetric, as a covariance read from a file is.
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < i; j++) {
        out[j * d + i] = out[i * d + j];
      }
    }
    return out;
  }

  static void assertClose(double expected, double actual, double rel, String what) {
    double scale = Math.max(Math.abs(expected), 1e-300);
    assertTrue(Math.abs(expected - actual) <= rel * scale,
        what + ": expected " + expected + " got " + actual);
  }
}
