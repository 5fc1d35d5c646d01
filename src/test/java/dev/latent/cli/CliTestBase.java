package dev.latent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.testing.Runs;
import dev.latent.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** Running the command line on the shared context, and reading what it wrote. */
abstract class CliTestBase extends SharedSpark {
  @TempDir
  Path tmp;

  Runs.Result run(String... args) {
    return Runs.main(jsc, args);
  }

  static String[] concat(String[] a, String... b) {
    String[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  static JsonNode json(Path p) {
    return Runs.json(p);
  }

  /** The data rows of every part file in {@code dir}, in order, split on commas (headers dropped). */
  static List<String[]> assignments(Path dir) throws IOException {
    List<String[]> rows = new ArrayList<>();
    List<Path> parts;
    try (Stream<Path> s = Files.list(dir)) {
      parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
    for (Path p : parts) {
      List<String> lines = Files.readAllLines(p);
      for (int i = 1; i < lines.size(); i++) {
        rows.add(lines.get(i).split(","));
      }
    }
    return rows;
  }

  /** n rows in 2-D around three centres, from a fixed seed. */
  static double[][] blobs(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[][] centres = {{0, 0}, {6, 1}, {2, 7}};
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) {
      double[] c = centres[i % 3];
      x[i] = new double[] {c[0] + gaussian(rnd), c[1] + 0.5 * gaussian(rnd) + 0.3 * (x.length % 2)};
    }
    return x;
  }

  static double gaussian(SplittableRandom rnd) {
    return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  /** A CSV with columns x0, x1, ... and, when given, a weight column w and a label column. */
  static Path writeCsv(Path file, double[][] x, double[] w, int[] labels) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < x[0].length; i++) {
      s.append(i > 0 ? "," : "").append("x").append(i);
    }
    s.append(w != null ? ",w" : "").append(labels != null ? ",label" : "").append('\n');
    for (int r = 0; r < x.length; r++) {
      for (int i = 0; i < x[r].length; i++) {
        s.append(i > 0 ? "," : "").append(x[r][i]);
      }
      if (w != null) {
        s.append(',').append(w[r]);
      }
      if (labels != null) {
        s.append(',').append(labels[r]);
      }
      s.append('\n');
    }
    Files.writeString(file, s.toString());
    return file;
  }

  /** Weights, means and covariances equal to 1e-9 relative to max(1, |value|). */
  static void assertParametersEqual(JsonNode a, JsonNode b, String what) {
    for (String field : new String[] {"weights", "means", "covariances"}) {
      double[] x = flatten(a.get(field));
      double[] y = flatten(b.get(field));
      assertEquals(x.length, y.length, what + " " + field);
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i], y[i], 1e-9 * Math.max(1, Math.abs(x[i])), what + " " + field + "[" + i + "]");
      }
    }
  }

  static double[] flatten(JsonNode n) {
    List<Double> out = new ArrayList<>();
    if (n != null) {
      collect(n, out);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void collect(JsonNode n, List<Double> out) {
    if (n.isArray()) {
      n.forEach(c -> collect(c, out));
    } else {
      out.add(n.asDouble());
    }
  }
}
