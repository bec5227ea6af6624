//! REST side of the bench: the nonce login (auth.md: `POST /authentication/login` → 401 with
//! `WWW-Authenticate: Digest <nonce>`, token = HMAC-SHA1), readiness wait, the own
//! keep-alive load loop, and the `wrk` run, each plain or asking for gzip.

use super::error::BenchError;
use super::stats::{summarize, Summary};
use crate::domain::auth::compute_token;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The REST path measured.
pub const EXTENSIONS_PATH: &str = "/astproxy/extensions";

/// How the answers are asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// No `Accept-Encoding`: plain JSON.
    Plain,
    /// `Accept-Encoding: gzip` (as browsers and axios send it); the body is not
    /// decompressed by the loop (that is the client's CPU, not the daemon's).
    Gzip,
}

impl Encoding {
    /// The `Accept-Encoding` value sent, if any.
    pub fn accept(self) -> Option<&'static str> {
        match self {
            Encoding::Plain => None,
            Encoding::Gzip => Some("gzip"),
        }
    }

    /// The `Content-Encoding` expected back.
    fn expected(self) -> Option<&'static str> {
        self.accept()
    }
}

fn http_err(e: impl std::fmt::Display) -> BenchError {
    BenchError::Http(e.to_string())
}

/// A keep-alive HTTP client for 127.0.0.1.
///
/// # Errors
/// [`BenchError::Http`] when the client cannot be built.
pub fn client() -> Result<reqwest::Client, BenchError> {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(1024)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(http_err)
}

/// Result of one login attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    /// The token (`Authorization: <user>:<token>`).
    Token(String),
    /// 503: the first PBX load is not complete.
    NotReady,
}

/// Logs `user` in with `password` and computes its token.
///
/// # Errors
/// [`BenchError::Http`] on a transport error or an unexpected answer.
pub async fn login(
    c: &reqwest::Client,
    http: SocketAddr,
    user: &str,
    password: &str,
) -> Result<Login, BenchError> {
    let r = c
        .post(format!("http://{http}/authentication/login"))
        .json(&serde_json::json!({"username": user, "password": password}))
        .send()
        .await
        .map_err(http_err)?;
    if r.status().as_u16() == 503 {
        return Ok(Login::NotReady);
    }
    let nonce = r
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Digest "))
        .map(str::trim)
        .ok_or_else(|| BenchError::Http(format!("login of {user}: status {}", r.status())))?;
    Ok(Login::Token(compute_token(user, password, nonce)))
}

/// Logs in until the daemon is ready (bounded by `limit`); returns the token and the
/// time waited.
///
/// # Errors
/// [`BenchError::Timeout`] when not ready within `limit`.
pub async fn login_when_ready(
    c: &reqwest::Client,
    http: SocketAddr,
    user: &str,
    password: &str,
    limit: Duration,
) -> Result<(String, Duration), BenchError> {
    let start = Instant::now();
    while start.elapsed() < limit {
        match login(c, http, user, password).await {
            Ok(Login::Token(t)) => return Ok((t, start.elapsed())),
            Ok(Login::NotReady) | Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
        }
    }
    Err(BenchError::Timeout("daemon readiness".into()))
}

/// Outcome of a load run.
#[derive(Debug, Clone)]
pub struct LoadResult {
    /// Successful requests per second.
    pub rps: f64,
    /// Latency of successful requests (µs).
    pub latency: Summary,
    /// Non-200 answers, answers in another content coding than asked, transport errors.
    pub errors: u64,
    /// Bytes of one answer body (as sent: compressed with [`Encoding::Gzip`]).
    pub body_bytes: usize,
}

/// `connections` keep-alive loops of `GET path` for `duration`, asking for `encoding`.
///
/// # Errors
/// [`BenchError::Http`] when no request succeeds.
pub async fn load(
    http: SocketAddr,
    auth: &str,
    path: &str,
    encoding: Encoding,
    connections: usize,
    duration: Duration,
) -> Result<LoadResult, BenchError> {
    let url = Arc::new(format!("http://{http}{path}"));
    let auth = Arc::new(auth.to_owned());
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let c = client()?;
        let (url, auth) = (url.clone(), auth.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let (mut errors, mut body) = (0u64, 0usize);
            while Instant::now() < deadline {
                let t = Instant::now();
                let mut req = c.get(url.as_str()).header("Authorization", auth.as_str());
                if let Some(ae) = encoding.accept() {
                    req = req.header("Accept-Encoding", ae);
                }
                match req.send().await {
                    Ok(r)
                        if r.status().is_success()
                            && r.headers()
                                .get("content-encoding")
                                .and_then(|v| v.to_str().ok())
                                == encoding.expected() =>
                    {
                        match r.bytes().await {
                            Ok(b) => {
                                body = b.len();
                                lat.push(t.elapsed().as_micros() as u64);
                            }
                            Err(_) => errors += 1,
                        }
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors, body)
        }));
    }
    let mut all = Vec::new();
    let (mut errors, mut body_bytes) = (0, 0);
    for t in tasks {
        let (lat, e, b) = t.await.map_err(http_err)?;
        all.extend(lat);
        errors += e;
        body_bytes = body_bytes.max(b);
    }
    let secs = start.elapsed().as_secs_f64();
    if all.is_empty() {
        return Err(BenchError::Http(format!(
            "no successful request ({errors} errors)"
        )));
    }
    Ok(LoadResult {
        rps: all.len() as f64 / secs,
        latency: summarize(&mut all),
        errors,
        body_bytes,
    })
}

/// The `wrk` command line measuring `path` with `auth`, asking for `encoding`.
pub fn wrk_args(
    http: SocketAddr,
    auth: &str,
    path: &str,
    encoding: Encoding,
    connections: usize,
    secs: u64,
) -> Vec<String> {
    let mut args = vec![
        "-t2".into(),
        format!("-c{connections}"),
        format!("-d{secs}s"),
        "--latency".into(),
        "-H".into(),
        format!("Authorization: {auth}"),
    ];
    if let Some(ae) = encoding.accept() {
        args.push("-H".into());
        args.push(format!("Accept-Encoding: {ae}"));
    }
    args.push(format!("http://{http}{path}"));
    args
}

/// `Requests/sec` and the `99%` latency line of a `wrk --latency` report.
pub fn parse_wrk(out: &str) -> (Option<f64>, Option<String>) {
    let rps = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok());
    let p99 = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(|v| v.trim().to_owned());
    (rps, p99)
}

/// Runs `wrk` if installed; `None` when it is not.
pub async fn run_wrk(args: &[String]) -> Option<String> {
    let out = tokio::process::Command::new("wrk")
        .args(args)
        .output()
        .await
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_report_is_parsed() {
        let out = "Running 10s test @ http://127.0.0.1:1/astproxy/extensions\n  Latency Distribution\n     50%    2.10ms\n     99%   12.34ms\n  20000 requests in 10.00s, 1.00GB read\nRequests/sec:  21234.56\nTransfer/sec:    100.00MB\n";
        assert_eq!(parse_wrk(out), (Some(21234.56), Some("12.34ms".into())));
        assert_eq!(parse_wrk(""), (None, None));
        let addr = "127.0.0.1:8179".parse().expect("addr");
        let args = wrk_args(addr, "u:t", EXTENSIONS_PATH, Encoding::Plain, 64, 10);
        assert_eq!(args.join(" "), "-t2 -c64 -d10s --latency -H Authorization: u:t http://127.0.0.1:8179/astproxy/extensions");
        let args = wrk_args(addr, "u:t", EXTENSIONS_PATH, Encoding::Gzip, 64, 10);
        assert_eq!(args.join(" "), "-t2 -c64 -d10s --latency -H Authorization: u:t -H Accept-Encoding: gzip http://127.0.0.1:8179/astproxy/extensions");
    }
}
