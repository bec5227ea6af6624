//! The AMI decoder over every real transcript: one-shot, byte by byte, and split at every
//! byte offset, always yielding exactly one message per recorded `<<` body.

use bytes::BytesMut;
use nethcti_server::adapters::ami::codec::{AmiCodec, AmiMessage};
use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::ami::transcript::{self, Direction, Record};
use tokio_util::codec::Decoder;

fn transcripts() -> Vec<(String, Vec<Record>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ami");
    let mut out: Vec<(String, Vec<Record>)> = std::fs::read_dir(dir)
        .expect("fixtures/ami exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ami"))
        .map(|p| {
            let name = p
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            (name, transcript::read(&p).expect("transcript parses"))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(out.len(), 16, "all 16 transcripts are present");
    out
}

/// Independent reference: a `<<` body is the banner line or `Name: value` lines and a blank
/// line. Asterisk itself sometimes ends a line with a bare `\n` (`Message: Park successful\n`
/// then `\r\n\r\n` in f-park-and-pickup), so lines are split on `\n` and a `\r` dropped.
fn reference(body: &[u8]) -> AmiMessage {
    let text = std::str::from_utf8(body).expect("recorded bodies are UTF-8");
    if let Some(banner) = text
        .strip_suffix("\r\n")
        .filter(|t| t.starts_with("Asterisk Call Manager/"))
    {
        return AmiMessage::Banner(banner.to_owned());
    }
    assert!(text.ends_with("\r\n\r\n"), "body ends with a blank line");
    AmiMessage::Frame(Frame::from_pairs(
        text.split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (n, v) = l.split_once(':').expect("recorded lines have a colon");
                (n.to_owned(), v.strip_prefix(' ').unwrap_or(v).to_owned())
            }),
    ))
}

fn drain(codec: &mut AmiCodec, buf: &mut BytesMut, out: &mut Vec<AmiMessage>) {
    while let Some(m) = codec.decode(buf).expect("no decode error") {
        out.push(m);
    }
}

/// Expected messages per connection, from the recorded `<<` bodies.
fn expected(records: &[Record]) -> Vec<Vec<AmiMessage>> {
    let mut conns: Vec<Vec<AmiMessage>> = Vec::new();
    for r in records {
        if r.is_connect_note() || conns.is_empty() {
            conns.push(Vec::new());
        }
        if r.direction == Direction::Received {
            conns
                .last_mut()
                .expect("a connection")
                .push(reference(&r.bytes));
        }
    }
    conns
}

#[test]
fn every_transcript_decodes_one_shot_into_one_message_per_received_body() {
    let mut total = 0;
    for (name, records) in transcripts() {
        let streams = transcript::received_streams(&records);
        let expected = expected(&records);
        assert_eq!(streams.len(), expected.len(), "{name}");
        for (stream, want) in streams.iter().zip(&expected) {
            let mut codec = AmiCodec::new();
            let mut buf = BytesMut::from(&stream[..]);
            let mut got = Vec::new();
            drain(&mut codec, &mut buf, &mut got);
            assert!(
                codec.decode_eof(&mut buf).expect("clean end").is_none(),
                "{name}"
            );
            assert_eq!(&got, want, "{name}");
            total += got.len();
        }
    }
    assert_eq!(total, 2118, "received messages over all transcripts");
}

#[test]
fn every_transcript_decodes_identically_when_fed_one_byte_at_a_time() {
    for (name, records) in transcripts() {
        for (stream, want) in transcript::received_streams(&records)
            .iter()
            .zip(expected(&records))
        {
            let mut codec = AmiCodec::new();
            let mut buf = BytesMut::new();
            let mut got = Vec::new();
            for b in stream {
                buf.extend_from_slice(&[*b]);
                drain(&mut codec, &mut buf, &mut got);
            }
            assert_eq!(got, want, "{name}");
            assert!(buf.is_empty(), "{name}");
        }
    }
}

/// Splitting the stream at offset k only matters for the message that contains k: at every
/// message boundary the codec state is captured (a clone), and the message is re-decoded
/// from that state with its bytes cut at each offset in two reads.
#[test]
fn every_transcript_decodes_identically_when_split_at_every_byte_offset() {
    let mut splits = 0usize;
    for (name, records) in transcripts() {
        for (stream, want) in transcript::received_streams(&records)
            .iter()
            .zip(expected(&records))
        {
            let mut codec = AmiCodec::new();
            let mut buf = BytesMut::from(&stream[..]);
            let mut index = 0;
            loop {
                let (state, start) = (codec.clone(), stream.len() - buf.len());
                let Some(msg) = codec.decode(&mut buf).expect("no decode error") else {
                    break;
                };
                assert_eq!(msg, want[index], "{name} message {index}");
                let end = stream.len() - buf.len();
                for k in start..=end {
                    let mut c = state.clone();
                    let mut b = BytesMut::from(&stream[start..k]);
                    let mut got = Vec::new();
                    drain(&mut c, &mut b, &mut got);
                    b.extend_from_slice(&stream[k..end]);
                    drain(&mut c, &mut b, &mut got);
                    assert_eq!(
                        got,
                        [want[index].clone()],
                        "{name} message {index} split at {k}"
                    );
                    assert!(b.is_empty(), "{name} split at {k}: nothing left over");
                    splits += 1;
                }
                index += 1;
            }
            assert_eq!(index, want.len(), "{name}");
        }
    }
    assert_eq!(
        splits, 794_630,
        "one split per byte offset of every message, ends included"
    );
}

#[test]
fn a_whole_transcript_split_in_two_at_sampled_offsets_decodes_identically() {
    let (name, records) = transcripts().swap_remove(0);
    let stream = &transcript::received_streams(&records)[0];
    let want = &expected(&records)[0];
    for k in (0..=stream.len()).step_by(97) {
        let mut codec = AmiCodec::new();
        let mut buf = BytesMut::from(&stream[..k]);
        let mut got = Vec::new();
        drain(&mut codec, &mut buf, &mut got);
        buf.extend_from_slice(&stream[k..]);
        drain(&mut codec, &mut buf, &mut got);
        assert_eq!(&got, want, "{name} split at {k}");
    }
}
