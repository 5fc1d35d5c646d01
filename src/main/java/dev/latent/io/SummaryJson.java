package dev.latent.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latent.diagnostics.StandardErrors;
import dev.latent.em.Alignment;
import dev.latent.em.Annealing;
import dev.latent.em.Criterion;
import dev.latent.em.FitResult;
import dev.latent.mixture.ModelKind;
import dev.latent.mixture.OutlierThreshold;
import java.util.List;
import java.util.Map;

/**
 * {@code summary.json}: how the fit went (iterations, convergence, the per-iteration trace, warnings)
 * and how good it is (log-likelihood, BIC, AIC, ICL in scikit-learn's sign; K-means inertia).
 */
public final class SummaryJson {
  private SummaryJson() {}

  /** A model-selection sweep: every fit (one row of the table each) and the one kept. */
  public record Selection(Criterion criterion, List<FitResult> table, int chosen) {}

  /** The renumbering against a previous model ({@code to}) and each component's drift from it. */
  public record Aligned(String to, Alignment alignment, List<Alignment.Drift> drift, Double klVariational) {
    /** Without a divergence (a K-means model on either side). */
    public Aligned(String to, Alignment alignment, List<Alignment.Drift> drift) {
      this(to, alignment, drift, null);
    }
  }

  /** The --on-bad-row policy and the rows it left out (none under fail). */
  public record Skipped(boolean skipping, BadRows rows) {}

  public static String write(FitResult r, List<String> features, Map<String, Object> run) {
    return write(r, features, run, null, null, null);
  }

  public static String write(FitResult r, List<String> features, Map<String, Object> run, Selection selection,
      Aligned aligned) {
    return write(r, features, run, selection, aligned, null);
  }

  /**
   * {@code selection} and {@code aligned} may be null (a lone fit; no --align-to); {@code skipped} null
   * means --on-bad-row fail. The summary always says which policy applied and how many rows it left out.
   */
  public static String write(FitResult r, List<String> features, Map<String, Object> run, Selection selection,
      Aligned aligned, Skipped skipped) {
    return write(r, features, run, selection, aligned, skipped, null);
  }

  /** As above, with {@code standardErrors} (null unless --standard-errors) and its warning, if any. */
  public static String write(FitResult r, List<String> features, Map<String, Object> run, Selection selection,
      Aligned aligned, Skipped skipped, StandardErrors standardErrors) {
    ObjectNode s = ModelJson.JSON.createObjectNode();
    s.put("format", "latent-summary");
    s.put("version", 1);
    s.put("model", r.kind().key());
    if (r.kind().gaussian()) {
      s.put("covariance", r.covariance().key());
    }
    s.put("k", r.k());
    s.put("d", r.d());
    s.put("rows", r.rows());
    s.put("weightSum", r.weightSum());
    s.put("iterations", r.iterations());
    s.put("converged", r.converged());
    s.put("logLikelihood", r.logLik());
    s.put("meanLogLikelihood", r.meanLogLik());
    s.put("parameters", r.parameters());
    if (r.kind() != ModelKind.VBGMM) {
      s.put("bic", r.bic());
      s.put("aic", r.aic());
    }
    if (r.variational() != null) {
      // The variational fit is judged by its lower bound (scikit-learn's lower_bound_, a total over rows).
      s.put("elbo", r.variational().elbo());
      s.set("elboTrace", ModelJson.vector(r.variational().elboTrace()));
      s.put("effectiveComponents", r.variational().posterior().effectiveComponents());
    } else if (r.kind() == ModelKind.GMM) {
      s.put("icl", r.icl());
    } else {
      s.put("inertia", r.inertia());
      s.set("inertiaTrace", ModelJson.vector(r.inertiaTrace()));
    }
    s.set("trace", ModelJson.vector(r.trace()));
    if (r.annealing() != null) {
      s.set("annealing", annealing(r.annealing()));
    }
    if (r.init() != null) {
      s.put("init", r.init().key());
    }
    if (r.initIterations() > 0) {
      s.put("initKmeansPasses", r.initIterations());
    }
    s.set("clusterSizes", ModelJson.vector(r.clusterWeights()));
    ArrayNode f = s.putArray("features");
    features.forEach(f::add);
    if (r.candidateScores().length > 1) {
      s.put("keptCandidate", r.candidate());
      s.set("candidateScores", ModelJson.vector(r.candidateScores()));
    }
    if (!r.restarts().isEmpty()) {
      s.set("restarts", restarts(r));
    }
    if (selection != null) {
      s.set("selection", selection(selection));
    }
    if (aligned != null) {
      s.set("alignment", alignment(aligned));
    }
    badRows(s, skipped);
    if (standardErrors != null) {
      s.set("standardErrors", StandardErrorsJson.node(standardErrors, r.covariance(), r.d()));
    }
    ArrayNode w = s.putArray("warnings");
    r.warnings().forEach(w::add);
    if (standardErrors != null && standardErrors.warning() != null) {
      w.add(standardErrors.warning());
    }
    s.set("run", ModelJson.JSON.valueToTree(run));
    try {
      return ModelJson.JSON.writeValueAsString(s) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code summary.json} of {@code latent sample}: which model was drawn from, how many rows, with which
   * seed and in how many part files, and the columns of the part files.
   */
  public static String sample(String model, long n, long seed, int partitions, List<String> columns) {
    ObjectNode s = ModelJson.JSON.createObjectNode();
    s.put("format", "latent-sample-summary");
    s.put("version", 1);
    s.put("model", model);
    s.put("rows", n);
    s.put("seed", seed);
    s.put("partitions", partitions);
    ArrayNode c = s.putArray("columns");
    columns.forEach(c::add);
    try {
      return ModelJson.JSON.writeValueAsString(s) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code badRows}: the policy, how many rows it left out and the first few messages in input order. */
  private static void badRows(ObjectNode s, Skipped skipped) {
    ObjectNode bad = s.putObject("badRows");
    boolean skipping = skipped != null && skipped.skipping();
    bad.put("onBadRow", skipping ? "skip" : "fail");
    bad.put("skipped", skipped == null ? 0 : skipped.rows().count());
    ArrayNode ex = bad.putArray("examples");
    if (skipped != null) {
      skipped.rows().examples().forEach(ex::add);
    }
  }

  /** One object per annealing stage: the path from soft clouds to hard partitions (see em/Annealing). */
  private static ArrayNode annealing(List<Annealing.Stage> stages) {
    ArrayNode a = ModelJson.JSON.createArrayNode();
    for (Annealing.Stage st : stages) {
      ObjectNode o = a.addObject();
      o.put("beta", st.beta());
      if (Double.isNaN(st.variance())) {
        o.putNull("variance");
      } else {
        o.put("variance", st.variance());
      }
      o.put("iterations", st.iterations());
      o.put("logLikelihood", st.logLikelihood());
      o.put("hardness", st.hardness());
      o.put("entropy", st.entropy());
    }
    return a;
  }

  /** Every restart of the kept fit: its candidate number, trace (K-means also J per pass) and final score. */
  private static ArrayNode restarts(FitResult r) {
    ArrayNode a = ModelJson.JSON.createArrayNode();
    for (FitResult.Restart c : r.restarts()) {
      ObjectNode o = a.addObject();
      o.put("candidate", c.candidate());
      o.set("trace", ModelJson.vector(c.trace()));
      if (r.kind() == ModelKind.KMEANS) {
        o.set("inertiaTrace", ModelJson.vector(c.inertiaTrace()));
      }
      if (r.kind() == ModelKind.VBGMM) {
        o.set("elboTrace", ModelJson.vector(c.elboTrace()));
      }
      o.put("score", c.score());
    }
    return a;
  }

  private static ObjectNode selection(Selection sel) {
    ObjectNode o = ModelJson.JSON.createObjectNode();
    o.put("criterion", sel.criterion().key());
    o.put("chosen", sel.chosen());
    ArrayNode t = o.putArray("table");
    for (FitResult e : sel.table()) {
      ObjectNode row = t.addObject();
      row.put("k", e.k());
      row.put("covariance", e.kind() == ModelKind.GMM ? e.covariance().key() : e.kind().key());
      row.put("logLikelihood", e.logLik());
      row.put("meanLogLikelihood", e.meanLogLik());
      row.put("parameters", e.parameters());
      row.put("bic", e.bic());
      row.put("aic", e.aic());
      row.put("icl", e.icl());
      row.put("iterations", e.iterations());
      row.put("converged", e.converged());
      if (e.kind() == ModelKind.KMEANS) {
        row.put("inertia", e.inertia());
      }
      row.put("warnings", e.warnings().size());
    }
    return o;
  }

  private static ObjectNode alignment(Aligned a) {
    ObjectNode o = ModelJson.JSON.createObjectNode();
    o.put("to", a.to());
    o.put("totalDistance", a.alignment().totalDistance());
    o.set("fromFitted", ModelJson.JSON.valueToTree(a.alignment().order()));
    if (a.klVariational() != null && Double.isFinite(a.klVariational())) {
      // KL(new || previous), Hershey and Olsen's variational approximation: drift as one number.
      o.put("klVariational", a.klVariational());
    } else if (a.klVariational() != null) {
      o.putNull("klVariational");
    }
    ArrayNode comps = o.putArray("components");
    for (Alignment.Drift d : a.drift()) {
      ObjectNode c = comps.addObject();
      c.put("component", d.component());
      c.put("weight", d.weight());
      if (d.previous() < 0) {
        c.putNull("previous");
        continue;
      }
      c.put("previous", d.previous());
      c.put("previousWeight", d.previousWeight());
      c.put("weightChange", d.weightChange());
      c.put("meanDistance", d.meanDistance());
      c.set("meanShift", ModelJson.vector(d.meanShift()));
    }
    return o;
  }

  /**
   * {@code summary.json} of {@code latent predict}: what was scored, and with outliers flagged the
   * threshold (the floor(q n)-th smallest log-density, exact), its rank, and how many rows are at or
   * below it (more than the rank only when log-densities tie).
   */
  public static String predict(String model, String input, OutlierThreshold t) {
    return predict(model, input, t, null);
  }

  /** As above, with the {@code badRows} object of fit's summary ({@code skipped} null: --on-bad-row fail). */
  public static String predict(String model, String input, OutlierThreshold t, Skipped skipped) {
    ObjectNode s = ModelJson.JSON.createObjectNode();
    s.put("format", "latent-predict-summary");
    s.put("version", 1);
    s.put("model", model);
    s.put("input", input);
    if (t != null) {
      ObjectNode o = s.putObject("outliers");
      o.put("quantile", t.quantile());
      if (t.rank() > 0) {
        o.put("logDensityThreshold", t.value());
      } else {
        o.putNull("logDensityThreshold");
      }
      o.put("rank", t.rank());
      o.put("rows", t.rows());
      o.put("flagged", t.flagged());
      o.put("passes", t.passes());
    }
    badRows(s, skipped);
    try {
      return ModelJson.JSON.writeValueAsString(s) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
