//! An in-memory [`Pbx`] for tests and the demo: records every command and answers with
//! scripted replies (default: `Done`, `Value(None)` for `DBGet`, `Output([])` for
//! `Command`). It can also be made unresponsive, to test that callers bound their waits.

use crate::ports::pbx::{Pbx, PbxCommand, PbxError, PbxReply};
use async_trait::async_trait;
use std::collections::VecDeque;
use std::sync::Mutex;

type Matcher = Box<dyn Fn(&PbxCommand) -> bool + Send + Sync>;

struct Scripted {
    matches: Matcher,
    reply: Result<PbxReply, PbxError>,
    once: bool,
}

#[derive(Default)]
struct Inner {
    commands: Vec<PbxCommand>,
    script: VecDeque<Scripted>,
    hang: bool,
}

/// The recording fake PBX.
#[derive(Default)]
pub struct FakePbx {
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for FakePbx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakePbx").finish_non_exhaustive()
    }
}

fn default_reply(cmd: &PbxCommand) -> PbxReply {
    match cmd {
        PbxCommand::DbGet { .. } => PbxReply::Value(None),
        PbxCommand::Command { .. } => PbxReply::Output(Vec::new()),
        _ => PbxReply::Done,
    }
}

impl FakePbx {
    /// A fake answering every command with the default reply.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Every command received so far, in order.
    pub fn commands(&self) -> Vec<PbxCommand> {
        self.lock().commands.clone()
    }

    /// Forgets the recorded commands.
    pub fn clear(&self) {
        self.lock().commands.clear();
    }

    /// Answers every command matching `matches` with `reply` (first matching rule wins).
    pub fn answer(
        &self,
        matches: impl Fn(&PbxCommand) -> bool + Send + Sync + 'static,
        reply: Result<PbxReply, PbxError>,
    ) {
        self.lock().script.push_back(Scripted {
            matches: Box::new(matches),
            reply,
            once: false,
        });
    }

    /// Like [`FakePbx::answer`] but for the next matching command only.
    pub fn answer_once(
        &self,
        matches: impl Fn(&PbxCommand) -> bool + Send + Sync + 'static,
        reply: Result<PbxReply, PbxError>,
    ) {
        self.lock().script.push_back(Scripted {
            matches: Box::new(matches),
            reply,
            once: true,
        });
    }

    /// While set, commands are recorded but never answered.
    pub fn set_unresponsive(&self, hang: bool) {
        self.lock().hang = hang;
    }
}

#[async_trait]
impl Pbx for FakePbx {
    async fn execute(&self, command: PbxCommand) -> Result<PbxReply, PbxError> {
        let outcome = {
            let mut inner = self.lock();
            inner.commands.push(command.clone());
            if inner.hang {
                None
            } else {
                let pos = inner.script.iter().position(|s| (s.matches)(&command));
                Some(match pos {
                    Some(i) if inner.script[i].once => inner
                        .script
                        .remove(i)
                        .map_or_else(|| Ok(default_reply(&command)), |s| s.reply),
                    Some(i) => inner.script[i].reply.clone(),
                    None => Ok(default_reply(&command)),
                })
            }
        };
        match outcome {
            Some(r) => r,
            None => std::future::pending().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn records_and_answers_scripted_replies() {
        let pbx = FakePbx::new();
        pbx.answer_once(
            |c| matches!(c, PbxCommand::DbGet { family, .. } if family == "DND"),
            Ok(PbxReply::Value(Some("YES".into()))),
        );
        let get = PbxCommand::DbGet {
            family: "DND".into(),
            key: "201".into(),
        };
        assert_eq!(
            pbx.execute(get.clone()).await,
            Ok(PbxReply::Value(Some("YES".into())))
        );
        assert_eq!(pbx.execute(get.clone()).await, Ok(PbxReply::Value(None)));
        assert_eq!(pbx.execute(PbxCommand::Ping).await, Ok(PbxReply::Done));
        pbx.answer(|_| true, Err(PbxError::Unavailable));
        assert_eq!(
            pbx.execute(PbxCommand::Ping).await,
            Err(PbxError::Unavailable)
        );
        assert_eq!(pbx.commands().len(), 4);
    }
}
