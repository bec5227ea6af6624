//! Every `PbxCommand` becomes the AMI action a real CTI client sent (recorded transcripts)
//! or, for commands not in the recordings, the exact headers of the Asterisk docs.

use nethcti_server::adapters::ami::action::{from_command, Action, Expect};
use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::ami::transcript::{self, Direction};
use nethcti_server::ports::pbx::{AudioDirection, PbxCommand as C};
use std::time::Duration;

const BASE: Duration = Duration::from_secs(10);

/// The recorded `>>` action with this ActionID, without its ActionID field.
fn recorded(file: &str, action_id: &str) -> Frame {
    let records = transcript::read(format!(
        "{}/fixtures/ami/{file}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("transcript");
    let marker = format!("ActionID: {action_id}\r\n");
    let body = records
        .iter()
        .find(|r| {
            r.direction == Direction::Sent && String::from_utf8_lossy(&r.bytes).contains(&marker)
        })
        .map(|r| String::from_utf8_lossy(&r.bytes).into_owned())
        .expect("recorded action");
    Frame::from_pairs(
        body.trim_end()
            .split("\r\n")
            .filter_map(|l| l.split_once(": "))
            .filter(|(n, _)| *n != "ActionID"),
    )
}

fn frame(cmd: C) -> Frame {
    from_command(&cmd, BASE).frame
}

fn s(v: &str) -> String {
    v.to_owned()
}

#[test]
fn click_to_dial_originate_matches_the_recorded_action_and_waits_for_originate_response() {
    let action = from_command(
        &C::Originate {
            channel: s("PJSIP/201"),
            context: s("internal"),
            exten: s("202"),
            priority: s("1"),
            caller_id: Some(s("\"Click2Dial\" <202>")),
            timeout_ms: Some(20_000),
            variables: vec![s("CTI_ORIGIN=clicktodial")],
            wait_answer: true,
        },
        BASE,
    );
    assert_eq!(
        action.frame,
        recorded("k-originate-click-to-dial.ami", "cti-22822-2")
    );
    assert_eq!(action.expect, Expect::OriginateResponse);
    assert_eq!(
        action.timeout,
        Some(Duration::from_secs(30)),
        "ring timeout + action timeout"
    );
}

#[test]
fn call_control_commands_match_the_recorded_actions() {
    let cases = [
        (
            C::Hangup {
                channel: s("PJSIP/202-00000020"),
                cause: None,
            },
            "k2-originate-local-channel.ami",
            "cti-22832-4",
        ),
        (
            C::Redirect {
                channel: s("PJSIP/201-0000000c"),
                extra_channel: None,
                context: s("internal"),
                exten: s("203"),
                priority: s("1"),
            },
            "d2-blind-transfer-redirect.ami",
            "cti-22741-2",
        ),
        (
            C::BlindTransfer {
                channel: s("PJSIP/202-0000000a"),
                context: s("internal"),
                exten: s("203"),
            },
            "d-blind-transfer-amiblindtransfer.ami",
            "cti-22730-2",
        ),
        (
            C::Atxfer {
                channel: s("PJSIP/202-00000013"),
                context: s("internal"),
                exten: s("203"),
            },
            "e-attended-transfer-atxfer.ami",
            "cti-22762-2",
        ),
        (
            C::Park {
                channel: s("PJSIP/201-00000015"),
                timeout_channel: s("PJSIP/202-00000016"),
                parkinglot: None,
            },
            "f-park-and-pickup.ami",
            "cti-22776-2",
        ),
    ];
    for (cmd, file, id) in cases {
        assert_eq!(frame(cmd.clone()), recorded(file, id), "{cmd:?}");
    }
}

#[test]
fn queue_database_and_conference_commands_match_the_recorded_actions() {
    let f = "i-queue-member-add-pause-remove.ami";
    let g = "g-busy-and-unavailable.ami";
    let h = "h-confbridge-801-join-leave.ami";
    let cases = [
        (
            C::QueueAdd {
                queue: s("401"),
                interface: s("PJSIP/203"),
                member_name: Some(s("Carol Desk")),
                paused: false,
                penalty: Some(0),
                state_interface: Some(s("PJSIP/203")),
            },
            f,
            "cti-22813-3",
        ),
        (
            C::QueuePause {
                queue: Some(s("401")),
                interface: s("PJSIP/203"),
                paused: true,
                reason: Some(s("lunch")),
            },
            f,
            "cti-22813-5",
        ),
        (
            C::QueueRemove {
                queue: s("401"),
                interface: s("PJSIP/203"),
            },
            f,
            "cti-22813-9",
        ),
        (
            C::DbPut {
                family: s("DND"),
                key: s("203"),
                value: s("YES"),
            },
            g,
            "cti-22789-2",
        ),
        (
            C::Setvar {
                channel: None,
                variable: s("DEVICE_STATE(Custom:DND203)"),
                value: s("BUSY"),
            },
            g,
            "cti-22789-3",
        ),
        (
            C::DbDel {
                family: s("DND"),
                key: s("203"),
            },
            g,
            "cti-22789-4",
        ),
        (
            C::DbGet {
                family: s("DND"),
                key: s("201"),
            },
            "a-startup-queries-idle.ami",
            "cti-22703-12",
        ),
        (
            C::ConfbridgeMute {
                conference: s("801"),
                channel: s("PJSIP/202-0000001d"),
                muted: true,
            },
            h,
            "cti-22802-4",
        ),
        (
            C::ConfbridgeMute {
                conference: s("801"),
                channel: s("PJSIP/202-0000001d"),
                muted: false,
            },
            h,
            "cti-22802-5",
        ),
    ];
    for (cmd, file, id) in cases {
        assert_eq!(frame(cmd.clone()), recorded(file, id), "{cmd:?}");
    }
}

#[test]
fn commands_absent_from_the_recordings_use_the_documented_headers() {
    let ch = || s("PJSIP/201-00000001");
    let cases: Vec<(C, Vec<(&str, &str)>)> = vec![
        (
            C::OriginateApp {
                channel: s("PJSIP/203"),
                application: s("ChanSpy"),
                data: s("PJSIP/201-00000001,qS"),
                caller_id: Some(s("<unknown>")),
                timeout_ms: None,
                variables: vec![],
            },
            vec![
                ("Action", "Originate"),
                ("Channel", "PJSIP/203"),
                ("Application", "ChanSpy"),
                ("Data", "PJSIP/201-00000001,qS"),
                ("CallerID", "<unknown>"),
                ("Async", "true"),
            ],
        ),
        (
            C::Hangup {
                channel: ch(),
                cause: Some(16),
            },
            vec![
                ("Action", "Hangup"),
                ("Channel", "PJSIP/201-00000001"),
                ("Cause", "16"),
            ],
        ),
        (
            C::Redirect {
                channel: ch(),
                extra_channel: Some(s("PJSIP/202-2")),
                context: s("internal"),
                exten: s("700"),
                priority: s("1"),
            },
            vec![
                ("Action", "Redirect"),
                ("Channel", "PJSIP/201-00000001"),
                ("ExtraChannel", "PJSIP/202-2"),
                ("Context", "internal"),
                ("Exten", "700"),
                ("Priority", "1"),
            ],
        ),
        (
            C::Park {
                channel: ch(),
                timeout_channel: s("PJSIP/202-2"),
                parkinglot: Some(s("default")),
            },
            vec![
                ("Action", "Park"),
                ("Channel", "PJSIP/201-00000001"),
                ("TimeoutChannel", "PJSIP/202-2"),
                ("Parkinglot", "default"),
            ],
        ),
        (
            C::QueuePause {
                queue: None,
                interface: s("Local/201@from-queue/n"),
                paused: false,
                reason: None,
            },
            vec![
                ("Action", "QueuePause"),
                ("Interface", "Local/201@from-queue/n"),
                ("Paused", "false"),
            ],
        ),
        (
            C::MixMonitor {
                channel: ch(),
                file: s("2026/12/03/x.wav"),
                options: Some(s("a")),
            },
            vec![
                ("Action", "MixMonitor"),
                ("Channel", "PJSIP/201-00000001"),
                ("File", "2026/12/03/x.wav"),
                ("Options", "a"),
            ],
        ),
        (
            C::StopMixMonitor { channel: ch() },
            vec![
                ("Action", "StopMixMonitor"),
                ("Channel", "PJSIP/201-00000001"),
            ],
        ),
        (
            C::MixMonitorMute {
                channel: ch(),
                direction: AudioDirection::All,
                state: true,
            },
            vec![
                ("Action", "MixMonitorMute"),
                ("Channel", "PJSIP/201-00000001"),
                ("Direction", "both"),
                ("State", "1"),
            ],
        ),
        (
            C::MixMonitorMute {
                channel: ch(),
                direction: AudioDirection::In,
                state: false,
            },
            vec![
                ("Action", "MixMonitorMute"),
                ("Channel", "PJSIP/201-00000001"),
                ("Direction", "read"),
                ("State", "0"),
            ],
        ),
        (
            C::MuteAudio {
                channel: ch(),
                direction: AudioDirection::In,
                state: true,
            },
            vec![
                ("Action", "MuteAudio"),
                ("Channel", "PJSIP/201-00000001"),
                ("Direction", "in"),
                ("State", "on"),
            ],
        ),
        (
            C::MuteAudio {
                channel: ch(),
                direction: AudioDirection::All,
                state: false,
            },
            vec![
                ("Action", "MuteAudio"),
                ("Channel", "PJSIP/201-00000001"),
                ("Direction", "all"),
                ("State", "off"),
            ],
        ),
        (
            C::PlayDtmf {
                channel: ch(),
                digit: s("5"),
            },
            vec![
                ("Action", "PlayDTMF"),
                ("Channel", "PJSIP/201-00000001"),
                ("Digit", "5"),
            ],
        ),
        (
            C::Setvar {
                channel: Some(ch()),
                variable: s("MASTER_CHANNEL(REC_STATUS)"),
                value: s("RECORDING"),
            },
            vec![
                ("Action", "Setvar"),
                ("Channel", "PJSIP/201-00000001"),
                ("Variable", "MASTER_CHANNEL(REC_STATUS)"),
                ("Value", "RECORDING"),
            ],
        ),
        (
            C::PjsipNotify {
                endpoint: s("201"),
                variables: vec![s("Event=check-sync"), s("X=1")],
            },
            vec![
                ("Action", "PJSIPNotify"),
                ("Endpoint", "201"),
                ("Variable", "Event=check-sync"),
                ("Variable", "X=1"),
            ],
        ),
        (
            C::ConfbridgeKick {
                conference: s("801"),
                channel: s("all"),
            },
            vec![
                ("Action", "ConfbridgeKick"),
                ("Conference", "801"),
                ("Channel", "all"),
            ],
        ),
        (
            C::Command {
                command: s("core show uptime"),
            },
            vec![("Action", "Command"), ("Command", "core show uptime")],
        ),
        (C::Ping, vec![("Action", "Ping")]),
    ];
    for (cmd, want) in cases {
        assert_eq!(frame(cmd.clone()), Frame::from_pairs(want), "{cmd:?}");
    }
}

#[test]
fn async_originates_without_waiting_complete_on_the_immediate_response() {
    let spy = from_command(
        &C::OriginateApp {
            channel: s("PJSIP/203"),
            application: s("ChanSpy"),
            data: s("x,q"),
            caller_id: None,
            timeout_ms: None,
            variables: vec![],
        },
        BASE,
    );
    assert_eq!(
        (spy.expect, spy.timeout),
        (Expect::ResponseThenOriginate, None)
    );
    let dial = from_command(
        &C::Originate {
            channel: s("PJSIP/201"),
            context: s("internal"),
            exten: s("202"),
            priority: s("1"),
            caller_id: None,
            timeout_ms: None,
            variables: vec![],
            wait_answer: false,
        },
        BASE,
    );
    assert_eq!(
        (dial.expect, dial.timeout),
        (Expect::ResponseThenOriginate, None)
    );
    assert_eq!(dial.frame.get("Async"), Some("true"));
    assert_eq!(Action::list("CoreShowChannels").expect, Expect::Response);
}
