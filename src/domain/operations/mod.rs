//! Switchboard operations as pure decisions.
//!
//! Each function takes a validated request, the caller ([`Caller`]: identity and granted
//! permissions), a read-only [`OperationsView`] of the live model and the static
//! [`OpsConfig`], and returns a [`Plan`] — the exact [`PbxCommand`](crate::ports::pbx::PbxCommand)s
//! to send, in order, plus the model effects to apply once they succeed — or an
//! [`OperationError`]. Nothing here does I/O: the application service
//! (`crate::app::operations`) executes the plans.

pub mod caller;
pub mod calls;
pub mod channel;
pub mod conference;
pub mod config;
pub mod effects;
pub mod error;
pub mod forward;
pub mod hangup;
pub mod memory_view;
pub mod mute;
pub mod park;
pub mod phone_urls;
pub mod plan;
pub mod queue_member;
pub mod record;
pub mod spy;
pub mod switchboard_view;
pub mod transfer;
pub mod view;

pub use caller::{Caller, Grants};
pub use config::{C2cMode, OpsConfig};
pub use error::OperationError;
pub use plan::{Effect, Plan};
pub use view::{
    ChannelInfo, ConfUserInfo, ConferenceInfo, ConversationInfo, ExtensionInfo, OperationsView,
    Recording,
};

/// Everything a decision reads: who asks, the live model and the static configuration.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// The authenticated caller.
    pub caller: &'a Caller,
    /// Read-only live model.
    pub view: &'a dyn OperationsView,
    /// Static configuration.
    pub config: &'a OpsConfig,
}

impl<'a> Ctx<'a> {
    /// Bundles the three inputs.
    pub fn new(caller: &'a Caller, view: &'a dyn OperationsView, config: &'a OpsConfig) -> Self {
        Self {
            caller,
            view,
            config,
        }
    }

    /// The dialplan context of a tracked extension, `from-internal` otherwise.
    pub fn context_of(&self, exten: &str) -> String {
        self.view
            .extension(exten)
            .map(|e| e.context)
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| config::DEFAULT_CONTEXT.to_owned())
    }

    /// The context of the caller's default extension (the original's `extForCtx = defExt`).
    pub fn default_context(&self) -> String {
        match self.caller.default_extension.as_deref() {
            Some(e) => self.context_of(e),
            None => config::DEFAULT_CONTEXT.to_owned(),
        }
    }

    /// The conversation `convid` of `exten`, or [`OperationError::ConversationNotFound`].
    ///
    /// # Errors
    /// [`OperationError::ConversationNotFound`] when the extension has no such conversation
    /// (typically: it ended meanwhile).
    pub fn conversation(
        &self,
        exten: &str,
        convid: &str,
    ) -> Result<ConversationInfo, OperationError> {
        self.view
            .conversation(exten, convid)
            .ok_or_else(|| OperationError::ConversationNotFound {
                exten: exten.to_owned(),
                convid: convid.to_owned(),
            })
    }
}
