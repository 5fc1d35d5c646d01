package dev.latent.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latent.em.FitResult;
import dev.latent.em.ModelKind;
import java.util.List;
import java.util.Map;

/**
 * {@code summary.json}: how the fit went (iterations, convergence, the per-iteration trace, warnings)
 * and how good it is (log-likelihood, BIC, AIC, ICL in scikit-learn's sign; K-means inertia).
 */
public final class SummaryJson {
  private SummaryJson() {}

  public static String write(FitResult r, List<String> features, Map<String, Object> run) {
    ObjectNode s = ModelJson.JSON.createObjectNode();
    s.put("format", "latent-summary");
    s.put("version", 1);
    s.put("model", r.kind().key());
    if (r.kind() == ModelKind.GMM) {
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
    s.put("bic", r.bic());
    s.put("aic", r.aic());
    if (r.kind() == ModelKind.GMM) {
      s.put("icl", r.icl());
    } else {
      s.put("inertia", r.inertia());
      s.set("inertiaTrace", ModelJson.vector(r.inertiaTrace()));
    }
    s.set("trace", ModelJson.vector(r.trace()));
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
    ArrayNode w = s.putArray("warnings");
    r.warnings().forEach(w::add);
    s.set("run", ModelJson.JSON.valueToTree(run));
    try {
      return ModelJson.JSON.writeValueAsString(s) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
