//! What the switchboard reports after applying an event: the facts the push layer turns
//! into socket.io events (`extenUpdate`, `extenHangup`, `extenRinging`, `queueUpdate`, …).
//!
//! Entity changes carry only the key; the push layer asks the switchboard for the JSON
//! (with the privacy variant of each recipient). Call events carry their payload.

use crate::domain::pbx_event::ForwardKind;
use serde_json::{json, Map, Value};

/// `extenHangup` payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HangupInfo {
    /// Q.850 cause name (`normal_clearing`), `None` for unknown codes (key omitted).
    pub cause: Option<&'static str>,
    /// `CallerIDNum` of the channel.
    pub caller_num: String,
    /// Extension the channel belongs to.
    pub channel_exten: String,
    /// `ConnectedLineNum` of the channel.
    pub called_num: String,
}

impl HangupInfo {
    /// `{cause?, callerNum, channelExten, calledNum}`.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        if let Some(c) = self.cause {
            m.insert("cause".into(), c.into());
        }
        m.insert("callerNum".into(), self.caller_num.clone().into());
        m.insert("channelExten".into(), self.channel_exten.clone().into());
        m.insert("calledNum".into(), self.called_num.clone().into());
        Value::Object(m)
    }
}

/// `extenDialing` (→ `extenRinging`) payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialingInfo {
    /// The ringing extension.
    pub dialing_exten: String,
    /// Number called (the ringing extension).
    pub num_called: String,
    /// Caller number.
    pub caller_num: String,
    /// Caller name.
    pub caller_name: String,
    /// Calling channel.
    pub channel: String,
    /// True when the caller owns a running conference.
    pub caller_has_conf: bool,
    /// Uniqueid of the ringing channel.
    pub dest_uniqueid: String,
}

impl DialingInfo {
    /// `extenDialing` payload, astproxy's internal event as is: `{dialingExten,
    /// callerIdentity: {numCalled, callerNum, callerName}, channel, callerHasConf, destUniqueId}`.
    pub fn dialing_json(&self) -> Value {
        json!({
            "dialingExten": self.dialing_exten,
            "callerIdentity": {
                "numCalled": self.num_called,
                "callerNum": self.caller_num,
                "callerName": self.caller_name,
            },
            "channel": self.channel,
            "callerHasConf": self.caller_has_conf,
            "destUniqueId": self.dest_uniqueid,
        })
    }

    /// `extenRinging` payload: `{numCalled, callerNum, callerName, callerHasConf}`.
    pub fn ringing_json(&self) -> Value {
        json!({
            "numCalled": self.num_called,
            "callerNum": self.caller_num,
            "callerName": self.caller_name,
            "callerHasConf": self.caller_has_conf,
        })
    }
}

/// `extenConnected` payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectedInfo {
    /// Extension part of the bridged channel.
    pub num1: String,
    /// Its connected line number.
    pub num2: String,
    /// `out` when Uniqueid == Linkedid, else `in`.
    pub direction: &'static str,
    /// Channel uniqueid.
    pub uniqueid: String,
    /// Channel linkedid.
    pub linkedid: String,
    /// Not both numbers are tracked extensions.
    pub through_trunk: bool,
}

impl ConnectedInfo {
    /// `extenConnected` payload `{extenConnected: num1}`.
    pub fn connected_json(&self) -> Value {
        json!({ "extenConnected": self.num1 })
    }

    /// `extenConvConnected` payload.
    pub fn conv_connected_json(&self) -> Value {
        json!({
            "num1": self.num1,
            "num2": self.num2,
            "direction": self.direction,
            "uniqueid": self.uniqueid,
            "linkedid": self.linkedid,
            "throughTrunk": self.through_trunk,
        })
    }
}

/// One change caused by an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// An extension's JSON changed (`extenUpdate`).
    ExtensionChanged(String),
    /// A channel of a tracked extension hung up.
    ExtensionHangup(HangupInfo),
    /// A tracked extension started ringing.
    Dialing(DialingInfo),
    /// Two parties were bridged.
    Connected(ConnectedInfo),
    /// DND changed on an extension.
    DndChanged {
        /// Extension.
        exten: String,
        /// New state.
        enabled: bool,
    },
    /// A call forward changed (`extenCf*Changed`, `extenCf*VmChanged`).
    ForwardChanged {
        /// Extension.
        exten: String,
        /// Which forward.
        kind: ForwardKind,
        /// True for the voicemail variant (`cfVm`, …).
        voicemail: bool,
        /// Enabled.
        enabled: bool,
        /// Target number or voicemail box (`""` when disabled).
        to: String,
    },
    /// A queue's JSON changed.
    QueueChanged(String),
    /// A queue member changed: (queue, member extension).
    QueueMemberChanged(String, String),
    /// A trunk's JSON changed.
    TrunkChanged(String),
    /// A parking slot changed.
    ParkingChanged(String),
    /// A conference changed (id = owner extension / conference id).
    ConferenceChanged(String),
    /// A conference ended.
    ConferenceEnded(String),
    /// The PBX (re)booted or reloaded: the caller should load a new snapshot.
    ResyncRequested,
}

/// Q.850 cause code → name used by `extenHangup.cause` (`None` for unlisted codes).
pub fn cause_name(code: u32) -> Option<&'static str> {
    Some(match code {
        0 => "not_defined",
        1 => "unallocated",
        2 => "no_route_transit_net",
        3 => "no_route_destination",
        5 => "misdialled_trunk_prefix",
        6 => "channel_unacceptable",
        7 => "call_awarded_delivered",
        8 => "pre_empted",
        14 => "number_ported_not_here",
        16 => "normal_clearing",
        17 => "user_busy",
        18 => "no_user_response",
        19 => "no_answer",
        20 => "subscriber_absent",
        21 => "call_rejected",
        22 => "number_changed",
        23 => "redirected_to_new_destination",
        26 => "answered_elsewhere",
        27 => "destination_out_of_order",
        28 => "invalid_number_format",
        29 => "facility_rejected",
        30 => "response_to_status_enquiry",
        31 => "normal_unspecified",
        34 => "normal_circuit_congestion",
        38 => "network_out_of_order",
        41 => "normal_temporary_failure",
        42 => "switch_congestion",
        43 => "access_info_discarded",
        44 => "requested_chan_unavail",
        50 => "facility_not_subscribed",
        52 => "outgoing_call_barred",
        54 => "incoming_call_barred",
        57 => "bearercapability_notauth",
        58 => "bearercapability_notavail",
        65 => "bearercapability_notimpl",
        66 => "chan_not_implemented",
        69 => "facility_not_implemented",
        81 => "invalid_call_reference",
        88 => "incompatible_destination",
        95 => "invalid_msg_unspecified",
        96 => "mandatory_ie_missing",
        97 => "message_type_nonexist",
        98 => "wrong_message",
        99 => "ie_nonexist",
        100 => "invalid_ie_contents",
        101 => "wrong_call_state",
        102 => "recovery_on_timer_expire",
        103 => "mandatory_ie_length_error",
        111 => "protocol_error",
        127 => "interworking",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hangup_payload_omits_unknown_cause() {
        let h = HangupInfo {
            cause: cause_name(200),
            caller_num: "201".into(),
            channel_exten: "201".into(),
            called_num: "202".into(),
        };
        assert_eq!(
            h.to_json().to_string(),
            r#"{"callerNum":"201","channelExten":"201","calledNum":"202"}"#
        );
        assert_eq!(cause_name(16), Some("normal_clearing"));
        assert_eq!(cause_name(26), Some("answered_elsewhere"));
    }
}
