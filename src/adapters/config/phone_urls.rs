//! `phone_urls.json`: HTTP API URL templates per phone model, chosen by a case-insensitive
//! regular expression on the SIP User-Agent (first match in file order wins).

use super::doc::{kind, Doc};
use super::error::ConfigError;
use regex::{Regex, RegexBuilder};
use std::collections::BTreeMap;

/// The URL templates of one phone family.
#[derive(Debug, Clone)]
pub struct PhoneUrlRule {
    /// The User-Agent pattern exactly as written in the file.
    pub pattern: String,
    /// The compiled, case-insensitive pattern.
    pub regex: Regex,
    /// URL template by action (`call`, `answer`, `hold_unhold`, `dtmf`), with placeholders
    /// `$PHONE_USER`, `$PHONE_PASS`, `$PHONE_IP`, `$NUMBER`, `$ACCOUNT`, `$SERVER`, `$TONE`.
    pub urls: BTreeMap<String, String>,
}

/// All rules in file order.
#[derive(Debug, Clone, Default)]
pub struct PhoneUrls {
    /// Rules, first match wins.
    pub rules: Vec<PhoneUrlRule>,
}

impl PhoneUrls {
    /// The rule for a SIP User-Agent, if any phone family matches.
    pub fn for_user_agent(&self, user_agent: &str) -> Option<&PhoneUrlRule> {
        self.rules.iter().find(|r| r.regex.is_match(user_agent))
    }

    /// Reads the document: every key must be a valid regular expression and every
    /// `urls` value a string.
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] naming the bad key.
    pub fn from_doc(doc: &Doc) -> Result<Self, ConfigError> {
        let mut rules = Vec::new();
        for (pattern, entry) in doc.top()? {
            let regex = RegexBuilder::new(pattern)
                .case_insensitive(true)
                .build()
                .map_err(|e| {
                    let first = e.to_string();
                    let first = first.lines().last().unwrap_or_default().trim().to_owned();
                    doc.bad(pattern, format!("invalid regular expression: {first}"))
                })?;
            let mut urls = BTreeMap::new();
            if let Some(map) = entry.get("urls").and_then(|u| u.as_object()) {
                for (action, url) in map {
                    let url = url.as_str().ok_or_else(|| {
                        doc.bad(
                            &format!("{pattern}.urls.{action}"),
                            format!("expected a string, found {}", kind(url)),
                        )
                    })?;
                    urls.insert(action.clone(), url.to_owned());
                }
            }
            rules.push(PhoneUrlRule {
                pattern: pattern.clone(),
                regex,
                urls,
            });
        }
        Ok(Self { rules })
    }
}
