package dev.latent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Comparing fitted models. */
public final class Models {
  private Models() {}

  /**
   * Asserts that two model.json files hold the same model: same kind, covariance type and features, and
   * weights, means and covariances equal to {@code rel} relative to the largest magnitude of each field
   * (runs on different clusters sum partitions in different orders, so bits may differ).
   */
  public static void assertSameModel(Path expected, Path actual, double rel) {
    JsonNode a = Runs.json(expected);
    JsonNode b = Runs.json(actual);
    for (String f : new String[] {"model", "covariance", "features"}) {
      assertEquals(a.path(f), b.path(f), f);
    }
    for (String f : new String[] {"weights", "means", "covariances"}) {
      double[] x = flatten(a.path(f));
      double[] y = flatten(b.path(f));
      assertEquals(x.length, y.length, f + " length");
      double scale = 0.0;
      for (double v : x) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int i = 0; i < x.length; i++) {
        double diff = Math.abs(x[i] - y[i]);
        assertTrue(diff <= rel * scale, f + "[" + i + "]: " + x[i] + " vs " + y[i] + " (difference " + diff
            + " > " + rel + " x " + scale + ")");
      }
    }
  }

  /** Every number in a JSON value, depth first. */
  public static double[] flatten(JsonNode n) {
    List<Double> out = new ArrayList<>();
    collect(n, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void collect(JsonNode n, List<Double> out) {
    if (n.isNumber()) {
      out.add(n.asDouble());
    } else if (n.isArray()) {
      for (JsonNode c : n) {
        collect(c, out);
      }
    }
  }
}
