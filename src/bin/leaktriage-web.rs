//! The browser entry point (wasm). On the page it starts the app; in the worker it does
//! nothing until the worker's boot code calls `start_worker`.

fn main() {
    if web_sys::window().is_some() {
        leaktriage::ui::web::start_app();
    }
}
