package dev.latent.ml;

import dev.latent.em.Distance;
import dev.latent.io.InputException;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.Posterior;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The input columns of a stage and how rows are scored: shared by the estimators and models. */
final class Features {
  private Features() {}

  /** featuresCols when set, else the one featuresCol. */
  static List<String> columns(MixtureParams p) {
    String[] many = p.getFeaturesCols();
    return many.length > 0 ? List.of(many) : List.of(p.getFeaturesCol());
  }

  /** Checks that the feature columns exist with a usable type; names the column otherwise. */
  static void validate(StructType schema, List<String> cols) {
    for (String c : cols) {
      if (!Arrays.asList(schema.fieldNames()).contains(c)) {
        throw new IllegalArgumentException("no column '" + c + "' among " + Arrays.toString(schema.fieldNames()));
      }
      StructField f = schema.apply(c);
      boolean vector = f.dataType() instanceof VectorUDT || f.dataType() instanceof ArrayType a
          && (a.elementType().equals(DataTypes.DoubleType) || a.elementType().equals(DataTypes.FloatType));
      if (cols.size() == 1 ? !(vector || f.dataType() instanceof NumericType)
          : !(f.dataType() instanceof NumericType)) {
        throw new IllegalArgumentException("column '" + c + "' is " + f.dataType().simpleString() + ": features are"
            + " an ML Vector, array<double> or array<float> column, or numeric columns");
      }
    }
  }

  /** Appends a column to the schema, refusing one that exists already. */
  static StructType append(StructType schema, String name, org.apache.spark.sql.types.DataType type) {
    if (name == null || name.isEmpty()) {
      return schema;
    }
    if (Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException("output column '" + name + "' already exists");
    }
    return schema.add(name, type, false);
  }

  /**
   * The features' names in the model: the columns' names, or for one vector column the names of its ML
   * attributes (VectorAssembler's input columns) when it has them, else COL[i].
   */
  static List<String> names(StructType schema, List<String> cols, int d) {
    if (cols.size() > 1 || !(schema.apply(cols.get(0)).dataType() instanceof VectorUDT
        || schema.apply(cols.get(0)).dataType() instanceof ArrayType)) {
      return cols;
    }
    StructField f = schema.apply(cols.get(0));
    List<String> names = new ArrayList<>();
    if (f.dataType() instanceof VectorUDT) {
      AttributeGroup g = AttributeGroup.fromStructField(f);
      if (g.attributes().isDefined() && g.size() == d) {
        for (Attribute a : g.attributes().get()) {
          if (a.name().isEmpty()) {
            names.clear();
            break;
          }
          names.add(a.name().get());
        }
        if (names.size() == d) {
          return names;
        }
      }
    }
    names.clear();
    for (int i = 0; i < d; i++) {
      names.add(f.name() + "[" + i + "]");
    }
    return names;
  }

  /** The features as one ML Vector column, for the scoring functions. */
  static Column vector(StructType schema, List<String> cols) {
    if (cols.size() == 1) {
      StructField f = schema.apply(cols.get(0));
      Column c = functions.col(quote(f.name()));
      if (f.dataType() instanceof VectorUDT) {
        return c;
      }
      if (f.dataType() instanceof ArrayType) {
        return org.apache.spark.ml.functions.array_to_vector(c);
      }
    }
    Column[] cs = new Column[cols.size()];
    for (int i = 0; i < cs.length; i++) {
      cs[i] = functions.col(quote(cols.get(i))).cast(DataTypes.DoubleType);
    }
    return org.apache.spark.ml.functions.array_to_vector(functions.array(cs));
  }

  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  static StructType outputVector(StructType schema, String name) {
    return append(schema, name, SQLDataTypes.VectorType());
  }

  /** Scores single rows under a mixture; one Posterior per thread (a UDF instance may serve several tasks). */
  static final class Scorer implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Mixture mixture;
    private final boolean unitRows;
    private final String column;
    private transient ThreadLocal<Posterior> posterior;
    private transient ThreadLocal<double[]> row;

    Scorer(Mixture mixture, boolean unitRows, String column) {
      this.mixture = mixture;
      this.unitRows = unitRows;
      this.column = column;
    }

    int k() {
      return mixture.k;
    }

    /** Scores {@code v} and returns its component; {@link #last()} then holds probabilities and log-density. */
    int score(Vector v) {
      if (posterior == null) {
        posterior = ThreadLocal.withInitial(() -> new Posterior(mixture));
        row = ThreadLocal.withInitial(() -> new double[mixture.d]);
      }
      if (v == null) {
        throw new InputException("column '" + column + "': a row's features are null");
      }
      if (v.size() != mixture.d) {
        throw new InputException("column '" + column + "': a row has " + v.size() + " features, the model "
            + mixture.d);
      }
      double[] x = row.get();
      for (int i = 0; i < x.length; i++) {
        x[i] = v.apply(i);
        if (!Double.isFinite(x[i])) {
          throw new InputException("column '" + column + "': feature " + i + " of a row is " + x[i]
              + ", not a finite number");
        }
      }
      if (unitRows && !Distance.normalise(x, 0, x.length)) {
        throw new InputException("column '" + column + "': a row's features are all zero: it has no direction"
            + " for the cosine distance");
      }
      return posterior.get().score(x, 0);
    }

    /** The posterior of this thread's last scored row. */
    Posterior last() {
      return posterior.get();
    }
  }
}
