//! [`Pbx`] over the AMI client: one action per command, answers mapped to [`PbxReply`].

use super::action::from_command;
use super::client::AmiClient;
use super::error::AmiError;
use super::reply::AmiReply;
use crate::ports::pbx::{Pbx, PbxCommand, PbxError, PbxReply};
use async_trait::async_trait;

/// Asterisk's message for a missing AstDB key (`DBGet`, `DBDel`).
const DB_NOT_FOUND: &str = "Database entry not found";

/// The PBX port backed by a live AMI connection.
#[derive(Clone, Debug)]
pub struct AmiPbx {
    client: AmiClient,
}

impl AmiPbx {
    /// Wraps a client handle.
    pub fn new(client: AmiClient) -> Self {
        Self { client }
    }
}

impl From<AmiError> for PbxError {
    fn from(e: AmiError) -> Self {
        match e {
            AmiError::Rejected { message, .. } => PbxError::Rejected(message),
            AmiError::InvalidAction(m) => PbxError::Rejected(m),
            AmiError::Timeout(d) => PbxError::Timeout(d),
            AmiError::Unavailable | AmiError::Disconnected(_) | AmiError::ShutDown => {
                PbxError::Unavailable
            }
        }
    }
}

fn is_not_found(e: &AmiError) -> bool {
    matches!(e, AmiError::Rejected { message, .. } if message.eq_ignore_ascii_case(DB_NOT_FOUND))
}

/// The reply of a command from its AMI answer.
fn to_reply(command: &PbxCommand, answer: AmiReply) -> PbxReply {
    match command {
        PbxCommand::Originate {
            wait_answer: true, ..
        } => PbxReply::Originated {
            uniqueid: answer
                .complete
                .as_ref()
                .map(|f| f.get_or_empty("Uniqueid").to_owned())
                .unwrap_or_default(),
        },
        PbxCommand::DbGet { .. } => PbxReply::Value(
            answer
                .events_named("DBGetResponse")
                .next()
                .map(|f| f.get_or_empty("Val").to_owned()),
        ),
        PbxCommand::Command { .. } => PbxReply::Output(answer.output()),
        _ => PbxReply::Done,
    }
}

#[async_trait]
impl Pbx for AmiPbx {
    async fn execute(&self, command: PbxCommand) -> Result<PbxReply, PbxError> {
        let action = from_command(&command, self.client.action_timeout());
        match self.client.send(action).await {
            Ok(answer) => Ok(to_reply(&command, answer)),
            Err(e) if is_not_found(&e) => match command {
                PbxCommand::DbGet { .. } => Ok(PbxReply::Value(None)),
                PbxCommand::DbDel { .. } => Ok(PbxReply::Done),
                _ => Err(e.into()),
            },
            Err(e) => Err(e.into()),
        }
    }
}
