//! The browser app (Yew). Placeholder until the web shell lands.
