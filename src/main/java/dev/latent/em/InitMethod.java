package dev.latent.em;

/** Where a fit starts: seeded rows (k-means++ or random), a given model, or a label column. */
public enum InitMethod {
  KMEANS_PP, RANDOM, MODEL, LABELS
}
