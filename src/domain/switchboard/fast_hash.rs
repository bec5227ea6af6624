//! A small word-at-a-time hasher for the switchboard's string-keyed indexes: keys are
//! channel names and ids produced by the PBX (not attacker-chosen in bulk). SipHash
//! dominated the per-event cost at first; byte-at-a-time FNV-1a then still cost ~3
//! instructions per key byte, this one hashes 8 bytes per multiply.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0xf135_7aea_2e62_a9c5;

/// Multiply-rotate hash (the `rustc-hash` 2 scheme), 8 bytes per step.
#[derive(Debug, Clone, Copy, Default)]
pub struct WordHash(u64);

impl WordHash {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = self.0.wrapping_add(word).wrapping_mul(K);
    }
}

impl Hasher for WordHash {
    #[inline]
    fn finish(&self) -> u64 {
        // hashbrown takes the bucket from the low bits: bring the well-mixed high bits down.
        self.0.rotate_left(26)
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
        self.add(bytes.len() as u64);
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

/// `HashMap` with [`WordHash`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHash>>;

/// `HashSet` with [`WordHash`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<WordHash>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    fn h(s: &str) -> u64 {
        let mut f = WordHash::default();
        s.hash(&mut f);
        f.finish()
    }

    #[test]
    fn distinct_names_hash_apart() {
        let names = [
            "PJSIP/201-00000001",
            "PJSIP/201-00000002",
            "PJSIP/202-00000001",
            "",
            "a",
            "a\0",
            "PJSIP/201-0000000",
        ];
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                assert_ne!(h(a), h(b), "{a:?} vs {b:?}");
            }
        }
        let m: FastMap<String, usize> = (0..1000).map(|i| (format!("PJSIP/{i}-x"), i)).collect();
        assert!((0..1000).all(|i| m[&format!("PJSIP/{i}-x")] == i));
    }
}
