//! The focus form: the credentials and principals to keep the events of. It sends the context's
//! `focus` as a patch; the worker analyses again. The page still holds every file it was given
//! (the command line reads larger logs in bounded memory); a focus keeps the analysis to the
//! credentials in question and lifts the run's limit on inflated bytes.

use crate::ui::strings as s;
use serde_json::{json, Value};
use yew::prelude::*;

/// Properties of [`FocusForm`].
#[derive(Properties, PartialEq)]
pub struct FocusFormProps {
    /// A context patch to send (`{"focus": [...]}`, or `{"focus": null}` to clear it).
    pub on_patch: Callback<Value>,
    /// Whether the report shown is focused (the form then offers to clear it).
    #[prop_or_default]
    pub focused: bool,
}

/// The patch for what the responder typed: names split on commas, spaces and new lines, blanks
/// dropped; none clears the focus.
pub fn focus_patch(typed: &str) -> Value {
    let names: Vec<&str> = typed
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() {
        json!({ "focus": null })
    } else {
        json!({ "focus": names })
    }
}

/// Where the responder names what to focus on.
#[component]
pub fn FocusForm(p: &FocusFormProps) -> Html {
    let input = use_node_ref();
    let submit = {
        let input = input.clone();
        let cb = p.on_patch.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(el) = input.cast::<web_sys::HtmlInputElement>() {
                cb.emit(focus_patch(&el.value()));
            }
        })
    };
    let clear = {
        let input = input.clone();
        let cb = p.on_patch.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = input.cast::<web_sys::HtmlInputElement>() {
                el.set_value("");
            }
            cb.emit(focus_patch(""));
        })
    };
    html! {
        <form id="focus-form" class="known-key no-print" onsubmit={submit}>
            <label for="focus-names">{ s::FOCUS_LABEL }</label>
            <input id="focus-names" ref={input} type="text" spellcheck="false" autocomplete="off"
                placeholder={s::FOCUS_PLACEHOLDER} />
            <button type="submit" class="button secondary">{ s::APPLY }</button>
            if p.focused {
                <button type="button" id="focus-clear" class="link" onclick={clear}>{ s::FOCUS_CLEAR }</button>
            }
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_split_on_commas_and_spaces_and_none_clears_the_focus() {
        assert_eq!(
            focus_patch(" AKIAEXAMPLE1, arn:aws:iam::1:user/alice\nbob ,, "),
            json!({"focus": ["AKIAEXAMPLE1", "arn:aws:iam::1:user/alice", "bob"]})
        );
        assert_eq!(focus_patch(" , \n"), json!({"focus": null}));
    }

    #[test]
    fn a_focus_patch_is_one_the_context_takes() {
        let ctx = crate::Context::default();
        let c = crate::ui::patch::apply(&ctx, &focus_patch("AKIAEXAMPLE1 bob")).unwrap();
        assert_eq!(c.focus, ["AKIAEXAMPLE1", "bob"]);
        assert!(c.focused());
        let c = crate::ui::patch::apply(&c, &focus_patch("")).unwrap();
        assert!(!c.focused());
    }
}
