//! AstDB actions: `DBGet`, `DBGetTree`, `DBPut`, `DBDel`, `DBDelTree`.

use super::{err, list, ok, push_id, Reply};
use crate::adapters::ami::frame::Frame;
use crate::adapters::sim::model::SimState;

/// `DBGet`.
pub fn get(st: &SimState, f: &Frame) -> Reply {
    let fam = f.get_or_empty("Family");
    let key = f.get_or_empty("Key");
    if fam.is_empty() {
        return err(f, "No family specified.");
    }
    if key.is_empty() {
        return err(f, "No key specified.");
    }
    let Some(v) = st.db.get(&(fam.to_owned(), key.to_owned())) else {
        return err(f, "Database entry not found");
    };
    let mut e = Frame::new()
        .with("Event", "DBGetResponse")
        .with("Family", fam)
        .with("Key", key)
        .with("Val", v.clone());
    push_id(&mut e, f);
    list(f, "Result will follow", vec![e], "DBGetComplete", &[])
}

/// `DBGetTree` (a family, optionally below a key prefix).
pub fn get_tree(st: &SimState, f: &Frame) -> Reply {
    let fam = f.get_or_empty("Family");
    let key = f.get_or_empty("Key");
    let items: Vec<Frame> = st
        .db
        .iter()
        .filter(|((fa, k), _)| {
            (fam.is_empty() || fa == fam) && (key.is_empty() || k.starts_with(key))
        })
        .map(|((fa, k), v)| {
            let mut e = Frame::new()
                .with("Event", "DBGetTreeResponse")
                .with("Key", format!("/{fa}/{k}"))
                .with("Val", v.clone());
            push_id(&mut e, f);
            e
        })
        .collect();
    if items.is_empty() {
        return err(f, "Database entry not found");
    }
    list(f, "Result will follow", items, "DBGetTreeComplete", &[])
}

/// `DBPut`.
pub fn put(st: &mut SimState, f: &Frame) -> Reply {
    let fam = f.get_or_empty("Family");
    let key = f.get_or_empty("Key");
    if fam.is_empty() {
        return err(f, "No family specified");
    }
    if key.is_empty() {
        return err(f, "No key specified");
    }
    st.db.insert(
        (fam.to_owned(), key.to_owned()),
        f.get_or_empty("Val").to_owned(),
    );
    ok(f, "Updated database successfully")
}

/// `DBDel`.
pub fn del(st: &mut SimState, f: &Frame) -> Reply {
    let k = (
        f.get_or_empty("Family").to_owned(),
        f.get_or_empty("Key").to_owned(),
    );
    if st.db.remove(&k).is_some() {
        ok(f, "Key deleted successfully")
    } else {
        err(f, "Database entry not found")
    }
}

/// `DBDelTree`.
pub fn del_tree(st: &mut SimState, f: &Frame) -> Reply {
    let fam = f.get_or_empty("Family").to_owned();
    let key = f.get_or_empty("Key").to_owned();
    let before = st.db.len();
    st.db
        .retain(|(fa, k), _| !(fa == &fam && (key.is_empty() || k.starts_with(&key))));
    if st.db.len() < before {
        ok(f, "Key tree deleted successfully")
    } else {
        err(f, "Database entry not found")
    }
}
