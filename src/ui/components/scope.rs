//! The blast radius: the ratings with their reasons, personal data, the credentials by
//! containment priority, what to revoke where, the three answers (what it could do, where it
//! was used, what comes next), the rooms next door, and the short questionnaire (pre-filled
//! from the evidence) that sends answers to the worker.

use crate::scope::{Answers, Basis, Question, Rating, Reason, Scope, Source};
use crate::ui::strings as s;
use serde_json::{Map, Value};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`ScopePanel`].
#[derive(Properties, PartialEq)]
pub struct ScopePanelProps {
    /// The report's scope.
    pub scope: Rc<Scope>,
    /// The answers given so far.
    pub answers: Answers,
    /// New answers: the worker assesses again.
    pub on_answers: Callback<Answers>,
}

/// One reason: its text, then its rule and sources.
fn reason(r: &Reason) -> Html {
    let mut tag: Vec<String> = vec![r.rule.clone()];
    tag.extend(r.sources.iter().take(4).map(Source::label));
    if r.sources.len() > 4 {
        tag.push(format!("+{}", r.sources.len() - 4));
    }
    html! {
        <li data-rule={r.rule.clone()} data-level={r.level.map(|l| l.as_str())}>
            { &r.text }{ " " }<span class="muted source">{ format!("[{}]", tag.join(" · ")) }</span>
        </li>
    }
}

fn rating(id: &str, title: &str, r: &Rating) -> Html {
    let level = r.level.as_str();
    html! {
        <div id={id.to_string()} class={classes!("rating", format!("level-{level}"))} data-level={level}>
            <h3>{ title }{ ": " }<span class={classes!("badge", format!("sev-{level}"))}>{ level }</span></h3>
            <ul class="reasons">{ for r.reasons.iter().map(reason) }</ul>
        </div>
    }
}

fn basis_id(b: Basis) -> String {
    serde_json::to_value(b)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn basis_label(b: Basis) -> &'static str {
    let id = basis_id(b);
    s::BASIS_LABELS
        .iter()
        .find(|(k, _)| *k == id)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

fn label_of(id: &str) -> &'static str {
    s::QUESTION_LABELS
        .iter()
        .find(|(k, _)| *k == id)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// The panel.
#[component]
pub fn ScopePanel(p: &ScopePanelProps) -> Html {
    let sc = &p.scope;
    let pd = &sc.personal_data;
    html! {
        <section id="blast-radius" class="panel" aria-labelledby="blast-heading">
            <h2 id="blast-heading">{ s::BLAST_RADIUS }</h2>
            <p class="note">{ s::BLAST_NOTE }</p>
            <div class="ratings">
                { rating("data-exposure", s::DATA_EXPOSURE, &sc.data_exposure) }
                { rating("financial-exposure", s::FINANCIAL_EXPOSURE, &sc.financial_exposure) }
                <div id="personal-data" class="rating" data-reachable={pd.reachable.as_str()}>
                    <h3>{ s::PERSONAL_DATA }{ ": " }<span class={classes!("badge", match pd.reachable { crate::scope::Tri::Yes => "sev-critical", crate::scope::Tri::Unknown => "sev-medium", crate::scope::Tri::No => "sev-low" })}>{ pd.reachable.as_str() }</span>
                        if let Some(n) = pd.people { { format!(" ({} {})", crate::format::count(n), s::PEOPLE) } }
                    </h3>
                    <ul class="reasons">{ for pd.reasons.iter().map(reason) }</ul>
                </div>
            </div>
            if !sc.credentials.is_empty() {
                <h3>{ s::CONTAINMENT }</h3>
                <table id="scope-credentials" class="grid">
                    <thead><tr>{ for s::CREDENTIAL_COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead>
                    <tbody>
                    { for sc.credentials.iter().map(|c| html! {
                        <tr class="credential" data-kind={c.kind.as_str()} data-priority={c.containment_priority.label()}>
                            <td>{ &c.id }</td>
                            <td><code>{ &c.name }</code>{ format!(" {}", c.provider) }</td>
                            <td>{ &c.kind_label }</td>
                            <td title={c.priority_reason.text.clone()}>{ c.containment_priority.label() }</td>
                            <td><ul class="caps">{ for c.capabilities.iter().map(|x| html! {
                                <li data-capability={serde_json::to_value(x.capability).ok().and_then(|v| v.as_str().map(str::to_string))} data-basis={basis_id(x.basis)}>
                                    { &x.label }{ " " }<span class="muted">{ format!("({})", basis_label(x.basis)) }</span>
                                </li>
                            }) }</ul></td>
                        </tr>
                    }) }
                    </tbody>
                </table>
            }
            if !sc.revoke.is_empty() {
                <h3>{ s::REVOKE_ORDER }</h3>
                <ol id="revoke-list">
                    { for sc.revoke.iter().map(|v| html! {
                        <li data-rule={v.why.rule.clone()} data-priority={v.priority.label()}>
                            <strong>{ &v.what }</strong>{ ": " }{ &v.at }
                            <span class="muted source">{ format!(" [{}]", v.priority.label()) }</span>
                        </li>
                    }) }
                </ol>
            }
            <h3>{ s::THREE_QUESTIONS }</h3>
            <dl id="three-answers">
                <dt>{ s::COULD_DO }</dt><dd><ul class="reasons">{ for sc.three_answers.could_do.iter().map(reason) }</ul></dd>
                <dt>{ s::USED_WHERE }</dt><dd><ul class="reasons">{ for sc.three_answers.used_where.iter().map(reason) }</ul></dd>
                <dt>{ s::NEXT }</dt><dd><ul class="reasons">{ for sc.three_answers.next.iter().map(reason) }</ul></dd>
            </dl>
            if !sc.rooms_next_door.is_empty() {
                <h3>{ s::ROOMS }</h3>
                <table id="rooms" class="grid">
                    <thead><tr>{ for s::ROOM_COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead>
                    <tbody>{ for sc.rooms_next_door.iter().map(|r| html! {
                        <tr class="room" data-rule={r.why.rule.clone()}><td>{ &r.system }</td><td>{ &r.look_for }</td><td>{ &r.why.text }</td></tr>
                    }) }</tbody>
                </table>
            }
            <Questionnaire questions={sc.questions.clone()} answers={p.answers.clone()} on_answers={p.on_answers.clone()} />
        </section>
    }
}

/// Properties of [`Questionnaire`].
#[derive(Properties, PartialEq)]
pub struct QuestionnaireProps {
    /// The questions with their values in force.
    pub questions: Vec<Question>,
    /// The answers given so far.
    pub answers: Answers,
    /// Submitted answers.
    pub on_answers: Callback<Answers>,
}

fn as_map(a: &Answers) -> Map<String, Value> {
    match serde_json::to_value(a) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

fn strings_of(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Where a question's value came from, in words, with its reason.
fn source_note(q: &Question) -> Html {
    let lead = match q.source {
        Basis::Evidence => s::FROM_EVIDENCE,
        Basis::Inferred => s::FROM_ANSWERS,
        Basis::Answer => s::YOUR_ANSWER,
        _ => return html! {},
    };
    let why = q
        .reason
        .as_ref()
        .map(|r| r.text.clone())
        .unwrap_or_default();
    html! {
        <p class="note q-source" data-source={basis_id(q.source)}>
            { format!("{lead}: {}{}", q.value_label, if why.is_empty() { String::new() } else { format!(" ({why})") }) }
        </p>
    }
}

/// The questionnaire: one real control per question, with its label.
#[component]
pub fn Questionnaire(p: &QuestionnaireProps) -> Html {
    let draft = {
        let a = as_map(&p.answers);
        use_state(move || a)
    };
    // Answers given from outside (an opened session, a new worker) replace the form's.
    {
        let draft = draft.clone();
        use_effect_with(p.answers.clone(), move |a| {
            draft.set(as_map(a));
        });
    }
    let q = |id: &str| p.questions.iter().find(|q| q.id == id);
    let given = as_map(&p.answers);
    let set = {
        let draft = draft.clone();
        move |id: &'static str, v: Option<Value>| {
            let mut m = (*draft).clone();
            match v {
                Some(v) => m.insert(id.to_string(), v),
                None => m.remove(id),
            };
            draft.set(m);
        }
    };
    // A select: the answer, else the evidence's value, else "not answered".
    let select = |id: &'static str, choices: &'static [(&'static str, &'static str)]| -> Html {
        let question = q(id);
        let shown: Option<String> = draft
            .get(id)
            .and_then(|v| v.as_str().map(str::to_string))
            .or_else(|| question.and_then(|q| q.value.as_str().map(str::to_string)));
        let onchange = {
            let set = set.clone();
            Callback::from(move |e: Event| {
                use wasm_bindgen::JsCast;
                let v = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                    .map(|s| s.value())
                    .unwrap_or_default();
                set(id, (!v.is_empty()).then_some(Value::String(v)));
            })
        };
        let field = format!("q-{id}");
        html! {
            <div class="question" data-question={id}>
                <label for={field.clone()}>{ label_of(id) }</label>
                <select id={field} name={id} {onchange}>
                    <option value="" selected={shown.is_none()}>{ s::NOT_ANSWERED }</option>
                    { for choices.iter().map(|(v, l)| html! { <option value={*v} selected={shown.as_deref() == Some(*v)}>{ *l }</option> }) }
                </select>
                { question.map(source_note).unwrap_or_default() }
            </div>
        }
    };
    // A number.
    let number = |id: &'static str, step: &'static str| -> Html {
        let question = q(id);
        let shown = draft
            .get(id)
            .or_else(|| question.map(|q| &q.value))
            .filter(|v| v.is_number())
            .map(|v| v.to_string())
            .unwrap_or_default();
        let oninput = {
            let set = set.clone();
            Callback::from(move |e: InputEvent| {
                use wasm_bindgen::JsCast;
                let v = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                    .map(|i| i.value())
                    .unwrap_or_default();
                let n: Option<Value> = if id == "people" {
                    v.trim().parse::<u64>().ok().map(Value::from)
                } else {
                    v.trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite() && *x >= 0.0)
                        .map(Value::from)
                };
                set(id, n);
            })
        };
        let field = format!("q-{id}");
        html! {
            <div class="question" data-question={id}>
                <label for={field.clone()}>{ label_of(id) }</label>
                <input id={field} name={id} type="number" min="0" step={step} inputmode="numeric" value={shown} {oninput} />
                { question.map(source_note).unwrap_or_default() }
            </div>
        }
    };
    // Checkboxes: the answer's items, and the evidence's (which stay).
    let checks = |id: &'static str, choices: &'static [(&'static str, &'static str)]| -> Html {
        let question = q(id);
        let answered: Vec<String> = strings_of(draft.get(id));
        let from_answers: Vec<String> = strings_of(given.get(id));
        let evidence: Vec<String> = match question {
            Some(q) if q.source == Basis::Evidence || q.reason.is_some() => {
                strings_of(Some(&q.value))
                    .into_iter()
                    .filter(|v| !from_answers.contains(v))
                    .collect()
            }
            _ => Vec::new(),
        };
        html! {
            <fieldset class="question" data-question={id}>
                <legend>{ label_of(id) }</legend>
                { for choices.iter().map(|(v, l)| {
                    let value = v.to_string();
                    let in_evidence = evidence.contains(&value);
                    let checked = in_evidence || answered.contains(&value);
                    let onchange = {
                        let set = set.clone();
                        let answered = answered.clone();
                        let value = value.clone();
                        Callback::from(move |_: Event| {
                            let mut next = answered.clone();
                            if let Some(i) = next.iter().position(|x| *x == value) {
                                next.remove(i);
                            } else {
                                next.push(value.clone());
                            }
                            set(id, Some(Value::from(next)));
                        })
                    };
                    let field = format!("q-{id}-{v}");
                    html! {
                        <label for={field.clone()} class="check">
                            <input id={field} type="checkbox" name={id} value={value.clone()} {checked} disabled={in_evidence} {onchange} />
                            { " " }{ *l }{ if in_evidence { format!(" {}", s::EVIDENCE_ITEM) } else { String::new() } }
                        </label>
                    }
                }) }
                { question.map(source_note).unwrap_or_default() }
            </fieldset>
        }
    };
    let onsubmit = {
        let draft = draft.clone();
        let cb = p.on_answers.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Ok(a) = serde_json::from_value::<Answers>(Value::Object((*draft).clone())) {
                cb.emit(a);
            }
        })
    };
    let onclear = {
        let draft = draft.clone();
        let cb = p.on_answers.clone();
        Callback::from(move |_: MouseEvent| {
            draft.set(Map::new());
            cb.emit(Answers::default());
        })
    };
    html! {
        <form id="scope-form" class="questionnaire" {onsubmit}>
            <h3>{ s::QUESTIONNAIRE }</h3>
            <p class="note">{ s::QUESTIONNAIRE_NOTE }</p>
            { select("key_scope", &s::SCOPE_CHOICES) }
            { select("spend_limit", &s::TRI_CHOICES) }
            { number("spend_limit_usd", "any") }
            { select("models_allowed", &s::MODEL_CHOICES) }
            { select("agent", &s::TRI_CHOICES) }
            { checks("agent_tools", &s::TOOL_CHOICES) }
            { select("minted", &s::TRI_CHOICES) }
            { checks("minted_kinds", &s::MINTED_CHOICES) }
            { select("personal_data", &s::TRI_CHOICES) }
            { number("people", "1") }
            { checks("environments", &s::ENV_CHOICES) }
            <div class="actions">
                <button type="submit" id="scope-submit" class="button">{ s::REASSESS }</button>
                <button type="button" id="scope-clear" class="button secondary" onclick={onclear}>{ s::CLEAR_ANSWERS }</button>
            </div>
        </form>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::{demo, triage, Context};

    async fn render(answers: Answers) -> String {
        let inputs = demo::inputs();
        let ctx = Context {
            answers: answers.clone(),
            ..Context::default()
        };
        let json = triage(&inputs, &ctx).to_json();
        let view = crate::ui::view::ReportView::from_json(&json).unwrap();
        yew::LocalServerRenderer::<ScopePanel>::with_props(ScopePanelProps {
            scope: Rc::new(view.scope),
            answers,
            on_answers: Callback::noop(),
        })
        .hydratable(false)
        .render()
        .await
    }

    #[tokio::test]
    async fn the_panel_shows_ratings_revocations_rooms_and_a_labelled_form() {
        let html = render(Answers::default()).await;
        assert!(
            html.contains(
                "id=\"data-exposure\" data-level=\"critical\" class=\"rating level-critical\""
            ),
            "{html}"
        );
        assert!(html.contains("data-reachable=\"unknown\""));
        assert!(html.contains("data-rule=\"data.iam_persistence\""));
        assert!(html.contains("alert A010"), "reasons show their sources");
        assert!(html.contains("id=\"revoke-list\"") && html.contains("id=\"rooms\""));
        assert!(html.contains(s::COULD_DO) && html.contains(s::NEXT));
        // Every control has a label; the evidence pre-fills what it shows.
        for id in [
            "key_scope",
            "spend_limit",
            "agent",
            "personal_data",
            "minted",
        ] {
            assert!(html.contains(&format!("<label for=\"q-{id}\">")), "{id}");
            assert!(html.contains(&format!("<select id=\"q-{id}\"")), "{id}");
        }
        assert!(html.contains("<label for=\"q-agent_tools-database\""));
        assert!(
            html.contains("<option value=\"project\" selected=\"selected\">"),
            "key scope pre-filled: {html}"
        );
        assert!(html.contains("<option value=\"\" selected=\"selected\">not answered</option><option value=\"yes\">"), "an unanswered question without evidence");
        assert!(html.contains("data-source=\"evidence\""));
        assert!(html.contains("<input value=\"production\" checked id=\"q-environments-production\" type=\"checkbox\" name=\"environments\" disabled=\"disabled\"> production (in the evidence)"), "{html}");
        assert!(html.contains("<input value=\"staging\" id=\"q-environments-staging\" type=\"checkbox\" name=\"environments\">"));
        assert!(!html.contains("style="), "no inline styles under the CSP");
    }

    #[tokio::test]
    async fn answers_change_what_the_panel_shows() {
        let html = render(Answers {
            agent: Some(crate::scope::Tri::Yes),
            agent_tools: Some(vec![crate::scope::Tool::Database]),
            personal_data: Some(crate::scope::Tri::Yes),
            people: Some(1200),
            ..Answers::default()
        })
        .await;
        assert!(html.contains("data-reachable=\"yes\""), "{html}");
        assert!(html.contains("1,200 people"));
        assert!(html.contains("<select id=\"q-agent\" name=\"agent\"><option value=\"\">not answered</option><option value=\"yes\" selected=\"selected\">"), "{html}");
        assert!(html.contains("data-source=\"answer\""));
        assert!(
            html.contains("<td>the database the key's holder reaches</td>"),
            "{html}"
        );
        assert!(html.contains("<input value=\"database\" checked id=\"q-agent_tools-database\" type=\"checkbox\" name=\"agent_tools\">"), "an answered tool stays changeable");
    }
}
