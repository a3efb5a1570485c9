//! Changes to the responder's context as JSON merge patches (RFC 7386): the page's controls
//! (awareness, checklist states, regimes, the UTC offset...) each send the part they change, and
//! the worker applies it to the context it holds. Objects merge key by key, `null` removes a
//! key, anything else replaces. Pure, tested natively.

use crate::Context;
use serde_json::Value;

/// Applies a merge patch to a context. The known keys (never serialised) and the time are kept
/// from `ctx`; a patch the context cannot hold (an unknown field, a bad time) is refused with
/// the reason, and `ctx` is left as it was.
pub fn apply(ctx: &Context, patch: &Value) -> Result<Context, String> {
    let mut v = serde_json::to_value(ctx).map_err(|e| e.to_string())?;
    merge(&mut v, patch);
    let mut out: Context = serde_json::from_value(v).map_err(|e| e.to_string())?;
    out.known_keys = ctx.known_keys.clone();
    out.now = ctx.now;
    Ok(out)
}

/// RFC 7386 merge.
fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    if let Value::Object(t) = target {
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                merge(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_patch_sets_replaces_and_removes_and_keeps_what_it_does_not_name() {
        let ctx = Context {
            now: Some("2026-11-20T15:00:00Z".parse().unwrap()),
            compromise_start: Some("2026-11-15T00:00:00Z".parse().unwrap()),
            known_keys: vec![
                crate::scan::known_key::KnownKey::parse("sk-proj-abc...BUWv").unwrap(),
            ],
            ..Context::default()
        };
        let c = apply(&ctx, &json!({"awareness": "2026-11-19T08:30:00Z"})).unwrap();
        assert_eq!(c.awareness, Some("2026-11-19T08:30:00Z".parse().unwrap()));
        assert_eq!(c.compromise_start, ctx.compromise_start);
        assert_eq!(c.known_keys.len(), 1, "known keys are kept");
        assert_eq!(c.now, ctx.now);
        let c = apply(
            &c,
            &json!({"awareness": null, "ignore_fingerprints": ["ab", "cd"]}),
        )
        .unwrap();
        assert_eq!(c.awareness, None);
        assert_eq!(c.ignore_fingerprints, ["ab", "cd"]);
        let c = apply(&c, &json!({"ignore_fingerprints": ["ef"]})).unwrap();
        assert_eq!(c.ignore_fingerprints, ["ef"], "arrays replace");
    }

    #[test]
    fn objects_merge_key_by_key() {
        let mut v = json!({"a": {"x": 1, "y": 2}, "b": 1});
        merge(&mut v, &json!({"a": {"y": null, "z": 3}}));
        assert_eq!(v, json!({"a": {"x": 1, "z": 3}, "b": 1}));
    }

    #[test]
    fn a_patch_the_context_cannot_hold_is_refused_with_the_reason() {
        let ctx = Context::default();
        let e = apply(&ctx, &json!({"awarenes": "2026-11-19T08:30:00Z"})).unwrap_err();
        assert!(e.contains("unknown field `awarenes`"), "{e}");
        assert!(apply(&ctx, &json!({"awareness": "soon"})).is_err());
    }
}
