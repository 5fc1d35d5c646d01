package dev.latent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Access to ../shared: the real data sets and the scikit-learn / mclust reference results. */
public final class Refs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Refs() {}

  public static Path shared() {
    String p = System.getProperty("latent.shared.dir");
    Path dir = p != null ? Path.of(p) : Path.of("..", "shared");
    if (!Files.isDirectory(dir.resolve("ref"))) {
      throw new IllegalStateException("the shared reference folder is missing: " + dir.toAbsolutePath());
    }
    return dir;
  }

  public static Path dataFile(String dataset) {
    return shared().resolve("data").resolve(dataset + ".csv");
  }

  public static JsonNode ref(String name) {
    try {
      return JSON.readTree(shared().resolve("ref").resolve(name + ".json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The feature columns of a shared data set (the label column, if any, left out). */
  public static double[][] features(String dataset) {
    try {
      List<String> lines = Files.readAllLines(dataFile(dataset));
      String[] header = lines.get(0).split(",");
      int d = header[header.length - 1].equals("label") ? header.length - 1 : header.length;
      double[][] x = new double[lines.size() - 1][d];
      for (int r = 1; r < lines.size(); r++) {
        String[] f = lines.get(r).split(",");
        for (int i = 0; i < d; i++) {
          x[r - 1][i] = Double.parseDouble(f[i]);
        }
      }
      return x;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static double[] vector(JsonNode n) {
    double[] v = new double[n.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = n.get(i).asDouble();
    }
    return v;
  }

  public static int[] ints(JsonNode n) {
    int[] v = new int[n.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = n.get(i).asInt();
    }
    return v;
  }

  public static double[][] matrix(JsonNode n) {
    double[][] m = new double[n.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = vector(n.get(i));
    }
    return m;
  }

  /** Covariances in Latent's storage: full and tied matrices flattened row-major, diag rows, spherical [v]. */
  public static double[][] covariances(JsonNode n, String type) {
    switch (type) {
      case "tied":
        return new double[][] {flatten(matrix(n))};
      case "spherical": {
        double[] v = vector(n);
        double[][] c = new double[v.length][];
        for (int j = 0; j < v.length; j++) {
          c[j] = new double[] {v[j]};
        }
        return c;
      }
      case "diag":
        return matrix(n);
      default: {
        double[][] c = new double[n.size()][];
        for (int j = 0; j < c.length; j++) {
          c[j] = flatten(matrix(n.get(j)));
        }
        return c;
      }
    }
  }

  public static double[] flatten(double[][] m) {
    List<Double> out = new ArrayList<>();
    for (double[] row : m) {
      for (double v : row) {
        out.add(v);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The fit of a gmm_ reference with the given init name and covariance type. */
  public static JsonNode gmmFit(JsonNode ref, String init, String type) {
    for (JsonNode f : ref.get("fits")) {
      if (f.get("init").asText().equals(init) && f.get("covariance_type").asText().equals(type)) {
        return f;
      }
    }
    throw new IllegalArgumentException("no fit " + init + "/" + type);
  }
}
