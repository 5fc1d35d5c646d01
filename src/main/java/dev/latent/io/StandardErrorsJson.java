package dev.latent.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latent.diagnostics.StandardErrors;
import dev.latent.mixture.CovarianceType;

/**
 * {@code summary.json} {@code standardErrors}: method, parameters, and weights [K], means [K][d] and
 * covariances (the model's covariance shape) of standard errors; or, when the information could not be
 * inverted, those three null and {@code reason}. Only finite numbers are ever written.
 */
final class StandardErrorsJson {
  private StandardErrorsJson() {}

  static ObjectNode node(StandardErrors se, CovarianceType type, int d) {
    ObjectNode o = ModelJson.JSON.createObjectNode();
    o.put("method", se.method().key());
    o.put("parameters", se.parameters());
    if (!se.computed() || !finite(se)) {
      o.putNull("weights");
      o.putNull("means");
      o.putNull("covariances");
      o.put("reason", se.computed() ? "a standard error is not finite" : se.reason());
      return o;
    }
    o.set("weights", ModelJson.vector(se.weights()));
    ArrayNode means = o.putArray("means");
    for (double[] m : se.means()) {
      means.add(ModelJson.vector(m));
    }
    o.set("covariances", ModelJson.covariances(type, se.covariances(), d));
    return o;
  }

  private static boolean finite(StandardErrors se) {
    for (double[][] block : new double[][][] {{se.weights()}, se.means(), se.covariances()}) {
      for (double[] row : block) {
        for (double v : row) {
          if (!Double.isFinite(v)) {
            return false;
          }
        }
      }
    }
    return true;
  }
}
