package dev.latent.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latent.diagnostics.Inspection;

/**
 * {@code inspect.json} (format latent-inspect, version 1): the component divergences of a model and,
 * with {@code --against}, its divergence from another. A number that is not finite (a Monte Carlo
 * log-ratio that overflowed) is written as null, never as NaN or Infinity.
 */
public final class InspectJson {
  public static final String FORMAT = "latent-inspect";
  public static final int VERSION = 1;

  private InspectJson() {}

  public static String write(Inspection i, String model, String against) {
    ObjectNode o = ModelJson.JSON.createObjectNode();
    o.put("format", FORMAT);
    o.put("version", VERSION);
    o.put("model", model);
    o.put("k", i.k());
    o.set("kl", matrix(i.kl()));
    o.set("symmetricKl", matrix(i.symmetricKl()));
    o.set("bhattacharyya", matrix(i.bhattacharyya()));
    o.set("overlapBound", matrix(i.overlapBound()));
    if (i.against() != null) {
      ObjectNode a = o.putObject("against");
      a.put("model", against);
      against(i.against(), a);
    }
    try {
      return ModelJson.JSON.writeValueAsString(o) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void against(Inspection.Against a, ObjectNode o) {
    number(o, "klVariational", a.klVariational());
    number(o, "klMatchedBound", a.klMatchedBound());
    ObjectNode mc = o.putObject("klMonteCarlo");
    number(mc, "estimate", a.monteCarlo().estimate());
    number(mc, "standardError", a.monteCarlo().standardError());
    mc.put("samples", a.monteCarlo().samples());
    mc.put("seed", a.monteCarlo().seed());
    if (a.reverse() != null) {
      against(a.reverse(), o.putObject("reverse"));
    }
  }

  private static void number(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  private static ArrayNode matrix(double[][] m) {
    ArrayNode a = ModelJson.JSON.createArrayNode();
    for (double[] row : m) {
      ArrayNode r = a.addArray();
      for (double v : row) {
        if (Double.isFinite(v)) {
          r.add(v);
        } else {
          r.addNull();
        }
      }
    }
    return a;
  }
}
