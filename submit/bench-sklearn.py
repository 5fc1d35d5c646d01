#!/usr/bin/env python3
"""scikit-learn on the benchmark's CSV from the benchmark's start, one timed round at a time (run by Bench).

Usage: bench-sklearn.py DIR THREADS. Reads DIR/data.csv (header, n rows of d features) and DIR/start.json
(iters, GMM weights/means/covariances, K-means centres for each K), with BLAS threads set to THREADS, then
prints one JSON line: versions, load time, n, d and the BLAS that threadpoolctl reports. After that it reads
commands from standard input, one per line, and answers each with one JSON line:

  kmeans K [lloyd|elkan]
             one round of KMeans(algorithm=...) from the start's K centres (default lloyd)
  gmm        one round of GaussianMixture(covariance_type="full") from the start's parameters
  quit       ends

A round fits 2 and then `iters` iterations from the same start and reports both run lengths (wall-clock and
process CPU seconds), the iterations the long run did and its inertia or mean log-likelihood. Bench asks
for rounds between its own, so both libraries are measured in alternation under the same machine
conditions, and it keeps the fastest round of each (see docs/benchmarks.md).
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_info, threadpool_limits


def one_round(make, iters, x):
    """Both run lengths of one round: 2 iterations, then iters, each from the same start."""
    out = {}
    model = None
    for n, name in ((2, "short"), (iters, "long")):
        model = make(n)
        t0, c0 = time.perf_counter(), time.process_time()
        model.fit(x)
        out[name + "_seconds"] = time.perf_counter() - t0
        out[name + "_cpu_seconds"] = time.process_time() - c0
    out["iters"] = int(model.n_iter_)
    return out, model


def main():
    folder, threads = sys.argv[1], int(sys.argv[2])
    with open(folder + "/start.json") as f:
        start = json.load(f)
    t0 = time.perf_counter()
    x = np.loadtxt(folder + "/data.csv", delimiter=",", skiprows=1)
    iters = start["iters"]
    centres = {len(km["centres"]): np.array(km["centres"]) for km in start["kmeans"]}
    g = start["gmm"]
    w = np.array(g["weights"])
    mu = np.array(g["means"])
    k, d = mu.shape
    prec = np.array([np.linalg.inv(c) for c in np.array(g["covariances"]).reshape(k, d, d)])
    with threadpool_limits(limits=threads):
        header = {"sklearn_version": sklearn.__version__, "numpy_version": np.__version__,
                  "load_seconds": time.perf_counter() - t0, "n": x.shape[0], "d": x.shape[1],
                  "threadpools": [{k: p.get(k) for k in ("internal_api", "num_threads", "architecture", "version",
                                                         "threading_layer")} for p in threadpool_info()]}
        print(json.dumps(header), flush=True)
        for line in sys.stdin:
            cmd = line.split()
            if not cmd or cmd[0] == "quit":
                break
            if cmd[0] == "kmeans":
                c = centres[int(cmd[1])]
                algorithm = cmd[2] if len(cmd) > 2 else "lloyd"
                out, m = one_round(lambda n: KMeans(n_clusters=len(c), init=c, n_init=1, max_iter=n, tol=0.0,
                                                    algorithm=algorithm), iters, x)
                out["inertia"] = float(m.inertia_)
            elif cmd[0] == "gmm":
                out, m = one_round(lambda n: GaussianMixture(n_components=k, covariance_type="full", tol=0.0,
                                                             reg_covar=1e-6, max_iter=n, weights_init=w,
                                                             means_init=mu, precisions_init=prec), iters, x)
                out["mean_loglik"] = float(m.score(x))
            else:
                out = {"error": "unknown command: " + line.strip()}
            print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
