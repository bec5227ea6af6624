//! IPv4 networks of `unauthe_call.allowed_ip`: `a.b.c.d`, `a.b.c.d/nn` or
//! `a.b.c.d/m.m.m.m`, space separated. Unparsable entries are skipped (and reported).

use std::net::Ipv4Addr;

/// One allowed network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Net {
    base: u32,
    mask: u32,
}

impl Ipv4Net {
    /// Parses one entry.
    pub fn parse(s: &str) -> Option<Self> {
        let (addr, mask) = match s.split_once('/') {
            None => (s, u32::MAX),
            Some((a, m)) => {
                let mask = if let Ok(bits) = m.parse::<u8>() {
                    if bits > 32 {
                        return None;
                    }
                    u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0)
                } else {
                    u32::from(m.parse::<Ipv4Addr>().ok()?)
                };
                (a, mask)
            }
        };
        let base = u32::from(addr.parse::<Ipv4Addr>().ok()?) & mask;
        Some(Self { base, mask })
    }

    /// True when `ip` is inside the network.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & self.mask == self.base
    }
}

/// The allowed networks, plus the entries that could not be parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedNetworks {
    nets: Vec<Ipv4Net>,
    /// Entries that were skipped.
    pub invalid: Vec<String>,
}

impl AllowedNetworks {
    /// Parses the space-separated list.
    pub fn parse(list: &str) -> Self {
        let mut out = Self::default();
        for entry in list.split_whitespace() {
            match Ipv4Net::parse(entry) {
                Some(n) => out.nets.push(n),
                None => out.invalid.push(entry.to_owned()),
            }
        }
        out
    }

    /// True when `ip` (text) is a valid IPv4 address inside one of the networks.
    pub fn allows(&self, ip: &str) -> bool {
        ip.trim()
            .parse::<Ipv4Addr>()
            .is_ok_and(|ip| self.nets.iter().any(|n| n.contains(ip)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_three_forms() {
        let a = AllowedNetworks::parse(
            "127.0.0.1 192.168.10.0/255.255.255.0 10.0.0.0/8 bad 1.2.3.4/33",
        );
        assert!(a.allows("127.0.0.1"));
        assert!(!a.allows("127.0.0.2"));
        assert!(a.allows("192.168.10.77"));
        assert!(!a.allows("192.168.11.1"));
        assert!(a.allows("10.200.1.1"));
        assert!(!a.allows("not-an-ip"));
        assert_eq!(a.invalid, vec!["bad", "1.2.3.4/33"]);
        assert!(AllowedNetworks::parse("0.0.0.0/0").allows("8.8.8.8"));
    }
}
