//! socket.io request heads copied out of hyper's connection read buffer.
//!
//! hyper parses a request head without copying: the URI and every header value are
//! slices of the connection's 8 KiB read buffer. Engine.IO keeps the request parts of
//! every socket for its whole life (`req_parts()`), and those slices keep the whole read
//! buffer alive with them: 8 KiB per socket, 80 MiB at 10,000 sockets, for a head of a
//! few hundred bytes. [`detach`] gives a `/socket.io/` request its own copies of the URI
//! and header values (same names, values and order), so the buffer is freed as soon as
//! the websocket takes the connection over.

use http::header::HeaderValue;
use http::{HeaderMap, Request, Uri};

/// Path prefix of the Engine.IO endpoint (socketioxide's default `req_path`).
const ENGINE_PATH: &str = "/socket.io";

/// Replaces the URI and header values of a socket.io request with owned copies; other
/// requests (REST, short-lived) are left as they are.
pub(crate) fn detach<B>(req: &mut Request<B>) {
    if !req.uri().path().starts_with(ENGINE_PATH) {
        return;
    }
    if let Some(uri) = owned_uri(req.uri()) {
        *req.uri_mut() = uri;
    }
    let headers = owned_headers(req.headers());
    *req.headers_mut() = headers;
}

/// The same URI in its own allocation (`None` if it does not parse back, which a URI
/// hyper accepted always does).
fn owned_uri(uri: &Uri) -> Option<Uri> {
    Uri::try_from(uri.to_string()).ok()
}

/// The same headers (names, values, repeated names, order), values copied.
fn owned_headers(headers: &HeaderMap) -> HeaderMap {
    let mut out = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        let mut copy = match HeaderValue::from_bytes(value.as_bytes()) {
            Ok(copy) => copy,
            // Unreachable: the bytes came from a valid header value; keep the original.
            Err(_) => value.clone(),
        };
        copy.set_sensitive(value.is_sensitive());
        out.append(name.clone(), copy);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    /// A request whose URI and header values are slices of one shared `buffer`, the way
    /// hyper builds them.
    fn parsed(buffer: &Bytes, path: &str) -> Request<()> {
        let slice = |s: &str| {
            let at = buffer
                .windows(s.len())
                .position(|w| w == s.as_bytes())
                .expect("in buffer");
            buffer.slice(at..at + s.len())
        };
        let mut req = Request::new(());
        *req.uri_mut() = Uri::from_maybe_shared(slice(path)).expect("uri");
        let headers = req.headers_mut();
        for (name, value) in [
            ("host", "127.0.0.1:8181"),
            ("user-agent", "nethcti-bench"),
            ("x-forwarded-for", "10.0.0.1"),
            ("x-forwarded-for", "10.0.0.2"),
        ] {
            let v = HeaderValue::from_maybe_shared(slice(value)).expect("value");
            headers.append(name, v);
        }
        req
    }

    fn inside(buffer: &Bytes, bytes: &[u8]) -> bool {
        let range = buffer.as_ptr_range();
        range.contains(&bytes.as_ptr())
    }

    const HEAD: &str = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nhost: 127.0.0.1:8181\r\nuser-agent: nethcti-bench\r\nx-forwarded-for: 10.0.0.1\r\nx-forwarded-for: 10.0.0.2\r\n\r\n/api/x";

    #[test]
    fn socket_io_heads_no_longer_point_into_the_read_buffer() {
        let buffer = Bytes::from(HEAD);
        let mut req = parsed(&buffer, "/socket.io/?EIO=4&transport=websocket");
        assert!(inside(&buffer, req.uri().path().as_bytes()));
        detach(&mut req);
        assert_eq!(
            req.uri().to_string(),
            "/socket.io/?EIO=4&transport=websocket"
        );
        assert_eq!(req.uri().query(), Some("EIO=4&transport=websocket"));
        assert!(!inside(&buffer, req.uri().path().as_bytes()));
        let pairs: Vec<(&str, &str)> = req
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str(), v.to_str().expect("ascii")))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("host", "127.0.0.1:8181"),
                ("user-agent", "nethcti-bench"),
                ("x-forwarded-for", "10.0.0.1"),
                ("x-forwarded-for", "10.0.0.2"),
            ]
        );
        assert!(req
            .headers()
            .values()
            .all(|v| !inside(&buffer, v.as_bytes())));
    }

    #[test]
    fn other_requests_are_left_alone() {
        let buffer = Bytes::from(HEAD);
        let mut req = parsed(&buffer, "/api/x");
        detach(&mut req);
        assert_eq!(req.uri().path(), "/api/x");
        assert!(inside(&buffer, req.uri().path().as_bytes()));
        assert!(req
            .headers()
            .values()
            .all(|v| inside(&buffer, v.as_bytes())));
    }

    #[test]
    fn sensitive_flags_survive_the_copy() {
        let mut headers = HeaderMap::new();
        let mut secret = HeaderValue::from_static("u:t");
        secret.set_sensitive(true);
        headers.insert("authorization", secret);
        let copy = owned_headers(&headers);
        assert_eq!(
            copy.get("authorization").map(HeaderValue::is_sensitive),
            Some(true)
        );
        assert_eq!(
            copy.get("authorization").map(HeaderValue::as_bytes),
            Some(&b"u:t"[..])
        );
    }
}
