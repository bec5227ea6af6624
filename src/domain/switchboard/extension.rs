//! Extension entity (domain.md §2): static data, registration, status, DND and forwards.

use super::contacts::Contacts;
use super::privacy::mask_num;
use serde_json::{Map, Value};

/// A tracked PJSIP extension.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extension {
    /// Number.
    pub exten: String,
    /// Display name from users.json.
    pub name: String,
    /// MAC (`aa-bb-…`) or `""`.
    pub mac: String,
    /// Owning CTI username.
    pub username: Option<String>,
    /// Dialplan context.
    pub context: String,
    /// Codecs.
    pub codecs: Vec<String>,
    /// Status string (§2.2).
    pub status: &'static str,
    /// DND flag.
    pub dnd: bool,
    /// Forward targets / voicemail boxes.
    pub cf: String,
    /// `cfVm`.
    pub cf_vm: String,
    /// `cfb`.
    pub cfb: String,
    /// `cfbVm`.
    pub cfb_vm: String,
    /// `cfu`.
    pub cfu: String,
    /// `cfuVm`.
    pub cfu_vm: String,
    /// Registered contacts by URI.
    pub contacts: Contacts,
}

/// PJSIP endpoint `DeviceState` text → status (§2.2); `None` = rejected.
pub fn endpoint_state_status(s: &str) -> Option<&'static str> {
    Some(match s {
        "Unknown" | "Invalid" | "Unavailable" => "offline",
        "Not in use" => "online",
        "In use" | "Busy" => "busy",
        "Ringing" => "ringing",
        "Ring+Inuse" => "busy_ringing",
        "On Hold" => "onhold",
        _ => return None,
    })
}

/// `DeviceStateChange` `State` (`NOT_INUSE`, …) → status; `None` = rejected.
pub fn device_state_status(s: &str) -> Option<&'static str> {
    Some(match s {
        "UNKNOWN" | "INVALID" | "UNAVAILABLE" => "offline",
        "NOT_INUSE" => "online",
        "INUSE" | "BUSY" => "busy",
        "RINGING" => "ringing",
        "RINGINUSE" => "busy_ringing",
        "ONHOLD" => "onhold",
        _ => return None,
    })
}

/// Splits a forward value: voicemail boxes are stored as `vmu<box>` or `*<box>`.
/// Returns (number, voicemail box).
pub fn split_forward(v: &str) -> (String, String) {
    if let Some(b) = v.strip_prefix("vmu") {
        (String::new(), b.to_owned())
    } else if let Some(b) = v.strip_prefix('*') {
        (String::new(), b.to_owned())
    } else {
        (v.to_owned(), String::new())
    }
}

fn is_private_ip(ip: &str) -> bool {
    let o: Vec<u8> = ip.split('.').filter_map(|p| p.parse().ok()).collect();
    if o.len() != 4 {
        return false;
    }
    o[0] == 10 || (o[0] == 172 && (16..=31).contains(&o[1])) || (o[0] == 192 && o[1] == 168)
}

fn host_of(uri: &str) -> (String, String) {
    let after = uri.rsplit('@').next().unwrap_or(uri);
    let after = after.trim_start_matches("sip:").trim_start_matches("sips:");
    let hostport = after.split(';').next().unwrap_or("");
    match hostport.rsplit_once(':') {
        Some((h, p)) => (h.to_owned(), p.to_owned()),
        None => (hostport.to_owned(), String::new()),
    }
}

impl Extension {
    /// (ip, port, user agent) from the first registered contact.
    pub fn contact_view(&self) -> (String, String, Option<String>) {
        let Some(c) = self.contacts.values().next() else {
            return (String::new(), String::new(), None);
        };
        let (uri_host, uri_port) = host_of(&c.uri);
        let (mut ip, port) = if c.via_address.is_empty() {
            (uri_host, uri_port)
        } else {
            let port = if c.via_port.is_empty() {
                uri_port
            } else {
                c.via_port.clone()
            };
            (c.via_address.clone(), port)
        };
        if !is_private_ip(&ip) && ip != "127.0.0.1" {
            if let Some((_, h)) = c.call_id.rsplit_once('@') {
                ip = h.to_owned();
            }
        }
        (ip, port, Some(c.user_agent.clone()))
    }

    /// Extension JSON with the given conversations (§2.3 key order).
    pub fn to_json(&self, conversations: Map<String, Value>, p_other: Option<&str>) -> Value {
        let (ip, port, ua) = self.contact_view();
        // Sized for every key: grown by doubling, the map reserved 32 slots for 19 keys
        // (≈ 1.3 KB of each 3.3 KB render; 10,000 extensions × 3 privacy variants are
        // rendered at once after a PBX load).
        let mut m = Map::with_capacity(JSON_KEYS);
        m.insert("ip".into(), ip.into());
        m.insert(
            "cf".into(),
            mask_num(&self.cf, nonempty(p_other, &self.cf)).into(),
        );
        m.insert("mac".into(), self.mac.clone().into());
        m.insert(
            "cfb".into(),
            mask_num(&self.cfb, nonempty(p_other, &self.cfb)).into(),
        );
        m.insert(
            "cfu".into(),
            mask_num(&self.cfu, nonempty(p_other, &self.cfu)).into(),
        );
        m.insert("dnd".into(), self.dnd.into());
        m.insert("cfVm".into(), self.cf_vm.clone().into());
        m.insert("port".into(), port.into());
        m.insert("name".into(), self.name.clone().into());
        m.insert("cfbVm".into(), self.cfb_vm.clone().into());
        m.insert("cfuVm".into(), self.cfu_vm.clone().into());
        m.insert("exten".into(), self.exten.clone().into());
        m.insert(
            "codecs".into(),
            Value::Array(self.codecs.iter().map(|c| c.clone().into()).collect()),
        );
        m.insert("status".into(), self.status.into());
        m.insert("context".into(), self.context.clone().into());
        m.insert("chanType".into(), "pjsip".into());
        if let Some(u) = &self.username {
            m.insert("username".into(), u.clone().into());
        }
        if let Some(ua) = ua {
            m.insert("sipuseragent".into(), ua.into());
        }
        m.insert("conversations".into(), Value::Object(conversations));
        Value::Object(m)
    }
}

/// Keys of [`Extension::to_json`], `username` and `sipuseragent` included.
const JSON_KEYS: usize = 19;

fn nonempty<'a>(p: Option<&'a str>, v: &str) -> Option<&'a str> {
    if v.is_empty() {
        None
    } else {
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pbx_event::ContactInfo;

    #[test]
    fn status_mappings_and_forward_split() {
        assert_eq!(endpoint_state_status("Ring+Inuse"), Some("busy_ringing"));
        assert_eq!(endpoint_state_status("Whatever"), None);
        assert_eq!(device_state_status("NOT_INUSE"), Some("online"));
        assert_eq!(split_forward("vmu201"), (String::new(), "201".to_owned()));
        assert_eq!(split_forward("*201"), (String::new(), "201".to_owned()));
        assert_eq!(split_forward("333"), ("333".to_owned(), String::new()));
    }

    #[test]
    fn json_keys_counts_every_key_of_a_full_extension() {
        let mut e = Extension {
            username: Some("alice".into()),
            ..Extension::default()
        };
        e.contacts
            .insert("sip:201@10.0.0.2".into(), ContactInfo::default());
        let json = e.to_json(Map::new(), None);
        assert_eq!(json.as_object().map(Map::len), Some(JSON_KEYS));
    }

    #[test]
    fn contact_ip_falls_back_to_call_id_host_when_public() {
        let mut e = Extension::default();
        e.contacts.insert(
            "sip:201@8.8.8.8:5060".into(),
            ContactInfo {
                uri: "sip:201@8.8.8.8:5060".into(),
                call_id: "abc@192.168.1.5".into(),
                user_agent: "UA".into(),
                ..ContactInfo::default()
            },
        );
        assert_eq!(
            e.contact_view(),
            ("192.168.1.5".into(), "5060".into(), Some("UA".into()))
        );
    }
}
