"""Writes the demo log as a warehouse would hold it, for scripts/test-spark: Parquet with typed
columns (whole-number quantities and customer ids, decimal prices, timestamps) under the shop's
own column names, so the statistics job's Parquet reading and its column mapping are tested
against the same native build as its CSV reading.

    spark-submit tests/spark/warehouse_table.py --orders data/*.csv.gz --out orders.parquet
"""

import argparse
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

# Online Retail's columns, the shop's names for them and the types a warehouse gives them.
COLUMNS = [
    ("InvoiceNo", "order_id", "string"),
    ("StockCode", "sku", "string"),
    ("Description", "title", "string"),
    ("Quantity", "qty", "int"),
    ("InvoiceDate", "ordered_at", "timestamp"),
    ("UnitPrice", "price", "decimal(18,6)"),
    ("CustomerID", "customer_id", "bigint"),
]


def typed_column(source, kind):
    if kind == "timestamp":
        return F.to_timestamp(F.col(source))
    if kind == "bigint":
        # Online Retail writes its customer ids as integral floats (17850.0).
        return F.col(source).cast("double").cast(kind)
    return F.col(source).cast(kind)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", nargs="+", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    spark = SparkSession.builder.appName("aisle test: warehouse table").getOrCreate()
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    text = spark.read.option("header", True).option("inferSchema", False).option("escape", '"').csv(args.orders)
    typed = text.select(*[typed_column(source, kind).alias(name) for source, name, kind in COLUMNS])
    typed.write.mode("overwrite").parquet(args.out)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
