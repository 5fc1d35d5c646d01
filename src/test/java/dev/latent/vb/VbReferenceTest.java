package dev.latent.vb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.em.EStepTask;
import dev.latent.em.EmLoop;
import dev.latent.em.FitResult;
import dev.latent.em.FitSpec;
import dev.latent.em.InitMethod;
import dev.latent.em.LocalData;
import dev.latent.em.MStep;
import dev.latent.em.SuffStats;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.testing.Refs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The variational mixture without Spark against scikit-learn's {@code BayesianGaussianMixture} fits in
 * ../shared/ref (bgmm_*.json: 10 components, both weight priors x four covariance types), started from
 * the stored K-means labels with tol 1e-10 as the references were: the state after initialisation to
 * 1e-10, the priors, the bound after the first iteration and the final lower bound to 1e-6 relative, the
 * same number of effective components, weights to 1e-5, a bound that never decreases.
 */
class VbReferenceTest {

  static List<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String ds : List.of("iris", "faithful")) {
      for (JsonNode f : Refs.ref("bgmm_" + ds).get("fits")) {
        cases.add(Arguments.of(ds, f.get("weight_concentration_prior_type").asText(),
            f.get("covariance_type").asText()));
      }
    }
    return cases;
  }

  static JsonNode fit(JsonNode ref, String prior, String type) {
    for (JsonNode f : ref.get("fits")) {
      if (f.get("weight_concentration_prior_type").asText().equals(prior)
          && f.get("covariance_type").asText().equals(type)) {
        return f;
      }
    }
    throw new IllegalArgumentException(prior + " " + type);
  }

  static FitSpec spec(String prior, String type, int k, int maxIter, double tol) {
    return new FitSpec(ModelKind.VBGMM, CovarianceType.parse(type), k, maxIter, tol, 1e-6, 0, InitMethod.LABELS,
        null, 1, null, new PriorSettings(WeightPrior.parse(prior.replace('_', '-')), Double.NaN, Double.NaN,
            Double.NaN));
  }

  static LocalData data(String dataset) {
    int[] labels = Refs.ints(Refs.ref("bgmm_" + dataset).get("init").get("kmeans_labels"));
    return LocalData.of(Refs.features(dataset), null, labels);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void initialStateMatchesScikitLearn(String dataset, String prior, String type) {
    JsonNode ref = Refs.ref("bgmm_" + dataset);
    JsonNode f = fit(ref, prior, type);
    LocalData data = data(dataset);
    // One iteration: the state after it is the first M-step's, and the bound is trace[0].
    FitResult r = EmLoop.fit(data, spec(prior, type, 10, 1, 1e-10), data.columns());
    double[] trace = Refs.vector(f.get("trace"));
    assertEquals(trace[0], r.variational().elbo(), 1e-6 * Math.abs(trace[0]), "lower bound after iteration 1");
    JsonNode prior0 = f.get("priors_used");
    Priors p = r.variational().priors();
    assertEquals(prior0.get("weight_concentration_prior").asDouble(), p.weightConcentration(), 1e-15);
    assertEquals(prior0.get("mean_precision_prior").asDouble(), p.meanPrecision(), 0.0);
    assertEquals(prior0.get("degrees_of_freedom_prior").asDouble(), p.degreesOfFreedom(), 0.0);
    assertArrayEquals(Refs.vector(prior0.get("mean_prior")), p.mean(), 1e-12);
    JsonNode cp = prior0.get("covariance_prior");
    double[] expected = cp.isNumber() ? new double[] {cp.asDouble()}
        : cp.get(0).isArray() ? Refs.flatten(Refs.matrix(cp)) : Refs.vector(cp);
    assertArrayEquals(expected, p.covariance(), 1e-12 * max(expected));
  }

  /**
   * scikit-learn's {@code _initialize}: the variational M-step from the one-hot labels, here from one
   * labelled E-step's statistics about the data mean, matches {@code state_after_init} to 1e-10.
   */
  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void theFirstVariationalMStepMatchesScikitLearns(String dataset, String prior, String type) {
    JsonNode f = fit(Refs.ref("bgmm_" + dataset), prior, type);
    LocalData data = data(dataset);
    CovarianceType ct = CovarianceType.parse(type);
    double[] mean = data.columns().mean();
    double[][] shifts = new double[10][];
    for (int j = 0; j < 10; j++) {
      shifts[j] = mean.clone();
    }
    EStepTask task = new EStepTask(EStepTask.Assign.LABELS, null, shifts, EStepTask.Scatter.of(ct), 0);
    SuffStats s = data.estep(new EStepTask[] {task})[0];
    MStep.Estimates e = MStep.estimates(s, shifts, ct, 1e-6);
    Priors p = spec(prior, type, 10, 1, 0.0).priors().priors(ct, 10, mean, data.columns().covariance(1.0));
    VariationalPosterior post = VariationalPosterior.update(p, e.nk(), e.means(), e.covariances());
    JsonNode st = f.get("state_after_init");
    JsonNode wc = st.get("weight_concentration");
    double[][] expectedWc = wc.get(0).isArray() ? Refs.matrix(wc) : new double[][] {Refs.vector(wc)};
    for (int i = 0; i < expectedWc.length; i++) {
      close(expectedWc[i], post.weightConcentration()[i], "weight concentration " + i);
    }
    close(Refs.vector(st.get("mean_precision")), post.meanPrecision(), "mean precision");
    close(Refs.flatten(Refs.matrix(st.get("means"))), Refs.flatten(post.means()), "means");
    JsonNode dof = st.get("degrees_of_freedom");
    close(dof.isNumber() ? new double[] {dof.asDouble()} : Refs.vector(dof), post.degreesOfFreedom(), "dof");
    close(Refs.flatten(Refs.covariances(st.get("covariances"), type)), Refs.flatten(post.covariances()),
        "covariances");
  }

  private static void close(double[] expected, double[] got, String what) {
    assertEquals(expected.length, got.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], got[i], 1e-10 * Math.max(1.0, Math.abs(expected[i])), what + "[" + i + "]");
    }
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void fitMatchesScikitLearn(String dataset, String prior, String type) {
    JsonNode ref = Refs.ref("bgmm_" + dataset);
    JsonNode f = fit(ref, prior, type);
    LocalData data = data(dataset);
    FitResult r = EmLoop.fit(data, spec(prior, type, 10, 100000, 1e-10), data.columns());
    VariationalFit v = r.variational();
    double elbo = f.get("lower_bound").asDouble();
    assertTrue(r.converged());
    assertEquals(elbo, v.elbo(), 1e-6 * Math.abs(elbo), "lower bound");
    assertEquals(f.get("n_effective_components").asInt(), v.posterior().effectiveComponents(), "effective components");
    assertArrayEquals(Refs.vector(f.get("weights")), r.weights(), 1e-5, "weights");
    double[] trace = v.elboTrace();
    for (int i = 1; i < trace.length; i++) {
      assertTrue(trace[i] >= trace[i - 1] - 1e-9 * Math.abs(trace[i - 1]), "the bound decreased at " + i);
    }
    assertEquals(List.of(), r.warnings());
  }

  private static double max(double[] v) {
    double m = 0.0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}
