//! Decoding throughput of `AmiCodec` over every real transcript in `fixtures/ami/`.
//!
//! Each iteration decodes the received byte stream of every connection of all 16 transcripts
//! (2,118 messages, ~830 KB) from one buffer, as a socket read loop would after a large read.
//! Two figures: `wall` (criterion's usual wall-clock time) and `thread_cpu` (CPU time of the
//! benchmarking thread, so other processes on a shared machine do not count against it).

use bytes::BytesMut;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use nethcti_server::adapters::ami::codec::AmiCodec;
use nethcti_server::adapters::ami::transcript;
use std::time::Duration;
use tokio_util::codec::Decoder;

fn streams() -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ami");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures/ami")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ami"))
        .collect();
    paths.sort();
    paths
        .iter()
        .flat_map(|p| transcript::received_streams(&transcript::read(p).expect("transcript")))
        .collect()
}

/// CPU time consumed by the calling thread.
fn thread_cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

fn decode_all(streams: &[Vec<u8>]) -> usize {
    let mut n = 0;
    for s in streams {
        let mut codec = AmiCodec::new();
        let mut buf = BytesMut::from(&s[..]);
        while let Ok(Some(_)) = codec.decode(&mut buf) {
            n += 1;
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    let streams = streams();
    let frames = decode_all(&streams);
    assert_eq!(frames, 2118, "every received message of the transcripts");
    let mut group = c.benchmark_group("ami_decode");
    group.throughput(Throughput::Elements(frames as u64));
    group.bench_function("wall", |b| {
        b.iter(|| decode_all(std::hint::black_box(&streams)))
    });
    group.bench_function("thread_cpu", |b| {
        b.iter_custom(|iters| {
            let start = thread_cpu();
            for _ in 0..iters {
                std::hint::black_box(decode_all(std::hint::black_box(&streams)));
            }
            thread_cpu().saturating_sub(start)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
