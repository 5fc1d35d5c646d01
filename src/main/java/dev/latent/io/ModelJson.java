package dev.latent.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latent.em.Distance;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.model.MixtureModel;
import dev.latent.vb.VariationalPosterior;
import dev.latent.vb.WeightPrior;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model file, format "latent-model". Version 2 adds {@code "distance": "cosine"} for spherical K-means
 * models; every other model is written as version 1, so that an older reader accepts exactly the files
 * it scores correctly (it would ignore the unknown field and score a cosine model on raw rows).
 * Covariances take scikit-learn's shapes: full
 * [k][d][d], tied [d][d], diag [k][d], spherical [k]; K-means has none. Reading validates every shape and
 * value and names what is wrong; unknown extra fields are ignored. A vbgmm model (scikit-learn's
 * {@code weights_}, {@code means_}, {@code covariances_}) adds its posterior under {@code "variational"}:
 * {@code weightPrior}, {@code weightConcentration} (Dirichlet process: [2][k], the Beta parameters of the
 * sticks; Dirichlet distribution: [k]), {@code meanPrecision} [k] and {@code degreesOfFreedom} ([k]; tied:
 * one number), as scikit-learn's {@code weight_concentration_}, {@code mean_precision_},
 * {@code degrees_of_freedom_}.
 */
public final class ModelJson {
  public static final String FORMAT = "latent-model";
  /** The highest version written and read. */
  public static final int VERSION = 2;
  /**
   * The deepest nesting read: a model file needs 4 levels (covariances [k][d][d] in the root object), a
   * checkpoint about 5. A deeper document (a "JSON bomb" of nested brackets) is refused by the parser as
   * it reads, before it costs memory or stack.
   */
  public static final int MAX_DEPTH = 64;
  static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build())
      .enable(SerializationFeature.INDENT_OUTPUT);

  private ModelJson() {}

  public static String write(MixtureModel m) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    boolean cosine = m.distance() == Distance.COSINE;
    root.put("version", cosine ? 2 : 1);
    root.put("model", m.kind().key());
    if (cosine) {
      root.put("distance", m.distance().key());
    }
    if (m.kind().gaussian()) {
      root.put("covariance", m.covariance().key());
    }
    ArrayNode f = root.putArray("features");
    m.features().forEach(f::add);
    root.set("weights", vector(m.weights()));
    ArrayNode means = root.putArray("means");
    for (double[] mu : m.means()) {
      means.add(vector(mu));
    }
    if (m.kind().gaussian()) {
      root.set("covariances", covariances(m.covariance(), m.covariances(), m.d()));
    }
    if (m.variational() != null) {
      root.set("variational", variational(m.variational()));
    }
    root.set("provenance", JSON.valueToTree(m.provenance()));
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ArrayNode vector(double[] v) {
    ArrayNode a = JSON.createArrayNode();
    for (double x : v) {
      a.add(x);
    }
    return a;
  }

  private static ObjectNode variational(VariationalPosterior p) {
    ObjectNode o = JSON.createObjectNode();
    o.put("weightPrior", p.weightPrior().key());
    if (p.weightPrior() == WeightPrior.DIRICHLET_PROCESS) {
      ArrayNode wc = o.putArray("weightConcentration");
      wc.add(vector(p.weightConcentration()[0]));
      wc.add(vector(p.weightConcentration()[1]));
    } else {
      o.set("weightConcentration", vector(p.weightConcentration()[0]));
    }
    o.set("meanPrecision", vector(p.meanPrecision()));
    if (p.type() == CovarianceType.TIED) {
      o.put("degreesOfFreedom", p.degreesOfFreedom()[0]);
    } else {
      o.set("degreesOfFreedom", vector(p.degreesOfFreedom()));
    }
    return o;
  }

  static ArrayNode covariances(CovarianceType type, double[][] cov, int d) {
    ArrayNode out = JSON.createArrayNode();
    switch (type) {
      case FULL:
        for (double[] c : cov) {
          out.add(square(c, d));
        }
        return out;
      case TIED:
        return square(cov[0], d);
      case DIAG:
        for (double[] c : cov) {
          out.add(vector(c));
        }
        return out;
      default:
        for (double[] c : cov) {
          out.add(c[0]);
        }
        return out;
    }
  }

  private static ArrayNode square(double[] c, int d) {
    ArrayNode m = JSON.createArrayNode();
    for (int i = 0; i < d; i++) {
      ArrayNode row = m.addArray();
      for (int p = 0; p < d; p++) {
        row.add(c[i * d + p]);
      }
    }
    return m;
  }

  /** Parses and validates a model file's text; {@code file} is named in every message. */
  public static MixtureModel read(String text, String file) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InputException(file + ": not a valid JSON model file (" + problem(e) + ")");
    }
    if (root == null || !root.isObject()) {
      throw new InputException(file + ": not a model file (expected a JSON object)");
    }
    Reader r = new Reader(file);
    String format = root.path("format").asText("");
    if (!FORMAT.equals(format)) {
      throw new InputException(file + ": \"format\" is '" + format + "', expected '" + FORMAT + "'");
    }
    JsonNode v = root.get("version");
    if (v == null || !v.canConvertToInt()) {
      throw new InputException(file + ": \"version\" is missing or not an integer");
    }
    if (v.asInt() > VERSION) {
      throw new InputException(file + ": model format version " + v.asInt() + " was written by a newer Latent;"
          + " this build reads versions up to " + VERSION);
    }
    if (v.asInt() < 1) {
      throw new InputException(file + ": model format version " + v.asInt() + " is not valid");
    }
    ModelKind kind;
    try {
      kind = ModelKind.parse(root.path("model").asText(""));
    } catch (IllegalArgumentException e) {
      throw new InputException(file + ": \"model\": " + e.getMessage());
    }
    Distance distance = Distance.EUCLIDEAN;
    JsonNode dn = root.get("distance");
    if (dn != null && v.asInt() >= 2) {
      try {
        distance = Distance.parse(dn.asText(""));
      } catch (IllegalArgumentException e) {
        throw new InputException(file + ": \"distance\": " + e.getMessage());
      }
      if (distance == Distance.COSINE && kind != ModelKind.KMEANS) {
        throw new InputException(file + ": \"distance\" cosine is for K-means models only");
      }
    }
    JsonNode fn = r.array(root, "features");
    List<String> features = new ArrayList<>();
    for (JsonNode n : fn) {
      if (!n.isTextual()) {
        throw new InputException(file + ": \"features\" must hold column names (strings)");
      }
      features.add(n.asText());
    }
    int d = features.size();
    if (d == 0) {
      throw new InputException(file + ": \"features\" is empty");
    }
    JsonNode mn = r.array(root, "means");
    int k = mn.size();
    // A hand-written K-means start may give only the centres; its weights are then equal.
    double[] weights;
    if (kind == ModelKind.KMEANS && !root.has("weights")) {
      weights = new double[k];
      Arrays.fill(weights, 1.0 / Math.max(k, 1));
    } else {
      weights = r.vector(r.array(root, "weights"), "weights", -1);
    }
    if (k == 0) {
      throw new InputException(file + ": \"means\" is empty");
    }
    if (weights.length != k) {
      throw new InputException(file + ": \"means\" has " + k + " rows but there are " + weights.length
          + " weights");
    }
    for (int j = 0; j < k; j++) {
      if (weights[j] < 0) {
        throw new InputException(file + ": weights[" + j + "] = " + weights[j] + " is negative");
      }
    }
    double[][] means = new double[k][];
    for (int j = 0; j < k; j++) {
      means[j] = r.vector(mn.get(j), "means[" + j + "]", d);
    }
    CovarianceType type = null;
    double[][] cov = null;
    if (kind.gaussian()) {
      try {
        type = CovarianceType.parse(root.path("covariance").asText(""));
      } catch (IllegalArgumentException e) {
        throw new InputException(file + ": \"covariance\": " + e.getMessage());
      }
      cov = r.covariances(r.array(root, "covariances"), type, k, d);
    }
    Map<String, Object> prov = new LinkedHashMap<>();
    JsonNode p = root.get("provenance");
    if (p != null && p.isObject()) {
      prov = JSON.convertValue(p, JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class,
          Object.class));
    }
    VariationalPosterior post = kind == ModelKind.VBGMM ? r.variational(root, type, weights, means, cov) : null;
    return new MixtureModel(kind, type, List.copyOf(features), weights, means, cov, prov, distance, post);
  }

  /**
   * What is wrong with a document the parser refused, and where. Every reader of JSON files (models,
   * checkpoints) goes through {@link #JSON}, so all of them refuse nesting deeper than {@link #MAX_DEPTH}.
   */
  static String problem(JsonProcessingException e) {
    String what = e instanceof StreamConstraintsException
        ? "nested deeper than " + MAX_DEPTH + " levels, which no Latent file is"
        : e.getOriginalMessage();
    return e.getLocation() == null ? what
        : what + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  /** Shape-checking readers that name the offending field. */
  private record Reader(String file) {
    JsonNode array(JsonNode root, String field) {
      JsonNode n = root.get(field);
      if (n == null || !n.isArray()) {
        throw new InputException(file + ": \"" + field + "\" is missing or not an array");
      }
      return n;
    }

    double[] vector(JsonNode n, String what, int length) {
      if (n == null || !n.isArray()) {
        throw new InputException(file + ": " + what + " is not an array");
      }
      if (length >= 0 && n.size() != length) {
        throw new InputException(file + ": " + what + " has " + n.size() + " entries, expected " + length);
      }
      double[] v = new double[n.size()];
      for (int i = 0; i < v.length; i++) {
        JsonNode e = n.get(i);
        if (!e.isNumber() || !Double.isFinite(e.asDouble())) {
          throw new InputException(file + ": " + what + "[" + i + "] is not a finite number");
        }
        v[i] = e.asDouble();
      }
      return v;
    }

    /** The posterior of a vbgmm model, every shape and range checked, and its weights against "weights". */
    VariationalPosterior variational(JsonNode root, CovarianceType type, double[] weights, double[][] means,
        double[][] cov) {
      JsonNode v = root.get("variational");
      if (v == null || !v.isObject()) {
        throw new InputException(file + ": a vbgmm model needs its posterior, \"variational\", an object");
      }
      int k = weights.length;
      int d = means[0].length;
      WeightPrior prior;
      try {
        prior = WeightPrior.parse(v.path("weightPrior").asText(""));
      } catch (IllegalArgumentException e) {
        throw new InputException(file + ": \"variational.weightPrior\": " + e.getMessage());
      }
      JsonNode wn = v.get("weightConcentration");
      double[][] wc;
      if (prior == WeightPrior.DIRICHLET_PROCESS) {
        if (wn == null || !wn.isArray() || wn.size() != 2) {
          throw new InputException(file + ": \"variational.weightConcentration\" of a Dirichlet process must"
              + " hold two rows of " + k + " (the Beta parameters of the sticks)");
        }
        wc = new double[][] {positive(wn.get(0), "variational.weightConcentration[0]", k, 0.0),
            positive(wn.get(1), "variational.weightConcentration[1]", k, 0.0)};
      } else {
        wc = new double[][] {positive(wn, "variational.weightConcentration", k, 0.0)};
      }
      double[] beta = positive(v.get("meanPrecision"), "variational.meanPrecision", k, 0.0);
      JsonNode nn = v.get("degreesOfFreedom");
      double[] nu;
      if (type == CovarianceType.TIED) {
        if (nn == null || !nn.isNumber()) {
          throw new InputException(file + ": \"variational.degreesOfFreedom\" of a tied model is one number");
        }
        nu = positive(JSON.createArrayNode().add(nn.asDouble()), "variational.degreesOfFreedom", 1, d - 1.0);
      } else {
        nu = positive(nn, "variational.degreesOfFreedom", k, d - 1.0);
      }
      VariationalPosterior p = new VariationalPosterior(type, prior, wc, beta, means, nu, cov);
      double[] expected = p.weights();
      for (int j = 0; j < k; j++) {
        if (Math.abs(expected[j] - weights[j]) > 1e-9 * Math.max(expected[j], 1e-300) + 1e-15) {
          throw new InputException(file + ": weights[" + j + "] = " + weights[j] + " is not the posterior's"
              + " expected weight " + expected[j]);
        }
      }
      return p;
    }

    /** A vector of {@code length} finite numbers above {@code floor}. */
    double[] positive(JsonNode n, String what, int length, double floor) {
      double[] x = vector(n, "\"" + what + "\"", length);
      for (int i = 0; i < x.length; i++) {
        if (!(x[i] > floor)) {
          throw new InputException(file + ": " + what + "[" + i + "] = " + x[i] + " must be greater than " + floor);
        }
      }
      return x;
    }

    double[] square(JsonNode n, String what, int d) {
      if (n == null || !n.isArray() || n.size() != d) {
        throw new InputException(file + ": " + what + " must be a " + d + " x " + d + " matrix");
      }
      double[] c = new double[d * d];
      for (int i = 0; i < d; i++) {
        System.arraycopy(vector(n.get(i), what + "[" + i + "]", d), 0, c, i * d, d);
      }
      for (int i = 0; i < d; i++) {
        for (int p = 0; p < i; p++) {
          double a = c[i * d + p];
          double b = c[p * d + i];
          if (Math.abs(a - b) > 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-300) {
            throw new InputException(file + ": " + what + " is not symmetric at [" + i + "][" + p + "]");
          }
        }
      }
      return c;
    }

    double[][] covariances(JsonNode n, CovarianceType type, int k, int d) {
      String what = "covariances";
      switch (type) {
        case TIED:
          return new double[][] {square(n, what, d)};
        case FULL: {
          if (n.size() != k) {
            throw new InputException(file + ": \"covariances\" has " + n.size() + " matrices, expected " + k);
          }
          double[][] c = new double[k][];
          for (int j = 0; j < k; j++) {
            c[j] = square(n.get(j), what + "[" + j + "]", d);
          }
          return c;
        }
        case DIAG: {
          if (n.size() != k) {
            throw new InputException(file + ": \"covariances\" has " + n.size() + " rows, expected " + k);
          }
          double[][] c = new double[k][];
          for (int j = 0; j < k; j++) {
            c[j] = vector(n.get(j), what + "[" + j + "]", d);
          }
          return c;
        }
        default: {
          double[] v = vector(n, what, k);
          double[][] c = new double[k][];
          for (int j = 0; j < k; j++) {
            c[j] = new double[] {v[j]};
          }
          return c;
        }
      }
    }
  }
}
