package dev.latent.io;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Plain decimals ({@code [+-]digits[.digits][(e|E)[+-]digits]}, at least one digit before the exponent)
 * read straight from ASCII bytes, correctly rounded: the same double as {@link Double#parseDouble} of the
 * same characters, bit for bit. Up to 19 significant digits make an exact integer significand w and a
 * power of ten q; w 10^q is then rounded by Clinger's exact fast path (w <= 2^53, |q| <= 22: one
 * rounded multiplication or division of exact doubles) or else by Eisel and Lemire's algorithm (Lemire,
 * "Number parsing at a gigabyte per second", 2021, section 5): w times a 128-bit truncation of 10^q,
 * which decides the rounding unless the product is too close to a halfway point to tell. Those rare
 * products, more than 19 digits, subnormal or out-of-range results go to {@link Double#parseDouble}.
 */
final class DecimalReader {
  private static final int MIN_Q = -342;
  private static final int MAX_Q = 308;
  /** 10^q = (HI * 2^64 + LO) 2^e, HI's top bit set, rounded down, for q = MIN_Q .. MAX_Q. */
  private static final long[] HI = new long[MAX_Q - MIN_Q + 1];
  private static final long[] LO = new long[MAX_Q - MIN_Q + 1];
  /** 10^0 .. 10^22, each exactly a double. */
  private static final double[] EXACT = new double[23];

  static {
    BigInteger ten = BigInteger.TEN;
    for (int q = MIN_Q; q <= MAX_Q; q++) {
      BigInteger m;
      if (q >= 0) {
        BigInteger v = ten.pow(q);
        int b = v.bitLength();
        m = b >= 128 ? v.shiftRight(b - 128) : v.shiftLeft(128 - b);
      } else {
        // floor(2^k / 10^-q) with k chosen so that it has exactly 128 bits (10^-q is not a power of 2).
        BigInteger p = ten.pow(-q);
        m = BigInteger.ONE.shiftLeft(p.bitLength() + 127).divide(p);
      }
      HI[q - MIN_Q] = m.shiftRight(64).longValue();
      LO[q - MIN_Q] = m.longValue();
    }
    double e = 1.0;
    for (int i = 0; i < EXACT.length; i++) {
      EXACT[i] = e;
      e *= 10.0;
    }
  }

  /** Where the last {@link #read} stopped: the index of the first byte that does not continue the number. */
  int end;
  /** The significand so far, its significant digits, and whether there were more than 19 of them. */
  private long w;
  private int kept;
  private boolean slow;

  /**
   * The plain decimal that starts at {@code b[p]} and ends before the first byte (at or below {@code len})
   * that cannot continue it, then at {@link #end}; NaN if there is none there or it is not finite (a
   * caller takes NaN as "not a plain finite number" and reads the field by its checking path).
   */
  double read(byte[] b, int p, int len) {
    int start = p;
    boolean negative = false;
    if (p < len && (b[p] == '-' || b[p] == '+')) {
      negative = b[p] == '-';
      p++;
    }
    w = 0;
    kept = 0;
    slow = false;
    int q = digits(b, p, len);
    boolean any = q > p;
    p = q;
    int scale = 0; // digits after the point, leading zeros too
    if (p < len && b[p] == '.') {
      q = digits(b, p + 1, len);
      scale = q - (p + 1);
      any |= scale > 0;
      p = q;
    }
    if (!any) {
      end = p;
      return Double.NaN;
    }
    int exponent = 0;
    if (p < len && (b[p] == 'e' || b[p] == 'E')) {
      p++;
      boolean down = false;
      if (p < len && (b[p] == '-' || b[p] == '+')) {
        down = b[p] == '-';
        p++;
      }
      int first = p;
      for (; p < len; p++) {
        int c = b[p] - '0';
        if (c < 0 || c > 9) {
          break;
        }
        if (exponent < 100_000) {
          exponent = 10 * exponent + c;
        } else {
          slow = true;
        }
      }
      if (p == first) {
        end = p;
        return Double.NaN;
      }
      if (down) {
        exponent = -exponent;
      }
    }
    end = p;
    double v = slow ? Double.NaN : toDouble(w, exponent - scale, negative);
    if (Double.isNaN(v)) {
      v = Double.parseDouble(new String(b, start, p - start, StandardCharsets.ISO_8859_1));
    }
    return Double.isFinite(v) ? v : Double.NaN;
  }

  /** The digits from b[p] on into w, at most 19 significant ones: the index of the first byte after them. */
  private int digits(byte[] b, int p, int len) {
    long w = this.w; // in locals for the loop: fields there are loaded and stored every digit
    int kept = this.kept;
    boolean slow = this.slow;
    for (; p < len; p++) {
      int c = b[p] - '0';
      if (c < 0 || c > 9) {
        break;
      }
      if (w != 0 || c != 0) {
        if (kept < 19) {
          w = 10 * w + c;
          kept++;
        } else {
          slow = true;
        }
      }
    }
    this.w = w;
    this.kept = kept;
    this.slow = slow;
    return p;
  }

  /** w 10^q correctly rounded (negated if asked), or NaN where the fast algorithms cannot decide. */
  static double toDouble(long w, int q, boolean negative) {
    if (w == 0) {
      return negative ? -0.0 : 0.0;
    }
    if (w >= 0 && w <= 1L << 53 && q >= -22 && q <= 22) {
      double x = q >= 0 ? w * EXACT[q] : w / EXACT[-q];
      return negative ? -x : x;
    }
    if (q < MIN_Q || q > MAX_Q) {
      return Double.NaN;
    }
    // w normalised to 64 bits (w is unsigned: 19 digits may exceed 2^63), times 10^q's top 64 bits.
    int shift = Long.numberOfLeadingZeros(w);
    long m = w << shift;
    long hi = HI[q - MIN_Q];
    long xHi = unsignedMultiplyHigh(m, hi);
    long xLo = m * hi;
    // The product's rounding bits are all ones and the truncation of 10^q could carry into them: take
    // the next 64 bits of 10^q into account, and give up if that still cannot tell.
    if ((xHi & 0x1FF) == 0x1FF && Long.compareUnsigned(xLo + m, m) < 0) {
      long lo = LO[q - MIN_Q];
      long yHi = unsignedMultiplyHigh(m, lo);
      long yLo = m * lo;
      long mergedHi = xHi;
      long mergedLo = xLo + yHi;
      if (Long.compareUnsigned(mergedLo, xLo) < 0) {
        mergedHi++;
      }
      if ((mergedHi & 0x1FF) == 0x1FF && mergedLo + 1 == 0 && Long.compareUnsigned(yLo + m, m) < 0) {
        return Double.NaN;
      }
      xHi = mergedHi;
      xLo = mergedLo;
    }
    // floor(q log2 10) = (217706 q) >> 16 for |q| <= 1500; the product has 127 or 128 bits.
    long top = xHi >>> 63;
    long mantissa = xHi >>> (top + 9);
    long exp2 = ((217706L * q) >> 16) + 64 + 1023 - shift - (1 ^ top);
    if (xLo == 0 && (xHi & 0x1FF) == 0 && (mantissa & 3) == 1) {
      return Double.NaN; // exactly halfway as far as these bits show
    }
    mantissa += mantissa & 1; // 54 bits to 53, rounding half up (ties are excluded above)
    mantissa >>>= 1;
    if (mantissa >>> 53 != 0) {
      mantissa >>>= 1;
      exp2++;
    }
    if (exp2 <= 0 || exp2 >= 0x7FF) {
      return Double.NaN; // subnormal or infinite: Double.parseDouble decides
    }
    long bits = exp2 << 52 | mantissa & 0x000F_FFFF_FFFF_FFFFL;
    return Double.longBitsToDouble(negative ? bits | Long.MIN_VALUE : bits);
  }

  /** The high 64 bits of the unsigned 128-bit product a b (Math.unsignedMultiplyHigh is JDK 18). */
  private static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + (a >> 63 & b) + (b >> 63 & a);
  }
}
