//! Lenient scalar readers: the original's files mix `"4"` and `4`, `"true"` and `true`.

use serde_json::Value;

/// A string from a JSON string or number; `None` for anything else (null, object...).
pub fn string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string field of an object, `""` when absent or not a scalar.
pub fn field_string(obj: &Value, key: &str) -> String {
    obj.get(key).and_then(string).unwrap_or_default()
}

/// A boolean from `true`/`false`, `"true"`/`"false"`, `"enabled"`/`"disabled"`, `1`/`0`.
pub fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "enabled" | "yes" | "1" | "on" => Some(true),
            "false" | "disabled" | "no" | "0" | "off" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// An unsigned integer from a number or a numeric string.
pub fn unsigned(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The keys of an object in file order (`serde_json` keeps order), empty otherwise.
pub fn keys(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_mixed_scalars() {
        assert_eq!(string(&json!(4)), Some("4".into()));
        assert_eq!(string(&json!(null)), None);
        assert_eq!(boolean(&json!("enabled")), Some(true));
        assert_eq!(boolean(&json!("maybe")), None);
        assert_eq!(unsigned(&json!(" 12 ")), Some(12));
        assert_eq!(keys(Some(&json!({"b":1,"a":2}))), vec!["b", "a"]);
    }
}
