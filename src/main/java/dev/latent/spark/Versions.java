package dev.latent.spark;

/** Version strings recorded in provenance. */
public final class Versions {
  private Versions() {}

  /** The jar's Implementation-Version, or "dev" when running from classes. */
  public static String latent() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
