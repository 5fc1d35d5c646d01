package dev.latent.io;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * Doubles as text for the assignments: the shortest decimal that reads back as the same double, by
 * Schubfach (Giulietti 2020; Jackson's copy, already on Spark's class path). JDK 17's Double.toString is
 * several times slower and not always the shortest (JDK-4511638, fixed in JDK 19 by the same algorithm).
 */
public final class DecimalText {
  private DecimalText() {}

  public static String of(double v) {
    return NumberOutput.toString(v, true);
  }
}
