//! EASE restricted to each product's strongest co-purchase partners: the solver for catalogs too
//! large for the dense inverse.
//!
//! Dense EASE's weights into target `j` are a ridge regression of `j`'s column of `X` on every
//! other product's column, `w = (G₋ⱼ₋ⱼ + λI)⁻¹ G₋ⱼⱼ` with `G = XᵀX` (the block-inverse identity
//! turns `−P_ij / P_jj` into exactly that). Most of those weights are tiny, and a bundle ships
//! only the strongest hundred or so per target, so here each target regresses on its `k`
//! strongest partners only (by co-purchase weight `G_ij`): one `k × k` Cholesky solve per target
//! instead of one inverse of the whole catalog. With every partner a candidate the answer is
//! dense EASE's.
//!
//! SANSA (Spisak et al., RecSys 2023) takes the other road, a sparse approximate factorisation
//! of the whole Gram matrix. Restricting the support is simpler, and parallel per target with
//! no shared state.
//!
//! The Gram matrix is never held whole, not even its strongest entries: each target counts its
//! own row (over its buyers' baskets) to choose candidates, then counts the candidates' `k × k`
//! block exactly (over the candidates' buyers, each buyer's candidates multiplied pairwise). A block pieced together from entries kept per
//! product would be cheaper, but an entry neither side kept reads as 0, and such a block can be
//! nearly singular: on the demo log, keeping as many entries per product as candidates gave
//! weights in the hundreds and Recall@20 0.03 against dense EASE's 0.25. The exact block is
//! positive definite with any λ > 0. Memory is the log's entries plus, per thread, a few
//! counters the size of the catalog and of the customer list; time is about
//! `n · k³ / 3` plus, per target, its buyers' baskets and each customer's candidates squared. Targets run on every core
//! (`std::thread::scope`; training is native only).

use std::sync::atomic::{AtomicUsize, Ordering};

use faer::linalg::solvers::Solve;
use faer::{Mat, Side};

use super::Entries;
use crate::error::{Error, Result};
use crate::models::item_weights::keep_strongest;

/// Each target's `top_n` strongest weights, each target solved over its `candidates` strongest
/// partners.
pub(super) fn solve(
    entries: &Entries,
    lambda: f64,
    top_n: usize,
    candidates: usize,
) -> Result<Vec<Vec<(u32, f32)>>> {
    let buyers = entries.by_item();
    let columns = Columns {
        entries,
        buyers: &buyers,
    };
    in_parallel(
        entries.n_items(),
        || Scratch::new(entries),
        |scratch, target| scratch.solve_target(&columns, target, lambda, top_n, candidates),
    )
    .into_iter()
    .collect()
}

/// `X` by customer and by product.
struct Columns<'a> {
    entries: &'a Entries,
    /// Per product: (customer, value).
    buyers: &'a [Vec<(u32, f64)>],
}

/// One thread's counters, each cleared after use through the list of what it touched.
struct Scratch {
    together: Vec<f64>,
    touched: Vec<u32>,
    /// Per customer: the current target's candidates they bought (place, value), in place order.
    held: Vec<Vec<(usize, f64)>>,
    /// The customers whose `held` is not empty.
    holders: Vec<u32>,
}

impl Scratch {
    fn new(entries: &Entries) -> Self {
        Self {
            together: vec![0.0; entries.n_items()],
            touched: Vec::new(),
            held: vec![Vec::new(); entries.n_users()],
            holders: Vec::new(),
        }
    }

    fn solve_target(
        &mut self,
        x: &Columns,
        target: usize,
        lambda: f64,
        top_n: usize,
        candidates: usize,
    ) -> Result<Vec<(u32, f32)>> {
        let chosen = self.strongest_partners(x, target, candidates);
        let k = chosen.len();
        if k == 0 {
            return Ok(chosen);
        }
        // The candidates' block of G, lower triangle: each buyer's candidates, gathered from the
        // candidates' buyer lists (so a customer's other purchases are never walked), then
        // multiplied out pairwise.
        for (place, &(item, _)) in chosen.iter().enumerate() {
            for &(user, value) in &x.buyers[item as usize] {
                let held = &mut self.held[user as usize];
                if held.is_empty() {
                    self.holders.push(user);
                }
                held.push((place, value));
            }
        }
        let mut block = vec![0.0f64; k * k];
        for &user in &self.holders {
            let held = &mut self.held[user as usize];
            for (i, &(p, x)) in held.iter().enumerate() {
                for &(q, y) in &held[..=i] {
                    block[p * k + q] += x * y;
                }
            }
            held.clear();
        }
        self.holders.clear();

        let system = Mat::<f64>::from_fn(k, k, |p, q| {
            let (p, q) = if q <= p { (p, q) } else { (q, p) };
            block[p * k + q] + if p == q { lambda } else { 0.0 }
        });
        let cholesky = system
            .llt(Side::Lower)
            .map_err(|error| Error::InvalidParameter {
                name: "lambda",
                reason: format!("a candidates' Gram block is not positive definite ({error:?})"),
            })?;
        let mut weights = Mat::<f64>::from_fn(k, 1, |p, _| f64::from(chosen[p].1));
        cholesky.solve_in_place(&mut weights);
        let mut row: Vec<(u32, f32)> = chosen
            .iter()
            .enumerate()
            .map(|(p, &(source, _))| (source, weights[(p, 0)] as f32))
            .collect();
        keep_strongest(&mut row, top_n);
        Ok(row)
    }

    /// The `k` products bought with `target` most, by `G_target,·`, with those weights.
    fn strongest_partners(&mut self, x: &Columns, target: usize, k: usize) -> Vec<(u32, f32)> {
        for &(user, value) in &x.buyers[target] {
            for &(other, other_value) in x.entries.user(user as usize) {
                // A product is listed when first counted; a term that underflowed to 0 would
                // list it twice, so it is not counted.
                let term = value * other_value;
                if other as usize != target && term > 0.0 {
                    if self.together[other as usize] == 0.0 {
                        self.touched.push(other);
                    }
                    self.together[other as usize] += term;
                }
            }
        }
        let mut row: Vec<(u32, f32)> = self
            .touched
            .iter()
            .map(|&other| (other, self.together[other as usize] as f32))
            .collect();
        for &other in &self.touched {
            self.together[other as usize] = 0.0;
        }
        self.touched.clear();
        keep_strongest(&mut row, k);
        row
    }
}

/// `work(state, i)` for every `i` in `0..n`, in order, spread over every core; each thread makes
/// its own `state` (scratch buffers) once. Products are handed out in small chunks, since their
/// costs differ by orders of magnitude between a best seller and a rarity.
fn in_parallel<S, T: Send>(
    n: usize,
    state: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize) -> T + Sync,
) -> Vec<T> {
    const CHUNK: usize = 32;
    let threads = std::thread::available_parallelism()
        .map_or(1, |cores| cores.get())
        .min(n.div_ceil(CHUNK))
        .max(1);
    let next = AtomicUsize::new(0);
    let mut chunks: Vec<(usize, Vec<T>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut scratch = state();
                    let mut done = Vec::new();
                    loop {
                        let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                        if start >= n {
                            return done;
                        }
                        let end = (start + CHUNK).min(n);
                        done.push((start, (start..end).map(|i| work(&mut scratch, i)).collect()));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    chunks.sort_unstable_by_key(|&(start, _)| start);
    chunks
        .into_iter()
        .flat_map(|(_, results)| results)
        .collect()
}
