//! Each tolerated oddity of the AMI byte stream, with the exact messages it produces.

use bytes::BytesMut;
use nethcti_server::adapters::ami::codec::{AmiCodec, AmiMessage, CodecError};
use nethcti_server::adapters::ami::frame::Frame;
use tokio_util::codec::{Decoder, Encoder};

fn frame(pairs: &[(&str, &str)]) -> AmiMessage {
    AmiMessage::Frame(Frame::from_pairs(pairs.iter().copied()))
}

/// Decodes `chunks` fed one after another, then the end of the stream.
fn decode_chunks(codec: &mut AmiCodec, chunks: &[&[u8]]) -> Vec<AmiMessage> {
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    for c in chunks {
        buf.extend_from_slice(c);
        while let Some(m) = codec.decode(&mut buf).expect("decodes") {
            out.push(m);
        }
    }
    while let Some(m) = codec.decode_eof(&mut buf).expect("clean end") {
        out.push(m);
    }
    out
}

fn decode(bytes: &[u8]) -> Vec<AmiMessage> {
    decode_chunks(&mut AmiCodec::new(), &[bytes])
}

#[test]
fn the_banner_is_recognised_only_as_the_first_line() {
    let got = decode(b"Asterisk Call Manager/11.0.0\r\nResponse: Success\r\n\r\nAsterisk Call Manager/2.0\r\n\r\n");
    assert_eq!(
        got,
        vec![
            AmiMessage::Banner("Asterisk Call Manager/11.0.0".into()),
            frame(&[("Response", "Success")]),
            frame(&[("Asterisk Call Manager/2.0", "")]),
        ]
    );
}

#[test]
fn a_stream_without_banner_starts_with_a_frame() {
    assert_eq!(
        decode(b"Event: Ping\r\n\r\n"),
        vec![frame(&[("Event", "Ping")])]
    );
}

#[test]
fn a_crlf_then_bare_lf_blank_line_ends_a_message() {
    let got = decode(b"Event: A\r\nX: 1\r\n\nEvent: B\r\n\n");
    assert_eq!(
        got,
        vec![
            frame(&[("Event", "A"), ("X", "1")]),
            frame(&[("Event", "B")])
        ]
    );
}

#[test]
fn bare_lf_line_ends_are_accepted() {
    let got = decode(b"Event: A\nX: 1\n\nEvent: B\n\n");
    assert_eq!(
        got,
        vec![
            frame(&[("Event", "A"), ("X", "1")]),
            frame(&[("Event", "B")])
        ]
    );
}

#[test]
fn a_value_containing_colon_space_keeps_everything_after_the_first_colon() {
    let got = decode(
        b"Event: UserEvent\r\nData: a: b: c\r\nURL: sip:201@h\r\nEmpty:\r\nSpaces:   x\r\n\r\n",
    );
    assert_eq!(
        got,
        vec![frame(&[
            ("Event", "UserEvent"),
            ("Data", "a: b: c"),
            ("URL", "sip:201@h"),
            ("Empty", ""),
            ("Spaces", "  x"),
        ])]
    );
}

#[test]
fn a_line_without_colon_becomes_a_field_named_by_the_whole_line_with_an_empty_value() {
    let got = decode(b"Event: Odd\r\njust some text\r\nX: 1\r\n\r\n");
    assert_eq!(
        got,
        vec![frame(&[
            ("Event", "Odd"),
            ("just some text", ""),
            ("X", "1")
        ])]
    );
}

#[test]
fn blank_lines_between_messages_are_skipped() {
    let got = decode(b"\r\n\n\r\nEvent: A\r\n\r\n\r\n\r\n\nEvent: B\r\n\r\n\r\n");
    assert_eq!(
        got,
        vec![frame(&[("Event", "A")]), frame(&[("Event", "B")])]
    );
}

#[test]
fn bytes_that_are_not_utf8_become_replacement_characters() {
    let got = decode(b"Event: A\r\nName: caf\xe9 \xff\r\n\r\n");
    assert_eq!(
        got,
        vec![frame(&[("Event", "A"), ("Name", "caf\u{fffd} \u{fffd}")])]
    );
}

#[test]
fn a_utf8_character_split_across_two_reads_is_decoded_whole() {
    let bytes = "Event: A\r\nCallerIDName: Zoë 日本\r\n\r\n".as_bytes();
    let cut = bytes
        .iter()
        .position(|&b| b == 0xc3)
        .expect("ë starts with 0xc3")
        + 1;
    let got = decode_chunks(&mut AmiCodec::new(), &[&bytes[..cut], &bytes[cut..]]);
    assert_eq!(
        got,
        vec![frame(&[("Event", "A"), ("CallerIDName", "Zoë 日本")])]
    );
}

#[test]
fn old_command_output_with_empty_lines_ends_at_the_end_command_marker() {
    let got = decode(
        b"Response: Follows\r\nPrivilege: Command\r\nActionID: 7\r\n\
          Name/username   Host\nline: two\n\nlast line\n--END COMMAND--\r\n\r\nEvent: After\r\n\r\n",
    );
    assert_eq!(
        got,
        vec![
            frame(&[
                ("Response", "Follows"),
                ("Privilege", "Command"),
                ("ActionID", "7"),
                ("Output", "Name/username   Host"),
                ("Output", "line: two"),
                ("Output", ""),
                ("Output", "last line"),
            ]),
            frame(&[("Event", "After")]),
        ]
    );
}

#[test]
fn old_command_output_glued_to_the_marker_keeps_the_text_before_it() {
    let got = decode(
        b"Response: Follows\r\nPrivilege: Command\r\nNo such command--END COMMAND--\r\n\r\n",
    );
    assert_eq!(
        got,
        vec![frame(&[
            ("Response", "Follows"),
            ("Privilege", "Command"),
            ("Output", "No such command"),
        ])]
    );
}

#[test]
fn old_command_output_split_before_the_marker_waits_for_it() {
    let bytes: &[u8] = b"Response: Follows\r\nActionID: 9\r\nup 3 days\n\n--END COMMAND--\r\n\r\n";
    for cut in 0..=bytes.len() {
        let got = decode_chunks(&mut AmiCodec::new(), &[&bytes[..cut], &bytes[cut..]]);
        assert_eq!(
            got,
            vec![frame(&[
                ("Response", "Follows"),
                ("ActionID", "9"),
                ("Output", "up 3 days"),
                ("Output", ""),
            ])],
            "cut at {cut}"
        );
    }
}

#[test]
fn modern_command_output_lines_end_at_the_blank_line() {
    let got = decode(
        b"Response: Follows\r\nActionID: 3\r\nMessage: Command output follows\r\n\
          Output: System uptime: 1 hour\r\nOutput:   indented\r\n\r\n",
    );
    assert_eq!(
        got,
        vec![frame(&[
            ("Response", "Follows"),
            ("ActionID", "3"),
            ("Message", "Command output follows"),
            ("Output", "System uptime: 1 hour"),
            ("Output", "  indented"),
        ])]
    );
}

#[test]
fn a_frame_over_the_limit_is_an_error_not_a_panic() {
    let mut codec = AmiCodec::with_max_frame_bytes(64);
    let mut buf = BytesMut::from(&b"Event: Big\r\nData: "[..]);
    buf.extend_from_slice(&[b'x'; 100]);
    let err = codec.decode(&mut buf).expect_err("too large");
    assert!(
        matches!(
            err,
            CodecError::FrameTooLarge {
                limit: 64,
                seen: 118
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_complete_frame_over_the_limit_is_an_error() {
    let mut codec = AmiCodec::with_max_frame_bytes(16);
    let mut buf = BytesMut::from(&b"Event: Twenty\r\n\r\n"[..]);
    let err = codec.decode(&mut buf).expect_err("too large");
    assert!(
        matches!(
            err,
            CodecError::FrameTooLarge {
                limit: 16,
                seen: 17
            }
        ),
        "{err:?}"
    );
}

#[test]
fn an_endless_banner_line_is_an_error() {
    let mut codec = AmiCodec::with_max_frame_bytes(32);
    let mut buf = BytesMut::from(&[b'A'; 40][..]);
    assert!(matches!(
        codec.decode(&mut buf),
        Err(CodecError::FrameTooLarge {
            limit: 32,
            seen: 40
        })
    ));
}

#[test]
fn a_stream_closed_inside_a_message_reports_the_pending_bytes() {
    let mut codec = AmiCodec::new();
    let mut buf = BytesMut::from(&b"Event: Cut\r\nX: 1"[..]);
    assert!(codec.decode(&mut buf).expect("partial").is_none());
    assert!(matches!(
        codec.decode_eof(&mut buf),
        Err(CodecError::Truncated(16))
    ));
}

#[test]
fn the_encoder_writes_crlf_lines_and_a_blank_line() {
    let mut buf = BytesMut::new();
    let f = Frame::new().with("Action", "Ping").with("ActionID", "a-1");
    AmiCodec::new().encode(&f, &mut buf).expect("encodes");
    assert_eq!(&buf[..], b"Action: Ping\r\nActionID: a-1\r\n\r\n");
}

#[test]
fn the_encoder_refuses_a_value_with_a_line_break_so_no_header_can_be_injected() {
    let mut buf = BytesMut::new();
    let f = Frame::new()
        .with("Action", "Setvar")
        .with("Value", "x\r\n\r\nAction: Logoff");
    let err = AmiCodec::new().encode(f, &mut buf).expect_err("refused");
    assert!(
        matches!(err, CodecError::InvalidField(ref n) if n == "Value"),
        "{err:?}"
    );
    assert!(buf.is_empty());
}

/// Repeated `Variable:` / `ChanVariable:` headers (a `Status` reply with `Variables:`, and
/// `channelvars` in manager.conf) are all kept, in order, interleaved with the others, at
/// every split of the input.
#[test]
fn repeated_variable_and_chanvariable_headers_are_all_kept_in_order() {
    let bytes: &[u8] = b"Event: Status\r\nPrivilege: Call\r\nChannel: PJSIP/201-00000004\r\n\
ChanVariable: CDR(dst)=202\r\nVariable: CTI_ORIGIN=clicktodial\r\n\
ChanVariable: QUEUENUM=\r\nVariable: DIALSTATUS=ANSWER\r\nUniqueid: labpbx-1796322712.8\r\n\
Variable: ARGS=a: b=c\r\nActionID: nethcti-7\r\n\r\n\
Event: Newchannel\r\nChannel: PJSIP/202-00000005\r\nChanVariable: CDR(dst)=\r\n\
ChanVariable: QUEUENUM=401\r\nChanVariable: QUEUENUM=402\r\n\r\n";
    let status: Vec<(String, String)> = [
        ("Event", "Status"),
        ("Privilege", "Call"),
        ("Channel", "PJSIP/201-00000004"),
        ("ChanVariable", "CDR(dst)=202"),
        ("Variable", "CTI_ORIGIN=clicktodial"),
        ("ChanVariable", "QUEUENUM="),
        ("Variable", "DIALSTATUS=ANSWER"),
        ("Uniqueid", "labpbx-1796322712.8"),
        ("Variable", "ARGS=a: b=c"),
        ("ActionID", "nethcti-7"),
    ]
    .iter()
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect();
    for cut in 0..=bytes.len() {
        let got = decode_chunks(&mut AmiCodec::new(), &[&bytes[..cut], &bytes[cut..]]);
        let [AmiMessage::Frame(first), AmiMessage::Frame(second)] = &got[..] else {
            panic!("two frames at cut {cut}: {got:?}");
        };
        assert_eq!(first.fields(), &status[..], "cut {cut}");
        assert_eq!(
            first.get_all("Variable").collect::<Vec<_>>(),
            ["CTI_ORIGIN=clicktodial", "DIALSTATUS=ANSWER", "ARGS=a: b=c"]
        );
        assert_eq!(
            first.get_all("ChanVariable").collect::<Vec<_>>(),
            ["CDR(dst)=202", "QUEUENUM="]
        );
        assert_eq!(first.get("Variable"), Some("CTI_ORIGIN=clicktodial"));
        assert_eq!(
            second,
            &Frame::from_pairs([
                ("Event", "Newchannel"),
                ("Channel", "PJSIP/202-00000005"),
                ("ChanVariable", "CDR(dst)="),
                ("ChanVariable", "QUEUENUM=401"),
                ("ChanVariable", "QUEUENUM=402"),
            ])
        );
    }
}
