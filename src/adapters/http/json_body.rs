//! A serialised JSON answer body shared by the requests that get the same answer, with
//! its gzip form made once, on first demand, and kept as long as the body is.

use super::gzip::{compress, GZIP_MIN_BYTES};
use bytes::Bytes;
use serde_json::Value;
use std::sync::OnceLock;

/// A JSON body, plain and (lazily) gzip-compressed.
#[derive(Debug)]
pub struct JsonBody {
    plain: Bytes,
    gzip: OnceLock<Option<Bytes>>,
}

impl JsonBody {
    /// A body of these JSON bytes.
    pub fn new(plain: Vec<u8>) -> Self {
        Self {
            plain: Bytes::from(plain),
            gzip: OnceLock::new(),
        }
    }

    /// `v` serialised compactly (the bytes `serde_json::to_vec` gives).
    pub fn from_value(v: &Value) -> Self {
        Self::new(v.to_string().into_bytes())
    }

    /// The JSON bytes.
    pub fn plain(&self) -> &Bytes {
        &self.plain
    }

    /// True when the body is large enough to be offered gzip-compressed
    /// ([`GZIP_MIN_BYTES`]).
    pub fn compressible(&self) -> bool {
        self.plain.len() >= GZIP_MIN_BYTES
    }

    /// The gzip form, compressed on the first call (concurrent first callers wait for
    /// one compression); `None` when the body is not [`compressible`](Self::compressible)
    /// or compression failed (the caller then sends it plain).
    pub fn gzip(&self) -> Option<&Bytes> {
        if !self.compressible() {
            return None;
        }
        self.gzip
            .get_or_init(|| compress(&self.plain).ok().map(Bytes::from))
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn small_bodies_have_no_gzip_form_and_large_ones_keep_theirs() {
        let small = JsonBody::from_value(&json!({"a": 1}));
        assert_eq!(small.plain().as_ref(), br#"{"a":1}"#);
        assert_eq!(small.gzip(), None);
        let large = JsonBody::new(b"[".repeat(GZIP_MIN_BYTES));
        let first = large.gzip().map(|b| b.as_ptr());
        assert!(first.is_some());
        assert_eq!(large.gzip().map(|b| b.as_ptr()), first, "compressed once");
    }
}
