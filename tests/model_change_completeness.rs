//! Change completeness: over every recorded transcript, an event that changes what an
//! extension's JSON renders (in any privacy view) names that extension in an
//! `ExtensionChanged`, so clients never keep a stale `extenUpdate` view; and a dialplan step
//! that changes nothing visible names no one (each `ExtensionChanged` is a push to every
//! client).

mod model_support;

use model_support::*;
use nethcti_server::adapters::ami::translate::translate;
use nethcti_server::domain::change::Change;
use nethcti_server::domain::pbx_event::PbxEvent;
use nethcti_server::domain::switchboard::{PrivacyView, Switchboard};
use serde_json::Value;
use std::collections::BTreeSet;

/// The views a client may be pushed.
const VIEWS: [PrivacyView; 3] = [PrivacyView::Clear, PrivacyView::All, PrivacyView::NonQueue];

/// Every extension's JSON in every view, at the fixed [`NOW`] (durations do not tick).
fn render_all(sb: &Switchboard) -> Vec<(String, [Value; 3])> {
    sb.extension_ids()
        .map(|e| {
            let v = VIEWS.map(|view| sb.extension_json(e, NOW, view).unwrap_or(Value::Null));
            (e.to_owned(), v)
        })
        .collect()
}

/// The transcripts of `fixtures/ami/`, in name order.
fn transcripts() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ami");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("fixtures/ami")
        .filter_map(|d| d.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".ami"))
        .collect();
    names.sort();
    names
}

/// Replays `name` on a switchboard loaded with `startup`; returns one line per event that
/// changed an extension's JSON without naming it, and one per dialplan step (`Newexten`)
/// that named an extension whose JSON did not change.
fn silent_changes(startup: &str, name: &str) -> Vec<String> {
    let (mut sb, _) = lab_loaded(startup, NOW);
    let mut before = render_all(&sb);
    let mut missing = Vec::new();
    for (i, rec) in transcript(name).iter().enumerate() {
        let Rec::In(_, frame) = rec else {
            continue;
        };
        let Some(ev) = translate(frame) else {
            continue;
        };
        let label = format!("{ev:?}");
        let dialplan_step = matches!(ev, PbxEvent::ChannelApp { .. });
        let changes = sb.apply(ev, NOW);
        let named: BTreeSet<&str> = changes
            .iter()
            .filter_map(|c| match c {
                Change::ExtensionChanged(e) => Some(e.as_str()),
                _ => None,
            })
            .collect();
        let after = render_all(&sb);
        for ((e, old), (_, new)) in before.iter().zip(&after) {
            if dialplan_step && old == new && named.contains(e.as_str()) {
                let short: String = label.chars().take(160).collect();
                missing.push(format!(
                    "{startup} + {name} record {i}: ext {e} named by a dialplan step that changed nothing: {short}"
                ));
            }
            if old != new && !named.contains(e.as_str()) {
                let views: Vec<String> = VIEWS
                    .iter()
                    .zip(old.iter().zip(new))
                    .filter(|(_, (o, n))| o != n)
                    .map(|(v, _)| format!("{v:?}"))
                    .collect();
                let short: String = label.chars().take(160).collect();
                missing.push(format!(
                    "{startup} + {name} record {i}: ext {e} changed ({}) without ExtensionChanged: {short}",
                    views.join(",")
                ));
            }
        }
        before = after;
    }
    missing
}

fn assert_complete(startup: &str) {
    let missing: Vec<String> = transcripts()
        .iter()
        .flat_map(|t| silent_changes(startup, t))
        .collect();
    assert!(
        missing.is_empty(),
        "{} silent change(s):\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn every_visible_extension_change_is_reported_from_an_idle_start() {
    assert_complete("a-startup-queries-idle.ami");
}

#[test]
fn every_visible_extension_change_is_reported_from_a_busy_start() {
    assert_complete("a-startup-queries-busy.ami");
}

#[test]
fn the_recorded_call_flows_are_all_replayed() {
    let all = transcripts();
    for t in CALL_FLOWS {
        assert!(all.iter().any(|n| n == t), "{t} missing from fixtures/ami");
    }
}
