//! Latency statistics: nearest-rank percentiles over recorded samples (µs).

/// p50 / p99 / max of a sample set, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Number of samples.
    pub count: usize,
    /// Median (nearest rank).
    pub p50: u64,
    /// 99th percentile (nearest rank).
    pub p99: u64,
    /// Largest sample.
    pub max: u64,
}

/// Nearest-rank percentile `p` (0 < p ≤ 100) of sorted `values`; 0 for an empty set.
pub fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Sorts `values` and summarises them.
pub fn summarize(values: &mut [u64]) -> Summary {
    values.sort_unstable();
    Summary {
        count: values.len(),
        p50: percentile(values, 50.0),
        p99: percentile(values, 99.0),
        max: values.last().copied().unwrap_or(0),
    }
}

/// Microseconds as milliseconds with two decimals (`1234` → `"1.23"`).
pub fn ms(us: u64) -> String {
    format!("{}.{:02}", us / 1000, (us % 1000) / 10)
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "p50 {} ms, p99 {} ms, max {} ms ({} samples)",
            ms(self.p50),
            ms(self.p99),
            ms(self.max),
            self.count
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut v: Vec<u64> = (1..=100).rev().collect();
        let s = summarize(&mut v);
        assert_eq!(
            s,
            Summary {
                count: 100,
                p50: 50,
                p99: 99,
                max: 100
            }
        );
        assert_eq!(percentile(&[7], 99.0), 7);
        assert_eq!(percentile(&[], 50.0), 0);
        assert_eq!(percentile(&[1, 2, 3], 50.0), 2);
        assert_eq!(percentile(&[1, 2, 3, 4], 50.0), 2);
        assert_eq!(percentile(&[1, 2, 3, 4], 100.0), 4);
    }

    #[test]
    fn milliseconds_text() {
        assert_eq!(ms(1234), "1.23");
        assert_eq!(ms(20_000), "20.00");
        assert_eq!(ms(5), "0.00");
    }
}
