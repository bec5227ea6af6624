//! The registered contacts of an extension, by URI, in URI order.
//!
//! A phone has one contact, rarely a few, so they live in a vector sorted by URI grown
//! one slot at a time: one 192-byte allocation for the usual single contact, where a
//! `BTreeMap` allocated a whole 11-slot leaf (2.1 KB per extension, 21 MB with 10,000
//! registered phones).

use crate::domain::pbx_event::ContactInfo;

/// Contacts keyed by URI; iteration is in URI order, as a `BTreeMap`'s.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Contacts {
    by_uri: Vec<(String, ContactInfo)>,
}

impl Contacts {
    fn position(&self, uri: &str) -> Result<usize, usize> {
        self.by_uri.binary_search_by(|(u, _)| u.as_str().cmp(uri))
    }

    /// Room for one more, without the vector's doubling.
    fn make_room(&mut self) {
        if self.by_uri.len() == self.by_uri.capacity() {
            self.by_uri.reserve_exact(1);
        }
    }

    /// The contacts in URI order.
    pub fn values(&self) -> impl Iterator<Item = &ContactInfo> {
        self.by_uri.iter().map(|(_, c)| c)
    }

    /// `(uri, contact)` pairs in URI order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContactInfo)> {
        self.by_uri.iter().map(|(u, c)| (u.as_str(), c))
    }

    /// The contact of `uri`.
    pub fn get(&self, uri: &str) -> Option<&ContactInfo> {
        self.position(uri).ok().map(|i| &self.by_uri[i].1)
    }

    /// Number of contacts.
    pub fn len(&self) -> usize {
        self.by_uri.len()
    }

    /// True without contacts.
    pub fn is_empty(&self) -> bool {
        self.by_uri.is_empty()
    }

    /// Sets the contact of `uri`, returning the one it replaces.
    pub fn insert(&mut self, uri: String, contact: ContactInfo) -> Option<ContactInfo> {
        match self.position(&uri) {
            Ok(i) => Some(std::mem::replace(&mut self.by_uri[i].1, contact)),
            Err(i) => {
                self.make_room();
                self.by_uri.insert(i, (uri, contact));
                None
            }
        }
    }

    /// Removes the contact of `uri`.
    pub fn remove(&mut self, uri: &str) -> Option<ContactInfo> {
        let i = self.position(uri).ok()?;
        Some(self.by_uri.remove(i).1)
    }

    /// The contact of `uri`, inserted as [`ContactInfo::default`] if absent.
    pub fn entry_or_default(&mut self, uri: String) -> &mut ContactInfo {
        let i = match self.position(&uri) {
            Ok(i) => i,
            Err(i) => {
                self.make_room();
                self.by_uri.insert(i, (uri, ContactInfo::default()));
                i
            }
        };
        &mut self.by_uri[i].1
    }
}

impl FromIterator<(String, ContactInfo)> for Contacts {
    fn from_iter<I: IntoIterator<Item = (String, ContactInfo)>>(iter: I) -> Self {
        let mut contacts = Self::default();
        for (uri, contact) in iter {
            contacts.insert(uri, contact);
        }
        contacts
    }
}

/// As a map (`{"sip:…": ContactInfo { … }}`), like the `BTreeMap` it replaces.
impl std::fmt::Debug for Contacts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(uri: &str, ua: &str) -> ContactInfo {
        ContactInfo {
            uri: uri.into(),
            user_agent: ua.into(),
            ..ContactInfo::default()
        }
    }

    #[test]
    fn keeps_uri_order_and_replaces_by_uri() {
        let mut c = Contacts::default();
        assert_eq!(c.insert("sip:b".into(), contact("sip:b", "B")), None);
        assert_eq!(c.insert("sip:c".into(), contact("sip:c", "C")), None);
        assert_eq!(c.insert("sip:a".into(), contact("sip:a", "A")), None);
        let old = c.insert("sip:b".into(), contact("sip:b", "B2"));
        assert_eq!(old.map(|o| o.user_agent), Some("B".to_owned()));
        let uas: Vec<&str> = c.values().map(|x| x.user_agent.as_str()).collect();
        assert_eq!(uas, vec!["A", "B2", "C"]);
        let uris: Vec<&str> = c.iter().map(|(u, _)| u).collect();
        assert_eq!(uris, vec!["sip:a", "sip:b", "sip:c"]);
        assert_eq!(c.len(), 3);
        assert_eq!(c.get("sip:c").map(|x| x.user_agent.as_str()), Some("C"));
        assert_eq!(c.get("sip:d"), None);
    }

    #[test]
    fn remove_and_entry_or_default() {
        let mut c: Contacts = [("sip:x".to_owned(), contact("sip:x", "X"))]
            .into_iter()
            .collect();
        c.entry_or_default("sip:x".into()).call_id = "id".into();
        assert_eq!(c.get("sip:x").map(|x| x.call_id.as_str()), Some("id"));
        let fresh = c.entry_or_default("sip:w".into());
        assert_eq!(*fresh, ContactInfo::default());
        assert_eq!(
            c.iter().map(|(u, _)| u).collect::<Vec<_>>(),
            vec!["sip:w", "sip:x"]
        );
        assert_eq!(
            c.remove("sip:x").map(|x| x.user_agent),
            Some("X".to_owned())
        );
        assert_eq!(c.remove("sip:x"), None);
        assert_eq!(c.len(), 1);
        assert!(!c.is_empty());
    }

    #[test]
    fn one_contact_takes_one_slot() {
        let c: Contacts = [("sip:x".to_owned(), contact("sip:x", "X"))]
            .into_iter()
            .collect();
        assert_eq!(c.by_uri.capacity(), 1);
    }

    #[test]
    fn debug_prints_a_map() {
        let c: Contacts = [("sip:x".to_owned(), ContactInfo::default())]
            .into_iter()
            .collect();
        let text = format!("{c:?}");
        assert!(text.starts_with("{\"sip:x\": ContactInfo {"), "{text}");
    }
}
