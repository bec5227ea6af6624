//! Call recording: `start_record`, `stop_record`, `mute_record`, `unmute_record`.

use super::channel::exten_of;
use super::error::OperationError;
use super::plan::{Effect, Plan};
use super::view::{ConversationInfo, Recording};
use super::Ctx;
use crate::ports::pbx::{AudioDirection, PbxCommand};

/// A UTC calendar time split into fields (the domain never reads the clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CivilTime {
    /// Year.
    pub year: i64,
    /// Month 1-12.
    pub month: u32,
    /// Day 1-31.
    pub day: u32,
    /// Hour 0-23.
    pub hour: u32,
    /// Minute.
    pub minute: u32,
    /// Second.
    pub second: u32,
    /// Epoch milliseconds it was made from.
    pub epoch_ms: i64,
}

impl CivilTime {
    /// Splits epoch milliseconds (UTC).
    pub fn from_epoch_ms(ms: i64) -> Self {
        let secs = ms.div_euclid(1000);
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self {
            year,
            month,
            day,
            hour: (sod / 3600) as u32,
            minute: (sod % 3600 / 60) as u32,
            second: (sod % 60) as u32,
            epoch_ms: ms,
        }
    }
}

/// The recording file name: incoming `exten-<ext>-<counterpart>-YYYYMMDD-HHmmss-<ms>.wav`,
/// outgoing `exten-<counterpart>-<ext>-…` (FreePBX's `<type>-<to>-<from>-…` order).
pub fn file_name(conv: &ConversationInfo, ext: &str, t: &CivilTime) -> String {
    let (to, from) = if conv.incoming {
        (ext, conv.counterpart_num.as_str())
    } else {
        (conv.counterpart_num.as_str(), ext)
    };
    format!(
        "exten-{to}-{from}-{:04}{:02}{:02}-{:02}{:02}{:02}-{}.wav",
        t.year, t.month, t.day, t.hour, t.minute, t.second, t.epoch_ms
    )
}

fn may_record(ctx: &Ctx<'_>, ext: &str) -> Result<(), OperationError> {
    let g = &ctx.caller.grants;
    OperationError::require(g.admin_recording || (g.recording && ctx.caller.owns(ext)))
}

/// The recorded channel: `chSource.channel` (else `chDest.channel`).
fn recorded_channel(conv: &ConversationInfo) -> Option<String> {
    conv.source
        .as_ref()
        .or(conv.dest.as_ref())
        .map(|c| c.channel.clone())
        .filter(|c| !exten_of(c).is_empty())
}

fn target(
    ctx: &Ctx<'_>,
    ext: &str,
    convid: &str,
) -> Result<(ConversationInfo, String), OperationError> {
    let conv = ctx.conversation(ext, convid)?;
    let ch = recorded_channel(&conv).ok_or_else(|| OperationError::ConversationNotFound {
        exten: ext.to_owned(),
        convid: convid.to_owned(),
    })?;
    Ok((conv, ch))
}

fn setvar(channel: &str, variable: &str, value: &str) -> PbxCommand {
    PbxCommand::Setvar {
        channel: Some(channel.to_owned()),
        variable: variable.to_owned(),
        value: value.to_owned(),
    }
}

fn recording(convid: &str, state: Recording) -> Effect {
    Effect::Recording {
        convid: convid.to_owned(),
        state,
    }
}

/// `start_record`: four `Setvar`s then `MixMonitor` (`a`) on the recorded channel; a
/// conversation already recording gives an empty plan.
///
/// # Errors
/// `Forbidden` unless `admin_recording` or (`recording` and owner); `ConversationNotFound`.
pub fn decide_start(
    ctx: &Ctx<'_>,
    ext: &str,
    convid: &str,
    now: &CivilTime,
) -> Result<Plan, OperationError> {
    may_record(ctx, ext)?;
    let (conv, ch) = target(ctx, ext, convid)?;
    if conv.recording != Recording::Off {
        return Ok(Plan::default());
    }
    let file = file_name(&conv, ext, now);
    let commands = vec![
        setvar(&ch, "MASTER_CHANNEL(ONETOUCH_REC)", "RECORDING"),
        setvar(&ch, "MASTER_CHANNEL(REC_STATUS)", "RECORDING"),
        setvar(&ch, "MASTER_CHANNEL(CDR(recordingfile))", &file),
        setvar(&ch, "MASTER_CHANNEL(ONETOUCH_RECFILE)", &file),
        PbxCommand::MixMonitor {
            channel: ch,
            file: format!("{:04}/{:02}/{:02}/{file}", now.year, now.month, now.day),
            options: Some("a".to_owned()),
        },
    ];
    Ok(Plan::commands(commands).with_effect(recording(&conv.id, Recording::On)))
}

/// `stop_record`: `StopMixMonitor`. Fixed: checks the same permission as `start_record`.
///
/// # Errors
/// `Forbidden`; `ConversationNotFound`; `NotRecording`.
pub fn decide_stop(ctx: &Ctx<'_>, ext: &str, convid: &str) -> Result<Plan, OperationError> {
    may_record(ctx, ext)?;
    let (conv, ch) = target(ctx, ext, convid)?;
    if conv.recording == Recording::Off {
        return Err(OperationError::NotRecording(conv.id));
    }
    Ok(Plan::one(PbxCommand::StopMixMonitor { channel: ch })
        .with_effect(recording(&conv.id, Recording::Off)))
}

/// `mute_record` (`mute: true`) / `unmute_record`: `MixMonitorMute` both directions; a
/// conversation not recording, or already in the wanted state, gives an empty plan.
///
/// # Errors
/// `Forbidden`; `ConversationNotFound`.
pub fn decide_mute(
    ctx: &Ctx<'_>,
    ext: &str,
    convid: &str,
    mute: bool,
) -> Result<Plan, OperationError> {
    may_record(ctx, ext)?;
    let (conv, ch) = target(ctx, ext, convid)?;
    let wanted = if mute {
        Recording::Muted
    } else {
        Recording::On
    };
    if conv.recording == Recording::Off || conv.recording == wanted {
        return Ok(Plan::default());
    }
    Ok(Plan::one(PbxCommand::MixMonitorMute {
        channel: ch,
        direction: AudioDirection::All,
        state: mute,
    })
    .with_effect(recording(&conv.id, wanted)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_time_of_known_instants() {
        let t = CivilTime::from_epoch_ms(1_712_051_000_123);
        assert_eq!((t.year, t.month, t.day), (2024, 4, 2));
        assert_eq!((t.hour, t.minute, t.second), (9, 43, 20));
        let leap = CivilTime::from_epoch_ms(951_782_400_000);
        assert_eq!((leap.year, leap.month, leap.day), (2000, 2, 29));
        let epoch = CivilTime::from_epoch_ms(0);
        assert_eq!(
            (epoch.year, epoch.month, epoch.day, epoch.hour),
            (1970, 1, 1, 0)
        );
    }

    #[test]
    fn file_name_puts_the_called_party_first() {
        let t = CivilTime::from_epoch_ms(1_712_051_000_123);
        let mut conv = ConversationInfo {
            counterpart_num: "0721405516".into(),
            incoming: true,
            ..Default::default()
        };
        assert_eq!(
            file_name(&conv, "201", &t),
            "exten-201-0721405516-20240402-094320-1712051000123.wav"
        );
        conv.incoming = false;
        assert_eq!(
            file_name(&conv, "201", &t),
            "exten-0721405516-201-20240402-094320-1712051000123.wav"
        );
    }
}
