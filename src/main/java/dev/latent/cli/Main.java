package dev.latent.cli;

import dev.latent.config.FitOptions;
import dev.latent.config.InspectOptions;
import dev.latent.config.PredictOptions;
import dev.latent.config.ReportOptions;
import dev.latent.config.SampleOptions;
import dev.latent.config.Settings;
import dev.latent.em.FitResult;
import dev.latent.io.InputException;
import dev.latent.io.OutputException;
import dev.latent.io.UsageException;
import dev.latent.mixture.ModelKind;
import dev.latent.spark.FitJob;
import dev.latent.spark.InspectJob;
import dev.latent.spark.PredictJob;
import dev.latent.spark.SampleJob;
import dev.latent.spark.SparkContexts;
import dev.latent.spark.Versions;
import java.io.PrintStream;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

/** The one entry point: {@code latent fit|predict|sample|report ...}. Parses, runs, maps failures to exit codes. */
public final class Main {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int BAD_INPUT = 3;
  public static final int OUTPUT = 4;

  static final String USAGE_TEXT = """
      usage:
        latent fit --input PATH --k K|KMIN..KMAX --output DIR [options]
        latent predict --model DIR/model.json --input PATH --output DIR [--outlier-quantile Q] [--overwrite]
                       [--on-bad-row fail|skip] [--delimiter C|tab]
                       [--format F] [--output-format csv|parquet]
        latent sample --model DIR/model.json --n N --output DIR [--seed S] [--partitions P] [--overwrite]
        latent inspect --model A.json [--against B.json] [--samples N] [--seed S] --output DIR [--overwrite]
        latent report --run DIR [--output FILE]

      fit options (defaults in brackets; the same keys work in a --config properties file):
        --k K or KMIN..KMAX           components; a range fits every K and keeps the best by --criterion
        --model gmm|kmeans|vbgmm      [gmm]; vbgmm: variational Bayesian mixture (scikit-learn's
                                      BayesianGaussianMixture); --tol is then on the total lower bound
        --weight-prior dirichlet-process|dirichlet-distribution   vbgmm weight prior [dirichlet-process]
        --weight-concentration C  --mean-precision B  --degrees-of-freedom NU
                                      vbgmm priors [1/K, 1, d]; mean and covariance priors from the data
        --covariance full|diag|spherical|tied|all   [full]; all fits the four types and keeps the best
        --criterion bic|aic|icl       how a sweep (a K range or --covariance all) chooses [bic]
        --features COL,...            feature columns (default: every column not excluded)
        --exclude COL,...             columns that are not features (carried to the assignments)
        --init METHOD|PATH            seeding: auto, kmeans++, kmeans|| or random; or a model.json to
                                      start from [auto: kmeans|| from 100000 rows when K > 7, else kmeans++]
        --init-labels COL             start from one M-step on integer labels 0..K-1 in COL
        --align-to PATH               renumber components to match this model.json; drift in summary.json
        --distance euclidean|cosine   K-means distance; cosine is spherical K-means [euclidean]
        --weight-col COL              per-row sample weights
        --max-iter N [100]  --tol T [1e-3]  --reg-covar R [1e-6]  --seed S [0]  --restarts R [1]
        --master URL                  Spark master [local[*] unless set by spark-submit]
        --partitions N                minimum input partitions [Spark's default]
        --aggregation-depth N         treeAggregate depth [2]
        --engine auto|barrier|aggregate   scans in rounds inside one barrier stage, or one Spark job
                                      each; auto picks barrier where its rules hold (logged) [auto]
        --round-scans N  --round-seconds S   a barrier round's bound: then its stage ends and frees
                                      the task slots (the state is on the driver after every scan) [1000, 10]
        --overwrite                   replace DIR once the new output is complete (only a folder
                                      Latent wrote: _SUCCESS, its summary, nothing else of yours)
        --on-bad-row fail|skip        a row that does not parse stops the run, or is left out and
                                      reported in summary.json [fail] (predict too)
        --delimiter C|tab             field separator of the CSV input, one character or tab [,]
                                      (predict too); .gz, .bz2 and other Hadoop codecs are read as CSV
        --fixed-variance S            GMM with every covariance fixed at S I (needs --covariance spherical):
                                      weights and means only; also stops when no row's label changed
        --anneal                      EM in stages of rising inverse temperature beta (Ueda and Nakano
                                      1998), each to --tol, the last at beta = 1; with --fixed-variance,
                                      the variance path S, S/f, S/f^2, ... down to hard assignments
        --anneal-start B [0.1]  --anneal-factor F [2]   the first beta and the factor between stages
        --assignments full|labels|none  per-row output: input columns, cluster and p0..p{K-1}; without
                                      the probabilities; or none [full]
        --checkpoint DIR              save the EM state in DIR after every scan
        --resume                      continue from the checkpoint in DIR (starts afresh if there is none)
        --standard-errors observed|opg|none   standard errors of weights, means and covariances from
                                      the observed (Louis 1982) or outer-product Fisher information,
                                      one scan after the fit, in summary.json [none; p <= 1000]
        --config FILE                 read settings from a properties file (flags win)
        --report html|none            write DIR/report.html, the run drawn (one extra scan) [html]
        --format auto|csv|parquet|orc|json   input format [auto: by extension; CSV otherwise]
        --output-format csv|parquet   format of the assignments [csv]

      predict: --outlier-quantile Q flags (column outlier = 1) the rows whose log-density is among the
        lowest fraction Q (Gaussian mixtures only; the threshold is exact).
      sample: draws N rows from a Gaussian mixture into DIR/samples (CSV: the features, then component).
      inspect: KL divergences, Bhattacharyya distances and overlap bounds between a Gaussian mixture's
        components; with --against, KL(A || B) and KL(B || A) (variational, matched bound, Monte Carlo
        from --samples N [100000] rows drawn with --seed S [0]) into DIR/inspect.json and a table.
      report: draws the report of a finished fit folder again (default DIR/report.html, replaced atomically).

      exit codes: 0 success, 1 failure, 2 bad usage, 3 bad input data or model file, 4 output not writable
      """;

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    System.exit(code);
  }

  /** Runs a command and returns its exit code; never calls System.exit. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, null);
  }

  /**
   * As {@link #run(String[], PrintStream, PrintStream)}, on {@code shared} when it is not null (tests keep
   * one context per class; --master is then ignored and the context is left running).
   */
  public static int run(String[] args, PrintStream out, PrintStream err, JavaSparkContext shared) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      out.print(USAGE_TEXT);
      return args.length == 0 ? USAGE : OK;
    }
    if (args[0].equals("--version")) {
      out.println("latent " + Versions.latent());
      return OK;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (Arrays.asList(rest).contains("--help")) {
      out.print(USAGE_TEXT);
      return OK;
    }
    JavaSparkContext jsc = null;
    try {
      switch (args[0]) {
        case "fit": {
          FitOptions o = FitOptions.from(Settings.parse(rest, FitOptions.KEYS, FitOptions.FLAGS));
          jsc = shared != null ? shared : SparkContexts.create("latent fit", o.master());
          FitJob.Outcome r = FitJob.run(jsc, o);
          out.println("model written to " + r.output() + "/model.json");
          if (r.fits() > 1) {
            out.println("kept the lowest " + o.criterion().key() + " of " + r.fits()
                + " fits (the table is in summary.json)");
          }
          out.println(oneLine(r.result(), r.seconds()));
          return OK;
        }
        case "predict": {
          PredictOptions o = PredictOptions.from(Settings.parse(rest, PredictOptions.KEYS, PredictOptions.FLAGS));
          jsc = shared != null ? shared : SparkContexts.create("latent predict", o.master());
          PredictJob.Outcome r = PredictJob.run(jsc, o);
          out.println("assignments written to " + r.output() + "/assignments");
          if (r.threshold() != null) {
            out.println(String.format("%d of %d rows flagged as outliers (log-density <= %s)", r.threshold().flagged(),
                r.threshold().rows(), r.threshold().rank() > 0 ? String.format("%.6g", r.threshold().value()) : "none"));
          }
          return OK;
        }
        case "sample": {
          SampleOptions o = SampleOptions.from(Settings.parse(rest, SampleOptions.KEYS, SampleOptions.FLAGS));
          jsc = shared != null ? shared : SparkContexts.create("latent sample", o.master());
          String dir = SampleJob.run(jsc, o);
          out.println(o.n() + " rows written to " + dir + "/samples");
          return OK;
        }
        case "inspect": {
          InspectOptions o = InspectOptions.from(Settings.parse(rest, InspectOptions.KEYS, InspectOptions.FLAGS));
          jsc = shared != null ? shared : SparkContexts.create("latent inspect", o.master());
          InspectJob.Outcome r = InspectJob.run(jsc, o);
          out.print(r.table());
          out.println("written to " + r.output() + "/inspect.json");
          return OK;
        }
        case "report": {
          ReportOptions o = ReportOptions.from(Settings.parse(rest, ReportOptions.KEYS, ReportOptions.FLAGS));
          out.println("report written to " + ReportCommand.rerender(new Configuration(), o.run(), o.output()));
          return OK;
        }
        default:
          throw new UsageException("unknown command '" + args[0]
              + "' (expected fit, predict, sample, inspect or report)");
      }
    } catch (Throwable t) {
      return report(t, err);
    } finally {
      if (jsc != null && jsc != shared) {
        jsc.stop();
      }
    }
  }

  static String oneLine(FitResult r, double seconds) {
    String what = r.kind().gaussian() ? r.kind().key() + "/" + r.covariance().key() : "kmeans";
    String score = r.variational() != null
        ? String.format("lower bound %.6f, %d effective components", r.variational().elbo(),
            r.variational().posterior().effectiveComponents())
        : r.kind() == ModelKind.GMM
        ? String.format("log-likelihood %.6f (mean %.6f)", r.logLik(), r.meanLogLik())
        : String.format("inertia %.6f", r.inertia());
    return String.format("%s K=%d, %d rows, %d iterations (%s), %s, %.1f s%s", what, r.k(), r.rows(),
        r.iterations(), r.converged() ? "converged" : "not converged", score, seconds,
        r.warnings().isEmpty() ? "" : ", " + r.warnings().size() + " warning(s) in summary.json");
  }

  /** Prints a failure as one clear line and returns its exit code; unexpected failures also get a trace. */
  static int report(Throwable t, PrintStream err) {
    Throwable known = find(t);
    if (known instanceof UsageException) {
      err.println("latent: " + known.getMessage());
      err.println("run 'latent --help' for the options");
      return USAGE;
    }
    if (known instanceof InputException) {
      err.println("latent: bad input: " + known.getMessage());
      return BAD_INPUT;
    }
    if (known instanceof OutputException) {
      err.println("latent: output: " + known.getMessage());
      return OUTPUT;
    }
    String fromTask = taskMessage(t);
    if (fromTask != null) {
      err.println("latent: bad input: " + fromTask);
      return BAD_INPUT;
    }
    err.println("latent: failed: " + t);
    t.printStackTrace(err);
    return FAILED;
  }

  /** The first of our own exceptions in the cause chain (Spark wraps executor failures). */
  private static Throwable find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof UsageException || c instanceof InputException || c instanceof OutputException) {
        return c;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return t;
  }

  /** When a task failed on a remote executor only its text may survive: recover our message from it. */
  private static String taskMessage(Throwable t) {
    String marker = InputException.class.getName() + ": ";
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage();
      int i = m == null ? -1 : m.indexOf(marker);
      if (i >= 0) {
        String s = m.substring(i + marker.length());
        int nl = s.indexOf('\n');
        return nl >= 0 ? s.substring(0, nl) : s;
      }
    }
    return null;
  }
}
