//! Phone HTTP API adapter over reqwest: one GET with a short timeout, user-info in the URL
//! turned into HTTP basic credentials, redirects not followed (Snom answers 302).

use crate::ports::phone_api::{PhoneApi, PhoneApiError};
use async_trait::async_trait;
use std::time::Duration;

/// Default time limit for a phone request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

/// A [`PhoneApi`] talking HTTP to real phones.
#[derive(Debug, Clone)]
pub struct HttpPhoneApi {
    client: reqwest::Client,
}

/// The client could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot build the phone HTTP client: {0}")]
pub struct PhoneClientError(#[from] reqwest::Error);

impl HttpPhoneApi {
    /// A client whose every request (connect included) ends within `timeout`.
    ///
    /// # Errors
    /// [`PhoneClientError`] when reqwest cannot build the client.
    pub fn new(timeout: Duration) -> Result<Self, PhoneClientError> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self { client })
    }
}

/// Splits `http://user:pass@host/…` into the URL without user-info and the credentials
/// (percent-decoded).
fn split_credentials(url: &str) -> Result<(reqwest::Url, Option<(String, String)>), PhoneApiError> {
    let mut parsed = reqwest::Url::parse(url)
        .map_err(|e| PhoneApiError::Unreachable(format!("bad URL: {e}")))?;
    let user = parsed.username().to_owned();
    let pass = parsed.password().unwrap_or_default().to_owned();
    if user.is_empty() && pass.is_empty() {
        return Ok((parsed, None));
    }
    let creds = (percent_decode(&user), percent_decode(&pass));
    // Both setters only fail for URLs that cannot have credentials (already excluded).
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    Ok((parsed, Some(creds)))
}

fn percent_decode(s: &str) -> String {
    let hex = |b: u8| char::from(b).to_digit(16);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[async_trait]
impl PhoneApi for HttpPhoneApi {
    async fn get(&self, url: &str) -> Result<u16, PhoneApiError> {
        let (url, creds) = split_credentials(url)?;
        let mut req = self.client.get(url);
        if let Some((user, pass)) = creds {
            req = req.basic_auth(user, Some(pass));
        }
        match req.send().await {
            Ok(resp) => Ok(resp.status().as_u16()),
            Err(e) if e.is_timeout() => Err(PhoneApiError::Timeout),
            Err(e) => Err(PhoneApiError::Unreachable(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    #[test]
    fn credentials_are_moved_out_of_the_url() {
        let (url, creds) =
            split_credentials("http://admin:p%40ss@10.0.0.2/servlet?key=OK").expect("valid");
        assert_eq!(url.as_str(), "http://10.0.0.2/servlet?key=OK");
        assert_eq!(creds, Some(("admin".to_owned(), "p@ss".to_owned())));
        let (_, none) = split_credentials("http://10.0.0.2/x").expect("valid");
        assert_eq!(none, None);
        assert!(matches!(
            split_credentials("not a url"),
            Err(PhoneApiError::Unreachable(_))
        ));
    }

    #[tokio::test]
    async fn returns_the_phone_status_and_sends_basic_auth() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.expect("accept");
            let mut buf = vec![0u8; 2048];
            let n = s.read(&mut buf).await.expect("read");
            s.write_all(b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .await
                .expect("write");
            String::from_utf8_lossy(&buf[..n]).into_owned()
        });
        let api = HttpPhoneApi::new(DEFAULT_TIMEOUT).expect("client");
        let status = api
            .get(&format!("http://admin:secret@{addr}/command.htm?key=ENTER"))
            .await
            .expect("status");
        assert_eq!(status, 302);
        let request = server.await.expect("server");
        assert!(
            request.starts_with("GET /command.htm?key=ENTER HTTP/1.1\r\n"),
            "{request}"
        );
        assert!(
            request
                .to_ascii_lowercase()
                .contains("authorization: basic ywrtaw46c2vjcmv0"),
            "{request}"
        );
    }

    #[tokio::test]
    async fn unreachable_phone_is_an_error() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        drop(listener);
        let api = HttpPhoneApi::new(DEFAULT_TIMEOUT).expect("client");
        let err = api
            .get(&format!("http://{addr}/x"))
            .await
            .expect_err("refused");
        assert!(matches!(err, PhoneApiError::Unreachable(_)), "{err:?}");
    }
}
