//! A serialised JSON answer body shared by the requests that get the same answer.

use bytes::Bytes;
use serde_json::Value;

/// A JSON body.
#[derive(Debug)]
pub struct JsonBody {
    plain: Bytes,
}

impl JsonBody {
    /// A body of these JSON bytes.
    pub fn new(plain: Vec<u8>) -> Self {
        Self {
            plain: Bytes::from(plain),
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
}
