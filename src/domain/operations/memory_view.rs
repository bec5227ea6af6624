//! An in-memory [`OperationsView`] for tests and demos: plain maps filled by hand.

use super::view::{ConferenceInfo, ConversationInfo, ExtensionInfo, OperationsView};
use std::collections::BTreeMap;

/// A hand-filled model snapshot.
#[derive(Debug, Clone, Default)]
pub struct MemoryView {
    /// Extensions by number.
    pub extensions: BTreeMap<String, ExtensionInfo>,
    /// Extension → every extension of its owner.
    pub user_extensions: BTreeMap<String, Vec<String>>,
    /// Conversations held by each extension.
    pub conversations: BTreeMap<String, Vec<ConversationInfo>>,
    /// Parking slot → parked channel.
    pub parkings: BTreeMap<String, Option<String>>,
    /// Queue → waiting callers' channels.
    pub queues: BTreeMap<String, Vec<String>>,
    /// Queue → member extensions.
    pub members: BTreeMap<String, Vec<String>>,
    /// Conferences by owner.
    pub conferences: BTreeMap<String, ConferenceInfo>,
}

impl MemoryView {
    /// Adds a conversation to its owner.
    pub fn add_conversation(&mut self, conv: ConversationInfo) {
        self.conversations
            .entry(conv.owner.clone())
            .or_default()
            .push(conv);
    }
}

impl OperationsView for MemoryView {
    fn extension(&self, exten: &str) -> Option<ExtensionInfo> {
        self.extensions.get(exten).cloned()
    }

    fn user_extensions(&self, exten: &str) -> Vec<String> {
        self.user_extensions.get(exten).cloned().unwrap_or_default()
    }

    fn conversation(&self, exten: &str, convid: &str) -> Option<ConversationInfo> {
        self.conversations
            .get(exten)?
            .iter()
            .find(|c| c.id == convid)
            .cloned()
    }

    fn conversations(&self, exten: &str) -> Vec<ConversationInfo> {
        self.conversations.get(exten).cloned().unwrap_or_default()
    }

    fn parked_channel(&self, parking: &str) -> Option<Option<String>> {
        self.parkings.get(parking).cloned()
    }

    fn queue_waiting_callers(&self, queue: &str) -> Option<Vec<String>> {
        self.queues.get(queue).cloned()
    }

    fn queues_of_member(&self, exten: &str) -> Vec<String> {
        self.members
            .iter()
            .filter(|(_, m)| m.iter().any(|e| e == exten))
            .map(|(q, _)| q.clone())
            .collect()
    }

    fn conference(&self, conf_id: &str) -> Option<ConferenceInfo> {
        self.conferences.get(conf_id).cloned()
    }
}
