package dev.latent.diagnostics;

import dev.latent.em.MixtureSampler;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.Posterior;
import java.io.Serializable;

/**
 * The Monte Carlo estimate of KL(P || Q) = E_P[ln P(x) - ln Q(x)]: rows drawn from P as {@code latent
 * sample} draws them (row i from (seed, i) alone, {@link MixtureSampler}), each scored under both
 * mixtures by predict's {@link Posterior}. What a task ships: P's sampler and both mixtures; what it
 * returns: {@link Moments} of the log-ratio, so nothing proportional to the sample size leaves it.
 */
public final class MonteCarloKl implements Serializable {
  private static final long serialVersionUID = 1L;

  private final MixtureSampler sampler;
  private final Mixture p;
  private final Mixture q;

  public MonteCarloKl(Mixture p, Mixture q) throws Mixture.DegenerateComponentException {
    if (p.d != q.d) {
      throw new IllegalArgumentException("dimensions differ: " + p.d + " and " + q.d);
    }
    this.sampler = MixtureSampler.of(p);
    this.p = p;
    this.q = q;
  }

  /** Moments of ln P(x_i) - ln Q(x_i) over rows i in [from, to) of the sample drawn with {@code seed}. */
  public Moments rows(long seed, long from, long to) {
    Posterior scoreP = new Posterior(p);
    Posterior scoreQ = new Posterior(q);
    double[] z = new double[p.d + 1];
    double[] x = new double[p.d];
    Moments m = new Moments();
    for (long i = from; i < to; i++) {
      sampler.draw(seed, i, z, x);
      scoreP.score(x, 0);
      scoreQ.score(x, 0);
      m.add(scoreP.logDensity() - scoreQ.logDensity());
    }
    return m;
  }
}
