//! Normalises switchboard JSON for exact comparisons: only what varies from run to run
//! is replaced (channel sequence numbers, uniqueids, start times, durations and
//! timestamps).
#![allow(dead_code)]

use regex::Regex;
use serde_json::{Map, Value};
use std::sync::OnceLock;

/// Keys whose value is a clock reading or a length of time.
const TIMES: &[&str] = &["startTime", "duration"];

/// Timestamps that are `0` until something happens (kept when `0`).
const STAMPS: &[&str] = &[
    "lastCallTimestamp",
    "lastPausedInTimestamp",
    "lastPausedOutTimestamp",
];

fn channel_seq() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // `PJSIP/201-0000000c`, `Local/203@internal-00000002;1`
    RE.get_or_init(|| Regex::new(r"([A-Za-z0-9]+/[^\s>;,/]+?)-[0-9a-f]{8}\b").expect("re"))
}

fn uniqueid() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // `labpbx-1796322494.17`
    RE.get_or_init(|| Regex::new(r"\b[A-Za-z0-9_]+-\d{9,}\.\d+\b").expect("re"))
}

/// `s` with channel sequence numbers as `-*` and uniqueids as `<uid>`.
pub fn text(s: &str) -> String {
    let s = channel_seq().replace_all(s, "$1-*");
    uniqueid().replace_all(&s, "<uid>").into_owned()
}

/// `v` with [`text`] applied to every string and object key, [`TIMES`] values replaced
/// by `"<time>"` (whatever their value) and non-zero [`STAMPS`] by `"<time>"`.
pub fn normalise(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(text(s)),
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                let stamp = STAMPS.contains(&k.as_str()) && x.as_u64() != Some(0);
                let x = if TIMES.contains(&k.as_str()) || stamp {
                    Value::String("<time>".into())
                } else {
                    normalise(x)
                };
                let key = text(k);
                assert!(
                    out.insert(key.clone(), x).is_none(),
                    "two keys normalise to `{key}`: compare without normalising"
                );
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}
