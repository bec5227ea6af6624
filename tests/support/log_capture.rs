//! A slog drain that keeps every record so tests can assert what was logged.

use slog::{Drain, Key, Level, OwnedKVList, Record, Serializer, KV};
use std::fmt::Arguments;
use std::sync::{Arc, Mutex};

/// One logged line: level, message and `key=value` pairs (record and logger context).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub level: Level,
    pub msg: String,
    pub kv: Vec<(String, String)>,
}

impl Line {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.kv
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Cloneable store of log lines.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<Line>>>);

impl Captured {
    /// A logger writing here, and the store.
    pub fn logger() -> (slog::Logger, Self) {
        let c = Self::default();
        (slog::Logger::root(c.clone().fuse(), slog::o!()), c)
    }

    pub fn lines(&self) -> Vec<Line> {
        self.0.lock().expect("log lock").clone()
    }

    /// Lines whose message is exactly `msg`.
    pub fn with_msg(&self, msg: &str) -> Vec<Line> {
        self.lines().into_iter().filter(|l| l.msg == msg).collect()
    }
}

struct Collect(Vec<(String, String)>);

impl Serializer for Collect {
    fn emit_arguments(&mut self, key: Key, val: &Arguments) -> slog::Result {
        self.0.push((key.to_string(), val.to_string()));
        Ok(())
    }
}

impl Drain for Captured {
    type Ok = ();
    type Err = slog::Never;

    fn log(&self, record: &Record, values: &OwnedKVList) -> Result<(), slog::Never> {
        let mut kv = Collect(Vec::new());
        let _ = record.kv().serialize(record, &mut kv);
        let _ = values.serialize(record, &mut kv);
        self.0.lock().expect("log lock").push(Line {
            level: record.level(),
            msg: record.msg().to_string(),
            kv: kv.0,
        });
        Ok(())
    }
}
