package dev.latent.spark;

import dev.latent.em.Mixture;
import dev.latent.em.Posterior;
import dev.latent.io.CsvLine;
import dev.latent.io.InputSchema;
import dev.latent.io.RowParser;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Writes per-row assignments as CSV part files: every input column as it was, then {@code cluster}, then
 * (soft models) {@code p0 .. p{k-1}}. Each part file has the header; rows keep the input's order.
 */
public final class Assignments {
  private Assignments() {}

  public static void write(JavaSparkContext jsc, InputFiles files, InputSchema schema, Mixture mixture,
      boolean soft, int partitions, String path) {
    StringBuilder h = new StringBuilder(files.headerLine()).append(",cluster");
    if (soft) {
      for (int j = 0; j < mixture.k; j++) {
        h.append(",p").append(j);
      }
    }
    String header = h.toString();
    Broadcast<Mixture> b = jsc.broadcast(mixture);
    try {
      List<JavaRDD<String>> parts = new ArrayList<>();
      for (int i = 0; i < files.files().size(); i++) {
        String file = files.files().get(i);
        JavaRDD<String> lines = partitions > 0 ? jsc.textFile(file, partitions) : jsc.textFile(file);
        parts.add(lines.zipWithIndex().mapPartitions(it -> score(it, schema, file, b.value(), soft)));
      }
      JavaRDD<String> all = parts.size() == 1 ? parts.get(0) : jsc.union(parts.toArray(JavaRDD[]::new));
      all.mapPartitions(it -> new Prepend(header, it)).saveAsTextFile(path);
    } finally {
      b.destroy();
    }
  }

  private static Iterator<String> score(Iterator<Tuple2<String, Long>> lines, InputSchema schema, String file,
      Mixture mixture, boolean soft) {
    RowParser parser = new RowParser(schema, file, Integer.MAX_VALUE);
    Posterior post = new Posterior(mixture);
    double[] x = new double[schema.dimension()];
    // Lines are scored lazily so a partition never holds more than one row's output.
    return new Iterator<>() {
      private String next;

      @Override
      public boolean hasNext() {
        while (next == null && lines.hasNext()) {
          Tuple2<String, Long> t = lines.next();
          long lineNo = t._2() + 1;
          String line = CsvLine.clean(t._1());
          if (lineNo == 1 || line.isBlank()) {
            continue;
          }
          parser.features(parser.fields(line, lineNo), lineNo, x, 0);
          int c = post.score(x, 0);
          StringBuilder s = new StringBuilder(line.length() + 16 * (mixture.k + 1));
          s.append(line).append(',').append(c);
          if (soft) {
            for (double p : post.probabilities()) {
              s.append(',').append(p);
            }
          }
          next = s.toString();
        }
        return next != null;
      }

      @Override
      public String next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        String s = next;
        next = null;
        return s;
      }
    };
  }

  /** A header line followed by the partition's lines. */
  private static final class Prepend implements Iterator<String> {
    private final Iterator<String> rest;
    private String first;

    Prepend(String first, Iterator<String> rest) {
      this.first = first;
      this.rest = rest;
    }

    @Override
    public boolean hasNext() {
      return first != null || rest.hasNext();
    }

    @Override
    public String next() {
      if (first != null) {
        String s = first;
        first = null;
        return s;
      }
      return rest.next();
    }
  }
}
