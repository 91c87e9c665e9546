//! The shape of an order log, measured: what [`super::generate`] reproduces at another size.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::input::orders::OrderLine;

/// Orders of more lines count as this many (the demo's longest run to several hundred).
pub const MAX_BASKET: usize = 200;
/// Customers with more orders count as this many.
pub const MAX_ORDERS: usize = 200;
/// Lines of a larger quantity count as this.
pub const MAX_QUANTITY: usize = 100;
/// Title words kept for naming products.
const WORDS_KEPT: usize = 400;

/// One customer's order: when, its invoice, its items.
type Order<'a> = (i64, &'a str, Vec<&'a str>);

/// What a log looks like, independent of its size.
#[derive(Debug, Clone, PartialEq)]
pub struct LogShape {
    /// Each product's share of the lines, largest first: the rank-frequency curve, whose long
    /// tail a synthetic catalog of any size follows.
    pub popularity: Vec<f64>,
    /// How many orders have 1, 2, ... lines (index 0 is one line), capped at [`MAX_BASKET`].
    pub basket_sizes: Vec<u64>,
    /// How many customers placed 1, 2, ... orders, capped at [`MAX_ORDERS`].
    pub orders_per_customer: Vec<u64>,
    /// Of the lines of customers' second and later orders, the share that re-buys a product
    /// the customer bought in an earlier order.
    pub repeat_share: f64,
    /// Orders placed in each calendar month (January first), as shares of all orders.
    pub months: [f64; 12],
    /// The first and the last order's timestamps.
    pub span: (i64, i64),
    /// Each product's median price, sorted.
    pub prices: Vec<f64>,
    /// How many lines have quantity 1, 2, ..., capped at [`MAX_QUANTITY`].
    pub quantities: Vec<u64>,
    /// The most frequent words of product titles, most frequent first.
    pub words: Vec<String>,
}

impl LogShape {
    /// Measures cleaned order lines; lines without a customer count for popularity, prices and
    /// words only.
    pub fn measure(lines: &[OrderLine]) -> Self {
        let mut per_item: FxHashMap<&str, (u64, Vec<f64>)> = FxHashMap::default();
        let mut words: FxHashMap<String, u64> = FxHashMap::default();
        let mut titled: FxHashSet<&str> = FxHashSet::default();
        let mut quantities = vec![0u64; MAX_QUANTITY];
        // (customer, invoice) -> (timestamp, items)
        let mut orders: FxHashMap<(&str, &str), (i64, Vec<&str>)> = FxHashMap::default();
        for line in lines {
            let entry = per_item.entry(&line.item).or_default();
            entry.0 += 1;
            entry.1.push(line.unit_price);
            if titled.insert(&line.item) {
                for word in line.description.split_whitespace() {
                    if word.len() >= 3 && word.chars().all(char::is_alphabetic) {
                        *words.entry(word.to_uppercase()).or_default() += 1;
                    }
                }
            }
            quantities[(line.quantity.max(1) as usize).min(MAX_QUANTITY) - 1] += 1;
            if let Some(customer) = &line.customer {
                let order = orders
                    .entry((customer, &line.invoice))
                    .or_insert((line.timestamp, Vec::new()));
                order.0 = order.0.min(line.timestamp);
                order.1.push(&line.item);
            }
        }

        let total_lines = lines.len().max(1) as f64;
        let mut popularity: Vec<f64> = per_item
            .values()
            .map(|(count, _)| *count as f64 / total_lines)
            .collect();
        popularity.sort_by(|a, b| b.total_cmp(a));
        let mut prices: Vec<f64> = per_item
            .into_values()
            .map(|(_, mut paid)| {
                paid.sort_by(f64::total_cmp);
                paid[paid.len() / 2]
            })
            .collect();
        prices.sort_by(f64::total_cmp);
        let mut words: Vec<(String, u64)> = words.into_iter().collect();
        words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

        let mut basket_sizes = vec![0u64; MAX_BASKET];
        let mut months = [0.0; 12];
        let mut span = (i64::MAX, i64::MIN);
        let mut by_customer: FxHashMap<&str, Vec<Order>> = FxHashMap::default();
        for ((customer, invoice), (timestamp, items)) in orders {
            basket_sizes[items.len().min(MAX_BASKET) - 1] += 1;
            months[month_of(timestamp)] += 1.0;
            span = (span.0.min(timestamp), span.1.max(timestamp));
            by_customer
                .entry(customer)
                .or_default()
                .push((timestamp, invoice, items));
        }
        let order_count: f64 = months.iter().sum::<f64>().max(1.0);
        months.iter_mut().for_each(|month| *month /= order_count);
        let mut orders_per_customer = vec![0u64; MAX_ORDERS];
        let (mut later_lines, mut repeats) = (0u64, 0u64);
        for mut customer_orders in by_customer.into_values() {
            orders_per_customer[customer_orders.len().min(MAX_ORDERS) - 1] += 1;
            customer_orders.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
            let mut bought: FxHashSet<&str> = FxHashSet::default();
            for (index, (_, _, items)) in customer_orders.iter().enumerate() {
                if index > 0 {
                    later_lines += items.len() as u64;
                    repeats += items.iter().filter(|item| bought.contains(*item)).count() as u64;
                }
                bought.extend(items.iter().copied());
            }
        }
        Self {
            popularity,
            basket_sizes,
            orders_per_customer,
            repeat_share: repeats as f64 / later_lines.max(1) as f64,
            months,
            span: if span.0 <= span.1 { span } else { (0, 0) },
            prices,
            quantities,
            words: words
                .into_iter()
                .take(WORDS_KEPT)
                .map(|(word, _)| word)
                .collect(),
        }
    }

    /// Mean lines per order.
    pub fn mean_basket(&self) -> f64 {
        mean_of_counts(&self.basket_sizes)
    }

    /// Mean orders per customer.
    pub fn mean_orders(&self) -> f64 {
        mean_of_counts(&self.orders_per_customer)
    }

    /// The share of lines the most popular `fraction` of products carry.
    pub fn head_share(&self, fraction: f64) -> f64 {
        let head = ((self.popularity.len() as f64 * fraction).ceil() as usize).max(1);
        let total: f64 = self.popularity.iter().sum();
        self.popularity.iter().take(head).sum::<f64>() / total.max(f64::MIN_POSITIVE)
    }
}

/// The calendar month (0 for January) of a timestamp in seconds since the epoch.
pub fn month_of(timestamp: i64) -> usize {
    use chrono::Datelike;
    chrono::DateTime::from_timestamp(timestamp, 0).map_or(0, |time| time.month0() as usize)
}

/// The mean of a distribution given as counts of 1, 2, 3, ...
fn mean_of_counts(counts: &[u64]) -> f64 {
    let (sum, n) = counts
        .iter()
        .enumerate()
        .fold((0.0, 0.0), |(sum, n), (index, &count)| {
            (sum + (index + 1) as f64 * count as f64, n + count as f64)
        });
    sum / f64::max(n, 1.0)
}
