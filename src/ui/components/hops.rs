//! The chain-hop graph: which sessions and agents took work from which, drawn as an SVG (one
//! column per hop from the first affected session; each node focusable, its title read on hover
//! and by screen readers; the same hops are listed as text beside it).

use crate::ui::view_agent::{HopView, SessionView};
use yew::prelude::*;

/// At most this many nodes drawn; the rest are in the list.
pub const MAX_NODES: usize = 60;

const COL: f64 = 230.0;
const ROW: f64 = 56.0;
const W: f64 = 180.0;
const H: f64 = 34.0;
const PAD: f64 = 12.0;

/// One node: its id, column and row.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The session or agent.
    pub id: String,
    /// Hops from a session nobody handed work to.
    pub depth: usize,
    /// Its row in its column.
    pub row: usize,
}

/// Lays the hops out: roots (senders nobody handed work to) in column 0, each receiver one
/// column right of its nearest sender. Cycles are cut where they close.
pub fn layout(hops: &[HopView]) -> Vec<Node> {
    let mut ids: Vec<&str> = Vec::new();
    for h in hops {
        for x in [h.from.as_str(), h.to.as_str()] {
            if !ids.contains(&x) {
                ids.push(x);
            }
        }
    }
    let mut depth: Vec<Option<usize>> = ids
        .iter()
        .map(|id| (!hops.iter().any(|h| h.to == *id)).then_some(0))
        .collect();
    if depth.iter().all(|d| d.is_none()) && !depth.is_empty() {
        depth[0] = Some(0);
    }
    // Breadth-first: each pass places the receivers of placed senders.
    loop {
        let mut changed = false;
        for h in hops {
            let f = ids.iter().position(|x| *x == h.from).unwrap();
            let t = ids.iter().position(|x| *x == h.to).unwrap();
            if let (Some(d), None) = (depth[f], depth[t]) {
                depth[t] = Some(d + 1);
                changed = true;
            }
        }
        if !changed {
            // A cycle with no root: start it where it first appears.
            match depth.iter().position(|d| d.is_none()) {
                Some(i) => depth[i] = Some(0),
                None => break,
            }
        }
    }
    let mut rows: Vec<usize> = Vec::new();
    ids.iter()
        .zip(depth)
        .map(|(id, d)| {
            let d = d.unwrap_or(0);
            if rows.len() <= d {
                rows.resize(d + 1, 0);
            }
            rows[d] += 1;
            Node {
                id: id.to_string(),
                depth: d,
                row: rows[d] - 1,
            }
        })
        .collect()
}

/// A short label: a subagent's own part, else the first 8 characters of a session id, else the
/// name as it is (cut to 24 characters).
pub fn short(id: &str) -> String {
    let last = id.rsplit('/').next().unwrap_or(id);
    let base = if last.starts_with("agent-") { last } else { id };
    let uuid_like = base.len() == 36 && base.chars().filter(|c| *c == '-').count() == 4;
    if uuid_like {
        format!("{}…", &base[..8])
    } else if base.chars().count() > 24 {
        format!("{}…", base.chars().take(23).collect::<String>())
    } else {
        base.to_string()
    }
}

/// Properties of [`HopGraph`].
#[derive(Properties, PartialEq)]
pub struct HopGraphProps {
    /// The hops.
    pub hops: Vec<HopView>,
    /// The sessions (to mark the affected ones and name their agents).
    pub sessions: Vec<SessionView>,
}

/// The chain-hop graph.
#[component]
pub fn HopGraph(p: &HopGraphProps) -> Html {
    if p.hops.is_empty() {
        return html! {};
    }
    let nodes = layout(&p.hops);
    let drawn: Vec<&Node> = nodes.iter().take(MAX_NODES).collect();
    let pos = |id: &str| {
        drawn
            .iter()
            .find(|n| n.id == id)
            .map(|n| (PAD + n.depth as f64 * COL, PAD + n.row as f64 * ROW))
    };
    let cols = drawn.iter().map(|n| n.depth).max().unwrap_or(0) + 1;
    let rows = drawn.iter().map(|n| n.row).max().unwrap_or(0) + 1;
    let width = PAD * 2.0 + (cols - 1) as f64 * COL + W;
    let height = PAD * 2.0 + (rows - 1) as f64 * ROW + H;
    let session = |id: &str| p.sessions.iter().find(|s| s.id == id);
    let edges = p.hops.iter().filter_map(|h| {
        let (fx, fy) = pos(&h.from)?;
        let (tx, ty) = pos(&h.to)?;
        let (x1, y1, x2, y2) = (fx + W, fy + H / 2.0, tx, ty + H / 2.0);
        let label = h.at.as_deref().map(|t| t.get(11..16).unwrap_or(t).to_string()).unwrap_or_default();
        Some(html! {
            <g class="hop-edge">
                <title>{ format!("{} → {} via {}{}", h.from, h.to, h.via, h.at.as_deref().map(|t| format!(" at {t}")).unwrap_or_default()) }</title>
                <line x1={format!("{x1:.0}")} y1={format!("{y1:.0}")} x2={format!("{x2:.0}")} y2={format!("{y2:.0}")} marker-end="url(#hop-arrow)" />
                if !label.is_empty() {
                    <text x={format!("{:.0}", (x1 + x2) / 2.0)} y={format!("{:.0}", (y1 + y2) / 2.0 - 4.0)} text-anchor="middle">{ label }</text>
                }
            </g>
        })
    });
    let boxes = drawn.iter().map(|n| {
        let (x, y) = (PAD + n.depth as f64 * COL, PAD + n.row as f64 * ROW);
        let s = session(&n.id);
        let affected = s.is_some_and(|s| s.affected);
        let missing = s.is_none();
        let title = format!(
            "{}{}{}",
            n.id,
            s.and_then(|s| s.agent.as_deref()).map(|a| format!(" ({a})")).unwrap_or_default(),
            if affected { ": affected" } else if missing { ": its log is not among the evidence" } else { "" }
        );
        html! {
            <g class={classes!("hop-node", affected.then_some("affected"), missing.then_some("missing"))} tabindex="0" role="img" aria-label={title.clone()}>
                <title>{ title }</title>
                <rect x={format!("{x:.0}")} y={format!("{y:.0}")} width={format!("{W:.0}")} height={format!("{H:.0}")} rx="6" />
                <text x={format!("{:.0}", x + 10.0)} y={format!("{:.0}", y + H / 2.0 + 4.0)}>{ short(&n.id) }</text>
            </g>
        }
    });
    html! {
        <figure class="hop-graph">
            <svg id="hop-graph" role="group" aria-label="chain-hop graph" xmlns="http://www.w3.org/2000/svg"
                width={format!("{width:.0}")} height={format!("{height:.0}")} viewBox={format!("0 0 {width:.0} {height:.0}")}>
                <defs>
                    <marker id="hop-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" />
                    </marker>
                </defs>
                { for edges }
                { for boxes }
            </svg>
            <figcaption class="note">
                { format!("{} hop(s) between {} session(s) or agent(s); affected ones outlined, dashed where the receiver's log is missing.", p.hops.len(), nodes.len()) }
                if nodes.len() > MAX_NODES { { format!(" The first {MAX_NODES} are drawn; every hop is in the list.") } }
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(from: &str, to: &str) -> HopView {
        HopView {
            from: from.into(),
            to: to.into(),
            via: "Task tool".into(),
            ..HopView::default()
        }
    }

    #[test]
    fn receivers_sit_one_column_right_of_their_sender() {
        let n = layout(&[hop("a", "b"), hop("b", "c"), hop("a", "d")]);
        let at: Vec<(&str, usize, usize)> =
            n.iter().map(|x| (x.id.as_str(), x.depth, x.row)).collect();
        assert_eq!(at, [("a", 0, 0), ("b", 1, 0), ("c", 2, 0), ("d", 1, 1)]);
    }

    #[test]
    fn a_cycle_is_cut_and_ends() {
        let n = layout(&[hop("a", "b"), hop("b", "a")]);
        assert_eq!(n.iter().map(|x| x.depth).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn labels_are_short() {
        assert_eq!(short("11111111-aaaa-4bbb-8ccc-000000000001"), "11111111…");
        assert_eq!(
            short("11111111-aaaa-4bbb-8ccc-000000000001/agent-abc123"),
            "agent-abc123"
        );
        assert_eq!(
            short("https://agents.example.com/a2a/v1/research"),
            "https://agents.example.…"
        );
    }
}
