package dev.latent.spark;

import dev.latent.io.BadRows;
import org.apache.spark.util.AccumulatorV2;

/**
 * The rows a write left out (--on-bad-row skip) and the first error it met (--on-bad-row fail), gathered
 * from the tasks of a job that writes its rows and so returns nothing else. Exact only because it is
 * updated in the tasks of the writing action itself: Spark applies each result task's update once, even
 * when a task is retried or run speculatively. Data that is cached and read again must carry its bad
 * rows inside the data instead (see {@link InputData}).
 */
final class BadRowsAccumulator extends AccumulatorV2<BadRowsAccumulator.Report, BadRowsAccumulator.Report> {
  private static final long serialVersionUID = 1L;

  /** Rows left out, and errors (the first of each partition that failed). */
  record Report(BadRows skipped, BadRows errors) implements java.io.Serializable {
    Report() {
      this(new BadRows(), new BadRows());
    }

    Report merge(Report o) {
      skipped.merge(o.skipped);
      errors.merge(o.errors);
      return this;
    }
  }

  private Report value = new Report();

  @Override
  public boolean isZero() {
    return value.skipped().count() == 0 && value.errors().count() == 0;
  }

  @Override
  public BadRowsAccumulator copy() {
    BadRowsAccumulator c = new BadRowsAccumulator();
    c.value.merge(value);
    return c;
  }

  @Override
  public void reset() {
    value = new Report();
  }

  @Override
  public void add(Report r) {
    value.merge(r);
  }

  @Override
  public void merge(AccumulatorV2<Report, Report> other) {
    value.merge(other.value());
  }

  @Override
  public Report value() {
    return value;
  }
}
