//! The outcome of a decision: PBX commands to send in order, and model effects.

use super::view::Recording;
use crate::ports::pbx::PbxCommand;

/// A model change to report once all commands of the plan succeeded (the PBX sends no
/// event for these, so the live model learns them from the operation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Every conversation with this id now has this recording state.
    Recording {
        /// Conversation id.
        convid: String,
        /// New state.
        state: Recording,
    },
    /// The channel's microphone was muted (true) or unmuted (false) by `MuteAudio`.
    Muted {
        /// Channel name.
        channel: String,
        /// Muted now.
        muted: bool,
    },
    /// An AstDB key of an extension setting (DND, CF, CFB, CFU, ROB) changed.
    Db {
        /// AstDB family.
        family: String,
        /// AstDB key (the extension).
        key: String,
        /// New value, `None` when deleted.
        value: Option<String>,
    },
}

/// PBX commands (in order) plus effects.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// Commands to execute sequentially; the first failure stops the plan.
    pub commands: Vec<PbxCommand>,
    /// Effects to apply when every command succeeded.
    pub effects: Vec<Effect>,
}

impl Plan {
    /// A plan of commands without effects.
    pub fn commands(commands: Vec<PbxCommand>) -> Self {
        Self {
            commands,
            effects: Vec::new(),
        }
    }

    /// A single-command plan.
    pub fn one(command: PbxCommand) -> Self {
        Self::commands(vec![command])
    }

    /// Adds an effect.
    pub fn with_effect(mut self, effect: Effect) -> Self {
        self.effects.push(effect);
        self
    }
}
