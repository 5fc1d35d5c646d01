package dev.latent.spark;

import dev.latent.em.ColumnStats;
import dev.latent.em.FitResult;
import dev.latent.em.Scaling;
import dev.latent.io.InputException;
import dev.latent.mixture.Mixture;
import dev.latent.model.MixtureModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Fits of extreme values (see {@link Scaling}) run in scaled units and are reported in original units;
 * where a parameter or score would not be a finite double in original units, the input cannot be fitted
 * as it is, and the run stops with the column and its largest |x| (exit 3) instead of writing infinity.
 */
final class FitUnits {
  private FitUnits() {}

  /** Runs {@code fit} (in scaled units) and returns its results in original units, all finite. */
  static List<FitResult> original(Scaling s, Supplier<List<FitResult>> fit, ColumnStats columns,
      List<String> features, String input) {
    if (!s.active()) {
      return fit.get();
    }
    List<FitResult> scaled;
    try {
      scaled = fit.get();
    } catch (IllegalStateException e) {
      // A mixture that cannot be repaired even in scaled units: the values are beyond what doubles hold.
      throw tooExtreme(input, columns, features, -1, "the fit (" + e.getMessage() + ")");
    }
    List<FitResult> out = new ArrayList<>();
    for (FitResult r : scaled) {
      FitResult o = s.original(r);
      Scaling.NotFinite bad = Scaling.notFinite(o);
      if (bad != null) {
        throw tooExtreme(input, columns, features, bad.column(), bad.what() + " (K = " + r.k() + ")");
      }
      out.add(o);
    }
    return out;
  }

  /** The mixture that scores rows scaled by the same factor (assignments of a scaled fit). */
  static Mixture scoring(MixtureModel m, Scaling s) throws Mixture.DegenerateComponentException {
    if (!s.active()) {
      return m.toMixture();
    }
    return new MixtureModel(m.kind(), m.covariance(), m.features(), m.weights(), s.scaledMeans(m.means()),
        s.scaledCovariances(m.covariances()), m.provenance(), m.distance()).toMixture();
  }

  private static InputException tooExtreme(String input, ColumnStats columns, List<String> features, int column,
      String what) {
    double[] maxAbs = columns.maxAbs();
    double[] range = columns.range();
    int c = column;
    if (c < 0) {
      c = 0;
      for (int i = 1; i < range.length; i++) {
        if (!(range[i] <= range[c])) {
          c = i;
        }
      }
    }
    return new InputException(input + ": column '" + features.get(c) + "' has values as large as |x| = "
        + maxAbs[c] + ": " + what + " would not be a finite number in the units of the data (doubles end at "
        + Double.MAX_VALUE + "); divide the column by a power of ten and fit again");
  }
}
