package dev.latent.spark;

import dev.latent.em.ColumnStats;
import dev.latent.em.DataBlock;
import dev.latent.em.Distance;
import dev.latent.io.BadRows;
import dev.latent.io.BlockBuilder;
import dev.latent.io.InputException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Rows of DataFrames (the files of a Parquet, ORC or JSON input, or a Spark ML estimator's dataset) as
 * the same cached {@link DataBlock}s that CSV input becomes, with their column statistics and the rows
 * left out. Features come from one ML {@code Vector} column (dense or sparse), one {@code array<double>}
 * or {@code array<float>} column, or a list of numeric columns.
 *
 * <p>Row keys (which seed every random choice and break ties) are row positions: the rows of the earlier
 * parts plus the row's index in its own part, counted in a first pass over the partitions (as
 * {@code zipWithIndex} does), so the same rows in the same order give the same keys, and so the same
 * fit, whatever the format and the partitioning.
 *
 * <p>Rows are read as {@code InternalRow}s ({@code queryExecution().toRdd()}), not through
 * {@code Dataset.rdd()}: that path converts every row into an external {@code Row} of boxed values
 * (and a {@code DenseVector} or {@code Seq} per vector or array column) only for us to copy the numbers
 * out again. Measured by {@code bench/FrameReadBench 1000000 4} (1M x 10 doubles from one Parquet file,
 * local[2], every value read and summed, the two paths alternating which goes first; December 2026 on the
 * shared 2-core machine, load average about 25 from the other helpers' jobs, so only the ratio means
 * anything): after the first (warm-up) round, InternalRow 1.07, 1.91, 1.18 s against Row 2.38, 2.92,
 * 2.23 s, about 1.9x; the whole {@link #load} (count pass, blocks, cache, column statistics) took
 * 3.2-4.2 s. The columnar batches themselves are not public API, so InternalRow is as close as a
 * library gets.
 */
public final class FrameInput implements AutoCloseable {
  /** One part of the input: a DataFrame and how messages name it (a file; null for a DataFrame). */
  public record Part(Dataset<Row> frame, String name) {}

  /** Where the features are: one vector or array column, or numeric columns; weight and label may be null. */
  public record Columns(List<String> features, String weight, String label) implements Serializable {
    public Columns {
      features = List.copyOf(features);
    }
  }

  public final JavaRDD<DataBlock> blocks;
  public final ColumnStats columns;
  public final BadRows skipped;
  public final int d;
  private final JavaRDD<Chunk> cached;

  private record Chunk(DataBlock block, BadRows skipped) implements Serializable {}

  private FrameInput(JavaRDD<Chunk> cached, ColumnStats columns, BadRows skipped, int d) {
    this.cached = cached;
    this.blocks = cached.filter(c -> c.block() != null).map(Chunk::block);
    this.columns = columns;
    this.skipped = skipped;
    this.d = d;
  }

  /** How column {@code i} of the projection is read. */
  enum Kind { DOUBLE, FLOAT, LONG, INT, SHORT, BYTE, DECIMAL, VECTOR, DOUBLES, FLOATS }

  /** The reading plan for the projected columns [features..., weight?, label?], shipped to executors. */
  static final class Layout implements Serializable {
    private static final long serialVersionUID = 1L;
    final String[] names;
    final Kind[] kinds;
    final int[] precision;
    final int[] scale;
    /** Feature columns (the first ones); a vector or array column is one column of dimension d. */
    final int featureColumns;
    final int d;
    final boolean weight;
    final boolean label;

    Layout(StructType projected, int featureColumns, int d, boolean weight, boolean label) {
      int n = projected.fields().length;
      names = new String[n];
      kinds = new Kind[n];
      precision = new int[n];
      scale = new int[n];
      for (int i = 0; i < n; i++) {
        StructField f = projected.fields()[i];
        names[i] = f.name();
        kinds[i] = kind(f);
        if (f.dataType() instanceof DecimalType t) {
          precision[i] = t.precision();
          scale[i] = t.scale();
        }
      }
      this.featureColumns = featureColumns;
      this.d = d;
      this.weight = weight;
      this.label = label;
    }
  }

  /** The kind of a column, or an InputException naming it when it holds no numbers. */
  static Kind kind(StructField f) {
    DataType t = f.dataType();
    if (t instanceof VectorUDT) {
      return Kind.VECTOR;
    }
    if (t instanceof ArrayType a) {
      if (a.elementType().equals(DataTypes.DoubleType)) {
        return Kind.DOUBLES;
      }
      if (a.elementType().equals(DataTypes.FloatType)) {
        return Kind.FLOATS;
      }
    }
    if (t.equals(DataTypes.DoubleType)) {
      return Kind.DOUBLE;
    }
    if (t.equals(DataTypes.FloatType)) {
      return Kind.FLOAT;
    }
    if (t.equals(DataTypes.LongType)) {
      return Kind.LONG;
    }
    if (t.equals(DataTypes.IntegerType)) {
      return Kind.INT;
    }
    if (t.equals(DataTypes.ShortType)) {
      return Kind.SHORT;
    }
    if (t.equals(DataTypes.ByteType)) {
      return Kind.BYTE;
    }
    if (t instanceof DecimalType) {
      return Kind.DECIMAL;
    }
    throw new InputException("column '" + f.name() + "' is " + t.simpleString()
        + ", not numbers: exclude it or name the features");
  }

  /**
   * The dimension of the features: the number of columns, or for one vector or array column the size of
   * its ML attribute group when it has one (VectorAssembler's output does), else of its first row.
   */
  public static int dimension(Dataset<Row> frame, List<String> features) {
    StructType schema = frame.schema();
    if (features.size() > 1) {
      for (String f : features) {
        Kind k = kind(field(schema, f));
        if (k == Kind.VECTOR || k == Kind.DOUBLES || k == Kind.FLOATS) {
          throw new InputException("column '" + f + "' is a vector or an array: list numeric columns, or one"
              + " vector or array column");
        }
      }
      return features.size();
    }
    StructField f = field(schema, features.get(0));
    Kind k = kind(f);
    if (k != Kind.VECTOR && k != Kind.DOUBLES && k != Kind.FLOATS) {
      return 1;
    }
    if (k == Kind.VECTOR) {
      int n = org.apache.spark.ml.attribute.AttributeGroup.fromStructField(f).size();
      if (n > 0) {
        return n;
      }
    }
    List<Row> first = frame.select(f.name()).na().drop().limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new InputException("column '" + f.name() + "' has no rows to take the dimension from");
    }
    Object v = first.get(0).get(0);
    return v instanceof org.apache.spark.ml.linalg.Vector vec ? vec.size() : first.get(0).getList(0).size();
  }

  static StructField field(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new InputException("no column '" + name + "' (columns: " + String.join(",", schema.fieldNames()) + ")");
  }

  /**
   * Reads, checks and caches every part; {@code k} bounds label values; {@code partitions} above the
   * parts' own count spreads the blocks over that many partitions (keys are already fixed, so the fit
   * does not change beyond rounding).
   */
  public static FrameInput load(JavaSparkContext jsc, List<Part> parts, Columns cols, int d, int k,
      boolean unitRows, boolean skipBadRows, int partitions, int depth) {
    List<JavaRDD<InternalRow>> rdds = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Integer> firstPartition = new ArrayList<>();
    Layout layout = null;
    int total = 0;
    for (Part p : parts) {
      List<Column> sel = new ArrayList<>();
      for (String f : cols.features()) {
        sel.add(functions.col(quote(f)));
      }
      if (cols.weight() != null) {
        sel.add(functions.col(quote(cols.weight())));
      }
      if (cols.label() != null) {
        sel.add(functions.col(quote(cols.label())));
      }
      Dataset<Row> projected = p.frame().select(sel.toArray(Column[]::new));
      if (layout == null) {
        layout = new Layout(projected.schema(), cols.features().size(), d, cols.weight() != null,
            cols.label() != null);
      }
      JavaRDD<InternalRow> rdd = projected.queryExecution().toRdd().toJavaRDD();
      rdds.add(rdd);
      names.add(p.name());
      firstPartition.add(total);
      total += rdd.getNumPartitions();
    }
    @SuppressWarnings("unchecked")
    JavaRDD<InternalRow> all = rdds.size() == 1 ? rdds.get(0) : jsc.union(rdds.toArray(new JavaRDD[0]));
    // First pass: rows per partition, so that every row's key is its position in the input.
    List<Long> counts = all.mapPartitions(it -> {
      long n = 0;
      while (it.hasNext()) {
        it.next();
        n++;
      }
      return List.of(n).iterator();
    }).collect();
    long[] start = new long[counts.size() + 1];
    for (int i = 0; i < counts.size(); i++) {
      start[i + 1] = start[i] + counts.get(i);
    }
    int[] partOf = new int[counts.size()];
    long[] partStart = new long[parts.size()];
    for (int q = 0; q < parts.size(); q++) {
      int lo = firstPartition.get(q);
      int hi = q + 1 < parts.size() ? firstPartition.get(q + 1) : counts.size();
      Arrays.fill(partOf, lo, hi, q);
      partStart[q] = start[lo];
    }
    Layout plan = layout;
    String[] partNames = names.toArray(String[]::new);
    JavaRDD<Chunk> chunks = all.mapPartitionsWithIndex((index, it) -> {
      int q = partOf[index];
      return new Chunks(it, plan, partNames[q], start[index], partStart[q], k, unitRows, skipBadRows);
    }, true);
    if (partitions > chunks.getNumPartitions()) {
      chunks = chunks.repartition(partitions);
    }
    JavaRDD<Chunk> persisted = chunks.persist(StorageLevel.MEMORY_AND_DISK());
    Stats stats;
    try {
      stats = persisted.treeAggregate(new Stats(d), Stats::add, Stats::merge, depth);
    } catch (RuntimeException e) {
      persisted.unpersist(false);
      throw e;
    }
    if (stats.columns.rows == 0) {
      persisted.unpersist(false);
      String why = stats.skipped.count() == 0 ? "" : " (" + stats.skipped.count() + " bad rows were skipped; the first: "
          + stats.skipped.examples().get(0) + ")";
      throw new InputException(where(partNames[0]) + ": no data rows" + why);
    }
    return new FrameInput(persisted, stats.columns, stats.skipped, d);
  }

  /** A column name as a column reference (dots and back-ticks in names are literal). */
  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static String where(String name) {
    return name == null ? "the DataFrame" : name;
  }

  /** Column statistics and bad rows of the whole input, combined in one scan. */
  private static final class Stats implements Serializable {
    private static final long serialVersionUID = 1L;
    final ColumnStats columns;
    final BadRows skipped = new BadRows();

    Stats(int d) {
      columns = new ColumnStats(d);
    }

    Stats add(Chunk c) {
      if (c.block() != null) {
        columns.add(c.block());
      }
      if (c.skipped() != null) {
        skipped.merge(c.skipped());
      }
      return this;
    }

    Stats merge(Stats o) {
      columns.merge(o.columns);
      skipped.merge(o.skipped);
      return this;
    }
  }

  /** One partition's rows as blocks of about {@link BlockBuilder#BLOCK_BYTES}, then its bad rows. */
  private static final class Chunks implements Iterator<Chunk> {
    private final Iterator<InternalRow> rows;
    private final Layout plan;
    private final String name;
    private final long partStart;
    private final int k;
    private final boolean unitRows;
    private final boolean skipBadRows;
    private final int capacity;
    private final BadRows bad = new BadRows();
    private long key;
    private double[] x;
    private long[] keys;
    private double[] w;
    private int[] labels;
    private int n;
    private Chunk next;
    private boolean done;

    Chunks(Iterator<InternalRow> rows, Layout plan, String name, long start, long partStart, int k,
        boolean unitRows, boolean skipBadRows) {
      this.rows = rows;
      this.plan = plan;
      this.name = name;
      this.key = start;
      this.partStart = partStart;
      this.k = k;
      this.unitRows = unitRows;
      this.skipBadRows = skipBadRows;
      this.capacity = BlockBuilder.blockRows(plan.d);
    }

    @Override
    public boolean hasNext() {
      while (next == null && !done) {
        if (!rows.hasNext()) {
          done = true;
          DataBlock b = flush();
          next = b == null && bad.count() == 0 ? null : new Chunk(b, bad.count() > 0 ? bad : null);
          break;
        }
        DataBlock b = add(rows.next(), key++);
        if (b != null) {
          next = new Chunk(b, null);
        }
      }
      return next != null;
    }

    @Override
    public Chunk next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Chunk c = next;
      next = null;
      return c;
    }

    /** Adds the row at position {@code rowKey} of the input; returns a full block, or null. */
    private DataBlock add(InternalRow row, long rowKey) {
      if (x == null) {
        x = new double[capacity * plan.d];
        keys = new long[capacity];
        w = plan.weight ? new double[capacity] : null;
        labels = plan.label ? new int[capacity] : null;
      }
      try {
        features(row, rowKey, x, n * plan.d);
        if (unitRows && !Distance.normalise(x, n * plan.d, plan.d)) {
          throw error(rowKey, plan.names[0], "the row's features are all zero: it has no direction for the cosine"
              + " distance");
        }
        int c = plan.featureColumns;
        if (w != null) {
          double v = number(row, c, rowKey);
          if (v < 0) {
            throw error(rowKey, plan.names[c], "weight " + v + " is negative");
          }
          w[n] = v;
          c++;
        }
        if (labels != null) {
          double v = number(row, c, rowKey);
          if (v != Math.rint(v) || v < 0 || v >= k) {
            throw error(rowKey, plan.names[c], "label " + v + " is not an integer in 0.." + (k - 1));
          }
          labels[n] = (int) v;
        }
      } catch (InputException e) {
        if (!skipBadRows) {
          throw e;
        }
        bad.add(DataBlock.positionKey(rowKey), e.getMessage());
        return null;
      }
      keys[n++] = DataBlock.positionKey(rowKey);
      return n == capacity ? flush() : null;
    }

    private DataBlock flush() {
      if (n == 0) {
        return null;
      }
      int d = plan.d;
      DataBlock b = new DataBlock(n, d, Arrays.copyOf(x, n * d), Arrays.copyOf(keys, n),
          w == null ? null : Arrays.copyOf(w, n), labels == null ? null : Arrays.copyOf(labels, n));
      n = 0;
      return b;
    }

    private void features(InternalRow row, long rowKey, double[] dst, int off) {
      Kind kind = plan.kinds[0];
      if (kind == Kind.VECTOR || kind == Kind.DOUBLES || kind == Kind.FLOATS) {
        if (row.isNullAt(0)) {
          throw error(rowKey, plan.names[0], "the value is null");
        }
        if (kind == Kind.VECTOR) {
          vector(row.getStruct(0, 4), rowKey, dst, off);
        } else {
          array(row.getArray(0), kind == Kind.FLOATS, rowKey, dst, off);
        }
        for (int i = 0; i < plan.d; i++) {
          if (!Double.isFinite(dst[off + i])) {
            throw error(rowKey, plan.names[0], "element " + i + " is " + dst[off + i] + ", not a finite number");
          }
        }
        return;
      }
      for (int i = 0; i < plan.featureColumns; i++) {
        dst[off + i] = number(row, i, rowKey);
      }
    }

    /** VectorUDT's storage: struct(type: 0 sparse / 1 dense, size, indices, values). */
    private void vector(InternalRow v, long rowKey, double[] dst, int off) {
      int d = plan.d;
      ArrayData values = v.getArray(3);
      if (v.getByte(0) == 1) {
        if (values.numElements() != d) {
          throw error(rowKey, plan.names[0], "the vector has " + values.numElements() + " elements, not " + d);
        }
        for (int i = 0; i < d; i++) {
          dst[off + i] = values.getDouble(i);
        }
        return;
      }
      if (v.getInt(1) != d) {
        throw error(rowKey, plan.names[0], "the vector has size " + v.getInt(1) + ", not " + d);
      }
      Arrays.fill(dst, off, off + d, 0.0);
      ArrayData indices = v.getArray(2);
      for (int j = 0; j < indices.numElements(); j++) {
        dst[off + indices.getInt(j)] = values.getDouble(j);
      }
    }

    private void array(ArrayData a, boolean floats, long rowKey, double[] dst, int off) {
      if (a.numElements() != plan.d) {
        throw error(rowKey, plan.names[0], "the array has " + a.numElements() + " elements, not " + plan.d);
      }
      for (int i = 0; i < plan.d; i++) {
        if (a.isNullAt(i)) {
          throw error(rowKey, plan.names[0], "element " + i + " is null");
        }
        dst[off + i] = floats ? a.getFloat(i) : a.getDouble(i);
      }
    }

    private double number(InternalRow row, int i, long rowKey) {
      if (row.isNullAt(i)) {
        throw error(rowKey, plan.names[i], "the value is null");
      }
      double v = switch (plan.kinds[i]) {
        case DOUBLE -> row.getDouble(i);
        case FLOAT -> row.getFloat(i);
        case LONG -> row.getLong(i);
        case INT -> row.getInt(i);
        case SHORT -> row.getShort(i);
        case BYTE -> row.getByte(i);
        case DECIMAL -> row.getDecimal(i, plan.precision[i], plan.scale[i]).toDouble();
        default -> throw error(rowKey, plan.names[i], "is not a numeric column");
      };
      if (!Double.isFinite(v)) {
        throw error(rowKey, plan.names[i], v + " is not a finite number (NaN and infinity are not data)");
      }
      return v;
    }

    /** "FILE: row R: column 'c': what" with R 1-based within its file (or the DataFrame). */
    private InputException error(long rowKey, String column, String what) {
      return new InputException(where(name) + ": row " + (rowKey - partStart + 1) + ": column '" + column + "': "
          + what);
    }
  }

  @Override
  public void close() {
    cached.unpersist(false);
  }
}
