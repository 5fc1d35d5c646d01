package dev.latent.em;

/**
 * Random numbers drawn per row from (seed, step, row key) by hashing, so the same seed and data give the
 * same choices whatever the partitioning (a per-partition generator would not).
 */
public final class RowRandom {
  private RowRandom() {}

  /** SplitMix64's finaliser: a bijective mix of 64 bits (Steele, Lea and Flood 2014). */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A uniform double in the open interval (0, 1). */
  public static double uniform(long seed, long step, long key) {
    long h = mix(mix(mix(seed) ^ step) + key);
    return ((h >>> 11) + 0.5) * 0x1.0p-53;
  }
}
