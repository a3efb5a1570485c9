//! The browser app (Yew): state, components and, in the wasm build, the worker glue.
//!
//! The components draw only what the report and the state hold; the engine runs in a Web
//! Worker (see `web`), never on the page's main thread.

pub mod components;
pub mod export;
pub mod lanes;
pub mod patch;
pub mod protocol;
pub mod response;
pub mod state;
pub mod strings;
pub mod view;
pub mod view_agent;

#[cfg(feature = "web")]
pub mod web;
