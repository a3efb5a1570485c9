//! The drop zone: also a keyboard-reachable picker for files and folders, and the demo button.

use crate::ui::strings as s;
use yew::prelude::*;

/// Properties of [`DropZone`].
#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    /// Files or folders dropped.
    pub on_drop: Callback<DragEvent>,
    /// Files chosen with a picker (the input's `change` event).
    pub on_pick: Callback<Event>,
    /// "Load demo incident" pressed.
    pub on_demo: Callback<MouseEvent>,
    /// One line only (once a report is shown, so the summary comes first).
    #[prop_or_default]
    pub compact: bool,
}

/// Where evidence comes in.
#[component]
pub fn DropZone(props: &DropZoneProps) -> Html {
    let over = use_state(|| false);
    let on_over = {
        let over = over.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            over.set(true);
        })
    };
    let on_leave = {
        let over = over.clone();
        Callback::from(move |_: DragEvent| over.set(false))
    };
    let on_drop = {
        let over = over.clone();
        let cb = props.on_drop.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            over.set(false);
            cb.emit(e);
        })
    };
    let class = classes!(
        "drop-zone",
        over.then_some("drop-over"),
        props.compact.then_some("compact")
    );
    html! {
        <section id="drop" class={class} aria-label={s::DROP_HERE}
            ondragenter={on_over.clone()} ondragover={on_over} ondragleave={on_leave} ondrop={on_drop}>
            <p class="drop-title">{ s::DROP_HERE }</p>
            <p class="drop-kinds">{ s::DROP_KINDS }</p>
            <div class="drop-actions">
                <input id="file-input" class="visually-hidden" type="file" multiple=true onchange={props.on_pick.clone()} />
                <label for="file-input" class="button">{ s::CHOOSE_FILES }</label>
                <input id="folder-input" class="visually-hidden" type="file" multiple=true webkitdirectory=true onchange={props.on_pick.clone()} />
                <label for="folder-input" class="button">{ s::CHOOSE_FOLDER }</label>
                <button id="load-demo" type="button" class="button secondary" onclick={props.on_demo.clone()}>{ s::LOAD_DEMO }</button>
            </div>
        </section>
    }
}
