//! Spreading independent work over every core, for training and the searches' rankings: the
//! scoped threads of the standard library, since the work is a few loops over products and a
//! thread pool crate would add a dependency for what a page of code does. Where there is one
//! core, or no threads at all (wasm in a page), the work runs in the calling thread.

use std::sync::atomic::{AtomicUsize, Ordering};

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
    let chunk = chunk.max(1);
    let threads = std::thread::available_parallelism()
        .map_or(1, |cores| cores.get())
        .min(n.div_ceil(chunk))
        .max(1);
    if threads == 1 {
        let mut scratch = state();
        return (0..n).map(|i| work(&mut scratch, i)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut chunks: Vec<(usize, Vec<T>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut scratch = state();
                    let mut done = Vec::new();
                    loop {
                        let start = next.fetch_add(chunk, Ordering::Relaxed);
                        if start >= n {
                            return done;
                        }
                        let end = (start + chunk).min(n);
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
