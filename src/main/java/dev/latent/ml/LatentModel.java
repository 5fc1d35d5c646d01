package dev.latent.ml;

import dev.latent.model.MixtureModel;

/** A Spark ML model of Latent's: its fitted parameters as the value model.json holds. */
interface LatentModel {
  /** The fitted parameters; throws when the model has none (a model made with the no-argument constructor). */
  MixtureModel latentModel();
}
