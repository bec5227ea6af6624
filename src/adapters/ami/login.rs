//! Opening an AMI session: TCP connect, banner, and login (plain or MD5 challenge).

use super::action::Action;
use super::client::ids::{with_action_id, ActionIds};
use super::codec::{AmiCodec, AmiMessage};
use super::error::SessionError;
use super::frame::Frame;
use super::reply::{classify, Incoming, ResponseKind};
use super::settings::{AmiSettings, AuthMethod};
use futures::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

/// A framed AMI connection.
pub type AmiStream = Framed<TcpStream, AmiCodec>;

/// A logged-in connection.
pub struct Session {
    /// The framed stream, ready for actions.
    pub stream: AmiStream,
    /// The greeting line.
    pub banner: String,
    /// Events that arrived before the login answer (forwarded after `Connected`).
    pub early_events: Vec<Frame>,
}

/// Connects, reads the banner and logs in. The caller bounds it with a timeout.
pub(crate) async fn open(
    settings: &AmiSettings,
    ids: &mut ActionIds,
) -> Result<Session, SessionError> {
    let addr = settings.addr();
    let tcp = TcpStream::connect(&addr)
        .await
        .map_err(|e| SessionError::Connect {
            addr,
            reason: e.to_string(),
        })?;
    let _ = tcp.set_nodelay(true);
    let mut stream = Framed::new(
        tcp,
        AmiCodec::with_max_frame_bytes(settings.max_frame_bytes),
    );
    let banner = match stream.next().await {
        Some(Ok(AmiMessage::Banner(b))) => b,
        Some(Ok(AmiMessage::Frame(f))) => return Err(SessionError::NoBanner(format!("got {f:?}"))),
        Some(Err(e)) => return Err(e.into()),
        None => return Err(SessionError::Closed),
    };
    let mut early_events = Vec::new();
    let login = match settings.auth {
        AuthMethod::Plain => Action::login_plain(&settings.username, &settings.secret),
        AuthMethod::Md5 => {
            let answer = request(&mut stream, ids, Action::challenge(), &mut early_events).await?;
            let challenge = answer.get("Challenge").ok_or_else(|| {
                SessionError::Login("Challenge response without `Challenge`".into())
            })?;
            Action::login_md5(&settings.username, challenge, &settings.secret)
        }
    };
    request(&mut stream, ids, login, &mut early_events).await?;
    Ok(Session {
        stream,
        banner,
        early_events,
    })
}

/// Sends `action` and waits for its `Response: Success`; events meanwhile are kept.
async fn request(
    stream: &mut AmiStream,
    ids: &mut ActionIds,
    action: Action,
    early_events: &mut Vec<Frame>,
) -> Result<Frame, SessionError> {
    let id = ids.allocate();
    stream.send(with_action_id(&action.frame, &id)).await?;
    loop {
        let frame = match stream.next().await {
            Some(Ok(AmiMessage::Frame(f))) => f,
            Some(Ok(AmiMessage::Banner(_))) => continue,
            Some(Err(e)) => return Err(e.into()),
            None => return Err(SessionError::Closed),
        };
        match classify(&frame) {
            Incoming::Response(kind) if frame.action_id() == Some(id.as_str()) => {
                return match kind {
                    ResponseKind::Success => Ok(frame),
                    _ => Err(SessionError::Login(format!(
                        "{} answered {}",
                        action.name(),
                        frame.get_or_empty("Message")
                    ))),
                };
            }
            Incoming::Event(_) => early_events.push(frame),
            _ => {}
        }
    }
}
