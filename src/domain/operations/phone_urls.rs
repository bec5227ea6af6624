//! Phone HTTP API URL templates (`phone_urls.json`) and URL building.
//!
//! The file maps a user-agent regex (case-insensitive, first match in file order wins) to
//! `{urls: {call, answer, hold_unhold, dtmf}}`. Templates use the placeholders
//! `$PHONE_USER $PHONE_PASS $PHONE_IP $NUMBER $ACCOUNT $SERVER $TONE`.

use regex::Regex;
use serde_json::Value;

/// Which phone URL to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneAction {
    /// Click-to-call (`call`).
    Call,
    /// Answer the ringing call (`answer`).
    Answer,
    /// Toggle hold (`hold_unhold`).
    HoldUnhold,
    /// Send a DTMF tone (`dtmf`).
    Dtmf,
}

impl PhoneAction {
    /// Key inside `urls`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Answer => "answer",
            Self::HoldUnhold => "hold_unhold",
            Self::Dtmf => "dtmf",
        }
    }
}

#[derive(Debug, Clone)]
struct Entry {
    pattern: Regex,
    urls: Vec<(String, String)>,
}

/// The parsed `phone_urls.json`.
#[derive(Debug, Clone, Default)]
pub struct PhoneUrls {
    entries: Vec<Entry>,
    /// Keys skipped because they are not valid regexes or carry no `urls` object.
    pub skipped: Vec<String>,
}

/// Why `phone_urls.json` could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneUrlsError {
    /// The top level is not an object.
    #[error("phone_urls.json: top level must be an object")]
    NotAnObject,
}

impl PhoneUrls {
    /// Parses the document; bad entries are listed in [`PhoneUrls::skipped`].
    ///
    /// # Errors
    /// [`PhoneUrlsError::NotAnObject`] when the top level is not an object.
    pub fn from_json(doc: &Value) -> Result<Self, PhoneUrlsError> {
        let obj = doc.as_object().ok_or(PhoneUrlsError::NotAnObject)?;
        let mut out = Self::default();
        for (key, v) in obj {
            let pattern = Regex::new(&format!("(?i){key}"));
            let urls = v.get("urls").and_then(Value::as_object);
            match (pattern, urls) {
                (Ok(pattern), Some(urls)) => out.entries.push(Entry {
                    pattern,
                    urls: urls
                        .iter()
                        .filter_map(|(k, u)| u.as_str().map(|u| (k.clone(), u.to_owned())))
                        .collect(),
                }),
                _ => out.skipped.push(key.clone()),
            }
        }
        Ok(out)
    }

    /// Rules already compiled elsewhere (e.g. by the config loader), in match order;
    /// each regex must be case-insensitive.
    pub fn from_rules(rules: impl IntoIterator<Item = (Regex, Vec<(String, String)>)>) -> Self {
        Self {
            entries: rules
                .into_iter()
                .map(|(pattern, urls)| Entry { pattern, urls })
                .collect(),
            skipped: Vec::new(),
        }
    }

    fn entry(&self, user_agent: &str) -> Option<&Entry> {
        if user_agent.is_empty() {
            return None;
        }
        self.entries.iter().find(|e| e.pattern.is_match(user_agent))
    }

    /// True when some entry matches the user agent.
    pub fn supports(&self, user_agent: &str) -> bool {
        self.entry(user_agent).is_some()
    }

    /// The template for an action, if the phone is supported and has that URL.
    pub fn template(&self, user_agent: &str, action: PhoneAction) -> Option<&str> {
        self.entry(user_agent)?
            .urls
            .iter()
            .find(|(k, u)| k == action.key() && !u.is_empty())
            .map(|(_, u)| u.as_str())
    }
}

/// Values substituted into a template.
#[derive(Debug, Clone, Default)]
pub struct PhoneParams<'a> {
    /// Phone web user.
    pub user: &'a str,
    /// Phone web password.
    pub pass: &'a str,
    /// Phone IP.
    pub ip: &'a str,
    /// Number to call (already prefixed).
    pub number: &'a str,
    /// SIP account (the extension).
    pub account: &'a str,
    /// PBX host.
    pub server: &'a str,
    /// DTMF tone (`0-9`, `*`, `#`).
    pub tone: &'a str,
}

/// Percent-encodes what cannot appear in URL user-info or query values.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~*".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `$TONE` value: `#` is `POUND` for Yealink and Sangoma phones, `%23` for others.
pub fn tone_value(tone: &str, user_agent: &str) -> String {
    if tone == "#" {
        let ua = user_agent.to_ascii_lowercase();
        if ua.contains("yealink") || ua.contains("sangoma") {
            "POUND".to_owned()
        } else {
            "%23".to_owned()
        }
    } else {
        tone.to_owned()
    }
}

/// Fills a template. Credentials and the number are percent-encoded (a password with
/// `@` or `:` would otherwise break the URL).
pub fn build_url(template: &str, p: &PhoneParams<'_>, user_agent: &str) -> String {
    template
        .replace("$PHONE_USER", &encode(p.user))
        .replace("$PHONE_PASS", &encode(p.pass))
        .replace("$PHONE_IP", p.ip)
        .replace("$NUMBER", &encode(p.number))
        .replace("$ACCOUNT", &encode(p.account))
        .replace("$SERVER", p.server)
        .replace("$TONE", &tone_value(p.tone, user_agent))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn urls() -> PhoneUrls {
        PhoneUrls::from_json(&json!({
            "^snom.*": {"urls": {"call": "http://$PHONE_USER:$PHONE_PASS@$PHONE_IP/command.htm?number=$NUMBER",
                "answer": "http://$PHONE_USER:$PHONE_PASS@$PHONE_IP/command.htm?key=ENTER",
                "dtmf": "http://$PHONE_IP/command.htm?key=$TONE"}},
            "yealink": {"urls": {"dtmf": "http://$PHONE_IP/servlet?key=$TONE",
                "call": "http://$PHONE_IP/servlet?key=number=$NUMBER&outgoing_uri=$ACCOUNT@$SERVER"}},
            "([bad": {"urls": {}}
        }))
        .expect("object")
    }

    #[test]
    fn first_case_insensitive_match_wins_and_bad_regex_is_skipped() {
        let u = urls();
        assert_eq!(u.skipped, vec!["([bad".to_owned()]);
        assert!(u.supports("Yealink SIP-T46U 108.86.0.45"));
        assert!(u.supports("snom760/10.1.33.33"));
        assert!(!u.supports("Grandstream GXP2170"));
        assert!(!u.supports(""));
        assert_eq!(u.template("Yealink SIP-T46U", PhoneAction::Answer), None);
    }

    #[test]
    fn builds_urls_with_encoded_credentials_and_pound() {
        let u = urls();
        let ua = "snom760/10.1";
        let t = u.template(ua, PhoneAction::Call).expect("call url");
        let p = PhoneParams {
            user: "admin",
            pass: "p@ss:1",
            ip: "192.168.5.163",
            number: "0039021234",
            ..Default::default()
        };
        assert_eq!(
            build_url(t, &p, ua),
            "http://admin:p%40ss%3A1@192.168.5.163/command.htm?number=0039021234"
        );
        let dtmf = PhoneParams {
            ip: "10.0.0.2",
            tone: "#",
            ..Default::default()
        };
        let t = u.template(ua, PhoneAction::Dtmf).expect("dtmf");
        assert_eq!(
            build_url(t, &dtmf, ua),
            "http://10.0.0.2/command.htm?key=%23"
        );
        let yl = "Yealink T46";
        let t = u.template(yl, PhoneAction::Dtmf).expect("dtmf");
        assert_eq!(build_url(t, &dtmf, yl), "http://10.0.0.2/servlet?key=POUND");
        let t = u.template(yl, PhoneAction::Call).expect("call");
        let call = PhoneParams {
            ip: "10.0.0.2",
            number: "202",
            account: "201",
            server: "pbx.example.com",
            ..Default::default()
        };
        assert_eq!(
            build_url(t, &call, yl),
            "http://10.0.0.2/servlet?key=number=202&outgoing_uri=201@pbx.example.com"
        );
    }
}
