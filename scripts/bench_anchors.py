"""The anchors scripts/bench compares Aisle with, run natively on this machine, single-threaded:
one scikit-learn KMeans Lloyd iteration on 200,000 x 16 float32 points with k = 8, and numpy's
top 20 of 100,000 scores after adding 500 items' 50 weights each. Prints JSON on stdout."""

import json
import time

import numpy as np
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits


def median_ms(runs, run):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]


def lloyd_per_iteration_ms():
    rng = np.random.default_rng(1)
    points = rng.random((200_000, 16), dtype=np.float32)
    start = points[:8].copy()
    iterations = 30
    def fit():
        model = KMeans(n_clusters=8, init=start, n_init=1, max_iter=iterations, tol=0, algorithm="lloyd")
        model.fit(points)
        assert model.n_iter_ == iterations, model.n_iter_
    return median_ms(5, fit) / iterations


def top_twenty_ms():
    rng = np.random.default_rng(2)
    items = 100_000
    columns = rng.integers(0, items, size=(items, 50))
    weights = rng.random((items, 50), dtype=np.float32)
    trend = rng.random(items, dtype=np.float32)
    history = rng.integers(0, items, size=500)
    recency = np.exp(-np.arange(500)[::-1] * 3600 / (180 * 86400)).astype(np.float32)
    def rank():
        scores = np.zeros(items, dtype=np.float32)
        np.add.at(scores, columns[history].ravel(), (weights[history] * recency[:, None]).ravel())
        scores += 0.15 * trend
        top = np.argpartition(-scores, 20)[:20]
        return top[np.argsort(-scores[top])]
    return median_ms(15, rank)


with threadpool_limits(limits=1):
    print(json.dumps({
        "sklearn_lloyd_iteration_ms": lloyd_per_iteration_ms(),
        "numpy_top_twenty_ms": top_twenty_ms(),
    }))
