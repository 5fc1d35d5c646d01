package dev.latent.ml;

import dev.latent.io.ModelJson;
import dev.latent.model.MixtureModel;
import java.io.Serializable;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable;

/**
 * The {@code initialModel} param: a fitted model, saved with the stage's metadata as its model.json text
 * (Spark's default JSON encoding knows only strings, numbers, vectors and matrices).
 */
final class InitialModelParam<M extends LatentModel> extends Param<M> {
  private static final long serialVersionUID = 1L;

  /** Makes the model class from fitted parameters. */
  interface Maker<M> extends Serializable {
    M make(MixtureModel m);
  }

  private final Maker<M> maker;

  InitialModelParam(Identifiable parent, Maker<M> maker) {
    super(parent, "initialModel", "a fitted model to start from (same k and dimension) instead of seeding");
    this.maker = maker;
  }

  @Override
  public String jsonEncode(M value) {
    return ModelJson.write(value.latentModel());
  }

  @Override
  public M jsonDecode(String json) {
    return maker.make(ModelJson.read(json, "the initialModel param"));
  }
}
