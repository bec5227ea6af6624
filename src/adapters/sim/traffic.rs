//! Random realistic traffic: internal calls, inbound trunk calls to a queue, outbound
//! calls, blind transfers, park and pickup, conferences, busy phones, hold.

use super::flows::{park, transfer, Route};
use super::model::SimState;
use super::server::SimHandle;
use slog::info;
use std::time::Duration;

/// Waits a random time in `lo_ms..hi_ms`; `false` when the simulator stops.
async fn pause(h: &SimHandle, lo_ms: u64, hi_ms: u64) -> bool {
    let d = lo_ms + h.with(|st| st.random(hi_ms.saturating_sub(lo_ms).max(1)));
    tokio::select! {
        () = h.cancel_token().cancelled() => false,
        () = tokio::time::sleep(Duration::from_millis(d)) => true,
    }
}

fn idle_phones(st: &SimState) -> Vec<String> {
    st.endpoints
        .values()
        .filter(|e| !e.trunk && e.registered && e.channels == 0)
        .map(|e| e.id.clone())
        .collect()
}

/// Picks `n` distinct idle phones at random.
fn pick(h: &SimHandle, n: usize) -> Option<Vec<String>> {
    h.with(|st| {
        let mut idle = idle_phones(st);
        if idle.len() < n {
            return None;
        }
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let i = st.random(idle.len() as u64) as usize;
            out.push(idle.swap_remove(i));
        }
        Some(out)
    })
}

/// Logs one generated call at info, so a `--demo` terminal shows calls coming and going.
fn announce(h: &SimHandle, kind: &str, from: &str, to: &str) {
    info!(h.log(), "demo call"; "kind" => kind, "from" => from, "to" => to);
}

/// Answers phone `ext` after a ring time unless it already answered by itself.
async fn ring_then_answer(h: &SimHandle, ext: &str) -> bool {
    if !pause(h, 1_500, 4_000).await {
        return false;
    }
    let _ = h.answer(ext);
    true
}

async fn internal(h: SimHandle, hold: bool) -> Option<()> {
    let p = pick(&h, 2)?;
    announce(
        &h,
        if hold { "internal+hold" } else { "internal" },
        &p[0],
        &p[1],
    );
    h.dial(&p[0], &p[1]).ok()?;
    ring_then_answer(&h, &p[1]).await.then_some(())?;
    if hold {
        pause(&h, 2_000, 6_000).await.then_some(())?;
        let _ = h.hold(&p[0], true);
        pause(&h, 3_000, 8_000).await.then_some(())?;
        let _ = h.hold(&p[0], false);
    }
    pause(&h, 5_000, 40_000).await.then_some(())?;
    let who = if h.with(|st| st.random(2)) == 0 {
        &p[0]
    } else {
        &p[1]
    };
    let _ = h.hangup(who);
    Some(())
}

async fn inbound(h: SimHandle) -> Option<()> {
    let cli = h.with(|st| format!("03{:08}", st.random(100_000_000)));
    announce(&h, "inbound", &cli, "5551000");
    let ch = h.inbound(&cli, "", "5551000")?;
    // Members answer (auto-answer or here); callers give up after a while otherwise.
    pause(&h, 2_000, 6_000).await.then_some(())?;
    let ringing: Option<String> = h.with(|st| {
        st.order
            .iter()
            .find(|n| {
                st.chan(n).is_some_and(|c| {
                    c.peer.as_deref() == Some(ch.as_str())
                        && c.state == super::model::channel::ChanState::Ringing
                })
            })
            .and_then(|n| st.chan(n).map(|c| c.endpoint.clone()))
    });
    if let Some(ext) = ringing {
        let _ = h.answer(&ext);
    }
    pause(&h, 5_000, 45_000).await.then_some(())?;
    let _ = h.hangup_channel(&ch);
    Some(())
}

async fn outbound(h: SimHandle) -> Option<()> {
    let p = pick(&h, 1)?;
    let number = h.with(|st| format!("06{:08}", st.random(100_000_000)));
    announce(&h, "outbound", &p[0], &number);
    h.dial(&p[0], &number).ok()?;
    ring_then_answer(&h, "trunk").await.then_some(())?;
    pause(&h, 5_000, 30_000).await.then_some(())?;
    let _ = h.hangup(&p[0]);
    Some(())
}

async fn blind(h: SimHandle) -> Option<()> {
    let p = pick(&h, 3)?;
    announce(&h, "blind-transfer", &p[0], &format!("{}>{}", p[1], p[2]));
    h.dial(&p[0], &p[1]).ok()?;
    ring_then_answer(&h, &p[1]).await.then_some(())?;
    pause(&h, 3_000, 10_000).await.then_some(())?;
    let ch = h.with(|st| st.chan_of(&p[1]))?;
    h.with(|st| transfer::blind(st, &ch, "internal", &p[2]))
        .ok()?;
    ring_then_answer(&h, &p[2]).await.then_some(())?;
    pause(&h, 5_000, 20_000).await.then_some(())?;
    let _ = h.hangup(&p[2]);
    Some(())
}

async fn park_pickup(h: SimHandle) -> Option<()> {
    let p = pick(&h, 3)?;
    announce(&h, "park-pickup", &p[0], &format!("{}>{}", p[1], p[2]));
    h.dial(&p[0], &p[1]).ok()?;
    ring_then_answer(&h, &p[1]).await.then_some(())?;
    pause(&h, 3_000, 8_000).await.then_some(())?;
    let (a, b) = h.with(|st| Some((st.chan_of(&p[0])?, st.chan_of(&p[1])?)))?;
    let space = h.with(|st| park::park(st, &a, Some(&b))).ok()?;
    pause(&h, 3_000, 20_000).await.then_some(())?;
    h.dial(&p[2], &space.to_string()).ok()?;
    pause(&h, 5_000, 20_000).await.then_some(())?;
    let _ = h.hangup(&p[2]);
    Some(())
}

async fn conference(h: SimHandle) -> Option<()> {
    let room = h.with(|st| st.cfg.conference_rooms.first().cloned())?;
    if h.with(|st| !matches!(super::flows::route(st, &room), Route::Conference(_))) {
        return None;
    }
    let p = pick(&h, 2)?;
    announce(&h, "conference", &format!("{}+{}", p[0], p[1]), &room);
    h.dial(&p[0], &room).ok()?;
    pause(&h, 1_000, 5_000).await.then_some(())?;
    h.dial(&p[1], &room).ok()?;
    pause(&h, 5_000, 30_000).await.then_some(())?;
    let _ = h.hangup(&p[0]);
    pause(&h, 1_000, 5_000).await.then_some(())?;
    let _ = h.hangup(&p[1]);
    Some(())
}

async fn busy(h: SimHandle) -> Option<()> {
    let p = pick(&h, 2)?;
    announce(&h, "busy", &p[0], &p[1]);
    h.dial(&p[0], &p[1]).ok()?;
    pause(&h, 500, 1_500).await.then_some(())?;
    let _ = h.reject(&p[1]);
    Some(())
}

/// Generates about `per_min` calls per minute until the simulator stops.
pub async fn run(h: SimHandle, per_min: u32) {
    let gap = 60_000 / u64::from(per_min.max(1));
    loop {
        if !pause(&h, gap / 2, gap + gap / 2).await {
            return;
        }
        let kind = h.with(|st| st.random(100));
        let h2 = h.clone();
        tokio::spawn(async move {
            let _ = match kind {
                0..=39 => internal(h2, false).await,
                40..=64 => inbound(h2).await,
                65..=74 => outbound(h2).await,
                75..=79 => blind(h2).await,
                80..=84 => park_pickup(h2).await,
                85..=89 => conference(h2).await,
                90..=94 => busy(h2).await,
                _ => internal(h2, true).await,
            };
        });
    }
}
