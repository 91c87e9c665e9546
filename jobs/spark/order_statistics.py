"""Computes an order log's statistics (docs/statistics.md) on Apache Spark, for `aisle build --stats`.

A shop whose order history lives in a warehouse runs this where the history is, and copies only
the statistics (bounded by its customers and products, not by its history's length) to the
machine that builds the bundle:

    spark-submit jobs/spark/order_statistics.py --orders s3://shop/orders/ --out stats/
    aisle build --stats stats/ --settings settings.json --out www/bundle

The order table is Parquet or CSV with a header, one row per order line, with Online Retail's
columns (InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID) or the
shop's own named by the --*-column options. Values are read as a warehouse types them: quantities
whole numbers, prices plain decimals, dates ISO 8601 (`2011-12-09 12:50:00`) in the shop's wall
clock. The CLI's forgiving cell parsers (currency signs, decimal commas, slash dates) are not
repeated here.

Every table is written as Parquet under --out, one folder per table, each finished by Spark's
_SUCCESS marker; `aisle build --stats` refuses a folder without it. Pairs of products, the one
table that grows faster than the history, are counted partitioned by product, so no executor
holds the whole co-occurrence matrix.
"""

import argparse
import sys

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

ONLINE_RETAIL = {
    "invoice": "InvoiceNo",
    "item": "StockCode",
    "description": "Description",
    "quantity": "Quantity",
    "timestamp": "InvoiceDate",
    "unit_price": "UnitPrice",
    "customer": "CustomerID",
}

# Pairs sharing fewer orders are never read: co-purchase needs at least this many
# (CoPurchase::params in crates/core/src/models/copurchase.rs).
MIN_PAIR_ORDERS = 10

DAY = 86_400


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", nargs="+", required=True, help="order tables: Parquet or CSV files or folders")
    parser.add_argument("--format", choices=["csv", "parquet"], help="the tables' format (default: from the first path's name)")
    parser.add_argument("--out", required=True, help="the folder to write the statistics to")
    for field, default in ONLINE_RETAIL.items():
        option = "--" + field.replace("_", "-") + "-column"
        parser.add_argument(option, default=default, help=f"the {field.replace('_', ' ')} column (default {default})")
    parser.add_argument(
        "--rules",
        choices=["online-retail", "none"],
        help="cleaning rules: Online Retail's (invoices starting with C are cancellations; a product code is "
        "five digits and optional letters) or none (default: online-retail when every column has its Online "
        "Retail name)",
    )
    parser.add_argument("--not-products", nargs="*", default=[], help="codes that are not products, `*` for any run of characters")
    parser.add_argument("--min-pair-orders", type=int, default=MIN_PAIR_ORDERS, help="orders a pair must share to be written")
    parser.add_argument("--partitions", type=int, default=0, help="partitions of the pairs table (default: Spark's shuffle partitions)")
    return parser.parse_args(argv)


def read_orders(spark, args) -> DataFrame:
    kind = args.format or ("parquet" if args.orders[0].rstrip("/").endswith(".parquet") else "csv")
    if kind == "csv":
        # Every cell as text, so values are read by the rules below and not by Spark's guesses.
        # Quotes inside a quoted cell are doubled (RFC 4180), not escaped with a backslash.
        table = (
            spark.read.option("header", True)
            .option("inferSchema", False)
            .option("escape", '"')
            .csv(args.orders)
        )
    else:
        table = spark.read.parquet(*args.orders)
    names = {field: getattr(args, field + "_column") for field in ONLINE_RETAIL}
    missing = [name for name in names.values() if name not in table.columns]
    if missing:
        sys.exit(f"{', '.join(args.orders)}: no column named {', '.join(missing)} (columns: {', '.join(table.columns)})")
    # White space of any kind is trimmed from both ends of a cell, as the CLI trims it.
    text = lambda field: F.regexp_replace(F.col(names[field]).cast("string"), r"^\s+|\s+$", "")
    customer = text("customer")
    return table.select(
        text("invoice").alias("invoice"),
        F.upper(text("item")).alias("item"),
        F.coalesce(text("description"), F.lit("")).alias("description"),
        # Whole numbers, also when written as integral floats (6.0).
        F.when(
            F.col(names["quantity"]).cast("double") == F.floor(F.col(names["quantity"]).cast("double")),
            F.col(names["quantity"]).cast("double").cast("long"),
        ).alias("quantity"),
        F.unix_timestamp(F.to_timestamp(F.col(names["timestamp"]).cast("string"))).alias("at"),
        F.col(names["unit_price"]).cast("double").alias("unit_price"),
        # Ids written as integral floats (17850.0) are read as integers.
        F.when(customer == "", None)
        .when(customer.rlike(r"^[0-9]+\.0*$"), F.regexp_extract(customer, r"^([0-9]+)\.", 1))
        .otherwise(customer)
        .alias("customer"),
    )


def clean(lines: DataFrame, args) -> DataFrame:
    """The evaluation protocol's cleaning (crates/core/src/input/clean.rs)."""
    rules = args.rules or ("online-retail" if all(getattr(args, f + "_column") == n for f, n in ONLINE_RETAIL.items()) else "none")
    kept = lines.where(
        F.col("customer").isNotNull()
        & F.col("quantity").isNotNull()
        & F.col("at").isNotNull()
        & F.col("unit_price").isNotNull()
        & (F.col("quantity") > 0)
        & (F.col("unit_price") > 0)
    )
    if rules == "online-retail":
        kept = kept.where(~F.upper(F.col("invoice")).startswith("C") & F.col("item").rlike(r"^[0-9]{5}[A-Z]*$"))
    for pattern in args.not_products:
        like = pattern.upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace("*", "%")
        kept = kept.where(~F.col("item").like(like))
    # A line repeated exactly is kept, as the protocol keeps it.
    return kept


def statistics(lines: DataFrame, args) -> dict:
    """Every table of docs/statistics.md, by name."""
    lines = lines.cache()
    baskets_of_item = lines.select("invoice", "item").distinct().cache()
    totals = lines.agg(
        F.count(F.lit(1)).alias("lines"),
        F.max("at").alias("newest_at"),
        F.countDistinct("invoice").alias("baskets"),
    )
    descriptions = lines.where(F.col("description") != "").groupBy("item", "description").agg(F.count(F.lit(1)).alias("lines"))
    prices = lines.groupBy("item", "unit_price").agg(F.count(F.lit(1)).alias("lines"))
    customers = lines.groupBy("customer").agg(
        F.min("at").alias("first_at"),
        F.max("at").alias("last_at"),
        F.countDistinct("invoice").alias("orders"),
        F.sum(F.col("quantity") * F.col("unit_price")).alias("spent"),
        F.countDistinct("item").alias("items"),
    )
    purchases = lines.groupBy("customer", "item").agg(
        F.countDistinct("invoice").alias("orders"),
        F.min("at").alias("first_at"),
        F.max("at").alias("last_at"),
    )
    buyer_days = (
        lines.withColumn("day", F.floor(F.col("at") / DAY).cast("long"))
        .groupBy("customer", "item", "day")
        .agg(F.min("at").alias("first_at"))
    )
    baskets = baskets_of_item.groupBy("item").agg(F.count(F.lit(1)).alias("baskets"))
    # Each unordered pair is counted once (item < partner), half the shuffle of counting both
    # ways, and written both ways, so each product's partners are in its own rows.
    right = baskets_of_item.select(F.col("invoice"), F.col("item").alias("partner"))
    counted = (
        baskets_of_item.join(right, "invoice")
        .where(F.col("item") < F.col("partner"))
        .groupBy("item", "partner")
        .agg(F.count(F.lit(1)).alias("baskets"))
        .where(F.col("baskets") >= args.min_pair_orders)
        .cache()
    )
    mirrored = counted.select(F.col("partner").alias("item"), F.col("item").alias("partner"), "baskets")
    pairs = counted.unionByName(mirrored)
    pairs = pairs.repartition(args.partitions, "item") if args.partitions else pairs.repartition("item")
    return {
        "totals": totals.coalesce(1),
        "descriptions": descriptions,
        "prices": prices,
        "customers": customers,
        "purchases": purchases,
        "buyer_days": buyer_days,
        "baskets": baskets,
        "pairs": pairs,
    }


def main(argv):
    args = parse_args(argv)
    spark = SparkSession.builder.appName("aisle order statistics").getOrCreate()
    # Timestamps are the shop's wall clock read as UTC, as the CLI reads them.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    tables = statistics(clean(read_orders(spark, args), args), args)
    for name, table in tables.items():
        table.write.mode("overwrite").parquet(f"{args.out.rstrip('/')}/{name}")
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
