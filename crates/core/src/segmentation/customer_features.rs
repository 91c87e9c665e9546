//! Customer features from order history: the table segmentation clusters.
//!
//! One row per customer, one column per feature:
//! `recency_days` (days since the last order, as of `now`), `frequency` (distinct orders),
//! `monetary` (total spent), `distinct_items`, `mean_basket_value` (spent per order). Money and
//! counts are heavy-tailed (a few wholesale buyers spend a hundred times the median), so
//! clustering may compress them ([`Feature::compress`]) before scaling.
//!
//! ```
//! use aisle_core::segmentation::customer_features::CustomerFeatures;
//! use aisle_core::input::orders::OrderLine;
//! let day = 86_400;
//! let lines = [OrderLine::purchase("a", "X", 0), OrderLine::purchase("a", "Y", 2 * day)];
//! let table = CustomerFeatures::from_orders(&lines, 10 * day);
//! assert_eq!(table.original.row(0).to_vec(), [8.0, 2.0, 2.0, 2.0, 1.0]);
//! ```

use ndarray::Array2;

use crate::input::orders::OrderLine;
use crate::statistics::customers::{CustomerTotals, customer_totals};

/// One feature: its column name and whether its distribution is heavy-tailed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feature {
    /// Column name, as shown to the marketer and written in exports.
    pub name: &'static str,
    /// True for money and counts, which `log1p` should compress.
    pub heavy_tailed: bool,
}

impl Feature {
    /// The value as clustering sees it: `ln(1 + x)` for heavy-tailed features when `log1p` is
    /// on (negative values, such as a net refund, clamped to 0 first), else as it is.
    pub fn compress(&self, value: f32, log1p: bool) -> f32 {
        if log1p && self.heavy_tailed {
            value.max(0.0).ln_1p()
        } else {
            value
        }
    }
}

/// One customer's [`ORDER_FEATURES`] from their totals, in column order.
pub fn order_features(
    recency_days: f32,
    orders: u32,
    spent: f64,
    distinct_items: usize,
) -> [f32; 5] {
    let orders_f = f64::from(orders);
    [
        recency_days,
        orders as f32,
        spent as f32,
        distinct_items as f32,
        if orders == 0 {
            0.0
        } else {
            (spent / orders_f) as f32
        },
    ]
}

/// The features [`CustomerFeatures::from_orders`] computes, in column order.
pub const ORDER_FEATURES: [Feature; 5] = [
    Feature {
        name: "recency_days",
        heavy_tailed: false,
    },
    Feature {
        name: "frequency",
        heavy_tailed: true,
    },
    Feature {
        name: "monetary",
        heavy_tailed: true,
    },
    Feature {
        name: "distinct_items",
        heavy_tailed: true,
    },
    Feature {
        name: "mean_basket_value",
        heavy_tailed: true,
    },
];

/// A customer-by-feature table.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerFeatures {
    /// Customer ids, one per row.
    pub customers: Vec<String>,
    /// The columns.
    pub features: Vec<Feature>,
    /// (n_customers, n_features), in original units; clustering compresses and scales them as
    /// it is asked ([`crate::segmentation::segments::SegmentRequest`]).
    pub original: Array2<f32>,
}

impl CustomerFeatures {
    /// Computes [`ORDER_FEATURES`] for every customer in cleaned order lines, as of `now`
    /// (seconds since the epoch), customers by first purchase then id.
    pub fn from_orders(lines: &[OrderLine], now: i64) -> Self {
        Self::from_totals(&customer_totals(lines), now)
    }

    /// [`ORDER_FEATURES`] for customers from their totals, as of `now`, in their order.
    pub fn from_totals(totals: &[CustomerTotals], now: i64) -> Self {
        let mut values = Array2::<f32>::zeros((totals.len(), ORDER_FEATURES.len()));
        for (mut row, entry) in values.rows_mut().into_iter().zip(totals) {
            let recency_days = ((now - entry.last_at) as f64 / 86_400.0) as f32;
            let features = order_features(
                recency_days,
                entry.orders,
                entry.spent,
                entry.items as usize,
            );
            row.iter_mut()
                .zip(features)
                .for_each(|(cell, value)| *cell = value);
        }
        Self {
            customers: totals.iter().map(|entry| entry.id.clone()).collect(),
            features: ORDER_FEATURES.to_vec(),
            original: values,
        }
    }

    /// The column of a feature by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.features
            .iter()
            .position(|feature| feature.name == name)
    }

    /// The columns of recency, frequency and monetary value, which segment names are read
    /// from; an error names the one missing.
    pub fn rfm_columns(&self) -> crate::Result<(usize, usize, usize)> {
        let column = |name: &str| {
            self.column(name).ok_or_else(|| crate::Error::InvalidData {
                reason: format!("the customer table has no `{name}` column"),
            })
        };
        Ok((
            column("recency_days")?,
            column("frequency")?,
            column("monetary")?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn features_match_hand_computed_values() {
        let day = 86_400;
        let line =
            |customer: &str, invoice: &str, item: &str, quantity: i64, price: f64, at: i64| {
                OrderLine {
                    invoice: invoice.into(),
                    quantity,
                    unit_price: price,
                    ..OrderLine::purchase(customer, item, at)
                }
            };
        let lines = [
            line("a", "1", "X", 2, 5.0, 0),
            line("a", "1", "Y", 1, 10.0, 0),
            line("a", "2", "X", 4, 5.0, 3 * day),
            line("b", "3", "Z", 1, 1.5, 9 * day),
        ];
        let table = CustomerFeatures::from_orders(&lines, 10 * day);
        assert_eq!(table.customers, ["a", "b"]);
        // a: last order day 3 -> 7 days ago; 2 orders; 10 + 10 + 20 = 40 spent; 2 items; 20 per order.
        assert_eq!(
            table.original,
            array![[7.0f32, 2.0, 40.0, 2.0, 20.0], [1.0, 1.0, 1.5, 1.0, 1.5]]
        );
        assert_eq!(table.column("monetary"), Some(2));
    }
}
