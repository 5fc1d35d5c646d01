package dev.latent.config;

import dev.latent.io.UsageException;
import java.util.Locale;

/**
 * How the EM scans run on Spark ({@code --engine}): {@code aggregate}, one Spark job per scan whose
 * partition statistics are merged by a tree of tasks; {@code barrier}, rounds of scans inside one barrier
 * stage whose tasks exchange their statistics; {@code auto}, barrier where its rules hold and it pays,
 * else aggregate (the choice and its reason are logged). Both give the same fit (see docs/cost-model.md).
 *
 * @param kind the engine asked for
 * @param roundScans at most this many scans per barrier round ({@code --round-scans})
 * @param roundSeconds a barrier round ends after the scan that passes this many seconds ({@code --round-seconds})
 */
public record Engine(Kind kind, int roundScans, double roundSeconds) {

  public enum Kind { AUTO, BARRIER, AGGREGATE;
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The defaults: auto, rounds of up to 1000 scans or 10 seconds. The state is on the driver after every
   * scan whatever the round; a round's end frees the task slots for other jobs, and a new round costs a
   * barrier stage (10-15 ms in local mode here, 17-27 ms with two executor JVMs), so the time bound
   * decides and the count only caps very fast scans.
   */
  public static final Engine DEFAULT = new Engine(Kind.AUTO, 1000, 10.0);

  public static Engine from(Settings s) {
    String v = s.string("engine", DEFAULT.kind.key());
    Kind kind;
    try {
      kind = Kind.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--engine is auto, barrier or aggregate, got '" + v + "'");
    }
    return new Engine(kind, s.integer("round-scans", DEFAULT.roundScans, 1),
        s.number("round-seconds", DEFAULT.roundSeconds, 0.0));
  }

  /** The same engine with another kind (the bench alternates kinds on one data set). */
  public Engine as(Kind k) {
    return new Engine(k, roundScans, roundSeconds);
  }
}
