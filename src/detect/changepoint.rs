//! Change-point estimate of when a key's usage stepped up.
//!
//! The model: a key's daily `log1p` series is a straight line (legitimate growth or decline)
//! plus, from day `k` on, an upward step `c`. For every `k` the least-squares fit of
//! `y = a + b·t + c·[t ≥ k]` is solved in O(1) from prefix sums, so the scan is O(n). The best
//! `k` is kept when the fit beats the plain line by more than a BIC penalty (2 extra
//! parameters: `2·ln n`) and the step is at least `ln(min_ratio)`. A ramp of legitimate growth
//! is explained by the line and gives no change point; a quiet key that jumps does.

/// A change point found in a daily series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChangePoint {
    /// Index of the first day after the change.
    pub index: usize,
    /// Confidence in 0–1: `1 − exp(−(LR − penalty)/penalty)`.
    pub confidence: f64,
    /// The fitted step in log1p units.
    pub step: f64,
    /// Likelihood-ratio statistic `n·ln(SSE_line / SSE_step)`.
    pub lr: f64,
}

/// Finds the most likely upward step. `min_before` days must precede it.
pub fn find_step(y: &[f64], min_before: usize, min_ratio: f64) -> Option<ChangePoint> {
    let n = y.len();
    if n < min_before + 1 || n < 4 {
        return None;
    }
    let nf = n as f64;
    let (mut st, mut stt, mut sy, mut sty, mut syy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (t, &v) in y.iter().enumerate() {
        let t = t as f64;
        st += t;
        stt += t * t;
        sy += v;
        sty += t * v;
        syy += v * v;
    }
    // The line alone.
    let det2 = nf * stt - st * st;
    if det2.abs() < 1e-12 {
        return None;
    }
    let b = (nf * sty - st * sy) / det2;
    let a = (sy - b * st) / nf;
    let eps = 1e-4 * nf;
    let sse_line = (syy - a * sy - b * sty).max(0.0) + eps;
    // Suffix sums for the step indicator.
    let mut best: Option<ChangePoint> = None;
    let (mut dn, mut dt, mut dy) = (0.0, 0.0, 0.0);
    let penalty = 2.0 * nf.ln();
    for k in (min_before.max(1)..n).rev() {
        dn += 1.0;
        dt += k as f64;
        dy += y[k];
        // Normal equations for [1, t, d].
        let m = [[nf, st, dn], [st, stt, dt], [dn, dt, dn]];
        let r = [sy, sty, dy];
        let Some(beta) = solve3(m, r) else { continue };
        let c = beta[2];
        if c < min_ratio.ln() {
            continue;
        }
        let sse = (syy - beta[0] * sy - beta[1] * sty - beta[2] * dy).max(0.0) + eps;
        let lr = nf * (sse_line / sse).ln();
        if best.is_none_or(|b| lr > b.lr) {
            best = Some(ChangePoint {
                index: k,
                confidence: 0.0,
                step: c,
                lr,
            });
        }
    }
    let mut cp = best?;
    if cp.lr <= penalty {
        return None;
    }
    cp.confidence = (1.0 - (-(cp.lr - penalty) / penalty).exp()).clamp(0.0, 0.99);
    Some(cp)
}

fn solve3(m: [[f64; 3]; 3], r: [f64; 3]) -> Option<[f64; 3]> {
    let det = |m: &[[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(&m);
    if d.abs() < 1e-9 {
        return None;
    }
    let mut out = [0.0; 3];
    for (i, o) in out.iter_mut().enumerate() {
        let mut mi = m;
        for row in 0..3 {
            mi[row][i] = r[row];
        }
        *o = det(&mi) / d;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_step_after_a_flat_series() {
        let mut y: Vec<f64> = (0..30).map(|i| 5.0 + 0.05 * ((i % 3) as f64)).collect();
        y.extend([8.0, 8.1]);
        let cp = find_step(&y, 3, 2.0).unwrap();
        assert_eq!(cp.index, 30);
        assert!(cp.confidence > 0.5, "{cp:?}");
    }

    #[test]
    fn a_ramp_is_not_a_step() {
        let y: Vec<f64> = (0..56)
            .map(|i| 5.0 + 0.04 * i as f64 + 0.05 * ((i * 7 % 5) as f64))
            .collect();
        assert_eq!(find_step(&y, 3, 2.0), None);
    }

    #[test]
    fn short_or_flat_series_give_nothing() {
        assert_eq!(find_step(&[1.0, 1.0], 1, 2.0), None);
        assert_eq!(find_step(&[1.0; 20], 3, 2.0), None);
    }
}
