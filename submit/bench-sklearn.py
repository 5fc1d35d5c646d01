#!/usr/bin/env python3
"""scikit-learn on the benchmark's CSV from the benchmark's start (run by Bench; see docs/benchmarks.md).

Usage: bench-sklearn.py DIR THREADS. Reads DIR/data.csv (header, n rows of d features) and DIR/start.json
(iters, repeats, GMM weights/means/covariances, K-means centres for each K), times each estimator for 2 and
for iters iterations from the same start (best of `repeats` rounds each), and writes DIR/sklearn.json with
seconds per iteration as the difference of the two run lengths, the iterations actually run, and the BLAS
that threadpoolctl reports. BLAS threads are set to THREADS.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_info, threadpool_limits


def timed(make, iters, repeats, fit_data):
    """Wall-clock and process CPU time (all threads) per iteration: the difference of two run lengths."""
    best = {}
    cpu = {}
    models = {}
    for _ in range(repeats):
        for n in (2, iters):
            m = make(n)
            t0, c0 = time.perf_counter(), time.process_time()
            m.fit(fit_data)
            dt, dc = time.perf_counter() - t0, time.process_time() - c0
            best[n] = min(best.get(n, dt), dt)
            cpu[n] = min(cpu.get(n, dc), dc)
            models[n] = m
    done = int(models[iters].n_iter_)
    per = (best[iters] - best[2]) / (done - 2) if done > 2 else best[iters] / done
    per_cpu = (cpu[iters] - cpu[2]) / (done - 2) if done > 2 else cpu[iters] / done
    best["cpu"] = per_cpu
    return per, best, done, models[iters]


def main():
    folder, threads = sys.argv[1], int(sys.argv[2])
    with open(folder + "/start.json") as f:
        start = json.load(f)
    t0 = time.perf_counter()
    x = np.loadtxt(folder + "/data.csv", delimiter=",", skiprows=1)
    load = time.perf_counter() - t0
    iters, repeats = start["iters"], start["repeats"]
    out = {"sklearn_version": sklearn.__version__, "numpy_version": np.__version__, "load_seconds": load,
           "n": x.shape[0], "d": x.shape[1]}
    with threadpool_limits(limits=threads):
        out["threadpools"] = [{k: p.get(k) for k in ("internal_api", "num_threads", "architecture", "version",
                                                     "threading_layer")} for p in threadpool_info()]
        for km in start["kmeans"]:
            c = np.array(km["centres"])
            per, best, done, m = timed(lambda n: KMeans(n_clusters=len(c), init=c, n_init=1, max_iter=n, tol=0.0,
                                                        algorithm="lloyd"), iters, repeats, x)
            out["kmeans_k%d" % len(c)] = {"sec_per_iter": per, "short_seconds": best[2],
                                          "long_seconds": best[iters], "iters": done,
                                          "cpu_sec_per_iter": best["cpu"], "inertia": float(m.inertia_)}
        g = start["gmm"]
        w = np.array(g["weights"])
        mu = np.array(g["means"])
        k, d = mu.shape
        cov = np.array(g["covariances"]).reshape(k, d, d)
        prec = np.array([np.linalg.inv(c) for c in cov])
        per, best, done, m = timed(lambda n: GaussianMixture(n_components=k, covariance_type="full", tol=0.0,
                                                             reg_covar=1e-6, max_iter=n, weights_init=w,
                                                             means_init=mu, precisions_init=prec),
                                   iters, repeats, x)
        out["gmm"] = {"sec_per_iter": per, "short_seconds": best[2], "long_seconds": best[iters], "iters": done,
                      "cpu_sec_per_iter": best["cpu"], "mean_loglik": float(m.score(x))}
    with open(folder + "/sklearn.json", "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
