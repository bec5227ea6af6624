//! Reader for recorded AMI transcripts (`fixtures/ami/*.ami`).
//!
//! Format (see `fixtures/ami/README.md`): one record per message,
//! `#<DIR> +<SECONDS> len=<N>\n`, then exactly `N` raw bytes and a `\n`. `DIR` is `<<`
//! (received from Asterisk), `>>` (sent by the client) or `==` (a recorder note; a note
//! starting with `connected` opens a new connection).

use std::path::Path;

/// Who wrote a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `<<`: bytes received from Asterisk.
    Received,
    /// `>>`: bytes sent by the client.
    Sent,
    /// `==`: a note by the recorder (not AMI traffic).
    Note,
}

/// One transcript record.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Direction of the bytes.
    pub direction: Direction,
    /// Seconds since the recorder started.
    pub seconds: f64,
    /// The raw bytes (line ends kept).
    pub bytes: Vec<u8>,
}

impl Record {
    /// True for a note that opens a new connection.
    pub fn is_connect_note(&self) -> bool {
        self.direction == Direction::Note && self.bytes.starts_with(b"connected")
    }
}

/// A transcript that does not follow the format.
#[derive(Debug, thiserror::Error)]
pub enum TranscriptError {
    /// The file could not be read.
    #[error("cannot read transcript: {0}")]
    Io(#[from] std::io::Error),
    /// A header line is malformed or a body is cut short.
    #[error("bad transcript record at byte {offset}: {reason}")]
    Format {
        /// Byte offset of the record header.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
}

/// Parses transcript bytes into records.
pub fn parse(data: &[u8]) -> Result<Vec<Record>, TranscriptError> {
    let mut records = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let bad = |reason| TranscriptError::Format { offset: i, reason };
        let nl = memchr::memchr(b'\n', &data[i..]).ok_or_else(|| bad("header without newline"))?;
        let header = std::str::from_utf8(&data[i..i + nl]).map_err(|_| bad("header not UTF-8"))?;
        let (dir, rest) = header
            .strip_prefix('#')
            .and_then(|h| h.split_once(' '))
            .ok_or_else(|| bad("header must start with `#DIR `"))?;
        let direction = match dir {
            "<<" => Direction::Received,
            ">>" => Direction::Sent,
            "==" => Direction::Note,
            _ => return Err(bad("unknown direction")),
        };
        let (secs, len) = rest
            .strip_prefix('+')
            .and_then(|r| r.split_once(" len="))
            .ok_or_else(|| bad("header must be `+SECONDS len=N`"))?;
        let seconds: f64 = secs.parse().map_err(|_| bad("bad seconds"))?;
        let len: usize = len.parse().map_err(|_| bad("bad length"))?;
        let start = i + nl + 1;
        let end = start.checked_add(len).filter(|&e| e <= data.len());
        let end = end.ok_or_else(|| bad("body shorter than len"))?;
        records.push(Record {
            direction,
            seconds,
            bytes: data[start..end].to_vec(),
        });
        i = end + 1;
    }
    Ok(records)
}

/// Reads and parses a transcript file.
pub fn read(path: impl AsRef<Path>) -> Result<Vec<Record>, TranscriptError> {
    parse(&std::fs::read(path)?)
}

/// The received byte stream of each connection, in order (concatenated `<<` bodies between
/// `connected` notes). Connections that received nothing are kept as empty streams.
pub fn received_streams(records: &[Record]) -> Vec<Vec<u8>> {
    let mut streams: Vec<Vec<u8>> = Vec::new();
    for r in records {
        if r.is_connect_note() || streams.is_empty() {
            streams.push(Vec::new());
        }
        if r.direction == Direction::Received {
            if let Some(s) = streams.last_mut() {
                s.extend_from_slice(&r.bytes);
            }
        }
    }
    streams
}
