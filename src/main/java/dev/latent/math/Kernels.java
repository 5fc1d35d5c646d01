package dev.latent.math;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the E-step's {@link TileKernels} once per JVM: the Vector API ones when the JVM was started
 * with {@code --add-modules=jdk.incubator.vector} (and it has vector registers), the plain Java ones
 * otherwise. {@code -Dlatent.kernels=java} or {@code =vector} forces a choice (benchmarks, tests).
 * Executors decide for themselves, so a cluster whose executors lack the flag still runs, only slower.
 */
public final class Kernels {
  private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);
  private static final String MODULE = "jdk.incubator.vector";
  private static final TileKernels CHOSEN = choose(System.getProperty("latent.kernels", "auto"));

  private Kernels() {}

  public static TileKernels get() {
    return CHOSEN;
  }

  /** The plain Java kernels, always available. */
  public static TileKernels java() {
    return new JavaTileKernels();
  }

  /** The Vector API kernels, or null when the module is not in this JVM. */
  public static TileKernels vector() {
    if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
      return null;
    }
    try {
      return (TileKernels) Class.forName("dev.latent.math.VectorTileKernels").getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      LOG.warn("the Vector API kernels could not be loaded ({}); using plain Java", e.toString());
      return null;
    }
  }

  static TileKernels choose(String want) {
    String w = want.toLowerCase(Locale.ROOT);
    TileKernels k = w.equals("java") ? null : vector();
    if (k == null && w.equals("vector")) {
      LOG.warn("latent.kernels=vector but the JVM lacks --add-modules={}: using plain Java", MODULE);
    }
    if (k == null) {
      k = java();
    }
    LOG.debug("E-step kernels: {}", k.name());
    return k;
  }
}
