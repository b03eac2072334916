//! Panics turned into messages: one run's bug must not take a whole sweep or plan down, and a
//! plotting library that cannot lay out its data must not take the run's reports down.

/// Runs `f`, returning the panic's message (its `&str` or `String` payload, else "a panic of
/// unknown kind") if it panics.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic of unknown kind".to_string())
    })
}

/// [`catch`] with the panic hook silenced, so nothing is printed.
pub fn catch_quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch(f);
    std::panic::set_hook(hook);
    result
}
