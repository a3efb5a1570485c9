//! Work on several cores, results in input order (native builds only: in the page's wasm the
//! work runs on the calling thread and no thread code is compiled). [`ordered`] runs a job per item on up to `jobs` threads and hands each result to
//! the calling thread in item order, so whatever the caller accumulates is exactly what one
//! thread would have made. At most a bounded window of results waits to be taken, so memory
//! holds a few items' results whatever the number of items.

#[cfg(not(target_arch = "wasm32"))]
use std::sync::{
    atomic::{AtomicBool, Ordering},
    mpsc, Condvar, Mutex,
};

/// The cores this machine offers, capped at `cap` (at least 1).
pub fn available_jobs(cap: usize) -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, cap.max(1))
}

/// Runs `work(i)` for every `i` in `0..n` on up to `jobs` threads and calls `take(i, result)`
/// on the calling thread for `i = 0, 1, 2, ...` in order. Results at most `2 * jobs` items ahead
/// of the one being taken are computed; the others wait. With `jobs <= 1` (or one item) all runs
/// on the calling thread, in order, with no thread started.
pub fn ordered<T: Send>(
    n: usize,
    jobs: usize,
    work: impl Fn(usize) -> T + Sync,
    take: impl FnMut(usize, T),
) {
    ordered_with(n, jobs, || (), |_, i| work(i), take)
}

/// [`ordered`], each thread running the jobs with a state of its own, made by `init` when the
/// thread starts (once, on the calling thread, when all runs there).
pub fn ordered_with<S, T: Send>(
    n: usize,
    jobs: usize,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize) -> T + Sync,
    mut take: impl FnMut(usize, T),
) {
    #[cfg(not(target_arch = "wasm32"))]
    if jobs > 1 && n > 1 {
        return threads(n, jobs, init, work, take);
    }
    let _ = jobs;
    let mut state = init();
    for i in 0..n {
        take(i, work(&mut state, i));
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn threads<S, T: Send>(
    n: usize,
    jobs: usize,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize) -> T + Sync,
    mut take: impl FnMut(usize, T),
) {
    let window = 2 * jobs;
    // The next item to start and the next one the caller takes.
    let state = Mutex::new((0usize, 0usize));
    let moved = Condvar::new();
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<(usize, T)>();
    std::thread::scope(|s| {
        for _ in 0..jobs.min(n) {
            let tx = tx.clone();
            let (state, moved, stop, work, init) = (&state, &moved, &stop, &work, &init);
            s.spawn(move || {
                // A job that panics stops the others, so the caller is not left waiting for
                // its result; the scope then passes the panic on.
                let _stop = Stop(stop, moved, true);
                let mut mine = init();
                loop {
                    let i = {
                        let Ok(mut st) = state.lock() else { return };
                        while st.0 < n && st.0 >= st.1 + window && !stop.load(Ordering::Relaxed) {
                            st = match moved.wait(st) {
                                Ok(g) => g,
                                Err(_) => return,
                            };
                        }
                        if st.0 >= n || stop.load(Ordering::Relaxed) {
                            return;
                        }
                        st.0 += 1;
                        st.0 - 1
                    };
                    if tx.send((i, work(&mut mine, i))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        // If `take` panics, the workers are told to stop before the scope joins them.
        let _stop = Stop(&stop, &moved, false);
        let mut waiting = std::collections::BTreeMap::new();
        let mut next = 0usize;
        for (i, r) in rx.iter() {
            waiting.insert(i, r);
            while let Some(r) = waiting.remove(&next) {
                take(next, r);
                next += 1;
                if let Ok(mut st) = state.lock() {
                    st.1 = next;
                }
                moved.notify_all();
            }
        }
    });
}

/// Tells the workers to stop when dropped: always (the caller's side), or only while a panic
/// unwinds (a worker's side).
#[cfg(not(target_arch = "wasm32"))]
struct Stop<'a>(&'a AtomicBool, &'a Condvar, bool);

#[cfg(not(target_arch = "wasm32"))]
impl Drop for Stop<'_> {
    fn drop(&mut self) {
        if !self.2 || std::thread::panicking() {
            self.0.store(true, Ordering::Relaxed);
            self.1.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_item_order_whatever_finishes_first() {
        for jobs in [1, 2, 3, 8] {
            let mut got = Vec::new();
            ordered(
                50,
                jobs,
                |i| {
                    // Early items take longest, so later ones finish first.
                    std::thread::sleep(std::time::Duration::from_micros(((50 - i) * 40) as u64));
                    i * i
                },
                |i, r| got.push((i, r)),
            );
            let want: Vec<_> = (0..50).map(|i| (i, i * i)).collect();
            assert_eq!(got, want, "jobs {jobs}");
        }
    }

    #[test]
    fn no_more_than_the_window_runs_ahead_of_the_item_taken() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let started = AtomicUsize::new(0);
        let mut ahead = 0;
        ordered(
            40,
            2,
            |_| started.fetch_add(1, Ordering::SeqCst),
            |i, _| {
                ahead = ahead.max(started.load(Ordering::SeqCst) - i);
                std::thread::sleep(std::time::Duration::from_micros(200));
            },
        );
        assert!(ahead <= 2 * 2 + 2, "{ahead} items started ahead");
        assert_eq!(started.load(Ordering::SeqCst), 40);
    }

    #[test]
    fn each_thread_has_its_own_state_made_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        for jobs in [1, 2, 3] {
            let made = AtomicUsize::new(0);
            let mut got = Vec::new();
            ordered_with(
                30,
                jobs,
                || {
                    (
                        made.fetch_add(1, Ordering::SeqCst),
                        std::thread::current().id(),
                        0,
                    )
                },
                |(state, id, runs), i| {
                    // The state is the thread's: made on it, and kept from job to job.
                    assert_eq!(*id, std::thread::current().id());
                    *runs += 1;
                    std::thread::sleep(std::time::Duration::from_micros(100));
                    (i, (*state, *runs))
                },
                |i, r| got.push((i, r)),
            );
            let items: Vec<_> = got.iter().map(|&(i, (j, _))| (i, j)).collect();
            assert_eq!(items, (0..30).map(|i| (i, i)).collect::<Vec<_>>());
            let made = made.load(Ordering::SeqCst);
            assert!((1..=jobs).contains(&made), "jobs {jobs}");
            // Each state counted the jobs of its thread, one after another.
            let mut runs: std::collections::HashMap<usize, Vec<usize>> = Default::default();
            for &(_, (_, (state, run))) in &got {
                runs.entry(state).or_default().push(run);
            }
            assert_eq!(runs.len(), made);
            for (_, mut r) in runs {
                r.sort_unstable();
                assert_eq!(r, (1..=r.len()).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn no_items_and_one_job_run_on_the_calling_thread() {
        let mut n = 0;
        ordered(0, 4, |i| i, |_, _| n += 1);
        assert_eq!(n, 0);
        let me = std::thread::current().id();
        ordered(
            3,
            1,
            |_| std::thread::current().id(),
            |_, id| assert_eq!(id, me),
        );
        assert!(available_jobs(64) >= 1);
        assert_eq!(available_jobs(1), 1);
    }

    #[test]
    fn a_job_that_panics_stops_the_run_instead_of_hanging_it() {
        let r = std::panic::catch_unwind(|| {
            ordered(
                100,
                3,
                |i| {
                    assert!(i != 7, "job 7 fails");
                    i
                },
                |_, _| std::thread::sleep(std::time::Duration::from_micros(100)),
            )
        });
        assert!(r.is_err());
    }
}
