//! Writing a synthetic log of a given size in a measured [`LogShape`].

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use rustc_hash::FxHashSet;

use super::shape::{LogShape, month_of};

/// Products per topic: the groups whose products customers buy together.
const TOPIC_SIZE: usize = 40;
/// Topics each customer favours.
const TOPICS_PER_CUSTOMER: usize = 2;
/// The chance that a line not re-buying comes from one of the customer's topics rather than
/// from the whole catalog. It sets how much co-purchase structure there is to learn: high
/// enough that co-purchase models beat popularity, as on real logs, low enough that popular
/// products still sell across every topic.
const TOPIC_AFFINITY: f64 = 0.6;
/// Seconds in a day.
const DAY: i64 = 86_400;
/// The head of the catalog whose share of lines the log keeps: its top tenth of products.
const HEAD: f64 = 0.1;
/// Lines of a pilot log, for calibrating the popularity curve.
const PILOT_LINES: u64 = 300_000;
/// Products of a pilot log, at least.
const MIN_PILOT_PRODUCTS: usize = 100;
/// The sharpest the curve is made (its measured values raised to this power).
const MAX_SHARPNESS: f64 = 3.0;
/// Bisection steps: the exponent to within 2/2^6 (about 0.03), the re-buy chance to 1/2^6.
const CALIBRATION_STEPS: usize = 6;
/// Tries to find a product not yet in the basket before allowing a repeat within it.
const DISTINCT_TRIES: usize = 8;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthParams {
    /// Products in the catalog.
    pub products: usize,
    /// Order lines to write.
    pub lines: u64,
    /// Seed of every random choice: the same seed writes the same log.
    pub seed: u64,
}

/// The synthetic catalog: per product (index), its id, title and price.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthCatalog {
    /// `10000`, `10001`, ..., as Online Retail's codes.
    pub ids: Vec<String>,
    /// Three words of the source's titles, the middle one shared by the product's topic.
    pub titles: Vec<String>,
    /// Unit prices, drawn from the source's products' prices.
    pub prices: Vec<f64>,
}

/// One generated order line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SynthLine {
    /// The order's number; one order's lines are written together.
    pub invoice: u64,
    /// Product index into [`SynthCatalog`].
    pub item: usize,
    /// Units, from the source's quantities.
    pub quantity: u32,
    /// Seconds since the epoch.
    pub timestamp: i64,
    /// The customer's number.
    pub customer: u64,
}

/// What [`Synthesizer::write_lines`] wrote, as [`LogShape::repeat_share`] counts it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Lines of customers' second and later orders.
    pub later_lines: u64,
    /// Of those, lines re-buying a product of an earlier order.
    pub repeats: u64,
}

/// A pilot log's measures.
struct Measured {
    head_share: f64,
    repeat_share: f64,
}

/// The `x` in `low..high` where the increasing `measure(x)` meets `target`, to within
/// `(high - low) / 2^CALIBRATION_STEPS`.
fn bisect(mut low: f64, mut high: f64, target: f64, measure: impl Fn(f64) -> f64) -> f64 {
    for _ in 0..CALIBRATION_STEPS {
        let middle = f64::midpoint(low, high);
        if measure(middle) < target {
            low = middle;
        } else {
            high = middle;
        }
    }
    f64::midpoint(low, high)
}

/// Sampling from fixed weights by binary search over their running sums.
struct Weighted {
    running: Vec<f64>,
}

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut total = 0.0;
        let running = weights
            .into_iter()
            .map(|weight| {
                total += weight;
                total
            })
            .collect();
        Self { running }
    }

    fn sample(&self, rng: &mut impl Rng) -> usize {
        let total = self.running.last().copied().unwrap_or(0.0);
        let target = rng.random::<f64>() * total;
        self.running
            .partition_point(|&sum| sum <= target)
            .min(self.running.len().saturating_sub(1))
    }
}

/// A log being generated: the catalog and the sampling tables, made from a shape and a seed.
///
/// How: each product gets a popularity from the measured rank-frequency curve (stretched to
/// the catalog's size) and a topic; each customer favours a few topics, places a number of
/// orders drawn from the measured distribution, at times following the measured months, of
/// measured basket sizes. A line of a second or later order re-buys one of the customer's
/// earlier products at the measured repeat share; otherwise it comes from a favoured topic or,
/// less often, the whole catalog, each by popularity.
pub struct Synthesizer<'a> {
    shape: &'a LogShape,
    params: SynthParams,
    /// The chance that a line of a second or later order re-buys.
    rebuy: f64,
    rng: Pcg64Mcg,
    catalog: SynthCatalog,
    everything: Weighted,
    members: Vec<Vec<usize>>,
    in_topic: Vec<Weighted>,
    topic_choice: Weighted,
    basket: Weighted,
    orders: Weighted,
    quantity: Weighted,
}

impl<'a> Synthesizer<'a> {
    /// Names the catalog and prepares the sampling, all from `params.seed`.
    ///
    /// Two settings are calibrated so that the log comes out with the source's measures:
    /// customers rarely buy a product twice in one basket, and a line that is not a re-buy is
    /// new to its customer, so big customers reach past the head, and a customer with a short
    /// history cannot re-buy as often as asked. So the popularity curve is sharpened until the
    /// top tenth of products carries the source's share of lines, then the chance of a re-buy
    /// is set until the repeat share matches; each by bisection on small pilot logs of the
    /// same lines per product.
    pub fn new(shape: &'a LogShape, params: SynthParams) -> Self {
        let pilot_lines = params.lines.min(PILOT_LINES);
        let pilot = SynthParams {
            products: ((params.products as f64 * pilot_lines as f64 / params.lines.max(1) as f64)
                .round() as usize)
                .max(MIN_PILOT_PRODUCTS)
                .min(params.products),
            lines: pilot_lines,
            seed: params.seed,
        };
        let rebuy = shape.repeat_share;
        let sharpness = bisect(1.0, MAX_SHARPNESS, shape.head_share(HEAD), |sharpness| {
            Self::build(shape, pilot, sharpness, rebuy)
                .pilot()
                .head_share
        });
        let rebuy = bisect(0.0, 1.0, shape.repeat_share, |rebuy| {
            Self::build(shape, pilot, sharpness, rebuy)
                .pilot()
                .repeat_share
        });
        Self::build(shape, params, sharpness, rebuy)
    }

    /// Writes the log into counts only, for calibrating.
    fn pilot(self) -> Measured {
        let mut counts = vec![0u64; self.catalog.ids.len()];
        let written = self.write_lines(
            |line, _| {
                counts[line.item] += 1;
                Ok::<_, ()>(())
            },
            |_| {},
        );
        counts.sort_unstable_by(|a, b| b.cmp(a));
        let head = ((counts.len() as f64 * HEAD).ceil() as usize).max(1);
        let total: u64 = counts.iter().sum();
        Measured {
            head_share: counts[..head].iter().sum::<u64>() as f64 / total.max(1) as f64,
            repeat_share: written.map_or(0.0, |written| {
                written.repeats as f64 / written.later_lines.max(1) as f64
            }),
        }
    }

    /// The synthesizer with the popularity curve raised to `sharpness`, re-buying at that
    /// chance.
    fn build(shape: &'a LogShape, params: SynthParams, sharpness: f64, rebuy: f64) -> Self {
        let mut rng = Pcg64Mcg::seed_from_u64(params.seed);
        let n = params.products.max(1);
        let topics = n.div_ceil(TOPIC_SIZE);
        let topic_of: Vec<usize> = (0..n).map(|_| rng.random_range(0..topics)).collect();
        let catalog = name_products(shape, &topic_of, &mut rng);

        // Popularity by rank, stretched over n products, dealt to products in random order.
        let curve = &shape.popularity;
        let mut ranks: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            ranks.swap(i, rng.random_range(0..=i));
        }
        let weights: Vec<f64> = ranks
            .iter()
            .map(|&rank| {
                curve
                    .get(rank * curve.len() / n)
                    .copied()
                    .unwrap_or(1.0)
                    .max(f64::MIN_POSITIVE)
                    .powf(sharpness)
            })
            .collect();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); topics];
        for (product, &topic) in topic_of.iter().enumerate() {
            members[topic].push(product);
        }
        members.retain(|products| !products.is_empty());
        let counts = |counts: &[u64]| Weighted::new(counts.iter().map(|&c| c as f64));
        Self {
            everything: Weighted::new(weights.iter().copied()),
            in_topic: members
                .iter()
                .map(|products| Weighted::new(products.iter().map(|&p| weights[p])))
                .collect(),
            topic_choice: Weighted::new(
                members
                    .iter()
                    .map(|products| products.iter().map(|&p| weights[p]).sum()),
            ),
            members,
            basket: counts(&shape.basket_sizes),
            orders: counts(&shape.orders_per_customer),
            quantity: counts(&shape.quantities),
            shape,
            params,
            rebuy,
            rng,
            catalog,
        }
    }

    /// The products the lines name, by index.
    pub fn catalog(&self) -> &SynthCatalog {
        &self.catalog
    }

    /// Generates `params.lines` order lines, handing each to `write` and the count so far to
    /// `progress` every 10,000 lines and at the end. Lines are made one customer at a time, so
    /// memory holds one customer's history, whatever the log's length.
    pub fn write_lines<E>(
        mut self,
        mut write: impl FnMut(&SynthLine, &SynthCatalog) -> Result<(), E>,
        mut progress: impl FnMut(u64),
    ) -> Result<Written, E> {
        let shape = self.shape;
        let rng = &mut self.rng;
        let (start, end) = shape.span;
        // Orders a day in each month: a month the span covers more days of (the demo's two
        // Decembers) gets no more orders for it.
        let mut days = [0.0f64; 12];
        for day in (start.div_euclid(DAY)..=end.div_euclid(DAY)).map(|day| day * DAY) {
            days[month_of(day)] += 1.0;
        }
        let density: Vec<f64> = (0..12)
            .map(|month| shape.months[month] / days[month].max(1.0))
            .collect();
        let busiest = density.iter().copied().fold(f64::MIN_POSITIVE, f64::max);
        let lines = self.params.lines;
        let (mut written, mut invoice, mut customer) = (0u64, 500_000u64, 10_000u64);
        let mut counted = Written::default();
        while written < lines {
            customer += 1;
            let favoured: Vec<usize> = (0..TOPICS_PER_CUSTOMER)
                .map(|_| self.topic_choice.sample(rng))
                .collect();
            let mut times: Vec<i64> = (0..=self.orders.sample(rng))
                .map(|_| {
                    loop {
                        // Uniform over the span, kept as often as its month is busy.
                        let time = rng.random_range(start..=end.max(start));
                        if rng.random::<f64>() * busiest <= density[month_of(time)] {
                            break time - time.rem_euclid(60);
                        }
                    }
                })
                .collect();
            times.sort_unstable();
            // With repeats, to draw a re-buy by how often it was bought; and as a set, so a
            // line that is not a re-buy is a product new to the customer.
            let mut bought: Vec<usize> = Vec::new();
            let mut known: FxHashSet<usize> = FxHashSet::default();
            for (index, &timestamp) in times.iter().enumerate() {
                if written >= lines {
                    break;
                }
                invoice += 1;
                let size = (self.basket.sample(rng) as u64 + 1).min(lines - written);
                let mut in_basket: Vec<usize> = Vec::with_capacity(size as usize);
                for _ in 0..size {
                    let rebuy = index > 0 && rng.random::<f64>() < self.rebuy;
                    let mut pick = || {
                        if rebuy {
                            bought[rng.random_range(0..bought.len())]
                        } else if rng.random::<f64>() < TOPIC_AFFINITY {
                            let topic = favoured[rng.random_range(0..favoured.len())];
                            self.members[topic][self.in_topic[topic].sample(rng)]
                        } else {
                            self.everything.sample(rng)
                        }
                    };
                    let mut item = pick();
                    let fits = |item: &usize| {
                        !in_basket.contains(item) && (rebuy || !known.contains(item))
                    };
                    for _ in 0..DISTINCT_TRIES {
                        if fits(&item) {
                            break;
                        }
                        item = pick();
                    }
                    // A customer who has bought most of their topics looks further afield.
                    for _ in 0..DISTINCT_TRIES {
                        if fits(&item) {
                            break;
                        }
                        item = self.everything.sample(rng);
                    }
                    if index > 0 {
                        counted.later_lines += 1;
                        counted.repeats += u64::from(known.contains(&item));
                    }
                    in_basket.push(item);
                    let line = SynthLine {
                        invoice,
                        item,
                        quantity: self.quantity.sample(rng) as u32 + 1,
                        timestamp,
                        customer,
                    };
                    write(&line, &self.catalog)?;
                    written += 1;
                    if written % 10_000 == 0 {
                        progress(written);
                    }
                }
                known.extend(in_basket.iter().copied());
                bought.extend(in_basket);
            }
        }
        progress(written);
        Ok(counted)
    }
}

/// Product codes as Online Retail writes them, five digits and optional letters, so the log
/// reads as that layout: `10000` to `99999`, then `10000A` to `99999A`, and so on to `Z`
/// (2,430,000 codes).
fn product_id(index: usize) -> String {
    const PER_LETTER: usize = 90_000;
    let digits = 10_000 + index % PER_LETTER;
    match index / PER_LETTER {
        0 => digits.to_string(),
        letter => format!("{digits}{}", char::from(b'A' + (letter - 1).min(25) as u8)),
    }
}

/// Ids ([`product_id`]), titles and prices. A title is one of the measured title words that
/// names the product's topic, between two others, so products bought together also read alike,
/// as in a real catalog; a price is one of the measured products' prices.
fn name_products(shape: &LogShape, topic_of: &[usize], rng: &mut impl Rng) -> SynthCatalog {
    let words: Vec<String> = if shape.words.is_empty() {
        vec!["ITEM".to_owned()]
    } else {
        shape.words.clone()
    };
    let readable = |word: &str| {
        let mut letters = word.chars();
        letters.next().map_or_else(String::new, |first| {
            first
                .to_uppercase()
                .chain(letters.flat_map(char::to_lowercase))
                .collect()
        })
    };
    let titles = topic_of
        .iter()
        .map(|&topic| {
            let theme = &words[topic % words.len()];
            let mut any = || readable(&words[rng.random_range(0..words.len())]);
            format!("{} {} {}", any(), readable(theme), any())
        })
        .collect();
    let prices = topic_of
        .iter()
        .map(|_| match shape.prices.len() {
            0 => 1.0,
            len => shape.prices[rng.random_range(0..len)],
        })
        .collect();
    SynthCatalog {
        ids: (0..topic_of.len()).map(product_id).collect(),
        titles,
        prices,
    }
}

/// The header [`csv_row`] writes under: Online Retail's columns.
pub const CSV_HEADER: &str =
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";

/// Appends `line` to `out` as a CSV row under [`CSV_HEADER`], dates as Online Retail writes them
/// (`2011-01-05 10:23:00`). Titles are words of letters only, so nothing needs quoting.
pub fn csv_row(line: &SynthLine, catalog: &SynthCatalog, out: &mut String) {
    use std::fmt::Write;
    let time = chrono::DateTime::from_timestamp(line.timestamp, 0).unwrap_or_default();
    let _ = writeln!(
        out,
        "{},{},{},{},{},{},{},Synthetic",
        line.invoice,
        catalog.ids[line.item],
        catalog.titles[line.item].to_uppercase(),
        line.quantity,
        time.format("%Y-%m-%d %H:%M:%S"),
        catalog.prices[line.item],
        line.customer
    );
}
