package dev.latent.cli;

import dev.latent.config.FitOptions;
import dev.latent.config.PredictOptions;
import dev.latent.config.Settings;
import dev.latent.em.FitResult;
import dev.latent.em.ModelKind;
import dev.latent.io.InputException;
import dev.latent.io.OutputException;
import dev.latent.io.UsageException;
import dev.latent.spark.FitJob;
import dev.latent.spark.PredictJob;
import dev.latent.spark.SparkContexts;
import dev.latent.spark.Versions;
import java.io.PrintStream;
import java.util.Arrays;
import org.apache.spark.api.java.JavaSparkContext;

/** The one entry point: {@code latent fit|predict ...}. Parses, runs, maps failures to exit codes. */
public final class Main {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int BAD_INPUT = 3;
  public static final int OUTPUT = 4;

  static final String USAGE_TEXT = """
      usage:
        latent fit --input PATH --k K --output DIR [options]
        latent predict --model DIR/model.json --input PATH --output DIR [--overwrite]

      fit options (defaults in brackets; the same keys work in a --config properties file):
        --model gmm|kmeans            [gmm]
        --covariance full|diag|spherical|tied   [full]
        --features COL,...            feature columns (default: every column not excluded)
        --exclude COL,...             columns that are not features (carried to the assignments)
        --init kmeans++|random|PATH   seeding, or a model.json to start from [kmeans++]
        --init-labels COL             start from one M-step on integer labels 0..K-1 in COL
        --weight-col COL              per-row sample weights
        --max-iter N [100]  --tol T [1e-3]  --reg-covar R [1e-6]  --seed S [0]  --restarts R [1]
        --master URL                  Spark master [local[*] unless set by spark-submit]
        --partitions N                minimum input partitions [Spark's default]
        --aggregation-depth N         treeAggregate depth [2]
        --overwrite                   replace DIR once the new output is complete
        --config FILE                 read settings from a properties file (flags win)

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
          out.println(oneLine(r.result(), r.seconds()));
          return OK;
        }
        case "predict": {
          PredictOptions o = PredictOptions.from(Settings.parse(rest, PredictOptions.KEYS, PredictOptions.FLAGS));
          jsc = shared != null ? shared : SparkContexts.create("latent predict", o.master());
          String dir = PredictJob.run(jsc, o);
          out.println("assignments written to " + dir + "/assignments");
          return OK;
        }
        default:
          throw new UsageException("unknown command '" + args[0] + "' (expected fit or predict)");
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
    String what = r.kind() == ModelKind.GMM ? "gmm/" + r.covariance().key() : "kmeans";
    String score = r.kind() == ModelKind.GMM
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
