//! The progress bar of a running analysis, with its cancel button.

use crate::format;
use crate::ui::strings as s;
use yew::prelude::*;

/// Properties of [`ProgressPanel`].
#[derive(Properties, PartialEq)]
pub struct ProgressPanelProps {
    /// Bytes read.
    pub done: u64,
    /// Bytes to read.
    pub total: u64,
    /// Cancel pressed.
    pub on_cancel: Callback<MouseEvent>,
}

/// Shows how far the worker has read.
#[component]
pub fn ProgressPanel(props: &ProgressPanelProps) -> Html {
    let pct = props
        .done
        .saturating_mul(100)
        .checked_div(props.total)
        .unwrap_or(100);
    html! {
        <section id="progress" class="progress" aria-live="polite">
            <label for="progress-bar">{ format!("{} — {} of {} ({pct}%)", s::ANALYSING, format::bytes(props.done), format::bytes(props.total)) }</label>
            <progress id="progress-bar" max={props.total.max(1).to_string()} value={props.done.to_string()}></progress>
            <button id="cancel" type="button" class="button" onclick={props.on_cancel.clone()}>{ s::CANCEL }</button>
        </section>
    }
}
