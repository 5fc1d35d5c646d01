package dev.latent.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latent.em.Annealing;
import dev.latent.em.EmState;
import dev.latent.mixture.CovarianceType;
import dev.latent.vb.VariationalPosterior;
import dev.latent.vb.WeightPrior;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code --checkpoint DIR} folder: the EM state after every scan, as {@code state-NNNNNN.json}
 * (format "latent-checkpoint" version 1). Each state is written under a hidden temporary name and renamed
 * to a new name, then the older states are deleted: a crash at any point leaves at least one complete
 * state, and rename-to-a-new-name is atomic on HDFS and local disks alike (rename over an existing file
 * is not, on HDFS). The file also records which fit it belongs to (settings, features, input files and
 * row count), and a resume with anything else is refused.
 */
public final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  public static final String FORMAT = "latent-checkpoint";
  public static final int VERSION = 1;
  private static final String PREFIX = "state-";
  private static final String SUFFIX = ".json";

  private final FileSystem fs;
  private final Path dir;
  private final JsonNode fit;

  private CheckpointStore(FileSystem fs, Path dir, JsonNode fit) {
    this.fs = fs;
    this.dir = dir;
    this.fit = fit;
  }

  /** Opens (creating) the folder for the fit described by {@code fit} (any JSON-able map). */
  public static CheckpointStore open(Configuration conf, String dir, Map<String, Object> fit) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      if (fs.exists(p) && !fs.getFileStatus(p).isDirectory()) {
        throw new OutputException("--checkpoint " + dir + " is a file, not a folder");
      }
      if (!fs.mkdirs(p)) {
        throw new OutputException("cannot create the checkpoint folder " + dir);
      }
      // Through text and back, so that it compares equal to what a file holds (int vs long nodes).
      JsonNode normal = ModelJson.JSON.readTree(ModelJson.JSON.writeValueAsString(fit));
      return new CheckpointStore(fs, fs.makeQualified(p), normal);
    } catch (IOException e) {
      throw new OutputException("cannot open the checkpoint folder " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code s} as the latest state and removes every other one. */
  public void save(EmState s) {
    String name = String.format("%s%06d%s", PREFIX, s.scans(), SUFFIX);
    Path tmp = new Path(dir, "." + name + ".tmp");
    Path file = new Path(dir, name);
    try {
      try (OutputStream out = OutputDir.unchecked(fs).create(tmp, true)) {
        out.write(toJson(s).getBytes(StandardCharsets.UTF_8));
      }
      if (fs.exists(file)) {
        fs.delete(file, false);
      }
      if (!fs.rename(tmp, file)) {
        throw new OutputException("cannot rename " + tmp + " to " + file);
      }
      for (FileStatus f : fs.listStatus(dir)) {
        if (ours(f) && !f.getPath().getName().equals(name)) {
          fs.delete(f.getPath(), false);
        }
      }
    } catch (IOException | FSError e) {
      // A full disk (FSError on local disks): the half-written temporary goes, the earlier state stays.
      try {
        fs.delete(tmp, false);
      } catch (IOException ignored) {
        // The temporary is hidden and named as such; the next save replaces it.
      }
      String why = OutputException.spaceProblem(e);
      throw new OutputException("cannot write the checkpoint " + display(file) + " in --checkpoint "
          + display(dir) + ": " + (why != null ? why : e.getMessage()) + "; any earlier state there is intact", e);
    }
  }

  /** The newest complete state, or null when there is none; refused if it belongs to another fit. */
  public EmState latest() {
    Path file = latestFile();
    if (file == null) {
      return null;
    }
    String text;
    try (InputStream in = fs.open(file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException(file + ": cannot be read (" + e.getMessage() + ")", e);
    }
    return fromJson(text, display(file));
  }

  /** True when the folder holds a state (of this fit or another). */
  public boolean hasState() {
    return latestFile() != null;
  }

  /** The newest state file, for messages. */
  public String latestName() {
    Path f = latestFile();
    return f == null ? display(dir) : display(f);
  }

  /** Removes every state: called once the fit's output is committed, so the next run starts afresh. */
  public void clear() {
    try {
      for (FileStatus f : fs.listStatus(dir)) {
        if (ours(f)) {
          fs.delete(f.getPath(), false);
        }
      }
    } catch (IOException e) {
      LOG.warn("could not clear the checkpoint folder {}: {}", dir, e.getMessage());
    }
  }

  private Path latestFile() {
    try {
      Path best = null;
      long bestScans = -1;
      for (FileStatus f : fs.listStatus(dir)) {
        String n = f.getPath().getName();
        if (n.startsWith(PREFIX) && n.endsWith(SUFFIX)) {
          try {
            long scans = Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length()));
            if (scans > bestScans) {
              bestScans = scans;
              best = f.getPath();
            }
          } catch (NumberFormatException e) {
            // Not one of ours: leave it alone.
          }
        }
      }
      return best;
    } catch (IOException e) {
      throw new InputException(display(dir) + ": cannot be listed (" + e.getMessage() + ")", e);
    }
  }

  /** A state or a temporary state file: the only files this class ever deletes (DIR may hold others). */
  private static boolean ours(FileStatus f) {
    String n = f.getPath().getName();
    return f.isFile() && (n.startsWith(PREFIX) || n.startsWith("." + PREFIX)) && (n.endsWith(SUFFIX)
        || n.endsWith(SUFFIX + ".tmp"));
  }

  private static String display(Path p) {
    return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
  }

  String toJson(EmState s) {
    ObjectNode root = ModelJson.JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.set("fit", fit);
    root.put("scans", s.scans());
    ArrayNode cands = root.putArray("candidates");
    for (EmState.CandidateState c : s.candidates()) {
      ObjectNode n = cands.addObject();
      n.put("phase", c.phase());
      n.put("init", c.init());
      n.set("centres", matrix(c.centres()));
      n.set("weights", vector(c.weights()));
      n.set("means", matrix(c.means()));
      n.set("covariances", matrix(c.covariances()));
      n.put("iterations", c.iterations());
      n.put("initIterations", c.initIterations());
      n.put("converged", c.converged());
      n.set("trace", vector(c.trace()));
      n.set("inertiaTrace", vector(c.inertiaTrace()));
      ArrayNode w = n.putArray("warnings");
      c.warnings().forEach(w::add);
      if (c.previousHash() != null) {
        ArrayNode h = n.putArray("previousHash");
        for (long v : c.previousHash()) {
          h.add(v);
        }
      }
      // NaN (no score yet) is not JSON: it is written as null.
      if (!Double.isNaN(c.previousScore())) {
        n.put("previousScore", c.previousScore());
      }
      n.put("repaired", c.repaired());
      if (c.last() != null) {
        ObjectNode l = n.putObject("last");
        l.put("logLik", c.last().logLik());
        l.put("classLogLik", c.last().classLogLik());
        l.put("hardDist", c.last().hardDist());
        l.put("weightSum", c.last().weightSum());
        l.put("rows", c.last().rows());
        l.set("hardCounts", vector(c.last().hardCounts()));
      }
      if (c.variational() != null) {
        VariationalPosterior p = c.variational();
        ObjectNode v = n.putObject("variational");
        v.put("type", p.type().key());
        v.put("weightPrior", p.weightPrior().key());
        v.set("weightConcentration", matrix(p.weightConcentration()));
        v.set("meanPrecision", vector(p.meanPrecision()));
        v.set("means", matrix(p.means()));
        v.set("degreesOfFreedom", vector(p.degreesOfFreedom()));
        v.set("covariances", matrix(p.covariances()));
      }
      if (c.elboTrace() != null) {
        n.set("elboTrace", vector(c.elboTrace()));
      }
      if (c.annealed() != null) {
        ObjectNode a = n.putObject("annealing");
        a.put("stage", c.annealed().stage());
        a.put("stageIterations", c.annealed().stageIterations());
        ArrayNode st = a.putArray("stages");
        for (Annealing.Stage t : c.annealed().stages()) {
          ObjectNode o = st.addObject();
          o.put("beta", t.beta());
          if (Double.isNaN(t.variance())) {
            o.putNull("variance");
          } else {
            o.put("variance", t.variance());
          }
          o.put("iterations", t.iterations());
          o.put("logLikelihood", t.logLikelihood());
          o.put("hardness", t.hardness());
          o.put("entropy", t.entropy());
        }
      }
    }
    try {
      return ModelJson.JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  EmState fromJson(String text, String file) {
    JsonNode root;
    try {
      root = ModelJson.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InputException(file + ": not a valid checkpoint (" + ModelJson.problem(e) + ")");
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new InputException(file + ": not a Latent checkpoint");
    }
    if (root.path("version").asInt(-1) != VERSION) {
      throw new InputException(file + ": checkpoint version " + root.path("version") + " is not " + VERSION
          + ", the version this build reads");
    }
    if (!fit.equals(root.path("fit"))) {
      throw new InputException(file + ": the checkpoint belongs to another fit (saved " + root.path("fit")
          + ", this run " + fit + "); start without --resume, or use another --checkpoint folder");
    }
    try {
      List<EmState.CandidateState> cands = new ArrayList<>();
      for (JsonNode n : array(root, "candidates")) {
        EmState.Scores last = null;
        JsonNode l = n.get("last");
        if (l != null && !l.isNull()) {
          last = new EmState.Scores(number(l, "logLik"), number(l, "classLogLik"), number(l, "hardDist"),
              number(l, "weightSum"), l.path("rows").asLong(), vector(l.get("hardCounts")));
        }
        long[] hash = null;
        JsonNode h = n.get("previousHash");
        if (h != null && h.isArray()) {
          hash = new long[h.size()];
          for (int i = 0; i < hash.length; i++) {
            hash[i] = h.get(i).asLong();
          }
        }
        List<String> warnings = new ArrayList<>();
        for (JsonNode w : array(n, "warnings")) {
          warnings.add(w.asText());
        }
        JsonNode ps = n.get("previousScore");
        JsonNode init = n.get("init");
        EmState.Annealed annealed = null;
        JsonNode an = n.get("annealing");
        if (an != null && an.isObject()) {
          List<Annealing.Stage> stages = new ArrayList<>();
          for (JsonNode t : array(an, "stages")) {
            JsonNode v = t.get("variance");
            stages.add(new Annealing.Stage(number(t, "beta"), v == null || v.isNull() ? Double.NaN : v.asDouble(),
                t.path("iterations").asInt(), number(t, "logLikelihood"), number(t, "hardness"),
                number(t, "entropy")));
          }
          annealed = new EmState.Annealed(an.path("stage").asInt(), an.path("stageIterations").asInt(),
              List.copyOf(stages));
        }
        VariationalPosterior posterior = null;
        JsonNode v = n.get("variational");
        if (v != null && v.isObject()) {
          posterior = new VariationalPosterior(CovarianceType.parse(v.path("type").asText("")),
              WeightPrior.parse(v.path("weightPrior").asText("")), matrix(v.get("weightConcentration")),
              vector(v.get("meanPrecision")), matrix(v.get("means")), vector(v.get("degreesOfFreedom")),
              matrix(v.get("covariances")));
        }
        JsonNode elbo = n.get("elboTrace");
        cands.add(new EmState.CandidateState(n.path("phase").asText(),
            init == null || init.isNull() ? null : init.asText(), matrix(n.get("centres")),
            vector(n.get("weights")), matrix(n.get("means")), matrix(n.get("covariances")),
            n.path("iterations").asInt(), n.path("initIterations").asInt(), n.path("converged").asBoolean(),
            vector(n.get("trace")), vector(n.get("inertiaTrace")), List.copyOf(warnings), hash,
            ps == null || ps.isNull() ? Double.NaN : ps.asDouble(), n.path("repaired").asBoolean(), last,
            annealed, posterior, elbo == null || elbo.isNull() ? null : vector(elbo)));
      }
      return new EmState(root.path("scans").asInt(), List.copyOf(cands));
    } catch (IllegalArgumentException e) {
      throw new InputException(file + ": " + e.getMessage());
    }
  }

  private static ArrayNode vector(double[] v) {
    return v == null ? null : ModelJson.vector(v);
  }

  private static ArrayNode matrix(double[][] m) {
    if (m == null) {
      return null;
    }
    ArrayNode a = ModelJson.JSON.createArrayNode();
    for (double[] row : m) {
      a.add(ModelJson.vector(row));
    }
    return a;
  }

  private static JsonNode array(JsonNode n, String field) {
    JsonNode a = n.get(field);
    if (a == null || !a.isArray()) {
      throw new IllegalArgumentException("\"" + field + "\" is missing or not an array");
    }
    return a;
  }

  private static double number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) {
      throw new IllegalArgumentException("\"" + field + "\" is missing or not a number");
    }
    return v.asDouble();
  }

  private static double[] vector(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException("expected an array of numbers");
    }
    double[] v = new double[n.size()];
    for (int i = 0; i < v.length; i++) {
      if (!n.get(i).isNumber()) {
        throw new IllegalArgumentException("expected a number, got " + n.get(i));
      }
      v[i] = n.get(i).asDouble();
    }
    return v;
  }

  private static double[][] matrix(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException("expected an array of arrays");
    }
    double[][] m = new double[n.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = vector(n.get(i));
    }
    return m;
  }
}
