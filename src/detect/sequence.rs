//! Rule detectors over operations and errors: validation-probe bursts, reconnaissance,
//! persistence, logging tampering and exfiltration hints.

use super::baseline::{quantile, KeyCtx};
use super::params::DetectParams;
use super::prepare::{flag, Prepared, NONE};
use super::{AlertKind, Draft, Severity};
use crate::evidence::Target;
use crate::format;
use std::collections::BTreeMap;

#[inline(never)]
pub(crate) fn run(p: &Prepared, k: &KeyCtx, params: &DetectParams, out: &mut Vec<Draft>) {
    probes(p, k, params, out);
    recon(p, k, params, out);
    persistence(p, k, params, out);
    exfiltration(p, k, params, out);
}

/// What a persistence alert says to take back of snapshots and images shared with other
/// accounts.
const SHARED: &str = "what they shared with other accounts (a copy made while it was shared stays theirs: treat what it held as exposed)";

/// Rows the reference window does not cover: after it, or all rows without a baseline.
fn later(p: &Prepared, k: &KeyCtx) -> usize {
    if k.has_baseline {
        k.pos_at(p, k.ref_end)
    } else {
        k.lo
    }
}

/// The operations of `rows` with their counts (`CreateUser ×2`), most frequent first.
pub(crate) fn op_counts(p: &Prepared, rows: &[usize]) -> Vec<String> {
    let mut m: BTreeMap<&str, u64> = BTreeMap::new();
    for &i in rows {
        *m.entry(p.ops.name(p.evs[i].op)).or_default() += 1;
    }
    let mut v: Vec<(&str, u64)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.into_iter().map(|(o, n)| format!("{o} ×{n}")).collect()
}

/// The key or person an alert is about, in words: a person's console session is not a key.
fn actor_name(p: &Prepared, k: &KeyCtx, rows: &[usize]) -> String {
    if super::prepare::is_keyless(&p.keys[k.k].raw) {
        // Rows naming neither a key nor an actor (an Activity Log record without its caller).
        return format!("A caller the records do not name, {},", k.name);
    }
    if rows.iter().all(|&i| p.evs[i].has(flag::HUMAN)) {
        format!("{} (a console session)", k.name)
    } else if p.keys[k.k].person {
        k.name.clone()
    } else {
        format!("Key {}", k.name)
    }
}

/// Where the calls of the rows are documented (the catalog's sources).
fn cited(p: &Prepared, rows: &[usize]) -> String {
    let mut v: Vec<&str> = Vec::new();
    for &i in rows {
        for src in super::catalog::sources(&p.ops.name(p.evs[i].op).to_ascii_lowercase()) {
            if !v.contains(&src) {
                v.push(src);
            }
        }
    }
    if v.is_empty() {
        String::new()
    } else {
        format!(" (calls as named in: {})", v.join("; "))
    }
}

/// What the rows created or changed, named (`api_key key_abc, iam_user backdoor`), up to ten.
/// Only the calls that went through name what they made, unless every one was refused.
fn made_list(p: &Prepared, rows: &[usize]) -> Option<String> {
    named(
        p.targets_done(rows)
            .into_iter()
            .map(String::as_str)
            .collect(),
    )
}

/// Targets named, up to ten.
fn named(mut v: Vec<&str>) -> Option<String> {
    if v.is_empty() {
        return None;
    }
    let more = v.len().saturating_sub(10);
    v.truncate(10);
    Some(
        v.join(", ")
            + &if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            },
    )
}

fn probes(p: &Prepared, k: &KeyCtx, params: &DetectParams, out: &mut Vec<Draft>) {
    let rows: Vec<usize> = (k.lo..k.hi)
        .filter(|&i| p.evs[i].has(flag::PROBE_ERR))
        .collect();
    if rows.is_empty() {
        return;
    }
    // Busiest minute of probe errors in the baseline.
    let max_in_minute = |sel: &[usize]| -> Vec<(usize, usize)> {
        // For each row, the window [row, row+60s): (start idx in sel, count).
        let mut res = Vec::with_capacity(sel.len());
        let mut hi = 0;
        for lo in 0..sel.len() {
            while hi < sel.len() && p.evs[sel[hi]].ts < p.evs[sel[lo]].ts + 60 {
                hi += 1;
            }
            res.push((lo, hi - lo));
        }
        res
    };
    let base: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&i| p.evs[i].ts < k.ref_end)
        .collect();
    let base_max = if k.has_baseline {
        max_in_minute(&base).iter().map(|x| x.1).max().unwrap_or(0)
    } else {
        0
    };
    let thr = (params.probe_min_per_minute as usize).max(2 * base_max + 1);
    let windows = max_in_minute(&rows);
    // Merge flagged windows within 10 minutes.
    let mut groups: Vec<(usize, usize, usize)> = Vec::new(); // (first, last, peak)
    for (lo, n) in windows {
        if n < thr {
            continue;
        }
        let last = lo + n - 1;
        match groups.last_mut() {
            Some(g) if p.evs[rows[lo]].ts <= p.evs[rows[g.1]].ts + 600 => {
                g.1 = g.1.max(last);
                g.2 = g.2.max(n);
            }
            _ => groups.push((lo, last, n)),
        }
    }
    for (a, b, peak) in groups {
        let ev: Vec<usize> = rows[a..=b].to_vec();
        let mut codes: BTreeMap<String, u64> = BTreeMap::new();
        let mut regions: BTreeMap<&str, u64> = BTreeMap::new();
        for &i in &ev {
            let idx = p.evs[i].idx;
            let c = p
                .error_code(idx)
                .map(str::to_string)
                .or(p.http_status(idx).map(|s| format!("HTTP {s}")))
                .unwrap_or_default();
            *codes.entry(c).or_default() += 1;
            if p.evs[i].region != super::prepare::NONE {
                *regions.entry(p.regions.name(p.evs[i].region)).or_default() += 1;
            }
        }
        let values: Vec<String> = codes.iter().map(|(c, n)| format!("{c} ×{n}")).collect();
        let t0 = p.evs[ev[0]].ts;
        let t1 = p.evs[ev[ev.len() - 1]].ts;
        out.push(Draft {
            kind: AlertKind::ValidationProbe,
            severity: Severity::High,
            severity_reason: format!(
                "{peak} probe errors within one minute (threshold {thr}){}",
                if regions.len() > 1 {
                    format!(" across {} regions", regions.len())
                } else {
                    String::new()
                }
            ),
            key: k.k,
            start: t0,
            end: t1,
            observed: peak as f64,
            baseline: Some(base_max as f64),
            unit: "errors/minute",
            numbers: vec![("threshold", thr as f64), ("errors", ev.len() as f64), ("regions", regions.len() as f64)],
            values,
            evidence: ev.clone(),
            sentence: format!(
                "Key {} drew {} validation or authorisation errors between {} and {} (up to {} a minute{}), the pattern of a tool testing what the key can do.",
                k.name,
                ev.len(),
                format::minute(t0),
                format::minute(t1),
                peak,
                if regions.len() > 1 { format!(", in {} regions", regions.len()) } else { String::new() }
            ),
        });
    }
}

fn recon(p: &Prepared, k: &KeyCtx, params: &DetectParams, out: &mut Vec<Draft>) {
    let from = later(p, k);
    let aws_lt = p.keys[k.k].aws_long_term;
    let mut reasons: Vec<(Severity, String)> = Vec::new();
    let mut ev: Vec<usize> = Vec::new();
    let mut console = Vec::new();
    let mut new_recon = Vec::new();
    let mut log_check = Vec::new();
    for i in k.lo..k.hi {
        let e = &p.evs[i];
        if !e.has(flag::RECON) {
            continue;
        }
        // The console calls these with its own session: a long-term key, or a script's
        // temporary credentials, calling them is someone enabling models by hand.
        if e.has(flag::CONSOLE_ONLY) && (aws_lt || !e.has(flag::HUMAN)) {
            console.push(i);
        } else if i >= from && !k.base_ops.contains(&e.op) {
            if e.has(flag::LOG_CHECK) {
                log_check.push(i);
            } else {
                new_recon.push(i);
            }
        }
    }
    if !console.is_empty() {
        reasons.push((
            Severity::High,
            format!(
                "console-only Bedrock API called with {} ({})",
                if aws_lt {
                    "a long-term access key"
                } else {
                    "programmatic credentials, not a console session"
                },
                op_counts(p, &console).join(", ")
            ),
        ));
        ev.extend(&console);
    }
    if !log_check.is_empty() {
        reasons.push((
            Severity::High,
            "model invocation logging configuration read (attackers skip accounts that log prompts)".into(),
        ));
        ev.extend(&log_check);
    }
    // Listing followed by an invocation within the window, when listing is new for the key.
    let w = params.recon_invoke_window_min * 60;
    let mut seq = Vec::new();
    let mut last_list: Option<usize> = None;
    for i in from..k.hi {
        let e = &p.evs[i];
        if e.has(flag::LISTING) && !k.base_ops.contains(&e.op) {
            last_list = Some(i);
        } else if e.has(flag::INVOKE) {
            if let Some(l) = last_list {
                if e.ts - p.evs[l].ts <= w {
                    seq.push(l);
                    seq.push(i);
                    last_list = None;
                }
            }
        }
    }
    if !seq.is_empty() {
        reasons.push((
            Severity::High,
            format!(
                "model listing followed by an invocation within {} minutes",
                params.recon_invoke_window_min
            ),
        ));
        ev.extend(&seq);
    }
    if !new_recon.is_empty() && k.has_baseline {
        reasons.push((
            Severity::Medium,
            format!(
                "reconnaissance calls never made by the key before ({})",
                op_counts(p, &new_recon).join(", ")
            ),
        ));
        ev.extend(&new_recon);
    }
    if reasons.is_empty() {
        return;
    }
    ev.sort_unstable();
    ev.dedup();
    let severity = reasons
        .iter()
        .map(|r| r.0)
        .max()
        .unwrap_or(Severity::Medium);
    let t0 = p.evs[ev[0]].ts;
    let t1 = p.evs[ev[ev.len() - 1]].ts;
    let recon_rows: Vec<usize> = ev
        .iter()
        .copied()
        .filter(|&i| p.evs[i].has(flag::RECON))
        .collect();
    out.push(Draft {
        kind: AlertKind::Recon,
        severity,
        severity_reason: reasons
            .iter()
            .map(|r| r.1.clone())
            .collect::<Vec<_>>()
            .join("; "),
        key: k.k,
        start: t0,
        end: t1,
        observed: recon_rows.len() as f64,
        baseline: None,
        unit: "calls",
        numbers: vec![("rules", reasons.len() as f64)],
        values: op_counts(p, &recon_rows),
        evidence: ev,
        sentence: format!(
            "Key {} was used for reconnaissance from {}: {}.",
            k.name,
            format::minute(t0),
            reasons
                .iter()
                .map(|r| r.1.clone())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    });
}

/// How serious calls that create lasting access are, and why. A key that mints access is the
/// leak spreading (critical). A person in the console doing it is a change to confirm: low
/// when the key's baseline knows the source IP and the hour, medium when there is no baseline
/// to tell; critical again when the IP is new, the client is a known attacker tool, or the
/// key already has other high alerts.
fn persist_severity(
    p: &Prepared,
    k: &KeyCtx,
    params: &DetectParams,
    rows: &[usize],
    (iam, only_read): (bool, bool),
    others_high: bool,
) -> (Severity, String) {
    if !iam {
        return (
            Severity::High,
            "creates fine-tunes, files, assistants or batches the key never made before".into(),
        );
    }
    let did = if only_read {
        "read stored secrets, passwords or keys"
    } else {
        "created identities, credentials or grants"
    };
    person_severity(p, k, params, rows, others_high, did).unwrap_or((
        Severity::Critical,
        format!("a key (not a person in the console) {did} that outlive the leaked key"),
    ))
}

/// How urgent a call is that a person made (a console session, a browser, or an account
/// acting without any key) rather than a key from a script: critical with other signs of abuse
/// or from a source IP or at an hour the baseline never saw, low when both are usual, medium
/// without a baseline to tell. `None`: a key made it. `did` says what the calls did.
fn person_severity(
    p: &Prepared,
    k: &KeyCtx,
    params: &DetectParams,
    rows: &[usize],
    others_high: bool,
    did: &str,
) -> Option<(Severity, String)> {
    let human = p.keys[k.k].person || rows.iter().all(|&i| p.evs[i].has(flag::HUMAN));
    if !human {
        return None;
    }
    let attacker_ua = rows.iter().any(|&i| {
        let ua = p.evs[i].ua;
        ua != NONE && p.ua_attacker[ua as usize]
    });
    if attacker_ua || others_high {
        return Some((
            Severity::Critical,
            format!("{did}, with other signs of abuse on the same key"),
        ));
    }
    // A handful of baseline rows cannot tell a person's usual address or hours.
    if !k.has_baseline || k.base_events < MIN_CONSOLE_BASELINE_ROWS {
        return Some((
            Severity::Medium,
            format!("a person in the console {did}; with no baseline, the source IP and hour cannot be judged: confirm with them"),
        ));
    }
    let new_ip = rows.iter().any(|&i| {
        let ip = p.evs[i].ip;
        ip != NONE && !k.base_ips.contains(&ip)
    });
    // The hours the key was active in its baseline: by volume where it has usage rows, else
    // (a person's console activity, audit rows only) any baseline row within an hour.
    let hour = |t: i64| (t.rem_euclid(super::baseline::DAY) / 3600) as usize;
    let by_volume = k.hour_share.iter().any(|&s| s > 0.0);
    let mut seen = [false; 24];
    for e in &p.evs[k.lo..k.pos_at(p, k.ref_end)] {
        let h = hour(e.ts);
        for d in [23, 0, 1] {
            seen[(h + d) % 24] = true;
        }
    }
    let off_hours = rows.iter().any(|&i| {
        let h = hour(p.evs[i].ts);
        if by_volume {
            k.hour_share[h] < params.active_hour_min_share
        } else {
            !seen[h]
        }
    });
    if new_ip || off_hours {
        return Some((
            Severity::Critical,
            format!(
                "a console session {did} {}",
                if new_ip {
                    "from a source IP the key's baseline never used"
                } else {
                    "outside the key's active hours"
                }
            ),
        ));
    }
    Some((
        Severity::Low,
        "a person in the console, from a known source IP during the key's active hours: a change to confirm, not a sign of abuse on its own".into(),
    ))
}

/// Baseline rows below which a console session's usual address and hours are not judged.
const MIN_CONSOLE_BASELINE_ROWS: u64 = 3;

/// Credentials or identities minted inside the reference window: the baseline learns them as
/// usual, but what they made still exists. One low alert names it, to confirm.
/// Credentials minted, or logging and guardrails changed, inside a key's reference window:
/// learned by the baseline as usual, but still standing unless removed or restored, so one low
/// alert names them to confirm.
fn learned_in_baseline(p: &Prepared, k: &KeyCtx, kind: AlertKind, out: &mut Vec<Draft>) {
    let tamper = kind == AlertKind::LoggingTampering;
    let rows: Vec<usize> = (k.lo..later(p, k))
        .filter(|&i| {
            let e = &p.evs[i];
            if tamper {
                e.has(flag::LOG_TAMPER)
            } else {
                e.has(flag::PERSIST_IAM)
            }
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    let ops = op_counts(p, &rows);
    let made = match made_list(p, &rows) {
        Some(m) => m,
        None if tamper => ops.join(", "),
        None => return,
    };
    let (did, stays) = if tamper {
        (
            "changed or deleted logging or guardrail configuration",
            "that stays so unless restored",
        )
    } else {
        (
            "created credentials, identities or grants",
            "that still exist unless removed",
        )
    };
    out.push(Draft::calls(
        p,
        k,
        kind,
        Severity::Low,
        format!(
            "made inside the reference window, so learned as usual: confirm each was intended{}",
            cited(p, &rows)
        ),
        ops.clone(),
        rows,
        format!(
            "{} {did} before {} {stays} ({}): {made}. Confirm each was intended.",
            k.name,
            format::minute(k.ref_end),
            ops.join(", ")
        ),
    ));
}

fn persistence(p: &Prepared, k: &KeyCtx, params: &DetectParams, out: &mut Vec<Draft>) {
    if k.has_baseline {
        learned_in_baseline(p, k, AlertKind::Persistence, out);
        learned_in_baseline(p, k, AlertKind::LoggingTampering, out);
    }
    let others_high = out
        .iter()
        .any(|d| d.key == k.k && d.severity >= Severity::High);
    let from = later(p, k);
    let mut persist = Vec::new();
    let mut tamper = Vec::new();
    let mut destroy = Vec::new();
    for i in from..k.hi {
        let e = &p.evs[i];
        // Learned as usual: the call made as a flagged call in the reference window.
        if k.base_flagged_ops.contains(&e.op) && k.has_baseline {
            continue;
        }
        if e.has(flag::LOG_TAMPER) {
            tamper.push(i);
        } else if e.has(flag::PERSIST) {
            persist.push(i);
        } else if e.has(flag::DESTROY) {
            destroy.push(i);
        }
    }
    destruction(p, k, params, &destroy, others_high, out);
    if !persist.is_empty() {
        let iam = persist.iter().any(|&i| p.evs[i].has(flag::PERSIST_IAM));
        let calls = Calls::of(p, k, &persist);
        // Secrets, passwords and keys read are rotated, not removed.
        let reads = |i: usize| p.evs[i].has(flag::SECRET_READ);
        let only_read = persist.iter().all(|&i| reads(i));
        let mut read: Vec<&str> = Vec::new();
        for &i in &persist {
            let op = p.ops.name(p.evs[i].op);
            if !p.evs[i].has(flag::ERROR) && reads(i) && !read.contains(&op) {
                read.push(op);
            }
        }
        let rotate = if read.is_empty() {
            String::new()
        } else {
            format!(
                " Rotate every secret, password and key read ({}): each stays usable after the leaked key is revoked.",
                read.join(", ")
            )
        };
        let (severity, mut severity_reason) =
            persist_severity(p, k, params, &persist, (iam, only_read), others_high);
        // Calls that were all refused created nothing: an attempt, not lasting access.
        // What a refused call did not do: make something, or read it.
        let nothing = if only_read { "read" } else { "created" };
        let severity = if calls.refused {
            severity_reason +=
                &format!("; every call was refused, so nothing was {nothing} by them");
            severity.min(Severity::High)
        } else {
            severity
        };
        severity_reason += &cited(p, &persist);
        // What a deletion that went through removed since has nothing left to remove or close.
        let gone: Vec<&String> = if destroy.iter().any(|&i| !p.evs[i].has(flag::ERROR)) {
            p.targets_done(&destroy)
        } else {
            Vec::new()
        };
        let done = p.targets_done(&persist);
        let (standing, deleted): (Vec<&String>, Vec<&String>) =
            done.iter().partition(|t| !gone.contains(t));
        let made = named(standing.iter().map(|t| t.as_str()).collect());
        let deleted = named(deleted.iter().map(|t| t.as_str()).collect())
            .map(|d| format!(" Deleted since (see the destruction alert): {d}."))
            .unwrap_or_default();
        let opened = standing.iter().any(|t| Target::is_opened(t));
        let granted = standing.iter().any(|t| Target::is_grant(t));
        let federated = standing.iter().any(|t| Target::is_federation_token(t));
        // A snapshot or an image shared with other accounts is taken back, and what it held is
        // theirs already if they copied it.
        let shares = standing.iter().filter(|t| Target::is_share(t)).count();
        let Calls { who, at, list, .. } = &calls;
        let sentence = if calls.refused {
            let tried = if only_read {
                "tried to read stored secrets, passwords or keys"
            } else {
                "tried calls that can keep access after the key is revoked"
            };
            format!(
                "{who} {tried}, from {at}: {list}. Every call was refused, so nothing was {nothing} by them{}; expect another attempt with other credentials.",
                made.map(|m| format!(" (they named {m})")).unwrap_or_default()
            )
        } else if only_read {
            format!(
                "{who} read stored secrets, passwords or keys, from {at}: {list}{}.{rotate}{}",
                calls.refusals("of the calls refused"),
                made.map(|m| format!(" What the evidence names: {m}."))
                    .unwrap_or_default()
            )
        } else {
            format!(
                "{who} made calls that can keep access after the key is revoked, from {at}: {list}{}. {}{deleted}",
                calls.refusals("of the calls refused"),
                match &made {
                    Some(m) if shares > 0 && shares == standing.len() => {
                        format!("Take back {SHARED}: {m}.")
                    }
                    Some(m) => {
                        // A bucket opened to others is closed, not removed; deleting the key
                        // does not revoke a federation token: its user is denied.
                        let first = if opened {
                            "Remove what they created and close what they opened to others"
                        } else if federated {
                            "Remove what they created, and deny the user that asked for a federation token every action until it expires (deleting the key does not revoke it)"
                        } else if granted {
                            "Remove what they created and take back what they granted (detach the policy, restore the trust policy, remove the membership)"
                        } else {
                            "Remove what they created"
                        };
                        if shares > 0 {
                            format!("{first}; take back {SHARED}: {m}.")
                        } else {
                            format!("{first}: {m}.")
                        }
                    }
                    None if done.is_empty() =>
                        "Review and remove or close what they created, shared or opened (the evidence rows do not name it)."
                            .into(),
                    None => "Nothing they named is left to remove or close.".into(),
                }
            ) + &rotate
        };
        let mut draft = calls.draft(
            p,
            k,
            AlertKind::Persistence,
            (severity, severity_reason),
            persist,
            sentence,
        );
        if only_read {
            // What the revocation list rotates rather than removes.
            draft.numbers.push(("secrets_read", draft.observed));
        }
        out.push(draft);
    }
    if !tamper.is_empty() {
        let calls = Calls::of(p, k, &tamper);
        let what = made_list(p, &tamper)
            .map(|m| format!(": {m}"))
            .unwrap_or_default();
        let Calls { who, at, list, .. } = &calls;
        let (severity, why, sentence) = if calls.refused {
            (
                Severity::High,
                "calls that delete or reconfigure logging or a safety guardrail, every one refused: nothing was changed by them, but whoever holds the key tried to hide",
                format!(
                    "{who} tried to change or delete logging or guardrail configuration at {at} ({list}{what}). Every call was refused, so the logs are as they were; expect another attempt with other credentials."
                ),
            )
        } else {
            (
                Severity::Critical,
                "logging or a safety guardrail deleted or reconfigured: later activity may be invisible or unchecked",
                format!(
                    "{who} changed or deleted logging or guardrail configuration at {at} ({list}{}{what}); activity after this may be missing from the logs.",
                    calls.refusals("refused")
                ),
            )
        };
        let reason = format!("{why}{}", cited(p, &tamper));
        out.push(calls.draft(
            p,
            k,
            AlertKind::LoggingTampering,
            (severity, reason),
            tamper,
            sentence,
        ));
    }
}

/// What an alert on calls that change what lasts (lasting access, logging, deletions) says of
/// them: who made them, from when, the calls by operation, and how many were refused.
struct Calls {
    ops: Vec<String>,
    who: String,
    /// The first call's minute.
    at: String,
    /// The calls by operation, joined.
    list: String,
    /// How many were refused (an error recorded: nothing done).
    failed: usize,
    /// Every one was refused: an attempt that changed nothing.
    refused: bool,
}

impl Calls {
    fn of(p: &Prepared, k: &KeyCtx, rows: &[usize]) -> Calls {
        let ops = op_counts(p, rows);
        let failed = rows.iter().filter(|&&i| p.evs[i].has(flag::ERROR)).count();
        Calls {
            who: actor_name(p, k, rows),
            at: format::minute(p.evs[rows[0]].ts),
            list: ops.join(", "),
            ops,
            failed,
            refused: failed == rows.len(),
        }
    }

    /// "; N {words}" when some of the calls, not all, were refused.
    fn refusals(&self, words: &str) -> String {
        if self.failed > 0 && !self.refused {
            format!("; {} {words}", self.failed)
        } else {
            String::new()
        }
    }

    /// The alert on these calls (`rows`), which counts the refused ones apart from the calls
    /// that went through.
    fn draft(
        self,
        p: &Prepared,
        k: &KeyCtx,
        kind: AlertKind,
        (severity, reason): (Severity, String),
        rows: Vec<usize>,
        sentence: String,
    ) -> Draft {
        let mut draft = Draft::calls(p, k, kind, severity, reason, self.ops, rows, sentence);
        draft.numbers.push(("refused", self.failed as f64));
        draft
    }
}

/// Stored data, or what holds it, deleted by the key after its reference window (calls its
/// baseline never made): critical when one of them succeeded, high when every one was refused.
fn destruction(
    p: &Prepared,
    k: &KeyCtx,
    params: &DetectParams,
    rows: &[usize],
    others_high: bool,
    out: &mut Vec<Draft>,
) {
    if rows.is_empty() {
        return;
    }
    let calls = Calls::of(p, k, rows);
    // A KMS key disabled or scheduled for deletion: the data it encrypts is unreadable, and
    // lost for good only when the waiting period ends, so it can still be saved.
    let keys = rows.iter().filter(|&&i| {
        p.targets_of(p.evs[i].idx)
            .iter()
            .any(|t| Target::is_kms_key(t))
    });
    let kms_calls = keys.count();
    let kms = kms_calls > 0;
    let kms_only = kms_calls == rows.len();
    let did = match (calls.refused, kms_only) {
        (true, false) => "tried to delete stored data or what holds it",
        (false, false) => "deleted stored data or what holds it",
        (true, true) => "tried to disable a KMS key or schedule its deletion",
        (false, true) => "disabled a KMS key or scheduled its deletion",
    };
    let lost = if kms_only {
        "a KMS key disabled or scheduled for deletion: nothing encrypted under it can be decrypted, and once the waiting period ends nothing ever can"
    } else {
        "stored data or what holds it deleted: what it held is gone unless a copy exists"
    };
    let (severity, why) = if calls.refused {
        (
            Severity::High,
            "calls that delete stored data or what holds it, every one refused: nothing was deleted by them, but whoever holds the key tried".to_string(),
        )
    } else {
        // A person deleting in the console as usual is a change to confirm.
        person_severity(p, k, params, rows, others_high, did)
            .unwrap_or((Severity::Critical, lost.into()))
    };
    let after = if calls.refused {
        "Every call was refused; expect another attempt with other credentials.".to_string()
    } else {
        let saved = "A KMS key disabled or scheduled for deletion can still be saved: cancel its deletion (CancelKeyDeletion) before the waiting period of 7 to 30 days ends, then enable it (EnableKey); until then nothing encrypted under it can be decrypted, and once it is deleted, nothing ever can.";
        let gone = "What was deleted is gone unless a copy exists: check versioning, snapshots, backups and replicas before their retention ends, and that no one claims a deleted bucket's name.";
        match (kms, kms_only) {
            (true, true) => saved.to_string(),
            (true, false) => format!("{gone} {saved}"),
            (false, _) => gone.to_string(),
        }
    };
    let sentence = format!(
        "{} {did} from {} ({}{}{}). {after}",
        calls.who,
        calls.at,
        calls.list,
        calls.refusals("refused"),
        made_list(p, rows)
            .map(|m| format!(": {m}"))
            .unwrap_or_default()
    );
    let reason = format!("{why}{}", cited(p, rows));
    let mut draft = calls.draft(
        p,
        k,
        AlertKind::Destruction,
        (severity, reason),
        rows.to_vec(),
        sentence,
    );
    // The calls on KMS keys, saved otherwise than from a copy.
    if kms {
        draft.numbers.push(("kms_key_calls", kms_calls as f64));
    }
    out.push(draft);
}

impl Draft {
    /// An alert counting calls: from the first row to the last, the calls counted by
    /// operation in `values`, the rows its evidence.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn calls(
        p: &Prepared,
        k: &KeyCtx,
        kind: AlertKind,
        severity: Severity,
        severity_reason: String,
        values: Vec<String>,
        rows: Vec<usize>,
        sentence: String,
    ) -> Draft {
        Draft {
            kind,
            severity,
            severity_reason,
            key: k.k,
            start: p.evs[rows[0]].ts,
            end: p.evs[rows[rows.len() - 1]].ts,
            observed: rows.len() as f64,
            baseline: None,
            unit: "calls",
            numbers: vec![("calls", rows.len() as f64)],
            values,
            evidence: rows,
            sentence,
        }
    }
}

/// Output and input token thresholds for "unusually large" requests of a key.
pub(crate) fn exfil_thresholds(p: &Prepared, k: &KeyCtx, params: &DetectParams) -> (f64, f64) {
    let base: Vec<&super::prepare::Ev> = p.evs[k.lo..k.pos_at(p, k.ref_end)]
        .iter()
        .filter(|e| e.has(flag::POINT) && e.has(flag::USAGE))
        .collect();
    let (mut thr_in, mut thr_out) = (
        params.exfil_min_input_tokens,
        params.exfil_min_output_tokens,
    );
    if k.has_baseline && base.len() >= 20 {
        let mut vi: Vec<f64> = base.iter().map(|e| e.tok_in).collect();
        let mut vo: Vec<f64> = base.iter().map(|e| e.tok_out).collect();
        // Above the baseline's largest request too: a key that sometimes writes long reports
        // keeps them below the threshold.
        let max_in = vi.iter().copied().fold(0.0, f64::max);
        let max_out = vo.iter().copied().fold(0.0, f64::max);
        let p_in = quantile(&mut vi, 0.99);
        let p_out = quantile(&mut vo, 0.99);
        thr_in = thr_in
            .max(params.exfil_baseline_factor * p_in)
            .max(max_in + 1.0);
        thr_out = thr_out
            .max(params.exfil_baseline_factor * p_out)
            .max(max_out + 1.0);
    }
    (thr_in, thr_out)
}

fn exfiltration(p: &Prepared, k: &KeyCtx, params: &DetectParams, out: &mut Vec<Draft>) {
    let (thr_in, thr_out) = exfil_thresholds(p, k, params);
    let from = later(p, k);
    let rows: Vec<usize> = (from..k.hi)
        .filter(|&i| {
            let e = &p.evs[i];
            e.has(flag::POINT) && e.has(flag::USAGE) && (e.tok_out >= thr_out || e.tok_in >= thr_in)
        })
        .collect();
    if (rows.len() as u64) < params.exfil_min_requests {
        return;
    }
    let max_out = rows.iter().map(|&i| p.evs[i].tok_out).fold(0.0, f64::max);
    let max_in = rows.iter().map(|&i| p.evs[i].tok_in).fold(0.0, f64::max);
    let tot_out: f64 = rows.iter().map(|&i| p.evs[i].tok_out).sum();
    let t0 = p.evs[rows[0]].ts;
    let t1 = p.evs[rows[rows.len() - 1]].ts;
    out.push(Draft {
        kind: AlertKind::Exfiltration,
        severity: Severity::High,
        severity_reason: format!(
            "{} requests above {} output or {} input tokens (the largest of the floor, {}× the baseline's 99th percentile and its largest request)",
            rows.len(),
            format::num(thr_out),
            format::num(thr_in),
            params.exfil_baseline_factor
        ),
        key: k.k,
        start: t0,
        end: t1,
        observed: max_out,
        baseline: Some(thr_out / params.exfil_baseline_factor),
        unit: "output tokens",
        numbers: vec![
            ("requests", rows.len() as f64),
            ("max_input_tokens", max_in),
            ("total_output_tokens", tot_out),
            ("threshold_output", thr_out),
            ("threshold_input", thr_in),
        ],
        values: Vec::new(),
        evidence: rows.clone(),
        sentence: format!(
            "Key {} made {} unusually large requests between {} and {} (up to {} output tokens), which may carry data out.",
            k.name,
            rows.len(),
            format::minute(t0),
            format::minute(t1),
            format::num(max_out)
        ),
    });
}
