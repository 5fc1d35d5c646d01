package dev.latent.em;

/**
 * One scan over the data set. The Spark implementation broadcasts the tasks and combines partitions with
 * treeAggregate; {@link LocalData} runs the same kernels over an in-memory list (tests, small inputs).
 * Entries of the task arrays may be null (a finished candidate); the result has null there too.
 */
public interface DataPass {
  SuffStats[] estep(EStepTask[] tasks);

  /**
   * Advances {@code sweep} by at least one scan and returns the advanced state (not necessarily the same
   * object). The default is one scan through {@link #estep}; an engine that runs several scans where the
   * data are (a Spark barrier stage) overrides it and returns the state its tasks computed.
   */
  default Sweep advance(Sweep sweep) {
    sweep.accept(estep(sweep.tasks()));
    return sweep;
  }

  TopRows[] sample(SampleTask[] tasks);

  int dimension();
}
