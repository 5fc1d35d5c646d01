package dev.latent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.em.Criterion;
import dev.latent.em.InitMethod;
import dev.latent.io.UsageException;
import dev.latent.mixture.CovarianceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The new fit, predict and sample options: values, defaults, and every validation message. */
class OptionsTest {

  private static FitOptions fit(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("input", "in.csv");
    m.put("output", "out");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return FitOptions.from(Settings.of(m));
  }

  private static void fails(String message, String... kv) {
    UsageException e = assertThrows(UsageException.class, () -> fit(kv));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void kRangesAndSweeps() {
    FitOptions one = fit("k", "3");
    assertEquals(3, one.k());
    assertEquals(3, one.kMax());
    assertFalse(one.sweep());
    assertEquals(InitMethod.AUTO, one.seeding());
    assertEquals(Criterion.BIC, one.criterion());
    FitOptions range = fit("k", "2..10", "covariance", "all", "criterion", "icl", "init", "kmeans||");
    assertEquals(2, range.k());
    assertEquals(10, range.kMax());
    assertTrue(range.sweep());
    assertEquals(List.of(CovarianceType.values()), range.covarianceTypes());
    assertEquals(Criterion.ICL, range.criterion());
    assertEquals(InitMethod.KMEANS_PARALLEL, range.seeding());
    assertEquals("2..10", range.asProvenance().get("k"));
    assertEquals("all", range.asProvenance().get("covariance"));
    assertTrue(fit("k", "4..4").kMax() == 4 && !fit("k", "4..4").sweep());
    assertEquals(List.of(CovarianceType.FULL), fit("k", "3", "model", "kmeans", "covariance", "all").covarianceTypes());
  }

  @Test
  void badValuesNameTheKeyAndValue() {
    fails("--k is required");
    fails("--k must be an integer, got 'x'", "k", "x");
    fails("--k must be an integer or a range KMIN..KMAX such as 2..10, got '2..x'", "k", "2..x");
    fails("--k must be an integer or a range KMIN..KMAX such as 2..10, got '2..3..4'", "k", "2..3..4");
    fails("--k must be at least 1, got 0..3", "k", "0..3");
    fails("--k range 5..2 is empty", "k", "5..2");
    fails("--init-labels starts one K; it cannot be used with the range --k 2..4", "k", "2..4", "init-labels", "y");
    fails("--init prev/model.json starts one K", "k", "2..4", "init", "prev/model.json");
    fails("--criterion: unknown criterion 'bi' (expected bic, aic or icl)", "k", "2", "criterion", "bi");
    fails("--covariance: unknown covariance type 'none' (expected full, diag, spherical, tied or all)", "k", "2",
        "covariance", "none");
    fails("--distance: unknown distance 'manhattan' (expected euclidean or cosine)", "k", "2", "distance",
        "manhattan");
    fails("--distance cosine is spherical K-means: it needs --model kmeans", "k", "2", "distance", "cosine");
  }

  @Test
  void predictAndSampleOptions() {
    Map<String, String> p = new LinkedHashMap<>(Map.of("model", "m.json", "input", "in", "output", "o"));
    assertFalse(PredictOptions.from(Settings.of(p)).flagOutliers());
    p.put("outlier-quantile", "0.01");
    assertEquals(0.01, PredictOptions.from(Settings.of(p)).outlierQuantile(), 0.0);
    for (String bad : new String[] {"0", "1", "1.5"}) {
      p.put("outlier-quantile", bad);
      UsageException e = assertThrows(UsageException.class, () -> PredictOptions.from(Settings.of(p)));
      assertTrue(e.getMessage().contains("--outlier-quantile must be between 0 and 1 (exclusive), got " + bad),
          e.getMessage());
    }
    Map<String, String> s = new LinkedHashMap<>(Map.of("model", "m.json", "output", "o"));
    UsageException missing = assertThrows(UsageException.class, () -> SampleOptions.from(Settings.of(s)));
    assertTrue(missing.getMessage().contains("--n is required"), missing.getMessage());
    s.put("n", "0");
    UsageException zero = assertThrows(UsageException.class, () -> SampleOptions.from(Settings.of(s)));
    assertTrue(zero.getMessage().contains("--n must be at least 1, got 0"), zero.getMessage());
    s.put("n", "25");
    SampleOptions o = SampleOptions.from(Settings.of(s));
    assertEquals(25, o.n());
    assertEquals(0, o.seed());
  }
}
