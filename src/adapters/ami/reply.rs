//! What a completed AMI action gives back, and helpers to read responses and events.

use crate::adapters::ami::frame::Frame;

/// The complete answer to one action.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AmiReply {
    /// The `Response:` frame (for an async originate, the immediate response if one came).
    pub response: Frame,
    /// Item events of an event list, in arrival order (terminator excluded).
    pub events: Vec<Frame>,
    /// The terminating event: the `…Complete` event of a list, or `OriginateResponse`.
    pub complete: Option<Frame>,
}

impl AmiReply {
    /// The `Output` lines of a `Command` response, in order.
    pub fn output(&self) -> Vec<String> {
        self.response.get_all("Output").map(str::to_owned).collect()
    }

    /// The item events named `event` (case-insensitive).
    pub fn events_named<'a>(&'a self, event: &'a str) -> impl Iterator<Item = &'a Frame> + 'a {
        self.events
            .iter()
            .filter(move |f| f.event().is_some_and(|e| e.eq_ignore_ascii_case(event)))
    }
}

/// The kind of a `Response:` value; [`ResponseKind::Unknown`] keeps anything new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseKind {
    /// `Success`.
    Success,
    /// `Error`.
    Error,
    /// `Follows` (command output).
    Follows,
    /// `Goodbye` (after `Logoff`).
    Goodbye,
    /// Any other value.
    Unknown(String),
}

impl ResponseKind {
    /// Classifies a `Response:` value (case-insensitive).
    pub fn parse(value: &str) -> Self {
        match value.to_ascii_lowercase().as_str() {
            "success" => Self::Success,
            "error" => Self::Error,
            "follows" => Self::Follows,
            "goodbye" => Self::Goodbye,
            _ => Self::Unknown(value.to_owned()),
        }
    }
}

/// How an incoming frame presents itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming<'a> {
    /// An event (`Event:` header; `OriginateResponse` has a `Response:` field too).
    Event(&'a str),
    /// A response to an action.
    Response(ResponseKind),
    /// Neither header.
    Unknown,
}

/// Classifies a frame: events first, then responses.
pub fn classify(frame: &Frame) -> Incoming<'_> {
    if let Some(e) = frame.event() {
        Incoming::Event(e)
    } else if let Some(r) = frame.response() {
        Incoming::Response(ResponseKind::parse(r))
    } else {
        Incoming::Unknown
    }
}

/// True when `event` ends an event list: `EventList: Complete`/`Cancelled`, or an event
/// name ending in `Complete` (`CoreShowChannelsComplete`, `DBGetComplete`, …).
pub fn is_list_end(event: &Frame) -> bool {
    let flag = event
        .get("EventList")
        .is_some_and(|v| v.eq_ignore_ascii_case("Complete") || v.eq_ignore_ascii_case("Cancelled"));
    let name = event.event().unwrap_or("");
    flag || (name.len() >= 8 && name[name.len() - 8..].eq_ignore_ascii_case("Complete"))
}

/// Human text for an `OriginateResponse` `Reason` code (Asterisk control frame numbers).
pub fn originate_reason(code: &str) -> String {
    let text = match code {
        "0" => "failed (no such channel or extension)",
        "1" => "hung up",
        "3" => "no answer (timeout while ringing)",
        "5" => "busy",
        "8" => "congestion",
        _ => "failed",
    };
    format!("originate {text}, reason {code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_end_is_recognised_by_flag_or_by_name() {
        let by_flag = Frame::new()
            .with("Event", "DBGetComplete")
            .with("EventList", "Complete");
        let by_name = Frame::new().with("Event", "QueueStatusComplete");
        let item = Frame::new().with("Event", "QueueMember");
        assert!(is_list_end(&by_flag));
        assert!(is_list_end(&by_name));
        assert!(!is_list_end(&item));
    }

    #[test]
    fn originate_response_is_an_event_even_with_a_response_field() {
        let f = Frame::new()
            .with("Event", "OriginateResponse")
            .with("Response", "Failure");
        assert_eq!(classify(&f), Incoming::Event("OriginateResponse"));
        let r = Frame::new().with("Response", "Weird");
        assert_eq!(
            classify(&r),
            Incoming::Response(ResponseKind::Unknown("Weird".into()))
        );
    }
}
