//! How the memory of a large table is backed: tables looked up or written at random ask for
//! huge pages before their first write.

/// Asks the system to back the room of `v` with huge pages, before its first write: a table of
/// tens of megabytes read or written at random places with pages of 4 KiB also misses the
/// processor's cache of page addresses at nearly every place. Only where the room spans a whole
/// huge page of 2 MiB (where the system's huge pages are larger, the advice does nothing); a
/// refusal changes nothing.
#[cfg(target_os = "linux")]
pub(crate) fn huge<T>(v: &mut Vec<T>) {
    const HUGE: usize = 2 << 20;
    let start = v.as_mut_ptr() as usize;
    let end = start + v.capacity() * std::mem::size_of::<T>();
    let (from, to) = (start.next_multiple_of(HUGE), end / HUGE * HUGE);
    if to > from {
        // SAFETY: the range lies within the vector's own allocation; the advice changes how its
        // memory is backed, never its contents.
        unsafe { libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_HUGEPAGE) };
    }
}

/// Elsewhere, nothing to ask.
#[cfg(not(target_os = "linux"))]
pub(crate) fn huge<T>(_: &mut Vec<T>) {}
