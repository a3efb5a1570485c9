//! The agent panel: the sessions to freeze, the chain-hop graph, the action log since the leak
//! window opened (most severe classes first; filtered by class, session and tool; paged), the
//! connections to kill and the minted tokens to revoke at their issuer.

use super::hops::HopGraph;
use crate::ui::state::{Action, Section};
use crate::ui::strings as s;
use crate::ui::view_agent::{ActionView, AgentView, RefView};
use std::rc::Rc;
use yew::prelude::*;

use super::paging::PAGE;

/// The classes, most severe first (the log's order).
pub const CLASSES: [&str; 6] = [
    "mint",
    "irreversible",
    "external",
    "egress",
    "reversible",
    "read",
];

fn rank(class: &str) -> usize {
    CLASSES
        .iter()
        .position(|c| *c == class)
        .unwrap_or(CLASSES.len())
}

/// What the action log shows: a class (`None`: all), a session, a tool or target substring.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    /// One class, or all.
    pub class: Option<String>,
    /// One session, or all.
    pub session: Option<String>,
    /// Text in the tool, server or target (case-insensitive).
    pub text: String,
}

impl Filter {
    fn keeps(&self, a: &ActionView) -> bool {
        if self.class.as_deref().is_some_and(|c| c != a.class) {
            return false;
        }
        if self.session.as_deref().is_some_and(|x| x != a.session) {
            return false;
        }
        let t = self.text.trim().to_lowercase();
        t.is_empty()
            || [&a.tool, &a.server, &a.target]
                .into_iter()
                .flatten()
                .any(|v| v.to_lowercase().contains(&t))
    }
}

/// The actions a filter keeps, most severe class first, then in the log's time order.
pub fn shown<'a>(actions: &'a [ActionView], f: &Filter) -> Vec<&'a ActionView> {
    let mut v: Vec<&ActionView> = actions.iter().filter(|a| f.keeps(a)).collect();
    v.sort_by_key(|a| rank(&a.class));
    v
}

fn refs(v: &[RefView]) -> Html {
    html! { <span class="evidence-refs">{ v.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ") }</span> }
}

fn opt(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

/// Sets one field of the filter from a control's value.
type SetFilter = dyn Fn(&mut Filter, String);

/// Properties of [`AgentPanel`].
#[derive(Properties, PartialEq)]
pub struct AgentPanelProps {
    /// The section.
    pub agent: Rc<AgentView>,
    /// Whether it is open.
    #[prop_or_default]
    pub open: bool,
    /// Where its opening and closing go.
    #[prop_or_default]
    pub dispatch: Callback<Action>,
    /// A download asked for.
    #[prop_or_default]
    pub on_export: Callback<crate::ui::protocol::Export>,
}

/// The agent panel; nothing when no agent log was given.
#[component]
pub fn AgentPanel(p: &AgentPanelProps) -> Html {
    let filter = use_state(Filter::default);
    let pages = use_state(|| 1usize);
    let a = &p.agent;
    if a.is_empty() {
        return html! {};
    }
    let affected: Vec<_> = a.sessions.iter().filter(|x| x.affected).collect();
    let others = a.sessions.len() - affected.len();
    // Why each tie holds, said once for all the sessions it ties.
    let mut whys: Vec<(&str, &str)> = Vec::new();
    for x in &affected {
        if !whys.contains(&(x.tie.as_str(), x.why.as_str())) {
            whys.push((x.tie.as_str(), x.why.as_str()));
        }
    }
    let list = shown(&a.actions, &filter);
    let limit = *pages * PAGE;
    let set = |f: Box<SetFilter>| {
        let filter = filter.clone();
        let pages = pages.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            let mut next = (*filter).clone();
            f(&mut next, v);
            filter.set(next);
            pages.set(1);
        })
    };
    let on_class = set(Box::new(|f, v| f.class = (!v.is_empty()).then_some(v)));
    let on_session = set(Box::new(|f, v| f.session = (!v.is_empty()).then_some(v)));
    let on_text = {
        let filter = filter.clone();
        let pages = pages.clone();
        Callback::from(move |e: InputEvent| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            filter.set(Filter {
                text: v,
                ..(*filter).clone()
            });
            pages.set(1);
        })
    };
    let more = {
        let pages = pages.clone();
        Callback::from(move |_: MouseEvent| pages.set(*pages + 1))
    };
    let counts: Vec<String> = CLASSES
        .iter()
        .filter_map(|c| {
            a.action_counts
                .iter()
                .find(|x| x.class == *c && x.count > 0)
                .map(|x| format!("{} {c}", x.count))
        })
        .collect();
    let note = format!(
        "{} affected of {} session(s) · {} action(s){}",
        affected.len(),
        a.sessions.len(),
        a.actions.len(),
        if a.minted.is_empty() {
            String::new()
        } else {
            format!(" · {} minted", a.minted.len())
        }
    );
    let sessions_with_actions: Vec<&str> = {
        let mut v: Vec<&str> = a.actions.iter().map(|x| x.session.as_str()).collect();
        v.sort();
        v.dedup();
        v
    };
    html! {
        <super::Fold section={Section::Agent} title={s::AGENT} note={Some(AttrValue::from(note))} open={p.open} dispatch={p.dispatch.clone()}>
            <p id="agent-window" class="note">{
                match &a.window.start {
                    Some(t) => format!("The leak window opens {t} ({}).", a.window.source),
                    None => format!("The leak window's start is unknown ({}): every action is listed.", a.window.source),
                }
            }</p>
            if !a.notes.is_empty() {
                <ul class="notes">{ for a.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
            }
            <h3>{ s::AGENT_SESSIONS }</h3>
            <div class="table-scroll"><table id="agent-sessions" class="grid">
                <thead><tr>{ for s::AGENT_SESSION_COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead>
                <tbody>{ for affected.iter().map(|x| html! {
                    <tr>
                        <td><code>{ &x.id }</code>
                            if let Some(parent) = &x.parent { <div class="muted">{ format!("started by {parent}") }</div> }
                        </td>
                        <td>{ [x.agent.clone(), x.model.clone(), x.account.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ") }
                            if x.permission_mode.as_deref() == Some("bypassPermissions") { <div class="badge sev-high">{ "approves every call" }</div> }
                        </td>
                        <td>{ format!("{} → {}", opt(&x.first_seen), opt(&x.last_seen)) }</td>
                        <td>{ x.tie.replace('_', " ") }</td>
                        <td>{ refs(&x.evidence) }</td>
                    </tr>
                }) }</tbody>
            </table></div>
            <dl id="agent-ties" class="ties">{ for whys.iter().map(|(tie, why)| html! {
                <><dt>{ tie.replace('_', " ") }</dt><dd>{ *why }</dd></>
            }) }</dl>
            if others > 0 {
                <p class="note">{ format!("{others} other session(s) in the logs are not affected (see the report's JSON for why).") }</p>
            }
            if !a.secrets_in_logs.is_empty() {
                <h3>{ s::AGENT_SECRETS }</h3>
                <ul id="agent-secrets" class="secrets-in-logs">{ for a.secrets_in_logs.iter().map(|x| html! {
                    <li>
                        <code class="redacted">{ &x.secret }</code>
                        { format!(" in {} of session ", x.part.replace('_', " ")) }<code>{ &x.session }</code>
                        { format!("{}{} · {}",
                            x.tool.as_deref().map(|t| format!(" ({t}{})", x.call.as_deref().map(|c| format!(" call {c}")).unwrap_or_default())).unwrap_or_default(),
                            x.at.as_deref().map(|t| format!(" at {t}")).unwrap_or_default(),
                            x.evidence.label()) }
                    </li>
                }) }</ul>
            }
            if !a.chain_hops.is_empty() {
                <h3>{ s::AGENT_HOPS }</h3>
                <HopGraph hops={a.chain_hops.clone()} sessions={a.sessions.clone()} />
                <ul id="agent-hops" class="hops">{ for a.chain_hops.iter().map(|h| html! {
                    <li>
                        <code>{ &h.from }</code>{ " → " }<code>{ &h.to }</code>
                        { format!(" via {}{}", h.via, h.at.as_deref().map(|t| format!(", {t}")).unwrap_or_default()) }
                        if !h.log_given { <strong>{ " · its log is not among the evidence: get it" }</strong> }
                        { " · " }{ refs(&h.evidence) }
                    </li>
                }) }</ul>
            }
            if !a.minted.is_empty() {
                <h3>{ s::AGENT_MINTED }</h3>
                <ul id="agent-minted" class="minted">{ for a.minted.iter().map(|m| html! {
                    <li>
                        <strong>{ &m.what }</strong>{ format!(" ({}, {}) ", opt(&m.at), m.outcome) }<code>{ &m.summary }</code>
                        <div>{ format!("{}: {}", m.issuer, m.revoke) }</div>
                        { refs(&m.evidence) }
                    </li>
                }) }</ul>
            }
            if !a.connections.is_empty() {
                <h3>{ s::AGENT_CONNECTIONS }</h3>
                <ul id="agent-connections" class="connections">{ for a.connections.iter().map(|c| html! {
                    <li>
                        <strong>{ format!("{} {}", if c.kind == "host" { "host" } else { "MCP server" }, c.name.as_deref().unwrap_or("(name withheld by the log)")) }</strong>
                        { format!(" · {}{} · session {} · {}", c.status, c.transport.as_deref().map(|t| format!(", {t}")).unwrap_or_default(), c.session, c.action) }
                    </li>
                }) }</ul>
            }
            <h3>{ s::AGENT_ACTIONS }</h3>
            <p class="no-print"><button id="export-agent-actions" type="button" class="button secondary"
                onclick={p.on_export.reform(|_: MouseEvent| crate::ui::protocol::Export::AgentActionsCsv)}>{ s::DOWNLOAD_AGENT_ACTIONS }</button></p>
            if !counts.is_empty() { <p class="note" id="agent-counts">{ counts.join(" · ") }</p> }
            <div class="filters no-print" role="group" aria-label="filter the action log">
                <label for="agent-class">{ s::AGENT_CLASS_FILTER }</label>
                <select id="agent-class" onchange={on_class}>
                    <option value="" selected={filter.class.is_none()}>{ s::AGENT_ALL }</option>
                    { for CLASSES.iter().map(|c| html! { <option value={*c} selected={filter.class.as_deref() == Some(*c)}>{ *c }</option> }) }
                </select>
                <label for="agent-session">{ s::AGENT_SESSION_FILTER }</label>
                <select id="agent-session" onchange={on_session}>
                    <option value="" selected={filter.session.is_none()}>{ s::AGENT_ALL }</option>
                    { for sessions_with_actions.iter().map(|x| html! { <option value={x.to_string()} selected={filter.session.as_deref() == Some(*x)}>{ super::hops::short(x) }</option> }) }
                </select>
                <label for="agent-tool">{ s::AGENT_TOOL_FILTER }</label>
                <input id="agent-tool" type="search" value={filter.text.clone()} oninput={on_text} />
            </div>
            if list.is_empty() {
                <p class="note">{ s::AGENT_NO_MATCH }</p>
            } else {
                <div class="table-scroll"><table id="agent-actions" class="grid">
                    <caption class="visually-hidden">{ format!("{} action(s) shown of {}", list.len().min(limit), a.actions.len()) }</caption>
                    <thead><tr>{ for s::AGENT_ACTION_COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead>
                    <tbody>{ for list.iter().take(limit).map(|x| html! {
                        <tr class={classes!("action", format!("class-{}", x.class))} data-class={x.class.clone()}>
                            <td>{ x.at.as_deref().unwrap_or("time unknown") }</td>
                            <td><code title={x.session.clone()}>{ super::hops::short(&x.session) }</code></td>
                            <td>{ x.tool.as_deref().unwrap_or("(withheld by the log)") }
                                if let Some(srv) = &x.server { <div class="muted">{ format!("MCP server {srv}") }</div> }
                            </td>
                            <td>if let Some(t) = &x.target { <div><strong>{ t }</strong></div> }
                                if x.target.as_deref() != Some(x.summary.as_str()) { <code class="args">{ &x.summary }</code> }
                            </td>
                            <td>{ &x.outcome }if let Some(e) = &x.error { <div class="muted">{ e }</div> }</td>
                            <td><span class={classes!("badge", format!("class-{}", x.class))}>{ &x.class }</span>{ " " }{ &x.reason }
                                { for x.flags.iter().map(|f| html! { <span class="badge flag">{ f.replace('_', " ") }</span> }) }
                                <div class="muted">{ refs(&x.evidence) }</div>
                            </td>
                        </tr>
                    }) }</tbody>
                </table></div>
                if list.len() > limit {
                    <button type="button" id="agent-more" class="link" onclick={more}>
                        { format!("show {} more of {} left", PAGE.min(list.len() - limit), list.len() - limit) }
                    </button>
                }
            }
        </super::Fold>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act(class: &str, session: &str, tool: &str) -> ActionView {
        ActionView {
            class: class.into(),
            session: session.into(),
            tool: Some(tool.into()),
            ..ActionView::default()
        }
    }

    #[test]
    fn the_log_puts_mint_and_irreversible_first_and_filters() {
        let v = [
            act("read", "s1", "Read"),
            act("irreversible", "s2", "Bash"),
            act("mint", "s1", "Bash"),
            act("external", "s1", "mcp__github__create_issue"),
        ];
        let all = shown(&v, &Filter::default());
        let classes: Vec<&str> = all.iter().map(|a| a.class.as_str()).collect();
        assert_eq!(classes, ["mint", "irreversible", "external", "read"]);
        let f = Filter {
            session: Some("s1".into()),
            ..Filter::default()
        };
        assert_eq!(shown(&v, &f).len(), 3);
        let f = Filter {
            text: "GITHUB".into(),
            ..Filter::default()
        };
        assert_eq!(shown(&v, &f).len(), 1);
        let f = Filter {
            class: Some("irreversible".into()),
            ..Filter::default()
        };
        assert_eq!(shown(&v, &f)[0].session, "s2");
    }
}
