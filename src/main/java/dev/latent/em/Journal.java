package dev.latent.em;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * The log lines of an EM step, kept until the driver writes them. The step state is serializable and
 * may be run away from the driver (inside Spark tasks, where logging directly would print each line once
 * per task on executors); the lines travel back with the state and the driver logs them once, in order.
 * On the driver the loop drains the journal after every scan, so lines still appear as they happen.
 */
public final class Journal implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One line; {@code warn} lines are logged at WARN, the others at INFO. */
  record Line(boolean warn, String text) implements Serializable {}

  private final List<Line> lines = new ArrayList<>();

  void info(String text) {
    lines.add(new Line(false, text));
  }

  void warn(String text) {
    lines.add(new Line(true, text));
  }

  /** Logs the lines kept so far to {@code log} and forgets them. */
  public void drainTo(Logger log) {
    for (Line l : lines) {
      if (l.warn()) {
        log.warn(l.text());
      } else {
        log.info(l.text());
      }
    }
    lines.clear();
  }

  boolean isEmpty() {
    return lines.isEmpty();
  }
}
