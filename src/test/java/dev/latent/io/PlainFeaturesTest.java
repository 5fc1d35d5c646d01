package dev.latent.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link RowParser#plainFeatures}, the fast path of reading rows: bit for bit the numbers of
 * {@link Double#parseDouble} (the checking path), and false for every line that the checking path must
 * read (so that it names the error), which also never leaves a different value behind.
 */
class PlainFeaturesTest {
  private static final String[] HEADER = {"a", "b", "name", "c"};

  private static RowParser parser(List<String> exclude) {
    return new RowParser(InputSchema.resolve("t.csv", HEADER, null, exclude, null, null), "t.csv", 0);
  }

  @Test
  void numbersAreBitForBitThoseOfParseDouble() {
    RowParser p = parser(List.of("name"));
    SplittableRandom rnd = new SplittableRandom(3);
    double[] got = new double[3];
    for (int t = 0; t < 200_000; t++) {
      String[] v = new String[3];
      for (int i = 0; i < 3; i++) {
        v[i] = randomNumber(rnd);
      }
      String line = v[0] + "," + v[1] + ",some text," + v[2];
      boolean finite = true;
      for (String n : v) {
        finite &= Double.isFinite(Double.parseDouble(n));
      }
      // An overflow to infinity is an error, which the checking path reports.
      assertEquals(finite, p.plainFeatures(line, got, 0), line);
      byte[] ascii = line.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      double[] fromBytes = new double[3];
      assertEquals(finite, p.plainFeatures(ascii, ascii.length, fromBytes, 0), line);
      if (!finite) {
        continue;
      }
      for (int i = 0; i < 3; i++) {
        assertEquals(Double.doubleToRawLongBits(got[i]), Double.doubleToRawLongBits(fromBytes[i]), line);
      }
      for (int i = 0; i < 3; i++) {
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(v[i])), Double.doubleToRawLongBits(got[i]),
            v[i]);
      }
    }
  }

  /** Shortest representations of random doubles, long digit strings, exponents and signs, halfway cases. */
  private static String randomNumber(SplittableRandom rnd) {
    switch (rnd.nextInt(5)) {
      case 0:
        return Double.toString(rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-30, 30)));
      case 1:
        return Double.toString(Double.longBitsToDouble(rnd.nextLong() & 0x7fefffffffffffffL));
      case 2: {
        StringBuilder s = new StringBuilder(rnd.nextBoolean() ? "-" : "");
        int digits = rnd.nextInt(1, 30);
        for (int i = 0; i < digits; i++) {
          s.append((char) ('0' + rnd.nextInt(10)));
          if (i == 0 && rnd.nextBoolean()) {
            s.append('.');
          }
        }
        if (rnd.nextBoolean()) {
          s.append(rnd.nextBoolean() ? 'e' : 'E').append(rnd.nextInt(-300, 300));
        }
        return s.toString();
      }
      case 3:
        // 2^-k + 2^-(k+53): exactly halfway between two doubles, the hardest case for rounding.
        return new java.math.BigDecimal(Math.scalb(1.0, -rnd.nextInt(1, 60)))
            .add(new java.math.BigDecimal(Math.scalb(1.0, -rnd.nextInt(54, 120)))).toPlainString();
      default:
        return String.format(Locale.ROOT, "%.6f", rnd.nextDouble(-1000, 1000));
    }
  }

  @Test
  void writtenNumbersReadBackExactlyAndAreNoLongerThanTheJdks() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int t = 0; t < 200_000; t++) {
      double v = t % 2 == 0 ? Double.longBitsToDouble(rnd.nextLong() & 0x7fefffffffffffffL)
          : Math.exp(-700 * rnd.nextDouble());
      String s = DecimalText.of(v);
      assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(Double.parseDouble(s)), s);
      assertTrue(s.length() <= Double.toString(v).length(), s + " vs " + v);
    }
    assertEquals("1.0", DecimalText.of(1.0));
    assertEquals("0.0", DecimalText.of(0.0));
  }

  @Test
  void otherLinesGoToTheCheckingPath() {
    RowParser p = parser(List.of("name"));
    double[] x = new double[3];
    for (String line : new String[] {"1,2,x", "1,2,x,3,4", "1,,x,3", "1, 2,x,3", "\"1\",2,x,3", "1,2,\"x,y\",3",
        "NaN,2,x,3", "1,Infinity,x,3", "1d,2,x,3", "0x1p3,2,x,3", "1e999,2,x,3", "1.2.3,2,x,3", "--1,2,x,3",
        "e5,2,x,3", "1,2,x,-", "", "1,2,x,3,", "1,2,x\"y,3", "1,2,x,3\"", ",2,x,3", "1,2,x,", "1\u00e9,2,x,3"}) {
      assertFalse(p.plainFeatures(line, x, 0), line);
      byte[] b = (line + "trailing bytes").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertFalse(p.plainFeatures(b, line.length(), x, 0), line);
    }
    // Beyond ASCII: any text outside the features, but no feature.
    byte[] utf8 = "1,2,\u00e9 \u2003 \u4e2d,3".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.plainFeatures(utf8, utf8.length, x, 0));
    assertEquals(3.0, x[2]);
    byte[] inFeature = "1,2\u00e9,x,3".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertFalse(p.plainFeatures(inFeature, inFeature.length, x, 0));
    assertTrue(p.plainFeatures("1,2,\u00e9,3", x, 0));
    assertTrue(p.plainFeatures("1,2,,3", x, 0), "an empty field outside the features");
    assertEquals(3.0, x[2]);
  }
}
