package dev.latent.vb;

import java.io.Serializable;

/**
 * What a variational fit adds to its result: the priors it used, the final posterior, the final lower
 * bound (scikit-learn's {@code lower_bound_}, a total over rows) and the bound after every iteration.
 */
public record VariationalFit(Priors priors, VariationalPosterior posterior, double elbo, double[] elboTrace)
    implements Serializable {}
