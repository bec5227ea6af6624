//! Property: any interleaving of the recorded flows (whole or cut short), followed by
//! hanging up every remaining channel, leaves no conversation, no waiting caller, no
//! parked call, and — for whole flows — every extension back to its idle status.

mod model_support;

use model_support::*;
use nethcti_server::adapters::ami::translate::translate;
use nethcti_server::domain::pbx_event::{ChannelInfo, PbxEvent};
use nethcti_server::domain::switchboard::{PrivacyView, Switchboard};
use proptest::prelude::*;
use serde_json::json;
use std::sync::OnceLock;

fn flows() -> &'static Vec<Vec<PbxEvent>> {
    static F: OnceLock<Vec<Vec<PbxEvent>>> = OnceLock::new();
    F.get_or_init(|| {
        CALL_FLOWS
            .iter()
            .map(|f| {
                transcript(f)
                    .into_iter()
                    .filter_map(|r| match r {
                        Rec::In(_, fr) => translate(&fr),
                        Rec::Note(..) => None,
                    })
                    .filter(|e| !matches!(e, PbxEvent::FullyBooted))
                    .collect()
            })
            .collect()
    })
}

fn base() -> &'static Switchboard {
    static B: OnceLock<Switchboard> = OnceLock::new();
    B.get_or_init(|| lab_loaded("a-startup-queries-idle.ami", NOW).0)
}

/// Runs the interleaving; `cut[i]` is the fraction (0..=100 %) of flow i that is played.
fn run(choices: &[usize], cut: &[u32]) -> Switchboard {
    let mut sb = base().clone();
    let fl = flows();
    let limits: Vec<usize> = fl
        .iter()
        .zip(cut)
        .map(|(f, c)| f.len() * (*c as usize) / 100)
        .collect();
    let mut pos = vec![0usize; fl.len()];
    for c in choices {
        let open: Vec<usize> = (0..fl.len()).filter(|i| pos[*i] < limits[*i]).collect();
        if open.is_empty() {
            break;
        }
        let i = open[c % open.len()];
        sb.apply(fl[i][pos[i]].clone(), NOW);
        pos[i] += 1;
    }
    for i in 0..fl.len() {
        while pos[i] < limits[i] {
            sb.apply(fl[i][pos[i]].clone(), NOW);
            pos[i] += 1;
        }
    }
    let live: Vec<String> = sb.channel_names().map(str::to_owned).collect();
    for ch in live {
        let info = ChannelInfo {
            channel: ch,
            ..ChannelInfo::default()
        };
        sb.apply(PbxEvent::Hangup { info, cause: 16 }, NOW);
    }
    sb
}

fn assert_quiet(sb: &Switchboard) {
    assert_eq!(sb.counts().4, 0);
    for e in ["201", "202", "203", "204"] {
        assert_eq!(convs(sb, e), Vec::<String>::new(), "{e}");
    }
    assert_eq!(
        sb.queue_json("401", NOW, false).expect("401")["waitingCallers"],
        json!({})
    );
    assert_eq!(
        sb.trunk_json("trunk", NOW, false).expect("trunk")["conversations"],
        json!({})
    );
    for p in 701..=720 {
        assert_eq!(sb.parked_channel(&p.to_string()), None);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn whole_flows_interleaved_end_idle(choices in prop::collection::vec(0usize..1000, 0..1500)) {
        let sb = run(&choices, &[100; 12]);
        assert_quiet(&sb);
        let idle = base();
        for e in ["201", "202", "203", "204"] {
            let a = sb.extension_json(e, NOW, PrivacyView::Clear).expect("ext");
            let b = idle.extension_json(e, NOW, PrivacyView::Clear).expect("ext");
            prop_assert_eq!(&a["status"], &b["status"], "{}", e);
            prop_assert_eq!(&a["conversations"], &json!({}));
        }
        prop_assert_eq!(sb.conference_json("801"), json!({}));
    }

    #[test]
    fn cut_flows_interleaved_then_hung_up_leave_no_conversation(
        choices in prop::collection::vec(0usize..1000, 0..1500),
        cut in prop::collection::vec(0u32..=100, 12),
    ) {
        let sb = run(&choices, &cut);
        assert_quiet(&sb);
    }
}
