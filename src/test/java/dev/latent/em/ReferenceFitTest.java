package dev.latent.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.testing.Refs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The EM loop without Spark against scikit-learn's fits in ../shared/ref, started from the stored initial
 * parameters with scikit-learn's stopping rule. Tolerances are the reference README's: mean
 * log-likelihood 1e-8 relative, parameters 1e-7 relative, labels identical, same iteration count.
 */
class ReferenceFitTest {

  static List<Arguments> gmmCases() {
    List<Arguments> cases = new ArrayList<>();
    for (String ds : List.of("iris", "faithful", "penguins")) {
      for (JsonNode f : Refs.ref("gmm_" + ds).get("fits")) {
        cases.add(Arguments.of(ds, f.get("init").asText(), f.get("covariance_type").asText()));
      }
    }
    return cases;
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("gmmCases")
  void gmmMatchesScikitLearn(String dataset, String init, String type) {
    JsonNode ref = Refs.ref("gmm_" + dataset);
    JsonNode start = ref.get("inits").get(init).get("by_covariance_type").get(type);
    JsonNode fit = Refs.gmmFit(ref, init, type);
    double[][] x = Refs.features(dataset);
    LocalData data = LocalData.of(x, null, null);
    CovarianceType ct = CovarianceType.parse(type);
    StartParams sp = new StartParams(ModelKind.GMM, ct, Refs.vector(start.get("weights")),
        Refs.matrix(start.get("means")), Refs.covariances(start.get("covariances"), type));
    FitSpec spec = new FitSpec(ModelKind.GMM, ct, sp.k(), 100000, 1e-10, 1e-6, 0, InitMethod.MODEL, sp, 1);
    FitResult r = EmLoop.fit(data, spec, data.columns());

    assertEquals(fit.get("n_iter").asInt(), r.iterations(), "iterations");
    assertTrue(r.converged());
    double score = fit.get("score").asDouble();
    assertEquals(score, r.meanLogLik(), 1e-8 * Math.abs(score), "mean log-likelihood");
    double[] trace = Refs.vector(fit.get("trace"));
    assertEquals(trace.length, r.trace().length);
    for (int i = 0; i < trace.length; i++) {
      assertEquals(trace[i], r.trace()[i], 1e-8 * Math.abs(trace[i]), "trace[" + i + "]");
    }
    assertArrayEquals(Refs.vector(fit.get("weights")), r.weights(), 1e-7);
    double[][] means = Refs.matrix(fit.get("means"));
    for (int j = 0; j < means.length; j++) {
      for (int i = 0; i < means[j].length; i++) {
        assertEquals(means[j][i], r.means()[j][i], 1e-7 * Math.max(1, Math.abs(means[j][i])), "mean " + j);
      }
    }
    double[][] cov = Refs.covariances(fit.get("covariances"), type);
    for (int j = 0; j < cov.length; j++) {
      for (int i = 0; i < cov[j].length; i++) {
        assertEquals(cov[j][i], r.covariances()[j][i], 1e-6 * Math.max(1e-3, Math.abs(cov[j][i])), "cov " + j);
      }
    }
    assertEquals(fit.get("bic").asDouble(), r.bic(), 1e-8 * Math.abs(fit.get("bic").asDouble()), "bic");
    assertEquals(fit.get("aic").asDouble(), r.aic(), 1e-8 * Math.abs(fit.get("aic").asDouble()), "aic");
    assertEquals(fit.get("n_parameters").asLong(), r.parameters());
    double[] sizes = Refs.vector(fit.get("cluster_sizes"));
    assertArrayEquals(sizes, r.clusterWeights(), 0.0, "cluster sizes");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("datasets")
  void kmeansMatchesScikitLearn(String dataset) {
    JsonNode ref = Refs.ref("kmeans_" + dataset);
    double[][] x = Refs.features(dataset);
    LocalData data = LocalData.of(x, null, null);
    double[][] centres = Refs.matrix(ref.get("init").get("centers"));
    StartParams sp = new StartParams(ModelKind.KMEANS, null, new double[centres.length], centres, null);
    FitSpec spec = new FitSpec(ModelKind.KMEANS, CovarianceType.FULL, centres.length, 100000, 0.0, 1e-6, 0,
        InitMethod.MODEL, sp, 1);
    FitResult r = EmLoop.fit(data, spec, data.columns());
    double inertia = ref.get("inertia").asDouble();
    assertEquals(inertia, r.inertia(), 1e-9 * inertia, "inertia");
    assertEquals(ref.get("n_iter").asInt(), r.iterations(), "passes");
    assertTrue(r.converged());
    assertArrayEquals(Refs.vector(ref.get("cluster_sizes")), r.clusterWeights(), 0.0);
  }

  static List<String> datasets() {
    return List.of("iris", "faithful", "penguins");
  }
}
