"""The usual pandas + scikit-learn segmentation pipeline, written the efficient way (vectorised
aggregations, an explicit date format), timed stage by stage natively, as the anchor for the
studio's in-browser run (scripts/bench): load the CSV, clean it as the evaluation
protocol does (plus exact duplicates), five customer features, z-score, KMeans k=5 with
n_init=10, then each segment's top 10 products by the cosine of its centroid (in product space:
the share of the segment's customers who bought each product) to each product's one-hot vector.
Prints JSON on stdout: seconds per stage and in total, with the sizes it saw.

    python scripts/studio_anchor.py orders.csv
"""

import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits


def main(path):
    stages = {}
    clock = time.perf_counter()

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        stages[name] = round(now - clock, 3)
        clock = now

    orders = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": float},
                         encoding="utf-8", encoding_errors="replace")
    lap("load")

    orders = orders.drop_duplicates()
    orders = orders.dropna(subset=["CustomerID"])
    orders = orders[~orders["InvoiceNo"].str.startswith("C")]
    orders = orders[(orders["Quantity"] > 0) & (orders["UnitPrice"] > 0)]
    orders = orders[orders["StockCode"].str.match(r"^\d{5}[A-Za-z]*$")]
    orders["InvoiceDate"] = pd.to_datetime(orders["InvoiceDate"], format="%Y-%m-%d %H:%M:%S")
    orders["Amount"] = orders["Quantity"] * orders["UnitPrice"]
    lap("clean")

    now = orders["InvoiceDate"].max()
    customers = orders.groupby("CustomerID").agg(
        last_order=("InvoiceDate", "max"),
        frequency=("InvoiceNo", "nunique"),
        monetary=("Amount", "sum"),
        distinct_items=("StockCode", "nunique"),
    )
    customers.insert(0, "recency_days", (now - customers.pop("last_order")).dt.total_seconds() / 86400)
    customers["mean_basket_value"] = customers["monetary"] / customers["frequency"]
    lap("features")

    scaled = StandardScaler().fit_transform(customers.values)
    model = KMeans(n_clusters=5, n_init=10, random_state=0).fit(scaled)
    customers["segment"] = model.labels_
    lap("kmeans")

    bought = orders[["CustomerID", "StockCode"]].drop_duplicates()
    bought = bought.join(customers["segment"], on="CustomerID")
    products = bought["StockCode"].unique()
    shares = pd.crosstab(bought["segment"], bought["StockCode"]).reindex(columns=products, fill_value=0)
    shares = shares.div(customers["segment"].value_counts().sort_index(), axis=0)
    # Cosine of the centroid with each product's one-hot vector: its share over the norm.
    cosine = shares.div(np.linalg.norm(shares.values, axis=1), axis=0)
    top = {int(segment): list(row.nlargest(10).index) for segment, row in cosine.iterrows()}
    lap("recommend")

    print(json.dumps({
        "stages_s": stages,
        "total_s": round(sum(stages.values()), 3),
        "rows": int(len(orders)),
        "customers": int(len(customers)),
        "segments": len(top),
    }))


if __name__ == "__main__":
    with threadpool_limits(limits=1):
        main(sys.argv[1])
