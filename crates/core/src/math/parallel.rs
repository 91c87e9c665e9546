//! Spreading independent work over every core, for training and the searches' rankings: the
//! scoped threads of the standard library, since the work is a few loops over products and a
//! thread pool crate would add a dependency for what a page of code does. Where there is one
//! core, or no threads at all (wasm in a page), the work runs in the calling thread.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// `work(state, i)` for every `i` in `0..n`, in order, spread over every core; each thread makes
/// its own `state` (scratch buffers) once. Items are handed out `chunk` at a time as threads
/// come free, so items whose costs differ by orders of magnitude (a best seller and a rarity)
/// still share out evenly.
pub(crate) fn in_parallel<S, T: Send>(
    n: usize,
    chunk: usize,
    state: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize) -> T + Sync,
) -> Vec<T> {
    let mut results = Vec::with_capacity(n);
    each_in_order(n, chunk, state, work, |result| results.push(result));
    results
}

/// As [`in_parallel`], but each result goes to `take`, in order of `i`, as soon as those before
/// it have: the calling thread takes them while the others work. A caller that packs results
/// into one buffer (a model's rows) then never holds them twice. Held to the end and packed
/// after, they would be, and longer than the packing takes, since the allocator hands the
/// memory of many small freed rows back to the system only seconds later: 0.6 GiB more at the
/// peak of the 100,000-product searched build (docs/scale.md).
pub(crate) fn each_in_order<S, T: Send>(
    n: usize,
    chunk: usize,
    state: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize) -> T + Sync,
    mut take: impl FnMut(T),
) {
    let chunk = chunk.max(1);
    let threads = std::thread::available_parallelism()
        .map_or(1, |cores| cores.get())
        .min(n.div_ceil(chunk))
        .max(1);
    if threads == 1 {
        let mut scratch = state();
        (0..n).for_each(|i| take(work(&mut scratch, i)));
        return;
    }
    let next = AtomicUsize::new(0);
    let (next, state, work) = (&next, &state, &work);
    let (send, receive) = mpsc::channel::<(usize, Vec<T>)>();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let send = send.clone();
                scope.spawn(move || {
                    let mut scratch = state();
                    loop {
                        let start = next.fetch_add(chunk, Ordering::Relaxed);
                        if start >= n {
                            return;
                        }
                        let end = (start + chunk).min(n);
                        let done = (start..end).map(|i| work(&mut scratch, i)).collect();
                        // The receiver is gone only when `take` panicked: stop working.
                        if send.send((start, done)).is_err() {
                            return;
                        }
                    }
                })
            })
            .collect();
        // The channel closes when every worker has finished (or panicked).
        drop(send);
        let mut waiting: BTreeMap<usize, Vec<T>> = BTreeMap::new();
        let mut due = 0;
        for (start, done) in receive {
            waiting.insert(start, done);
            while let Some(done) = waiting.remove(&due) {
                due += done.len();
                done.into_iter().for_each(&mut take);
            }
        }
        for worker in workers {
            worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Work whose cost differs by orders of magnitude between items, so that chunks finish out
    /// of order on more than one core.
    fn uneven(_: &mut (), i: usize) -> usize {
        let rounds = if i.is_multiple_of(7) { 200_000 } else { 10 };
        let mut sum = 0u64;
        for round in 0..rounds {
            sum = std::hint::black_box(sum.wrapping_add(round));
        }
        std::hint::black_box(sum);
        i
    }

    #[test]
    fn results_are_taken_in_order_of_their_items_however_the_work_finishes() {
        let mut taken = Vec::new();
        each_in_order(1_000, 3, || (), uneven, |result| taken.push(result));
        assert_eq!(taken, (0..1_000).collect::<Vec<usize>>());
        assert_eq!(in_parallel(1_000, 3, || (), uneven), taken);
    }

    #[test]
    fn a_panic_in_the_work_reaches_the_caller() {
        let outcome = std::panic::catch_unwind(|| {
            each_in_order(100, 1, || (), |_, i| assert!(i != 57, "item 57"), |()| {});
        });
        assert!(outcome.is_err());
    }
}
