package dev.latent.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Log-sum-exp against closed forms; tolerance 1e-12 relative to the magnitude of the result. */
class LogSumExpTest {
  private static final double TOL = 1e-12;
  private static final double NEG_INF = Double.NEGATIVE_INFINITY;

  @Test
  void moderateValuesMatchTheDirectFormula() {
    double[] a = {0.3, -1.2, 2.5, 0.0};
    double direct = Math.log(Math.exp(0.3) + Math.exp(-1.2) + Math.exp(2.5) + Math.exp(0.0));
    assertEquals(direct, LogSumExp.of(a), TOL * Math.abs(direct));
  }

  @Test
  void largeValuesDoNotOverflow() {
    // exp(1000) overflows a double; the shifted sum gives 1000 + log 2 and 1000 + log(1 + e^-1).
    assertEquals(1000.0 + Math.log(2.0), LogSumExp.of(new double[] {1000.0, 1000.0}), TOL * 1000.0);
    assertEquals(1000.0 + Math.log1p(Math.exp(-1.0)), LogSumExp.of(new double[] {999.0, 1000.0}), TOL * 1000.0);
    assertEquals(1e300, LogSumExp.of(new double[] {1e300, 1e300}), TOL * 1e300);
  }

  @Test
  void smallValuesDoNotUnderflow() {
    // exp(-1000) underflows to 0, which would give -inf; the answer is -1000 + log 3.
    double r = LogSumExp.of(new double[] {-1000.0, -1000.0, -1000.0});
    assertEquals(-1000.0 + Math.log(3.0), r, TOL * 1000.0);
    // A term 800 below the maximum contributes nothing measurable, but must not turn the result into NaN.
    assertEquals(-5.0, LogSumExp.of(new double[] {-5.0, -805.0}), TOL * 5.0);
  }

  @Test
  void allNegativeInfinityGivesNegativeInfinity() {
    assertEquals(NEG_INF, LogSumExp.of(new double[] {NEG_INF, NEG_INF, NEG_INF}));
    assertEquals(NEG_INF, LogSumExp.of(new double[] {NEG_INF}));
    assertEquals(NEG_INF, LogSumExp.of(new double[0]), "an empty sum is zero, whose log is -inf");
  }

  @Test
  void someNegativeInfinityIsIgnored() {
    assertEquals(Math.log(2.0), LogSumExp.of(new double[] {NEG_INF, 0.0, NEG_INF, 0.0}), TOL);
  }

  @Test
  void sliceUsesOnlyItsOwnEntries() {
    // The 1e6 outside the slice would dominate if it were read.
    double[] a = {1e6, 1.0, 2.0, 1e6};
    double direct = Math.log(Math.exp(1.0) + Math.exp(2.0));
    assertEquals(direct, LogSumExp.of(a, 1, 2), TOL * Math.abs(direct));
  }

  @Test
  void nanPropagates() {
    assertTrue(Double.isNaN(LogSumExp.of(new double[] {0.0, Double.NaN})));
    assertTrue(Double.isNaN(LogSumExp.of(new double[] {Double.NaN, 1.0})));
  }

  @Test
  void nanAmongNegativeInfinitiesPropagates() {
    // Regression: NaN > x is false, so a max loop never selects NaN; when every other entry is -inf an
    // early "all -inf" return used to hide the NaN.
    assertTrue(Double.isNaN(LogSumExp.of(new double[] {Double.NaN, NEG_INF})));
    assertTrue(Double.isNaN(LogSumExp.of(new double[] {Double.NaN})));
  }
}
