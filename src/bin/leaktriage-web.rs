//! The browser entry point (wasm).
fn main() {}
