//! Deterministic synthetic usage for the scenario tests and the benchmark (no `rand` crate).
//!
//! Not used by the engine itself.

use crate::evidence::event::{Granularity, RawRef, RecordKind, UsageEvent};
use chrono::{DateTime, Duration, Utc};

/// SplitMix64: a small, fast, seeded generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform integer in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
    /// Picks one element.
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
}

/// A model with its list prices (dollars per token).
#[derive(Debug, Clone)]
pub struct Model {
    /// Model id.
    pub name: String,
    /// Dollars per input token.
    pub price_in: f64,
    /// Dollars per output token.
    pub price_out: f64,
}

impl Model {
    /// A model with prices per million tokens.
    pub fn per_million(name: &str, input: f64, output: f64) -> Self {
        Model {
            name: name.into(),
            price_in: input / 1e6,
            price_out: output / 1e6,
        }
    }
}

/// Fields shared by every row of a traffic source.
#[derive(Debug, Clone)]
pub struct Source {
    /// Key id.
    pub key: String,
    /// Provider.
    pub provider: String,
    /// Source format.
    pub source_format: String,
    /// Evidence file name.
    pub file: String,
    /// Operation.
    pub op: String,
    /// Record kind.
    pub kind: RecordKind,
    /// IPs to draw from (empty: none).
    pub ips: Vec<String>,
    /// User agents to draw from (empty: none).
    pub uas: Vec<String>,
    /// Models to draw from (empty: none).
    pub models: Vec<Model>,
    /// Regions to draw from (empty: none).
    pub regions: Vec<String>,
    /// Mean input tokens (0: no token fields).
    pub tok_in: f64,
    /// Mean output tokens.
    pub tok_out: f64,
    /// Whether rows carry a cost.
    pub with_cost: bool,
}

impl Source {
    /// A per-request chat source with sensible defaults.
    pub fn chat(key: &str, file: &str) -> Self {
        Source {
            key: key.into(),
            provider: "openai".into(),
            source_format: "synthetic.requests".into(),
            file: file.into(),
            op: "chat.completions".into(),
            kind: RecordKind::Request,
            ips: vec!["203.0.113.10".into(), "203.0.113.11".into()],
            uas: vec!["OpenAI/Python 1.51.0".into()],
            models: vec![Model::per_million("gpt-4o-mini", 0.15, 0.6)],
            regions: Vec::new(),
            tok_in: 600.0,
            tok_out: 250.0,
            with_cost: true,
        }
    }

    /// One row at `t`.
    pub fn row(&self, rng: &mut Rng, t: DateTime<Utc>, line: u64) -> UsageEvent {
        let mut e = UsageEvent::new(
            t,
            &self.provider,
            &self.source_format,
            RawRef {
                file: self.file.clone(),
                line: Some(line),
                record: None,
            },
        );
        e.granularity = Granularity::Event;
        e.record_kind = self.kind;
        e.key_id = Some(self.key.clone());
        e.operation = Some(self.op.clone());
        e.requests = Some(1);
        if !self.ips.is_empty() {
            e.source_ip = Some(rng.pick(&self.ips).clone());
        }
        if !self.uas.is_empty() {
            e.user_agent = Some(rng.pick(&self.uas).clone());
        }
        if !self.regions.is_empty() {
            e.region = Some(rng.pick(&self.regions).clone());
        }
        if !self.models.is_empty() {
            let m = rng.pick(&self.models).clone();
            if self.tok_in > 0.0 {
                let ti = (self.tok_in * (0.5 + rng.f64())).round() as u64;
                let to = (self.tok_out * (0.5 + rng.f64())).round() as u64;
                e.input_tokens = Some(ti);
                e.output_tokens = Some(to);
                if self.with_cost {
                    e.cost_usd = Some(ti as f64 * m.price_in + to as f64 * m.price_out);
                }
            }
            e.model = Some(m.name);
        }
        e
    }
}

/// A legitimate daily pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// First day (00:00 UTC).
    pub start: DateTime<Utc>,
    /// Number of days.
    pub days: u32,
    /// Requests on day 0.
    pub daily: f64,
    /// Compound growth per day (0.04 = 4 %).
    pub growth: f64,
    /// Factor on Saturdays and Sundays.
    pub weekend: f64,
    /// Day indexes with `holiday_factor`.
    pub holidays: Vec<u32>,
    /// Factor on holidays.
    pub holiday_factor: f64,
    /// Working hours (UTC) [from, to).
    pub hours: (u32, u32),
    /// Share of requests at any hour of the day instead.
    pub anytime_share: f64,
    /// Probability that a day has any traffic at all (dormant keys).
    pub day_prob: f64,
}

impl Pattern {
    /// `days` days of `daily` requests in working hours 08–18 UTC, no growth or dips.
    pub fn steady(start: DateTime<Utc>, days: u32, daily: f64) -> Self {
        Pattern {
            start,
            days,
            daily,
            growth: 0.0,
            weekend: 1.0,
            holidays: Vec::new(),
            holiday_factor: 1.0,
            hours: (8, 18),
            anytime_share: 0.02,
            day_prob: 1.0,
        }
    }
}

/// Generates rows following a pattern. `line` is the running line number in the file.
pub fn legit(src: &Source, pat: &Pattern, rng: &mut Rng, line: &mut u64) -> Vec<UsageEvent> {
    let mut out = Vec::new();
    for d in 0..pat.days {
        if rng.f64() >= pat.day_prob {
            continue;
        }
        let day = pat.start + Duration::days(d as i64);
        let dow = (day.timestamp().div_euclid(86_400) + 3).rem_euclid(7); // Monday = 0
        let mut v = pat.daily * (1.0 + pat.growth).powi(d as i32);
        if dow >= 5 {
            v *= pat.weekend;
        }
        if pat.holidays.contains(&d) {
            v *= pat.holiday_factor;
        }
        v *= 0.9 + 0.2 * rng.f64();
        let n = v.round().max(if pat.day_prob < 1.0 { 1.0 } else { 0.0 }) as u64;
        let span = (pat.hours.1 - pat.hours.0).max(1) as u64 * 3600;
        for _ in 0..n {
            let secs = if rng.f64() < pat.anytime_share {
                rng.below(86_400)
            } else {
                pat.hours.0 as u64 * 3600 + rng.below(span)
            };
            *line += 1;
            out.push(src.row(rng, day + Duration::seconds(secs as i64), *line));
        }
    }
    out
}

/// `n` rows spread uniformly over [from, to).
pub fn spread(
    src: &Source,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    n: u64,
    rng: &mut Rng,
    line: &mut u64,
) -> Vec<UsageEvent> {
    let span = (to - from).num_seconds().max(1) as u64;
    (0..n)
        .map(|_| {
            *line += 1;
            let at = from + Duration::seconds(rng.below(span) as i64);
            src.row(rng, at, *line)
        })
        .collect()
}
