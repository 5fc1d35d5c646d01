package dev.latent.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.testing.Refs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scan loop as a step state ({@link Sweep}) that leaves the driver: a data pass that serializes the
 * state, runs rounds of up to R scans on the copy and hands a serialized copy back (what an engine that
 * moves the state away from the driver would do) must give the fit of the plain loop bit for bit, for
 * every phase (seeding, K-means, the GMM start, EM, restarts finishing at different scans, labels), and
 * its checkpoints, one per round, must resume to the same fit.
 */
class SweepStepTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.latent.em.ResumeTest#fits")
  void roundsOnACopyGiveThePlainLoopsFit(String name, FitSpec spec, int[] labels) {
    LocalData data = LocalData.of(Refs.features("iris"), null, labels);
    FitResult plain = EmLoop.fit(data, spec, data.columns());
    for (int round : new int[] {1, 3, 1000}) {
      Travelling away = new Travelling(data, round);
      List<EmState> saved = new ArrayList<>();
      FitResult r = EmLoop.fit(away, spec, data.columns(), null, saved::add);
      ResumeTest.assertSame(plain, r, name + ", rounds of " + round);
      int scans = saved.get(saved.size() - 1).scans();
      assertEquals((scans + round - 1) / round + 1, saved.size(), name + ": one state after seeding and one per round");
      for (int s = 1; s < saved.size() - 1; s++) {
        assertEquals(s * round, saved.get(s).scans(), name + ": a round is " + round + " scans");
        ResumeTest.assertSame(plain, EmLoop.fit(away, spec, data.columns(), saved.get(s), null),
            name + ", rounds of " + round + ", resumed after scan " + saved.get(s).scans());
      }
    }
  }

  /** Rounds of up to {@code round} scans on serialized copies of the state, as a remote engine would run them. */
  private static final class Travelling implements DataPass {
    private final LocalData data;
    private final int round;

    Travelling(LocalData data, int round) {
      this.data = data;
      this.round = round;
    }

    @Override
    public Sweep advance(Sweep sweep) {
      Sweep there = copy(sweep);
      assertNotSame(sweep, there);
      for (int r = 0; r < round && !there.done(); r++) {
        there.accept(data.estep(there.tasks()));
      }
      assertTrue(there.scans() > sweep.scans());
      return copy(there);
    }

    /** Seeding scans (k-means|| weighs its candidates by one) stay on the plain path. */
    @Override
    public SuffStats[] estep(EStepTask[] tasks) {
      return data.estep(tasks);
    }

    @Override
    public TopRows[] sample(SampleTask[] tasks) {
      return data.sample(tasks);
    }

    @Override
    public int dimension() {
      return data.dimension();
    }
  }

  static Sweep copy(Sweep s) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(s);
      }
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return (Sweep) in.readObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
