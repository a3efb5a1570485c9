//! One SVG chart per key: usage over time, the baseline band, the alerts marked.
//! Pure SVG attributes (no inline style), so the CSP's `style-src` holds.

use crate::ui::strings as s;
use crate::ui::view::ChartView;
use chrono::DateTime;
use yew::prelude::*;

const W: f64 = 720.0;
const H: f64 = 160.0;
const PAD: f64 = 28.0;

/// Properties of [`Charts`].
#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    /// One chart per key.
    pub charts: Vec<ChartView>,
    /// Whether the section is open.
    #[prop_or_default]
    pub open: bool,
    /// Where its opening and closing go.
    #[prop_or_default]
    pub dispatch: Callback<crate::ui::state::Action>,
}

/// The charts.
#[component]
pub fn Charts(p: &ChartsProps) -> Html {
    if p.charts.iter().all(|c| c.points.is_empty()) {
        return html! {};
    }
    html! {
        <super::Fold section={crate::ui::state::Section::Charts} title={s::CHARTS} open={p.open} dispatch={p.dispatch.clone()}>
            { for p.charts.iter().filter(|c| !c.points.is_empty()).map(chart) }
        </super::Fold>
    }
}

fn secs(t: &str) -> Option<f64> {
    DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|d| d.timestamp() as f64)
}

fn chart(c: &ChartView) -> Html {
    let pts: Vec<(f64, f64)> = c
        .points
        .iter()
        .filter_map(|p| Some((secs(&p.t)?, p.value)))
        .collect();
    let (Some(t0), Some(t1)) = (
        pts.first().map(|p| p.0),
        pts.last().map(|p| p.0 + c.bucket_seconds as f64),
    ) else {
        return html! {};
    };
    let span = (t1 - t0).max(1.0);
    // Scaled to the data; a band reaching above it is clipped at the top.
    let vmax = (pts.iter().map(|p| p.1).fold(c.baseline_median, f64::max) * 1.15).max(1e-9);
    let x = |t: f64| PAD + (t - t0) / span * (W - 2.0 * PAD);
    let y = |v: f64| H - PAD - v / vmax * (H - 2.0 * PAD);
    let line: Vec<String> = pts
        .iter()
        .map(|(t, v)| format!("{:.1},{:.1}", x(*t), y(*v)))
        .collect();
    let band_top = y(c.band_high.min(vmax));
    let band_h = (y(c.band_low) - band_top).max(1.0);
    let base_end = secs(&c.baseline_end).map(x);
    let label = format!(
        "{} per {} for key {}",
        c.unit,
        bucket_name(c.bucket_seconds),
        c.key
    );
    html! {
        <figure class="chart" data-key={c.key.clone()}>
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={label.clone()} class="chart-svg">
                <rect class="band" x={PAD.to_string()} y={format!("{band_top:.1}")} width={(W - 2.0 * PAD).to_string()} height={format!("{band_h:.1}")} />
                { for c.marks.iter().filter_map(|m| {
                    let (a, b) = (secs(&m.start)?, secs(&m.end)?);
                    let (xa, xb) = (x(a.max(t0)), x(b.min(t1)));
                    Some(html! { <rect class={classes!("mark", format!("sev-{}", m.severity))} x={format!("{xa:.1}")} y={PAD.to_string()}
                        width={format!("{:.1}", (xb - xa).max(2.0))} height={(H - 2.0 * PAD).to_string()}><title>{ m.kind.replace('_', " ") }</title></rect> })
                }) }
                if let Some(bx) = base_end { <line class="baseline-end" x1={format!("{bx:.1}")} x2={format!("{bx:.1}")} y1={PAD.to_string()} y2={(H - PAD).to_string()} /> }
                <polyline class="series" points={line.join(" ")} />
                <line class="axis" x1={PAD.to_string()} x2={(W - PAD).to_string()} y1={(H - PAD).to_string()} y2={(H - PAD).to_string()} />
                <text class="axis-label" x={PAD.to_string()} y={(H - 8.0).to_string()}>{ c.points.first().map(|p| p.t.clone()).unwrap_or_default() }</text>
                <text class="axis-label end" x={(W - PAD).to_string()} y={(H - 8.0).to_string()}>{ c.points.last().map(|p| p.t.clone()).unwrap_or_default() }</text>
                <text class="axis-label" x="4" y={(PAD - 8.0).to_string()}>{ format!("max {}", crate::ui::components::alerts::num(vmax)) }</text>
            </svg>
            <figcaption>{ label }{ " · shaded: baseline band · red: alerts · dashed: end of baseline" }</figcaption>
        </figure>
    }
}

fn bucket_name(s: i64) -> String {
    match s {
        60 => "minute".into(),
        3600 => "hour".into(),
        86400 => "day".into(),
        n => format!("{n} s"),
    }
}

/// Properties of [`CostByDay`].
#[derive(Properties, PartialEq)]
pub struct CostByDayProps {
    /// The cost impact (its per-day totals are drawn).
    pub cost: crate::ui::view::CostView,
}

/// Cost per day as bars, the attacker's share in red: where a picture says more than a table.
#[component]
pub fn CostByDay(p: &CostByDayProps) -> Html {
    let days: Vec<(&String, &crate::ui::view::CostTotalsView)> = p.cost.per_day.iter().collect();
    let max = days.iter().map(|(_, t)| t.cost_usd).fold(0.0, f64::max);
    if days.len() < 2 || max <= 0.0 {
        return html! {};
    }
    const BH: f64 = 120.0;
    let step = (W - 2.0 * PAD) / days.len() as f64;
    let bar_w = (step * 0.8).max(1.0);
    let y = |v: f64| BH - PAD - v / max * (BH - 2.0 * PAD);
    let (peak_day, peak) = days
        .iter()
        .max_by(|a, b| a.1.cost_usd.total_cmp(&b.1.cost_usd))
        .map(|(d, t)| (d.as_str(), (*t).clone()))
        .unwrap_or_default();
    let label = format!(
        "{}. From {} to {}; highest {} on {peak_day}, of which {} attributed to the attacker.",
        s::COST_PER_DAY,
        days[0].0,
        days[days.len() - 1].0,
        crate::format::usd(peak.cost_usd),
        crate::format::usd(peak.attacker_cost_usd)
    );
    html! {
        <figure id="cost-by-day" class="chart cost-by-day">
            <svg viewBox={format!("0 0 {W} {BH}")} role="img" aria-label={label.clone()} class="chart-svg">
                { for days.iter().enumerate().map(|(i, (day, t))| {
                    let x = PAD + i as f64 * step + (step - bar_w) / 2.0;
                    let top = y(t.cost_usd);
                    let att = y(t.attacker_cost_usd.min(t.cost_usd));
                    html! { <g>
                        <rect class="bar" x={format!("{x:.1}")} y={format!("{top:.1}")} width={format!("{bar_w:.1}")} height={format!("{:.1}", (BH - PAD - top).max(0.5))} />
                        if t.attacker_cost_usd > 0.0 {
                            <rect class="bar attacker" x={format!("{x:.1}")} y={format!("{att:.1}")} width={format!("{bar_w:.1}")} height={format!("{:.1}", (BH - PAD - att).max(0.5))} />
                        }
                        <title>{ if t.cost_usd == 0.0 && t.cost_unknown {
                            format!("{day}: cost unknown (no cost or token data)")
                        } else {
                            format!("{day}: {} ({} attacker)", crate::format::usd(t.cost_usd), crate::format::usd(t.attacker_cost_usd))
                        } }</title>
                    </g> }
                }) }
                <line class="axis" x1={PAD.to_string()} x2={(W - PAD).to_string()} y1={(BH - PAD).to_string()} y2={(BH - PAD).to_string()} />
                <text class="axis-label" x={PAD.to_string()} y={(BH - 8.0).to_string()}>{ days[0].0.clone() }</text>
                <text class="axis-label end" x={(W - PAD).to_string()} y={(BH - 8.0).to_string()}>{ days[days.len() - 1].0.clone() }</text>
                <text class="axis-label" x="4" y={(PAD - 8.0).to_string()}>{ format!("max {}", crate::format::usd(max)) }</text>
            </svg>
            <figcaption>{ s::COST_PER_DAY }</figcaption>
        </figure>
    }
}
