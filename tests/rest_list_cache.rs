//! The cached `GET /astproxy/extensions` body (per-extension renderings + whole bodies,
//! `app::live::list_cache`) is byte-identical to the uncached rendering — every
//! extension's `extension_json` in a map, serialised as the handler did before the cache —
//! after every event of the recorded call flows, for viewers with and without privacy,
//! while time moves by odd steps (durations tick at each conversation's own second), with
//! DND, forwards and recording marks applied as operations apply them, and across a
//! PBX restart (snapshot).

mod model_support;

use model_support::*;
use nethcti_server::adapters::http::ListPrivacy;
use nethcti_server::app::live::list_cache::ExtensionListCache;
use nethcti_server::domain::operations::effects::apply_effect;
use nethcti_server::domain::operations::view::Recording;
use nethcti_server::domain::operations::Effect;
use nethcti_server::domain::policy::{Privacy, PrivacyLevel};
use nethcti_server::domain::switchboard::{PrivacyView, Switchboard};
use serde_json::{Map, Value};
use std::sync::Arc;

/// Before the recorded calls (their uniqueids start at 1_796_322_712 s).
const T_START: i64 = 1_796_322_700_000;

fn viewer(level: PrivacyLevel, own: &[&str]) -> ListPrivacy {
    ListPrivacy::new(
        Privacy {
            level,
            mask: "xxx".into(),
        },
        own.iter().map(|s| (*s).to_owned()),
    )
}

/// Everyone without privacy; privacy users owning 201 or 202/203 (with and without
/// `admin_queues`), and one owning nothing.
fn viewers() -> Vec<ListPrivacy> {
    vec![
        viewer(PrivacyLevel::Clear, &["201"]),
        viewer(PrivacyLevel::All, &["201"]),
        viewer(PrivacyLevel::OutsideQueues, &["202", "203"]),
        viewer(PrivacyLevel::All, &[]),
        viewer(PrivacyLevel::OutsideQueues, &[]),
    ]
}

fn view_of(level: PrivacyLevel) -> PrivacyView {
    match level {
        PrivacyLevel::Clear => PrivacyView::Clear,
        PrivacyLevel::OutsideQueues => PrivacyView::NonQueue,
        PrivacyLevel::All => PrivacyView::All,
    }
}

/// The body as the handler rendered it before the cache.
fn uncached(sb: &Switchboard, now: i64, v: &ListPrivacy) -> Vec<u8> {
    let mut out = Map::new();
    for e in sb.extension_ids() {
        if let Some(j) = sb.extension_json(e, now, view_of(v.level_of(e))) {
            out.insert(e.to_owned(), j);
        }
    }
    serde_json::to_vec(&Value::Object(out)).expect("json")
}

/// Asserts the cached body of every viewer at `now`; returns how many differ from the
/// body the same viewer got at the previous check (to show the test sees changes).
fn check(
    cache: &mut ExtensionListCache,
    sb: &Switchboard,
    now: i64,
    last: &mut Vec<Vec<u8>>,
    ctx: &str,
) -> usize {
    let mut changed = 0;
    for (i, v) in viewers().iter().enumerate() {
        let got = cache.body(sb, now, v);
        let want = uncached(sb, now, v);
        if got.plain().as_ref() != want.as_slice() {
            let at = got
                .plain()
                .iter()
                .zip(&want)
                .take_while(|(a, b)| a == b)
                .count();
            let from = at.saturating_sub(300);
            panic!(
                "{ctx}, viewer {v:?}, now {now}, bodies differ from byte {at}:\n cached …{}\n   want …{}",
                String::from_utf8_lossy(&got.plain()[from..]),
                String::from_utf8_lossy(&want[from..])
            );
        }
        if last.get(i) != Some(&want) {
            changed += 1;
        }
        if i < last.len() {
            last[i] = want;
        } else {
            last.push(want);
        }
    }
    changed
}

/// A fixed pseudo-random step sequence (0..1_700 ms), so runs are reproducible.
struct Steps(u64);

impl Steps {
    fn next(&mut self) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        ((self.0 >> 33) % 1_700) as i64
    }
}

fn replay_checked(sb: &mut Switchboard, flow: &str, now: &mut i64, steps: &mut Steps) -> usize {
    let mut cache = ExtensionListCache::new();
    let mut last = Vec::new();
    let mut changed = check(&mut cache, sb, *now, &mut last, flow);
    for (i, r) in transcript(flow).iter().enumerate() {
        let Rec::In(_, f) = r else { continue };
        let Some(ev) = nethcti_server::adapters::ami::translate::translate(f) else {
            continue;
        };
        sb.apply(ev, *now);
        changed += check(&mut cache, sb, *now, &mut last, &format!("{flow} #{i}"));
        *now += steps.next();
        changed += check(
            &mut cache,
            sb,
            *now,
            &mut last,
            &format!("{flow} #{i} later"),
        );
    }
    changed
}

#[test]
fn cached_list_matches_the_uncached_rendering_through_every_recorded_call_flow() {
    let mut steps = Steps(7);
    for flow in CALL_FLOWS {
        let mut now = T_START;
        let (mut sb, _) = lab_loaded("a-startup-queries-idle.ami", now);
        let changed = replay_checked(&mut sb, flow, &mut now, &mut steps);
        assert!(changed > 5, "{flow}: only {changed} body changes seen");
    }
}

#[test]
fn cached_list_matches_from_a_busy_start_through_a_restart() {
    let mut steps = Steps(11);
    let mut now = T_START + 200_000;
    let (mut sb, _) = lab_loaded("a-startup-queries-busy.ami", now);
    let mut cache = ExtensionListCache::new();
    let mut last = Vec::new();
    check(&mut cache, &sb, now, &mut last, "busy start");
    // the busy start has live conversations: durations tick, each on its own second
    let mut ticks = 0;
    for _ in 0..40 {
        now += steps.next();
        ticks += check(&mut cache, &sb, now, &mut last, "busy, time only");
    }
    assert!(ticks > 10, "durations ticked only {ticks} times");
    replay_checked(&mut sb, "j-reload-and-restart.ami", &mut now, &mut steps);
    replay_checked(
        &mut sb,
        "i-queue-member-add-pause-remove.ami",
        &mut now,
        &mut steps,
    );
}

#[test]
fn dnd_forwards_and_recording_marks_show_in_the_cached_list() {
    let mut now = T_START;
    let (mut sb, _) = lab_loaded("a-startup-queries-idle.ami", now);
    let mut cache = ExtensionListCache::new();
    let mut last = Vec::new();
    let db = |family: &str, key: &str, value: Option<&str>| Effect::Db {
        family: family.into(),
        key: key.into(),
        value: value.map(str::to_owned),
    };
    // a call 201 → 202 in progress, stopped at the answer
    let recs = transcript("b-internal-call-201-to-202.ami");
    let (_, _) = replay_until(&mut sb, &recs, Some("UA ua201 hangs up"), now);
    check(&mut cache, &sb, now, &mut last, "call up");
    let convid = sb
        .extension_json("201", now, PrivacyView::Clear)
        .and_then(|v| v["conversations"].as_object()?.keys().next().cloned())
        .expect("201 has a conversation");
    let effects = [
        db("DND", "203", Some("YES")),
        db("CF", "203", Some("0721405516")),
        db("CFB", "204", Some("vmu204")),
        db("CFU", "202", Some("333")),
        Effect::Recording {
            convid: convid.clone(),
            state: Recording::On,
        },
        Effect::Recording {
            convid: convid.clone(),
            state: Recording::Muted,
        },
        db("CF", "203", None),
        db("DND", "203", None),
        Effect::Recording {
            convid,
            state: Recording::Off,
        },
    ];
    for (i, effect) in effects.iter().enumerate() {
        let before = last.clone();
        apply_effect(&mut sb, effect, now);
        check(
            &mut cache,
            &sb,
            now,
            &mut last,
            &format!("effect {i} {effect:?}"),
        );
        assert_ne!(before, last, "effect {i} changed nothing visible");
        now += 250;
        check(
            &mut cache,
            &sb,
            now,
            &mut last,
            &format!("effect {i} later"),
        );
    }
}

#[test]
fn an_unchanged_list_is_the_same_body_until_a_change_or_a_duration_tick() {
    let mut now = T_START + 200_000;
    let (mut sb, _) = lab_loaded("a-startup-queries-idle.ami", now);
    let mut cache = ExtensionListCache::new();
    let v = viewer(PrivacyLevel::Clear, &[]);
    let idle = cache.body(&sb, now, &v);
    now += 3_600_000;
    assert!(
        Arc::ptr_eq(&idle, &cache.body(&sb, now, &v)),
        "idle: no time dependence"
    );
    let recs = transcript("b-internal-call-201-to-202.ami");
    replay_until(&mut sb, &recs, Some("UA ua201 hangs up"), now);
    let up = cache.body(&sb, now, &v);
    assert!(!Arc::ptr_eq(&idle, &up));
    assert!(Arc::ptr_eq(&up, &cache.body(&sb, now, &v)));
    // the next tick of the first conversation second, whatever its start offset
    let mut t = now;
    while Arc::ptr_eq(&up, &cache.body(&sb, t, &v)) {
        t += 1;
        assert!(t < now + 1_001, "no tick within a second");
    }
    assert_ne!(cache.body(&sb, t, &v).plain(), up.plain());
    // a clock that steps back gets a fresh rendering too, still exact
    let back = cache.body(&sb, now - 5_000, &v);
    assert_eq!(back.plain().as_ref(), uncached(&sb, now - 5_000, &v));
}
