package dev.latent.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Renumbering against a previous model; distances are exact sums here (tolerance 1e-12). */
class AlignmentTest {
  private static final double[][] OLD = {{0, 0}, {10, 0}, {0, 10}};
  private static final double[] OLD_W = {0.5, 0.3, 0.2};

  @Test
  void permutedComponentsGetTheirOldNumbersBack() {
    // The new fit found the same components in another order, slightly moved.
    double[][] means = {{0.5, 10}, {0, 0.25}, {10, -1}};
    Alignment a = Alignment.of(means, OLD);
    assertArrayEquals(new int[] {1, 2, 0}, a.order());
    assertArrayEquals(new int[] {0, 1, 2}, a.previous());
    assertEquals(0.25 + 1 + 0.5, a.totalDistance(), 1e-12);

    double[][] cov = {{1, 0, 0, 1}, {2, 0, 0, 2}, {3, 0, 0, 3}};
    FitResult r = result(new double[] {0.2, 0.45, 0.35}, means, cov).permuted(a.order());
    assertArrayEquals(new double[] {0.45, 0.35, 0.2}, r.weights(), 0.0);
    assertArrayEquals(new double[] {0, 0.25}, r.means()[0], 0.0);
    assertArrayEquals(new double[] {2, 0, 0, 2}, r.covariances()[0], 0.0);
    assertArrayEquals(new double[] {3, 0, 0, 3}, r.covariances()[1], 0.0);
    assertArrayEquals(new double[] {45, 35, 20}, r.clusterWeights(), 0.0);

    List<Alignment.Drift> drift = a.drift(r.weights(), r.means(), OLD_W, OLD);
    assertEquals(0.45 - 0.5, drift.get(0).weightChange(), 1e-12);
    assertEquals(0.25, drift.get(0).meanDistance(), 1e-12);
    assertArrayEquals(new double[] {0, -1}, drift.get(1).meanShift(), 1e-12);
    assertEquals(0.5, drift.get(2).meanDistance(), 1e-12);
  }

  @Test
  void minimumTotalDistanceNotGreedy() {
    // Greedy would give new 0 (at 4.9) to old 1 (distance 0.1) and leave new 1 far from old 0.
    double[][] old = {{0}, {5}};
    double[][] means = {{4.9}, {9}};
    Alignment a = Alignment.of(means, old);
    assertArrayEquals(new int[] {0, 1}, a.previous());
    assertArrayEquals(new int[] {0, 1}, a.order());
    assertEquals(4.9 + 4, a.totalDistance(), 1e-12);
  }

  @Test
  void moreOrFewerComponentsThanBefore() {
    double[][] more = {{9, 1}, {50, 50}, {0, 1}, {1, 9}};
    Alignment a = Alignment.of(more, OLD);
    assertArrayEquals(new int[] {2, 0, 3, 1}, a.order());
    assertArrayEquals(new int[] {0, 1, 2, -1}, a.previous());
    List<Alignment.Drift> drift = a.drift(new double[] {0.25, 0.25, 0.25, 0.25}, new double[][] {{0, 1}, {9, 1},
        {1, 9}, {50, 50}}, OLD_W, OLD);
    assertEquals(-1, drift.get(3).previous());
    assertNull(drift.get(3).meanShift());
    assertTrue(Double.isNaN(drift.get(3).meanDistance()));

    double[][] fewer = {{0, 9}, {0.5, 0}};
    Alignment b = Alignment.of(fewer, OLD);
    assertArrayEquals(new int[] {1, 0}, b.order());
    assertArrayEquals(new int[] {0, 2}, b.previous());
  }

  @Test
  void tiedCovarianceStaysShared() {
    double[][] tied = {{1, 0, 0, 1}};
    FitResult r = result(new double[] {0.5, 0.5}, new double[][] {{1, 1}, {2, 2}}, tied, CovarianceType.TIED);
    FitResult p = r.permuted(new int[] {1, 0});
    assertEquals(1, p.covariances().length);
    assertArrayEquals(new double[] {2, 2}, p.means()[0], 0.0);
  }

  private static FitResult result(double[] w, double[][] means, double[][] cov) {
    return result(w, means, cov, CovarianceType.FULL);
  }

  private static FitResult result(double[] w, double[][] means, double[][] cov, CovarianceType type) {
    double[] sizes = new double[w.length];
    for (int j = 0; j < w.length; j++) {
      sizes[j] = Math.round(w[j] * 100);
    }
    return new FitResult(ModelKind.GMM, type, w, means, cov, 1, true, new double[] {-1}, new double[0], 0, -100,
        -1, Double.NaN, 100, 100, sizes, List.of(), 0, new double[] {-1}, InitMethod.MODEL);
  }
}
