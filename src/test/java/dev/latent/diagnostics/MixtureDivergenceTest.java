package dev.latent.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The mixture approximations against what they must equal: the closed form for single Gaussians
 * (exactly), zero for a mixture against itself, and the Monte Carlo estimate (within four standard
 * errors) where the approximation is exact in the limit of separated components.
 */
class MixtureDivergenceTest {
  private static final double[] ONE = {1.0};

  @Test
  void singleGaussiansGiveTheClosedFormExactly() {
    Random rnd = new Random(5);
    for (int d : new int[] {1, 3}) {
      double[][] ma = {GaussianDivergenceTest.randomVector(rnd, d)};
      double[][] ca = {GaussianDivergenceTest.randomSpd(rnd, d)};
      double[][] mb = {GaussianDivergenceTest.randomVector(rnd, d)};
      double[][] cb = {GaussianDivergenceTest.randomSpd(rnd, d)};
      double exact = GaussianDivergence.kl(ma[0], ca[0], mb[0], cb[0]);
      assertEquals(exact, MixtureDivergence.klVariational(ONE, ma, ca, ONE, mb, cb), 0.0, "variational d=" + d);
      assertEquals(exact, MixtureDivergence.klMatchedBound(ONE, ma, ca, ONE, mb, cb), 0.0, "matched d=" + d);
    }
  }

  @Test
  void aMixtureIsAtZeroFromItself() {
    double[] w = {0.2, 0.5, 0.3};
    double[][] m = {{0, 0}, {1, 0.5}, {-1, 2}};
    double[][] c = {{1, 0.3, 0.3, 1}, {0.5, 0, 0, 2}, {1, 0, 0, 1}};
    assertEquals(0.0, MixtureDivergence.klVariational(w, m, c, w, m, c), 0.0);
  }

  @Test
  void monteCarloAgreesWithTheClosedFormForSingleGaussians() throws Exception {
    Mixture p = Mixture.of(CovarianceType.FULL, ONE, new double[][] {{0, 1}}, new double[][] {{1, 0.4, 0.4, 2}});
    Mixture q = Mixture.of(CovarianceType.DIAG, ONE, new double[][] {{0.5, 0}}, new double[][] {{2, 1}});
    double exact = GaussianDivergence.kl(p.mean(0), p.fullCovariance(0), q.mean(0), q.fullCovariance(0));
    Moments m = new MonteCarloKl(p, q).rows(0, 0, 40_000);
    assertEquals(40_000, m.count());
    assertTrue(Math.abs(m.mean() - exact) < 4 * m.standardError(),
        m.mean() + " +- " + m.standardError() + " vs " + exact);
    assertTrue(m.standardError() < 0.02 * exact, "standard error " + m.standardError());
  }

  @Test
  void monteCarloAgreesWithTheVariationalApproximationForSeparatedComponents() throws Exception {
    // Components 40 standard deviations apart: KL(A || B) -> sum_a w_a ln(w_a / v_a), which the
    // variational approximation gives, and Monte Carlo must too.
    double[][] m = {{0, 0}, {40, 0}, {0, 40}};
    double[][] c = {{1}, {1.5}, {0.7}};
    double[] w = {0.5, 0.3, 0.2};
    double[] v = {0.2, 0.3, 0.5};
    Mixture a = Mixture.of(CovarianceType.SPHERICAL, w, m, c);
    Mixture b = Mixture.of(CovarianceType.SPHERICAL, v, m, c);
    double expected = 0.0;
    for (int j = 0; j < 3; j++) {
      expected += w[j] * Math.log(w[j] / v[j]);
    }
    double variational = MixtureDivergence.klVariational(a, b);
    assertEquals(expected, variational, 1e-12);
    assertEquals(expected, MixtureDivergence.klMatchedBound(w, a.means(), MixtureDivergence.fullCovariances(a), v,
        b.means(), MixtureDivergence.fullCovariances(b)), 1e-12);
    Moments mc = new MonteCarloKl(a, b).rows(3, 0, 20_000);
    assertTrue(Math.abs(mc.mean() - variational) < 4 * mc.standardError() + 1e-12,
        mc.mean() + " +- " + mc.standardError() + " vs " + variational);
  }

  @Test
  void rowsSplitIntoRangesMergeToTheSameMoments() throws Exception {
    Mixture a = Mixture.of(CovarianceType.SPHERICAL, new double[] {0.4, 0.6}, new double[][] {{0}, {2}},
        new double[][] {{1}, {0.5}});
    Mixture b = Mixture.of(CovarianceType.SPHERICAL, ONE, new double[][] {{1}}, new double[][] {{2}});
    MonteCarloKl mc = new MonteCarloKl(a, b);
    Moments whole = mc.rows(9, 0, 1000);
    Moments parts = new Moments().merge(mc.rows(9, 0, 1)).merge(mc.rows(9, 1, 333)).merge(new Moments())
        .merge(mc.rows(9, 333, 1000));
    assertEquals(whole.count(), parts.count());
    assertEquals(whole.mean(), parts.mean(), 1e-12 * Math.abs(whole.mean()));
    assertEquals(whole.standardError(), parts.standardError(), 1e-12 * whole.standardError());
  }
}
