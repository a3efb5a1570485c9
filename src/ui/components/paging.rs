//! Long lists are paged: a list shows its first page, and a button shows the next, so that the
//! page never holds thousands of rows at once (every row stays in the report and the exports).

use yew::prelude::*;

/// Rows per page.
pub const PAGE: usize = 50;

/// The button under a list cut at `shown` of `total` rows; nothing when all are shown.
pub fn more_button(
    id: &'static str,
    shown: usize,
    total: usize,
    on_more: Callback<MouseEvent>,
) -> Html {
    if shown >= total {
        return html! {};
    }
    let left = total - shown;
    html! {
        <button type="button" {id} class="link more" onclick={on_more}>
            { format!("show {} more ({} of {} shown)", PAGE.min(left), shown, total) }
        </button>
    }
}

/// A page count kept by a list, and the callback that adds a page.
#[hook]
pub fn use_pages() -> (usize, Callback<MouseEvent>) {
    let pages = use_state(|| 1usize);
    let more = {
        let pages = pages.clone();
        Callback::from(move |_: MouseEvent| pages.set(*pages + 1))
    };
    (*pages * PAGE, more)
}
