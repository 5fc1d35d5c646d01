package dev.latent.spark;

import dev.latent.io.InputException;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.InputSplit;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.RecordReader;
import org.apache.hadoop.mapred.Reporter;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The input files' lines as raw bytes, split as {@code textFile} splits them (Hadoop's text input: the
 * same splits, codecs and line ends), with the splits grouped into partitions of consecutive splits: one
 * split each (the usual layout), or a few groups, e.g. one per task slot for the barrier engine, so the
 * cached blocks need no shuffle to get there. Lines come as Hadoop {@link Text} (UTF-8 bytes, no String
 * per line); a partition reads its splits in order, so the global order of the lines is kept.
 */
final class TextSplits implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One Hadoop split of file {@code file} (index in the input's file list). */
  record Split(int index, int file, String path, long start, long length, boolean firstOfFile, String[] hosts)
      implements Serializable {}

  /** The splits of one partition: {@code splits[from..to)}. */
  record Group(int from, int to) implements Serializable {}

  /** Receives the lines of one split; {@code line} is reused by the reader, valid during the call only. */
  interface LineSink {
    /** Returns false to stop reading this split. */
    boolean line(Text line) throws IOException;
  }

  final Split[] splits;
  private final Broadcast<SerializableConfiguration> conf;

  private TextSplits(Split[] splits, Broadcast<SerializableConfiguration> conf) {
    this.splits = splits;
    this.conf = conf;
  }

  /** The splits of every file as {@code textFile(file, minPartitions)} makes them ({@code partitions} 0: Spark's default). */
  static TextSplits plan(JavaSparkContext jsc, List<String> files, int partitions) {
    int min = partitions > 0 ? partitions : jsc.defaultMinPartitions();
    boolean skipEmpty = jsc.getConf().getBoolean("spark.hadoopRDD.ignoreEmptySplits", true);
    List<Split> out = new ArrayList<>();
    try {
      for (int f = 0; f < files.size(); f++) {
        JobConf job = new JobConf(jsc.hadoopConfiguration());
        FileInputFormat.setInputPaths(job, new Path(files.get(f)));
        TextInputFormat format = new TextInputFormat();
        format.configure(job);
        boolean first = true;
        for (InputSplit s : format.getSplits(job, min)) {
          FileSplit fs = (FileSplit) s;
          if (skipEmpty && fs.getLength() == 0) {
            continue;
          }
          out.add(new Split(out.size(), f, fs.getPath().toString(), fs.getStart(), fs.getLength(), first,
              fs.getLocations()));
          first = false;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot split the input: " + e.getMessage(), e);
    }
    return new TextSplits(out.toArray(new Split[0]), SerializableConfiguration.broadcast(jsc.sc(),
        jsc.hadoopConfiguration()));
  }

  int count() {
    return splits.length;
  }

  /** The bytes of all splits (compressed files: their compressed size). */
  long bytes() {
    long b = 0;
    for (Split s : splits) {
      b += s.length();
    }
    return b;
  }

  /** One split per partition. */
  List<Group> single() {
    List<Group> g = new ArrayList<>();
    for (int i = 0; i < splits.length; i++) {
      g.add(new Group(i, i + 1));
    }
    return g;
  }

  /** At most {@code n} partitions of consecutive splits, of about equal bytes. */
  List<Group> grouped(int n) {
    long total = 0;
    for (Split s : splits) {
      total += s.length();
    }
    List<Group> g = new ArrayList<>();
    int from = 0;
    long seen = 0;
    for (int i = 0; i < splits.length; i++) {
      seen += splits[i].length();
      // Close group g.size() once its share of the bytes is reached (the last takes the rest).
      if (g.size() < n - 1 && seen * n >= (g.size() + 1) * Math.max(total, 1) && i + 1 < splits.length) {
        g.add(new Group(from, i + 1));
        from = i + 1;
      }
    }
    g.add(new Group(from, splits.length));
    return g;
  }

  /** The groups as an RDD of one element each, placed where their first split's data are. */
  JavaRDD<Group> rdd(JavaSparkContext jsc, List<Group> groups) {
    List<Tuple2<Group, scala.collection.immutable.Seq<String>>> placed = new ArrayList<>();
    for (Group g : groups) {
      String[] hosts = g.from() < g.to() ? splits[g.from()].hosts() : new String[0];
      List<String> h = new ArrayList<>();
      for (String host : hosts) {
        if (!host.equals("localhost")) {
          h.add(host);
        }
      }
      placed.add(new Tuple2<>(g, CollectionConverters.asScala(h).toList()));
    }
    return JavaRDD.fromRDD(jsc.sc().makeRDD(CollectionConverters.asScala(placed).toList(),
        scala.reflect.ClassTag$.MODULE$.apply(Group.class)), scala.reflect.ClassTag$.MODULE$.apply(Group.class));
  }

  /** Reads split {@code s}'s lines in order into {@code sink} (on an executor). */
  void read(Split s, LineSink sink) {
    try (Lines lines = open(s)) {
      for (Text line = lines.next(); line != null; line = lines.next()) {
        if (!sink.line(line)) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(s.path() + ": " + e.getMessage(), e);
    }
  }

  /** Opens split {@code s} for reading its lines one by one (on an executor). */
  Lines open(Split s) {
    Configuration c = conf.value().value();
    JobConf job = c instanceof JobConf j ? j : new JobConf(c);
    TextInputFormat format = new TextInputFormat();
    format.configure(job);
    FileSplit split = new FileSplit(new Path(s.path()), s.start(), s.length(), (String[]) null);
    try {
      return new Lines(format.getRecordReader(split, job, Reporter.NULL), s.path(), s.start() == 0);
    } catch (IOException e) {
      throw new UncheckedIOException(s.path() + ": " + e.getMessage(), e);
    }
  }

  /** The lines of one split; {@link #next} reuses one {@link Text}. */
  static final class Lines implements AutoCloseable {
    private final RecordReader<LongWritable, Text> reader;
    private final String path;
    private final boolean fromStart;
    private final LongWritable key;
    private final Text value;
    private long lines;

    /** {@code fromStart}: the split starts the file, so the lines read so far are the file's line numbers. */
    Lines(RecordReader<LongWritable, Text> reader, String path, boolean fromStart) {
      this.reader = reader;
      this.path = path;
      this.fromStart = fromStart;
      this.key = reader.createKey();
      this.value = reader.createValue();
    }

    /** The next line (valid until the next call), or null at the end of the split. */
    Text next() {
      try {
        if (!reader.next(key, value)) {
          return null;
        }
        lines++;
        return value;
      } catch (EOFException | ZipException e) {
        // The data stop mid-stream or do not decompress: bad input (exit 3), not a failure of the job.
        throw InputException.at(InputFiles.display(path), fromStart ? lines + 1 : 0, 0,
            "the data end early or are corrupt (a truncated or damaged compressed file?): " + e.getMessage());
      } catch (IOException e) {
        throw new UncheckedIOException(path + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(path + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * The lines of a group's splits, split after split: each opened when reached and closed at its end, or
   * with the task when the partition's iterator is left unfinished.
   */
  static final class GroupLines {
    private final TextSplits text;
    private final Group group;
    private int split;
    private Lines lines;

    GroupLines(TextSplits text, Group group) {
      this.text = text;
      this.group = group;
      this.split = group.from() - 1;
      org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> close());
      }
    }

    /** True while a split is open (else {@link #nextSplit} opens the next one). */
    boolean inSplit() {
      return lines != null;
    }

    /** Opens the group's next split; false after its last. */
    boolean nextSplit() {
      if (++split >= group.to()) {
        return false;
      }
      lines = text.open(text.splits[split]);
      return true;
    }

    /** The open split's index in the splits. */
    int split() {
      return split;
    }

    /** The open split. */
    Split current() {
      return text.splits[split];
    }

    /** The open split's next line (valid until the next call), or null at its end, which closes it. */
    Text next() {
      Text t = lines.next();
      if (t == null) {
        close();
      }
      return t;
    }

    /** Closes the open split, if any. */
    void close() {
      if (lines != null) {
        lines.close();
        lines = null;
      }
    }
  }

  /** Unpersists the broadcast configuration. */
  void destroy() {
    conf.destroy();
  }

  private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
      long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /** True when the line is ASCII, so its bytes are its characters: eight bytes at a time, no high bit set. */
  static boolean ascii(byte[] b, int len) {
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      if (((long) LONGS.get(b, i) & 0x8080808080808080L) != 0) {
        return false;
      }
    }
    for (; i < len; i++) {
      if (b[i] < 0) {
        return false;
      }
    }
    return true;
  }
}
