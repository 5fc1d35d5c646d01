package dev.latent.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** DecimalReader against Double.parseDouble, bit for bit, on the numbers that make fast parsers fail. */
class DecimalReaderTest {
  private final DecimalReader reader = new DecimalReader();

  /** Reads s followed by a delimiter and checks the bits and where it stopped. */
  private void same(String s) {
    byte[] b = (s + ",").getBytes(StandardCharsets.ISO_8859_1);
    double got = reader.read(b, 0, b.length);
    double want = Double.parseDouble(s);
    if (!Double.isFinite(want)) {
      assertTrue(Double.isNaN(got), s + ": not finite, so NaN");
    } else {
      assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), s);
    }
    assertEquals(s.length(), reader.end, s + ": stops at the delimiter");
  }

  @Test
  void shortestDecimalsOfRandomDoublesReadBack() {
    SplittableRandom rnd = new SplittableRandom(1);
    for (int i = 0; i < 200_000; i++) {
      // Random bits: every exponent, subnormals included; and values of ordinary size.
      double v = Double.longBitsToDouble(rnd.nextLong());
      if (Double.isFinite(v)) {
        same(Double.toString(v));
        same(DecimalText.of(v));
      }
      same(DecimalText.of(rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-30, 30))));
    }
  }

  @Test
  void randomDigitStringsOfEveryLengthAndExponent() {
    SplittableRandom rnd = new SplittableRandom(2);
    for (int i = 0; i < 300_000; i++) {
      int n = rnd.nextInt(1, 23);
      StringBuilder s = new StringBuilder();
      if (rnd.nextInt(3) == 0) {
        s.append(rnd.nextBoolean() ? '-' : '+');
      }
      int point = rnd.nextInt(-1, n + 1);
      for (int j = 0; j < n; j++) {
        if (j == point) {
          s.append('.');
        }
        s.append((char) ('0' + rnd.nextInt(10)));
      }
      if (rnd.nextBoolean()) {
        s.append(rnd.nextBoolean() ? 'e' : 'E').append(rnd.nextInt(-360, 330));
      }
      same(s.toString());
    }
  }

  /** Decimals next to the midpoint of two neighbouring doubles: the cases where rounding is hardest. */
  @Test
  void nearHalfwayPoints() {
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < 50_000; i++) {
      double v = rnd.nextDouble() * Math.pow(10, rnd.nextInt(-300, 300));
      if (!Double.isFinite(v) || v == 0.0) {
        continue;
      }
      BigDecimal mid = new BigDecimal(v).add(new BigDecimal(Math.nextUp(v))).divide(BigDecimal.valueOf(2));
      same(mid.toString());
      for (int digits : new int[] {17, 18, 19, 20}) {
        String t = String.format(Locale.ROOT, "%." + (digits - 1) + "e", mid);
        same(t);
      }
    }
  }

  @Test
  void edgesAndExactPowers() {
    for (String s : new String[] {"0", "-0", "+0", "0.0", "-0.000", "00012", "1", "1.", ".5", "-.5", "1e0", "1E+05",
        "9007199254740992", "9007199254740993", "18446744073709551615", "9999999999999999999", "1e22", "1e23",
        "1e308", "1.7976931348623157e308", "1.7976931348623158e308", "1.8e308", "2.2250738585072014E-308",
        "2.2250738585072011e-308", "4.9e-324", "2.4703282292062327e-324", "1e-400", "1e400", "123456789e-350",
        "0.1", "0.2", "0.3", "2.225073858507201136057409796709131975934819546351645648e-308",
        "7.3177701707893310e+15", "9.5e-5", "1e00000000000000000003", "1e-0000000000000000000001",
        "0.000000000000000000000000000000000000000000001"}) {
      same(s);
    }
  }

  @Test
  void stopsAtTheFirstByteThatIsNotPartOfAPlainDecimal() {
    for (String s : new String[] {"1x", "1d", "--1", "1.2.3", "1e", "1e+", "e5", ".", "-", "", "+", "1 ", " 1",
        "NaN", "Infinity", "0x10", "1,5"}) {
      byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
      double v = reader.read(b, 0, b.length);
      boolean whole = !Double.isNaN(v) && reader.end == b.length;
      boolean javaReads;
      try {
        Double.parseDouble(s);
        javaReads = s.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
      } catch (NumberFormatException e) {
        javaReads = false;
      }
      assertEquals(javaReads, whole, "'" + s + "'");
    }
  }
}
