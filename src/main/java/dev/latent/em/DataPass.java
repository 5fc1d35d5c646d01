package dev.latent.em;

/**
 * One scan over the data set. The Spark implementation broadcasts the tasks and combines partitions with
 * treeAggregate; {@link LocalData} runs the same kernels over an in-memory list (tests, small inputs).
 * Entries of the task arrays may be null (a finished candidate); the result has null there too.
 */
public interface DataPass {
  SuffStats[] estep(EStepTask[] tasks);

  TopRows[] sample(SampleTask[] tasks);

  int dimension();
}
