package dev.latent.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latent.em.EmLoop;
import dev.latent.em.FitResult;
import dev.latent.em.FitSpec;
import dev.latent.em.InitMethod;
import dev.latent.em.LocalData;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.mixture.Posterior;
import dev.latent.model.MixtureModel;
import dev.latent.testing.Refs;
import dev.latent.vb.PriorSettings;
import dev.latent.vb.VariationalPosterior;
import dev.latent.vb.WeightPrior;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * vbgmm model files: the posterior round-trips exactly for every covariance type and weight prior (so a
 * model read back scores rows bit for bit as the fitted one), and every damaged posterior is refused
 * with a message naming the field.
 */
class ModelJsonVbTest {
  private static final double[][] IRIS = Refs.features("iris");

  static MixtureModel fitted(CovarianceType type, WeightPrior prior) {
    LocalData data = LocalData.of(IRIS, null, Refs.ints(Refs.ref("bgmm_iris").get("init").get("kmeans_labels")));
    FitResult r = EmLoop.fit(data, new FitSpec(ModelKind.VBGMM, type, 10, 5, 0.0, 1e-6, 0, InitMethod.LABELS, null, 1,
        null, new PriorSettings(prior, Double.NaN, Double.NaN, Double.NaN)), data.columns());
    return new MixtureModel(ModelKind.VBGMM, type, List.of("a", "b", "c", "d"), r.weights(), r.means(),
        r.covariances(), Map.of(), null, r.variational().posterior());
  }

  @Test
  void roundTripIsExactAndScoresTheSame() throws Exception {
    for (CovarianceType type : CovarianceType.values()) {
      for (WeightPrior prior : WeightPrior.values()) {
        MixtureModel m = fitted(type, prior);
        String text = ModelJson.write(m);
        assertFalse(text.contains("NaN") || text.contains("Infinity"));
        MixtureModel back = ModelJson.read(text, "m.json");
        VariationalPosterior a = m.variational();
        VariationalPosterior b = back.variational();
        assertEquals(ModelKind.VBGMM, back.kind());
        assertEquals(a.weightPrior(), b.weightPrior());
        assertEquals(a.weightConcentration().length, b.weightConcentration().length);
        for (int i = 0; i < a.weightConcentration().length; i++) {
          assertArrayEquals(a.weightConcentration()[i], b.weightConcentration()[i], 0.0);
        }
        assertArrayEquals(a.meanPrecision(), b.meanPrecision(), 0.0);
        assertArrayEquals(a.degreesOfFreedom(), b.degreesOfFreedom(), 0.0);
        Posterior pa = new Posterior(m.toMixture());
        Posterior pb = new Posterior(back.toMixture());
        for (int r = 0; r < IRIS.length; r += 7) {
          assertEquals(pa.score(IRIS[r], 0), pb.score(IRIS[r], 0));
          assertEquals(pa.logDensity(), pb.logDensity(), 0.0, type + " " + prior + " row " + r);
        }
      }
    }
  }

  @Test
  void aTiedModelHasOneNumberOfDegreesOfFreedom() {
    JsonNode v = json(ModelJson.write(fitted(CovarianceType.TIED, WeightPrior.DIRICHLET_PROCESS))).get("variational");
    assertTrue(v.get("degreesOfFreedom").isNumber());
    assertEquals(2, v.get("weightConcentration").size(), "the Beta parameters of the sticks");
    JsonNode dd = json(ModelJson.write(fitted(CovarianceType.DIAG, WeightPrior.DIRICHLET_DISTRIBUTION)));
    assertEquals(10, dd.get("variational").get("weightConcentration").size());
    assertEquals("dirichlet-distribution", dd.get("variational").get("weightPrior").asText());
  }

  @Test
  void damagedPosteriorsAreRefused() {
    String good = ModelJson.write(fitted(CovarianceType.FULL, WeightPrior.DIRICHLET_PROCESS));
    refused(good, root -> root.remove("variational"),
        "m.json: a vbgmm model needs its posterior, \"variational\", an object");
    refused(good, root -> ((ObjectNode) root.get("variational")).put("weightPrior", "uniform"),
        "m.json: \"variational.weightPrior\": unknown weight prior 'uniform'");
    refused(good, root -> ((ArrayNode) root.get("variational").get("weightConcentration")).remove(1),
        "\"variational.weightConcentration\" of a Dirichlet process must hold two rows of 10");
    refused(good, root -> ((ArrayNode) root.get("variational").get("meanPrecision")).set(2, -1.0),
        "m.json: variational.meanPrecision[2] = -1.0 must be greater than 0.0");
    refused(good, root -> ((ArrayNode) root.get("variational").get("degreesOfFreedom")).set(0, 3.0),
        "m.json: variational.degreesOfFreedom[0] = 3.0 must be greater than 3.0");
    refused(good, root -> ((ArrayNode) root.get("variational").get("meanPrecision")).remove(0),
        "m.json: \"variational.meanPrecision\" has 9 entries, expected 10");
    refused(good, root -> ((ArrayNode) root.get("weights")).set(0, 0.5),
        "m.json: weights[0] = 0.5 is not the posterior's expected weight");
    String tied = ModelJson.write(fitted(CovarianceType.TIED, WeightPrior.DIRICHLET_PROCESS));
    refused(tied, root -> ((ObjectNode) root.get("variational")).putArray("degreesOfFreedom").add(5.0),
        "m.json: \"variational.degreesOfFreedom\" of a tied model is one number");
  }

  private static void refused(String text, Consumer<ObjectNode> damage, String message) {
    ObjectNode root = (ObjectNode) json(text);
    damage.accept(root);
    InputException e = assertThrows(InputException.class, () -> ModelJson.read(root.toString(), "m.json"));
    assertTrue(e.getMessage().contains(message), "expected '" + message + "' in: " + e.getMessage());
  }

  private static JsonNode json(String text) {
    try {
      return ModelJson.JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
