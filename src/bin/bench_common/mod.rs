//! What the benchmarks share: the process's memory figures and the thread's CPU clock (Linux
//! `/proc`; zero where unsupported). Each benchmark includes it and uses some of it.
#![allow(dead_code)]

/// A `/proc/self/status` field in KiB (`VmHWM:`, `VmRSS:`).
pub fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU time this thread has run, in seconds (`/proc/thread-self/schedstat`): on a machine
/// shared with other work, bytes per CPU-second is the one-core figure.
pub fn cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|n| n.parse::<u64>().ok())
        })
        .map(|ns| ns as f64 / 1e9)
        .unwrap_or(0.0)
}

/// Resets the peak-RSS counter (Linux `clear_refs` 5); false where unsupported.
pub fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}
