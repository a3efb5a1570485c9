//! The incident as a picture: a swimlane over time (a lane per key with its attack phases and
//! alerts, a lane per exposed credential from its introducing commit, the responder's
//! milestones, the notification deadlines), zoomable to the attack window. Every bar and mark
//! is focusable and names itself (hover, focus and screen readers); it prints as drawn.

use crate::ui::lanes::{self, LaneKind, Lanes};
use crate::ui::view::ReportView;
use chrono::DateTime;
use yew::prelude::*;

const WIDTH: f64 = 640.0;
const LABEL: f64 = 118.0;
const LANE: f64 = 24.0;
const TOP: f64 = 22.0;

/// Tick times for a range: five, evenly spaced.
pub fn ticks(range: (i64, i64)) -> Vec<i64> {
    let (a, b) = range;
    (0..5).map(|i| a + (b - a) * i / 4).collect()
}

/// A tick's label: the date and, when the range is under three days, the time.
pub fn tick_label(t: i64, range: (i64, i64)) -> String {
    let Some(d) = DateTime::from_timestamp(t, 0) else {
        return String::new();
    };
    if range.1 - range.0 < 3 * 86_400 {
        d.format("%m-%d %H:%M").to_string()
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

/// Properties of [`IncidentPicture`].
#[derive(Properties, PartialEq)]
pub struct IncidentPictureProps {
    /// The report.
    pub report: std::rc::Rc<ReportView>,
}

/// The incident picture; nothing when the report holds no time.
#[component]
pub fn IncidentPicture(p: &IncidentPictureProps) -> Html {
    let zoom = use_state(|| true);
    let Some(l) = lanes::lanes(&p.report) else {
        return html! {};
    };
    let range = match (*zoom, l.attack) {
        (true, Some(a)) => a,
        _ => l.whole,
    };
    let set = |v: bool| {
        let zoom = zoom.clone();
        Callback::from(move |_: MouseEvent| zoom.set(v))
    };
    html! {
        <figure id="incident-picture" class="incident-picture">
            <div class="picture-head no-print">
                <span class="jump-label">{ "Show:" }</span>
                if l.attack.is_some() {
                    <button id="zoom-attack" type="button" class="link" aria-pressed={(*zoom).to_string()} onclick={set(true)}>{ "the attack window" }</button>
                }
                <button id="zoom-whole" type="button" class="link" aria-pressed={(!*zoom || l.attack.is_none()).to_string()} onclick={set(false)}>{ "the whole incident" }</button>
            </div>
            { draw(&l, range) }
            <figcaption class="note">
                { "Each lane over time: a key's attack phases (bars) and alerts (marks); a leaked credential's exposure from the commit that added it; the responder's milestones; the notification deadlines. Focus or hover for details." }
                if !l.left_out.is_empty() { { format!(" Not drawn: {}.", l.left_out.join(", ")) } }
            </figcaption>
        </figure>
    }
}

fn draw(l: &Lanes, range: (i64, i64)) -> Html {
    let (a, b) = range;
    let span = (b - a).max(1) as f64;
    let x = |t: i64| LABEL + (t.clamp(a, b) - a) as f64 / span * (WIDTH - LABEL - 10.0);
    let inside = |t: i64| t >= a && t <= b;
    let height = TOP + LANE * l.lanes.len() as f64 + 8.0;
    let lane_html = l.lanes.iter().enumerate().map(|(i, lane)| {
        let y = TOP + LANE * i as f64;
        let mid = y + LANE / 2.0;
        let kind = match lane.kind {
            LaneKind::Key => "lane-key",
            LaneKind::Exposure => "lane-exposure",
            LaneKind::Milestones => "lane-milestones",
            LaneKind::Deadlines => "lane-deadlines",
        };
        let label: String = if lane.label.chars().count() > 16 {
            format!("{}…", lane.label.chars().take(15).collect::<String>())
        } else {
            lane.label.clone()
        };
        html! {
            <g class={classes!("lane", kind)}>
                <line class="lane-rule" x1={format!("{LABEL:.0}")} x2={format!("{:.0}", WIDTH - 10.0)} y1={format!("{mid:.1}")} y2={format!("{mid:.1}")} />
                <text class="lane-label" x="4" y={format!("{:.1}", mid + 4.0)}><title>{ &lane.label }</title>{ label }</text>
                { for lane.bars.iter().filter(|bar| bar.to >= a && bar.from <= b).map(|bar| {
                    let (x1, x2) = (x(bar.from), x(bar.to));
                    html! {
                        <rect class={classes!("bar", bar.class.clone())} tabindex="0" role="img" aria-label={bar.title.clone()}
                            x={format!("{x1:.1}")} y={format!("{:.1}", y + 6.0)} width={format!("{:.1}", (x2 - x1).max(3.0))} height={format!("{:.1}", LANE - 12.0)}>
                            <title>{ &bar.title }</title>
                        </rect>
                    }
                }) }
                { for lane.marks.iter().filter(|m| inside(m.at)).map(|m| {
                    let cx = x(m.at);
                    let points = format!("{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}", cx, mid - 7.0, cx + 6.0, mid, cx, mid + 7.0, cx - 6.0, mid);
                    html! {
                        <g class={classes!("mark", m.class.clone())} tabindex="0" role="img" aria-label={m.title.clone()}>
                            <title>{ &m.title }</title>
                            <polygon points={points} />
                        </g>
                    }
                }) }
            </g>
        }
    });
    let tick_html = ticks(range).into_iter().enumerate().map(|(i, t)| {
        let tx = x(t);
        // The last label ends at its tick, so it stays inside the picture.
        let anchor = if i == 4 { "end" } else { "middle" };
        html! {
            <g class="tick">
                <line x1={format!("{tx:.1}")} x2={format!("{tx:.1}")} y1={format!("{:.0}", TOP - 4.0)} y2={format!("{:.0}", height - 8.0)} />
                <text x={format!("{tx:.1}")} y="12" text-anchor={anchor}>{ tick_label(t, range) }</text>
            </g>
        }
    });
    html! {
        <svg id="incident-svg" class="incident-svg" role="group" aria-label="the incident over time"
            xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {WIDTH:.0} {height:.0}")} preserveAspectRatio="xMinYMin meet">
            { for tick_html }
            { for lane_html }
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_span_the_range_and_label_by_its_length() {
        let r = (1_763_600_000, 1_763_600_000 + 86_400);
        let t = ticks(r);
        assert_eq!((t[0], t[4]), r);
        assert!(tick_label(t[0], r).contains(':'), "hours on a short range");
        let long = (r.0, r.0 + 30 * 86_400);
        assert_eq!(tick_label(long.0, long).len(), 10, "dates on a long range");
    }
}
