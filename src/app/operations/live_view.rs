//! The live [`OperationsView`]: reads the shared switchboard and users directory at
//! request time, through [`ModelAccess`] (whatever lock the integrator keeps them under).

use crate::domain::directory::Users;
use crate::domain::operations::switchboard_view::SwitchboardView;
use crate::domain::operations::{ConferenceInfo, ConversationInfo, ExtensionInfo, OperationsView};
use crate::domain::switchboard::Switchboard;
use crate::ports::clock::Clock;
use std::sync::{Arc, RwLock};

/// Read access to the model: calls `f` with the switchboard and the users directory
/// (under the holder's lock; `f` is short and does not block).
pub trait ModelAccess: Send + Sync {
    /// Runs `f` on the current model; not calling `f` (e.g. poisoned lock) reads as empty.
    fn read(&self, f: &mut dyn FnMut(&Switchboard, &Users));
}

/// The model kept under two `std::sync::RwLock`s.
#[derive(Debug, Clone)]
pub struct SharedModel {
    /// Live switchboard.
    pub switchboard: Arc<RwLock<Switchboard>>,
    /// Users directory.
    pub users: Arc<RwLock<Users>>,
}

impl SharedModel {
    /// `switchboard` and `users`, each behind its own lock.
    pub fn new(switchboard: Switchboard, users: Users) -> Self {
        Self {
            switchboard: Arc::new(RwLock::new(switchboard)),
            users: Arc::new(RwLock::new(users)),
        }
    }

    /// The empty switchboard of a loaded configuration (its users, queues, trunks and
    /// privacy mask) and its users, as the daemon starts with them.
    pub fn from_config(config: &crate::adapters::config::Config) -> Self {
        Self::new(
            Switchboard::new(
                &config.users,
                &config.ast_objects,
                &config.nethcti.privacy_numbers,
            ),
            config.users.clone(),
        )
    }
}

impl ModelAccess for SharedModel {
    fn read(&self, f: &mut dyn FnMut(&Switchboard, &Users)) {
        if let (Ok(sb), Ok(users)) = (self.switchboard.read(), self.users.read()) {
            f(&sb, &users);
        }
    }
}

/// [`OperationsView`] over a [`ModelAccess`].
pub struct LiveView<A> {
    access: A,
    clock: Arc<dyn Clock>,
}

impl<A: ModelAccess> LiveView<A> {
    /// A view reading `access`, timing durations with `clock`.
    pub fn new(access: A, clock: Arc<dyn Clock>) -> Self {
        Self { access, clock }
    }

    fn with<T: Default>(&self, f: impl Fn(&SwitchboardView<'_>) -> T) -> T {
        let now = self.clock.now_ms();
        let mut out = None;
        self.access
            .read(&mut |sb, users| out = Some(f(&SwitchboardView::new(sb, users, now))));
        out.unwrap_or_default()
    }
}

impl<A: ModelAccess> OperationsView for LiveView<A> {
    fn extension(&self, exten: &str) -> Option<ExtensionInfo> {
        self.with(|v| v.extension(exten))
    }
    fn user_extensions(&self, exten: &str) -> Vec<String> {
        self.with(|v| v.user_extensions(exten))
    }
    fn conversation(&self, exten: &str, convid: &str) -> Option<ConversationInfo> {
        self.with(|v| v.conversation(exten, convid))
    }
    fn conversations(&self, exten: &str) -> Vec<ConversationInfo> {
        self.with(|v| v.conversations(exten))
    }
    fn parked_channel(&self, parking: &str) -> Option<Option<String>> {
        self.with(|v| v.parked_channel(parking))
    }
    fn queue_waiting_callers(&self, queue: &str) -> Option<Vec<String>> {
        self.with(|v| v.queue_waiting_callers(queue))
    }
    fn queues_of_member(&self, exten: &str) -> Vec<String> {
        self.with(|v| v.queues_of_member(exten))
    }
    fn conference(&self, conf_id: &str) -> Option<ConferenceInfo> {
        self.with(|v| v.conference(conf_id))
    }
}
