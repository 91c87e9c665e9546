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
//! own row (over its buyers' baskets) to choose candidates, and its candidates' `k × k` block
//! is exact. A block pieced together from entries kept per product would be cheaper, but an
//! entry neither side kept reads as 0, and such a block can be nearly singular: on the demo
//! log, keeping as many entries per product as candidates gave weights in the hundreds and
//! Recall@20 0.03 against dense EASE's 0.25. The exact block is positive definite with any
//! λ > 0.
//!
//! Counting each block from scratch (every buyer of every candidate, their candidates
//! multiplied pairwise) was 80% of a 100,000-product build, and most of it counted the same
//! popular pairs over and over, since the best sellers are in most targets' candidate lists.
//! So the block among the [`HEAD_SIZE`] most-bought products is counted once, exactly, and each
//! target counts only the pairs that hold one of its other candidates: over those candidates'
//! buyers, whose head candidates are found by walking either their baskets or the head
//! candidates' buyer lists, whichever is shorter. The weights are the same either way (to
//! floating-point summation order).
//!
//! Memory is the log's entries and their transpose, the head block (67 MB), per thread a few
//! counters the size of the catalog and of the customer list, and the packed weights: each
//! chunk of targets is packed where it was solved and appended to the models in target order
//! ([`each_in_order`]), so no target's weights are held twice. Time is about `n · k³ / 3` for
//! the solves plus the counting. Targets run on every core (`std::thread::scope`; training is
//! native only).

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::cholesky::llt::factor::{cholesky_in_place, cholesky_in_place_scratch};
use faer::linalg::cholesky::llt::solve::solve_in_place_with_conj;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Conj, Mat, Par};

use super::Entries;
use crate::error::{Error, Result};
use crate::math::parallel::{each_in_order, in_parallel};
use crate::math::sparse::SparseRows;
use crate::models::item_weights::keep_strongest;

/// For each of `lambdas`, each target's `top_n` strongest weights, each target solved over its
/// `candidates` strongest partners, the block among the `head_size` most-bought products
/// counted once ([`HEAD_SIZE`]; any size gives the same weights). A target's block is counted
/// once for every λ: only the solve depends on it. Each target's rows are packed as soon as
/// those before it are, so the rows are never held twice.
pub(super) fn solve(
    entries: &Entries,
    lambdas: &[f64],
    top_n: usize,
    candidates: usize,
    head_size: usize,
) -> Result<Vec<SparseRows>> {
    let buyers = entries.by_item();
    let head = HeadGram::count(entries, &buyers, head_size);
    let columns = Columns {
        entries,
        buyers: &buyers,
        head: &head,
    };
    // Work goes out a chunk of targets at a time, packed by the thread that solved it: the
    // rows of one target are freed where they were made, and the chunk's few arrays where
    // they are appended.
    let n = entries.n_items();
    let packed_empty =
        || -> Vec<SparseRows> { lambdas.iter().map(|_| SparseRows::new()).collect() };
    let mut per_lambda = packed_empty();
    let mut failed = Ok(());
    each_in_order(
        n.div_ceil(PRODUCTS_PER_CHUNK),
        1,
        || Scratch::new(entries, candidates),
        |scratch, chunk| -> Result<Vec<SparseRows>> {
            let mut packed = packed_empty();
            let end = ((chunk + 1) * PRODUCTS_PER_CHUNK).min(n);
            for target in chunk * PRODUCTS_PER_CHUNK..end {
                let rows = scratch.solve_target(&columns, target, lambdas, top_n, candidates)?;
                for (packed, row) in packed.iter_mut().zip(rows) {
                    packed.push_row(&row);
                }
            }
            Ok(packed)
        },
        |chunk| match chunk {
            Ok(chunk) => {
                for (packed, rows) in per_lambda.iter_mut().zip(&chunk) {
                    packed.append(rows);
                }
            }
            // The first error is the one told.
            Err(error) => {
                if failed.is_ok() {
                    failed = Err(error);
                }
            }
        },
    );
    failed?;
    per_lambda.iter_mut().for_each(SparseRows::shrink_to_fit);
    Ok(per_lambda)
}

/// Products whose Gram block is counted once for every target ([`HeadGram`]). On the
/// 100,000-product synthetic log, the 4,096 most-bought products are 57% of the targets'
/// candidates and take 83% of the pairwise counting (a product bought by many customers is
/// in many of their baskets); their block, packed lower triangle of f64, is 67 MB.
pub(super) const HEAD_SIZE: usize = 4_096;

/// Products a thread takes at a time: their costs differ by orders of magnitude between a best
/// seller and a rarity, so they are handed out in small chunks.
const PRODUCTS_PER_CHUNK: usize = 32;

/// A product outside the head.
const NOT_HEAD: u32 = u32::MAX;

/// [`Scratch::holder_of`] for a customer who bought none of the current target's tail
/// candidates.
const NOT_HELD: u32 = u32::MAX;

/// The exact Gram matrix among the most-bought products. Every target's block would otherwise
/// count the same popular pairs again over the same heavy buyers' baskets.
struct HeadGram {
    /// Per product: its place in the head, or [`NOT_HEAD`].
    place: Vec<u32>,
    /// Row `p` holds `G` between head places `p` and `0..=p`.
    rows: Vec<Vec<f64>>,
}

impl HeadGram {
    /// Counts the block of the `size` products with most buyers (ties to the lower index).
    fn count(entries: &Entries, buyers: &[Vec<(u32, f64)>], size: usize) -> Self {
        let mut by_buyers: Vec<usize> = (0..entries.n_items()).collect();
        by_buyers.sort_by_key(|&item| (std::cmp::Reverse(buyers[item].len()), item));
        by_buyers.truncate(size);
        let mut place = vec![NOT_HEAD; entries.n_items()];
        for (at, &item) in by_buyers.iter().enumerate() {
            place[item] = at as u32;
        }
        // Each customer's head products by place, so a row stops at its own place.
        let held: Vec<Vec<(u32, f64)>> = (0..entries.n_users())
            .map(|user| {
                let mut row: Vec<(u32, f64)> = entries
                    .user(user)
                    .iter()
                    .filter(|&&(item, _)| place[item as usize] != NOT_HEAD)
                    .map(|&(item, value)| (place[item as usize], value))
                    .collect();
                row.sort_unstable_by_key(|&(at, _)| at);
                row
            })
            .collect();
        let rows = in_parallel(
            by_buyers.len(),
            PRODUCTS_PER_CHUNK,
            || (),
            |(), p| {
                let mut row = vec![0.0; p + 1];
                for &(user, x) in &buyers[by_buyers[p]] {
                    for &(q, y) in held[user as usize]
                        .iter()
                        .take_while(|&&(q, _)| q as usize <= p)
                    {
                        row[q as usize] += x * y;
                    }
                }
                row
            },
        );
        Self { place, rows }
    }

    /// `G` between head place `p` and each place up to `p`.
    fn row(&self, p: u32) -> &[f64] {
        &self.rows[p as usize]
    }
}

/// `X` by customer and by product.
struct Columns<'a> {
    entries: &'a Entries,
    /// Per product: (customer, value).
    buyers: &'a [Vec<(u32, f64)>],
    /// The block among the most-bought products, counted once.
    head: &'a HeadGram,
}

/// One thread's counters, each cleared after use through the list of what it touched.
struct Scratch {
    together: Vec<f64>,
    touched: Vec<u32>,
    /// The current target's tail candidates' (buyer, place among the candidates, value), in
    /// place order, before they are grouped by buyer into `held`.
    bought: Vec<(u32, u32, f64)>,
    /// Per customer: their place among `holders`, or [`NOT_HELD`].
    holder_of: Vec<u32>,
    /// The customers who bought one of the current target's tail candidates (its holders), in
    /// the order first met.
    holders: Vec<u32>,
    /// What the holders bought of the tail candidates, (place, value) in place order, holder
    /// after holder: `held[held_from[h]..held_from[h + 1]]` is holder `h`'s run. One buffer
    /// rather than a list per customer: the walks below read a run for each buyer they meet,
    /// and runs side by side are read from memory already fetched, where lists of their own
    /// lie scattered over the heap: waiting on those reads was the largest cost of counting a
    /// 100,000-product log's blocks.
    held: Vec<(u32, f64)>,
    held_from: Vec<u32>,
    /// The current target's block of `G` (lower triangle), its regularised copy that Cholesky
    /// factors in place, the right-hand side solved in place, and the factorisation's
    /// workspace. They are kept between targets: allocated anew for each, these blocks
    /// interleave with the rows that outlive them, and the allocator keeps gigabytes it cannot
    /// hand back (5 GB at 20,000 products).
    block: Vec<f64>,
    system: Mat<f64>,
    weights: Mat<f64>,
    stack: MemBuffer,
    /// Per product: its place among the current target's candidates when it is in the head,
    /// else [`NOT_HEAD`].
    head_place: Vec<u32>,
    /// The current target's head candidates: (head place, place among the candidates).
    in_head: Vec<(u32, usize)>,
}

impl Scratch {
    fn new(entries: &Entries, candidates: usize) -> Self {
        Self {
            together: vec![0.0; entries.n_items()],
            touched: Vec::new(),
            bought: Vec::new(),
            holder_of: vec![NOT_HELD; entries.n_users()],
            holders: Vec::new(),
            held: Vec::new(),
            held_from: Vec::new(),
            head_place: vec![NOT_HEAD; entries.n_items()],
            in_head: Vec::new(),
            block: Vec::new(),
            system: Mat::zeros(candidates, candidates),
            weights: Mat::zeros(candidates, 1),
            stack: MemBuffer::new(cholesky_in_place_scratch::<f64>(
                candidates,
                Par::Seq,
                Default::default(),
            )),
        }
    }

    fn solve_target(
        &mut self,
        x: &Columns,
        target: usize,
        lambdas: &[f64],
        top_n: usize,
        candidates: usize,
    ) -> Result<Vec<Vec<(u32, f32)>>> {
        let chosen = self.strongest_partners(x, target, candidates);
        if chosen.is_empty() {
            return Ok(vec![Vec::new(); lambdas.len()]);
        }
        self.count_block(x, &chosen);
        lambdas
            .iter()
            .map(|&lambda| self.solve_block(&chosen, lambda, top_n))
            .collect()
    }

    /// Counts the block of `G` among `chosen` into `self.block`, lower triangle
    /// (`block[p * k + q]`, `q <= p`). Pairs of head products are read from the head's block;
    /// every other pair holds a tail product, and is counted over the tail candidates' buyers.
    fn count_block(&mut self, x: &Columns, chosen: &[(u32, f32)]) {
        self.bought.clear();
        for (p, &(item, _)) in chosen.iter().enumerate() {
            let at = x.head.place[item as usize];
            if at == NOT_HEAD {
                for &(user, value) in &x.buyers[item as usize] {
                    self.bought.push((user, p as u32, value));
                }
            } else {
                self.in_head.push((at, p));
                self.head_place[item as usize] = p as u32;
            }
        }
        self.group_by_holder();
        let k = chosen.len();
        let block = &mut self.block;
        block.clear();
        block.resize(k * k, 0.0);
        let mut add = |p: usize, q: usize, value: f64| {
            let (p, q) = if q <= p { (p, q) } else { (q, p) };
            block[p * k + q] += value;
        };
        let in_head = &mut self.in_head;
        let held_from = &self.held_from;
        let held = &self.held;
        let run = |holder: usize| &held[held_from[holder] as usize..held_from[holder + 1] as usize];
        // Head pairs in head order, so each row of the head's triangle is read front to back
        // from one place. In the candidates' (strength) order, half the reads jumped to
        // another row, and waiting on those reads was the largest single cost of counting a
        // 20,000-product log's blocks.
        in_head.sort_unstable();
        for (i, &(at, p)) in in_head.iter().enumerate() {
            let row = x.head.row(at);
            for &(other_at, q) in &in_head[..=i] {
                add(p, q, row[other_at as usize]);
            }
        }
        in_head.clear();
        // Head × tail pairs: walk either the holders' baskets or the head candidates' buyers,
        // whichever is shorter (a few heavy buyers can hold most of a target's tail).
        let basket_walk: usize = self
            .holders
            .iter()
            .map(|&user| x.entries.user(user as usize).len())
            .sum();
        let buyer_walk: usize = chosen
            .iter()
            .filter(|&&(item, _)| x.head.place[item as usize] != NOT_HEAD)
            .map(|&(item, _)| x.buyers[item as usize].len())
            .sum();
        if basket_walk <= buyer_walk {
            for (holder, &user) in self.holders.iter().enumerate() {
                let held = run(holder);
                for &(item, b) in x.entries.user(user as usize) {
                    let q = self.head_place[item as usize];
                    if q != NOT_HEAD {
                        for &(p, a) in held {
                            add(p as usize, q as usize, a * b);
                        }
                    }
                }
            }
        } else {
            for (q, &(item, _)) in chosen.iter().enumerate() {
                if x.head.place[item as usize] != NOT_HEAD {
                    for &(user, b) in &x.buyers[item as usize] {
                        let holder = self.holder_of[user as usize];
                        if holder != NOT_HELD {
                            for &(p, a) in run(holder as usize) {
                                add(p as usize, q, a * b);
                            }
                        }
                    }
                }
            }
        }
        for holder in 0..self.holders.len() {
            let held = run(holder);
            for (i, &(p, a)) in held.iter().enumerate() {
                for &(q, b) in &held[..=i] {
                    add(p as usize, q as usize, a * b);
                }
            }
        }
        for &user in &self.holders {
            self.holder_of[user as usize] = NOT_HELD;
        }
        self.holders.clear();
        for &(item, _) in chosen {
            self.head_place[item as usize] = NOT_HEAD;
        }
    }

    /// Groups [`Scratch::bought`] by buyer into `holders`, `held` and `held_from`, each run
    /// keeping place order: count each holder's entries, turn the counts into where each run
    /// ends, and fill every run from its end, last entry first; the ends have then moved back
    /// to the starts.
    fn group_by_holder(&mut self) {
        let held_from = &mut self.held_from;
        held_from.clear();
        for &(user, _, _) in &self.bought {
            let holder = &mut self.holder_of[user as usize];
            if *holder == NOT_HELD {
                *holder = self.holders.len() as u32;
                self.holders.push(user);
                held_from.push(0);
            }
            held_from[*holder as usize] += 1;
        }
        let mut end = 0;
        for count in held_from.iter_mut() {
            end += *count;
            *count = end;
        }
        self.held.clear();
        self.held.resize(end as usize, (0, 0.0));
        for &(user, p, value) in self.bought.iter().rev() {
            let from = &mut held_from[self.holder_of[user as usize] as usize];
            *from -= 1;
            self.held[*from as usize] = (p, value);
        }
        held_from.push(end);
    }

    /// The weights into the target from its `chosen` candidates under `lambda`, from the block
    /// [`Scratch::count_block`] left, the strongest `top_n` kept.
    fn solve_block(
        &mut self,
        chosen: &[(u32, f32)],
        lambda: f64,
        top_n: usize,
    ) -> Result<Vec<(u32, f32)>> {
        let k = chosen.len();
        let block = &self.block;
        let mut system = self.system.as_mut().submatrix_mut(0, 0, k, k);
        for p in 0..k {
            for q in 0..=p {
                let value = block[p * k + q] + if p == q { lambda } else { 0.0 };
                system[(p, q)] = value;
                system[(q, p)] = value;
            }
        }
        cholesky_in_place(
            system.rb_mut(),
            Default::default(),
            Par::Seq,
            MemStack::new(&mut self.stack),
            Default::default(),
        )
        .map_err(|error| Error::InvalidParameter {
            name: "lambda",
            reason: format!("a candidates' Gram block is not positive definite ({error:?})"),
        })?;
        let mut weights = self.weights.as_mut().submatrix_mut(0, 0, k, 1);
        for (p, &(_, together)) in chosen.iter().enumerate() {
            weights[(p, 0)] = f64::from(together);
        }
        solve_in_place_with_conj(
            system.rb(),
            Conj::No,
            weights.rb_mut(),
            Par::Seq,
            MemStack::new(&mut self.stack),
        );
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
