//! PBX objects from `ast_objects.json`: trunks, tracked queues, feature codes.

use super::lenient;
use serde_json::Value;
use std::collections::BTreeMap;

/// A trunk as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrunkConf {
    /// Endpoint / channel id (the key in the file).
    pub id: String,
    /// Technology: `pjsip`, `sip`, `iax`.
    pub tech: String,
    /// Display name.
    pub name: String,
    /// Dialplan user context (channels named after it belong to the trunk).
    pub usercontext: String,
    /// Maximum channels (`maxchans`/`maxChannels`), default 4.
    pub max_channels: u64,
    /// Registration host.
    pub host: String,
    /// Registration username.
    pub username: String,
}

/// A tracked queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueConf {
    /// Queue number.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Extensions that are dynamic members (shown logged-out when absent).
    pub dynmembers: Vec<String>,
    /// Service level seconds, if set.
    pub sla: Option<u64>,
}

/// Everything `ast_objects.json` describes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AstObjects {
    /// Trunks by id.
    pub trunks: BTreeMap<String, TrunkConf>,
    /// Queues by number.
    pub queues: BTreeMap<String, QueueConf>,
    /// Feature codes by name (`pickup`, `confbridge_conf`/`meetme_conf`, ...).
    pub feature_codes: BTreeMap<String, String>,
    /// Context for blind transfers, default `from-internal`.
    pub transfer_context: String,
}

/// Why `ast_objects.json` could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AstObjectsError {
    /// `trunks` or `queues` is missing or not an object.
    #[error("ast_objects.json: `{0}` must be an object")]
    MissingSection(&'static str),
}

impl AstObjects {
    /// Parses the document; `trunks` and `queues` are required objects.
    ///
    /// # Errors
    /// [`AstObjectsError::MissingSection`] when `trunks` or `queues` is absent.
    pub fn from_json(doc: &Value) -> Result<Self, AstObjectsError> {
        let trunks = doc
            .get("trunks")
            .and_then(Value::as_object)
            .ok_or(AstObjectsError::MissingSection("trunks"))?;
        let queues = doc
            .get("queues")
            .and_then(Value::as_object)
            .ok_or(AstObjectsError::MissingSection("queues"))?;
        let trunks = trunks
            .iter()
            .map(|(id, t)| {
                let max = t
                    .get("maxchans")
                    .or_else(|| t.get("maxChannels"))
                    .and_then(lenient::unsigned)
                    .unwrap_or(4);
                let tech = lenient::field_string(t, "tech");
                let conf = TrunkConf {
                    id: id.clone(),
                    tech: if tech.is_empty() {
                        "pjsip".into()
                    } else {
                        tech
                    },
                    name: lenient::field_string(t, "name"),
                    usercontext: lenient::field_string(t, "usercontext"),
                    max_channels: max,
                    host: lenient::field_string(t, "host"),
                    username: lenient::field_string(t, "username"),
                };
                (id.clone(), conf)
            })
            .collect();
        let queues = queues
            .iter()
            .map(|(id, q)| {
                let dynmembers = q
                    .get("dynmembers")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(lenient::string).collect())
                    .unwrap_or_default();
                let conf = QueueConf {
                    id: id.clone(),
                    name: lenient::field_string(q, "name"),
                    dynmembers,
                    sla: q.get("sla").and_then(lenient::unsigned),
                };
                (id.clone(), conf)
            })
            .collect();
        let feature_codes = doc
            .get("feature_codes")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| lenient::string(v).map(|s| (k.clone(), s)))
                    .collect()
            })
            .unwrap_or_default();
        let tc = lenient::field_string(doc, "transfer_context");
        Ok(Self {
            trunks,
            queues,
            feature_codes,
            transfer_context: if tc.is_empty() {
                "from-internal".into()
            } else {
                tc
            },
        })
    }

    /// The ConfBridge feature code (prefix of conference names), `confbridge_conf` or the
    /// older `meetme_conf` key.
    pub fn confbridge_code(&self) -> Option<&str> {
        self.feature_codes
            .get("confbridge_conf")
            .or_else(|| self.feature_codes.get("meetme_conf"))
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_trunks_queues_and_codes() {
        let doc = json!({
            "trunks": {"2001": {"tech": "pjsip", "name": "provider", "maxchans": "8", "usercontext": "from-trunk-2001"}},
            "queues": {"401": {"name": "Support", "dynmembers": ["202", 203], "sla": 60}},
            "feature_codes": {"pickup": "*8", "meetme_conf": "*88"}
        });
        let o = AstObjects::from_json(&doc).expect("valid");
        assert_eq!(o.trunks["2001"].max_channels, 8);
        assert_eq!(o.queues["401"].dynmembers, vec!["202", "203"]);
        assert_eq!(o.confbridge_code(), Some("*88"));
        assert_eq!(o.transfer_context, "from-internal");
    }

    #[test]
    fn requires_trunks_and_queues() {
        assert_eq!(
            AstObjects::from_json(&json!({"trunks": {}})),
            Err(AstObjectsError::MissingSection("queues"))
        );
    }
}
