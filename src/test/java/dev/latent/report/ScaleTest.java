package dev.latent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleTest {
  @Test
  void aRangeOfOneUlpStillHasDistinctTicks() {
    double v = -1.2345678901234567;
    Scale s = new Scale(v, Math.nextUp(v), 300, 10);
    List<Double> t = s.ticks(6);
    assertTrue(t.size() >= 2 && t.size() <= 12, t.toString());
    double step = t.get(1) - t.get(0);
    assertTrue(step > 0);
    assertTrue(Scale.label(t.get(0), step).length() < 30, Scale.label(t.get(0), step));
    assertTrue(Double.isFinite(s.at(v)));
  }

  @Test
  void labelsNeverAskForMoreThanFifteenDecimals() {
    assertEquals("0.500000", Scale.label(0.5, 0.0));
    assertEquals("1.2346", Scale.label(1.23456, 1e-4));
  }

  @Test
  void emptyRangeIsWidened() {
    Scale s = new Scale(3, 3, 0, 100);
    assertTrue(s.hi > 3 && s.lo < 3);
    assertEquals(50.0, s.at(3), 1e-9);
  }
}
