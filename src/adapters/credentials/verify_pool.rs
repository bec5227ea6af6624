//! A small fixed pool of long-lived threads that verify argon2 password hashes.
//!
//! Each argon2id check allocates its whole memory cost (19 MiB for the shipped hashes).
//! Run on tokio's blocking pool, a login burst spawned a fresh thread per check and glibc
//! kept one malloc arena per thread, so the resident size grew with the burst and never
//! came back. Here a fixed number of threads, created once with the credential backend,
//! take jobs from one bounded queue and answer through a oneshot, each reusing one argon2
//! memory buffer ([`verify_with`]): the memory is bounded by the pool size. The threads end
//! when the pool is dropped.
//!
//! The time bound is on the queue, on the real clock: a job that waited longer than the
//! bound for a thread is answered with [`VerifyPoolError::Timeout`] instead of being
//! verified (a verification itself is bounded by its cost). No tokio timer is involved, so
//! tokio's paused test clock cannot expire a check that is merely running.

use super::argon2_check::verify_with;
use secrecy::{ExposeSecret, SecretString};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// Verifier threads of the password file backend.
pub const DEFAULT_THREADS: usize = 2;
/// Checks waiting for a thread before new ones are refused.
pub const DEFAULT_QUEUE: usize = 64;
/// Longest wait in the queue before a check is given up.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a verification did not give an answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyPoolError {
    /// Every thread is busy and the queue is full.
    #[error("password verifier busy: {0} checks already queued")]
    Saturated(usize),
    /// The pool's threads are gone (stopped, or a verification panicked).
    #[error("password verifier stopped")]
    Closed,
    /// The check waited longer than the bound for a verifier thread.
    #[error("password check waited longer than {0:?} for a verifier thread")]
    Timeout(Duration),
}

/// Why the pool could not be created.
#[derive(Debug, thiserror::Error)]
#[error("cannot start password verifier thread: {0}")]
pub struct SpawnError(#[from] std::io::Error);

struct Job {
    hash: String,
    password: SecretString,
    queued: Instant,
    reply: oneshot::Sender<Result<bool, VerifyPoolError>>,
}

/// The pool handle; dropping the last clone stops the threads once their jobs are done.
#[derive(Clone)]
pub struct VerifyPool {
    jobs: SyncSender<Job>,
    /// Kept so the queue stays open while the pool lives, whatever its threads do.
    _rx: Arc<Mutex<Receiver<Job>>>,
    queue: usize,
    timeout: Duration,
    live: Arc<AtomicUsize>,
}

impl std::fmt::Debug for VerifyPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyPool")
            .field("threads", &self.threads())
            .field("queue", &self.queue)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Counts a worker thread while it lives.
struct Alive(Arc<AtomicUsize>);

impl Drop for Alive {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl VerifyPool {
    /// Starts `threads` (at least one) verifier threads fed by a queue of `queue` jobs; a
    /// job that waited `timeout` for a thread is given up.
    ///
    /// # Errors
    /// [`SpawnError`] when a thread cannot be started.
    pub fn new(threads: usize, queue: usize, timeout: Duration) -> Result<Self, SpawnError> {
        Self::start(threads.max(1), queue, timeout)
    }

    /// [`VerifyPool::new`] allowing zero threads (tests of the queue).
    fn start(threads: usize, queue: usize, timeout: Duration) -> Result<Self, SpawnError> {
        let (jobs, rx) = sync_channel::<Job>(queue);
        let rx = Arc::new(Mutex::new(rx));
        let live = Arc::new(AtomicUsize::new(0));
        for n in 0..threads {
            let rx = rx.clone();
            let max_wait = timeout;
            live.fetch_add(1, Ordering::SeqCst);
            let alive = Alive(live.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-verify-{n}"))
                .spawn(move || work(&rx, max_wait, alive));
            if let Err(e) = spawned {
                // The closure (and its `Alive`) was dropped with the failed spawn.
                return Err(SpawnError(e));
            }
        }
        Ok(Self {
            jobs,
            _rx: rx,
            queue,
            timeout,
            live,
        })
    }

    /// The default pool: [`DEFAULT_THREADS`], [`DEFAULT_QUEUE`], [`DEFAULT_TIMEOUT`].
    ///
    /// # Errors
    /// [`SpawnError`] when a thread cannot be started.
    pub fn with_defaults() -> Result<Self, SpawnError> {
        Self::new(DEFAULT_THREADS, DEFAULT_QUEUE, DEFAULT_TIMEOUT)
    }

    /// Verifier threads currently alive.
    pub fn threads(&self) -> usize {
        self.live.load(Ordering::SeqCst)
    }

    /// True when `password` matches the PHC `hash` (false for a malformed hash).
    ///
    /// # Errors
    /// [`VerifyPoolError`] when the queue is full, the threads are gone or the check waited
    /// too long for a thread.
    pub async fn verify(&self, hash: &str, password: &str) -> Result<bool, VerifyPoolError> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            hash: hash.to_owned(),
            password: SecretString::from(password.to_owned()),
            queued: Instant::now(),
            reply,
        };
        self.jobs.try_send(job).map_err(|e| match e {
            TrySendError::Full(_) => VerifyPoolError::Saturated(self.queue),
            TrySendError::Disconnected(_) => VerifyPoolError::Closed,
        })?;
        answer.await.unwrap_or(Err(VerifyPoolError::Closed))
    }
}

/// A worker: takes jobs until the queue's senders are all gone.
fn work(rx: &Mutex<Receiver<Job>>, max_wait: Duration, _alive: Alive) {
    let mut memory = Vec::new();
    loop {
        let job = {
            let rx = rx.lock().unwrap_or_else(PoisonError::into_inner);
            rx.recv()
        };
        let Ok(job) = job else { return };
        if job.reply.is_closed() {
            continue; // the caller is gone (its request ended): skip the expensive part
        }
        let answer = if job.queued.elapsed() >= max_wait {
            Err(VerifyPoolError::Timeout(max_wait))
        } else {
            Ok(verify_with(
                &mut memory,
                &job.hash,
                job.password.expose_secret(),
            ))
        };
        let _ = job.reply.send(answer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, SaltString};
    use argon2::Argon2;

    /// A cheap hash (m=64 KiB) so the tests stay fast in debug builds.
    fn cheap_hash(password: &str) -> String {
        let params = argon2::Params::new(64, 1, 1, None).expect("params");
        let salt = SaltString::encode_b64(b"fixed-test-salt!").expect("salt");
        Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
            .hash_password(password.as_bytes(), &salt)
            .expect("hash")
            .to_string()
    }

    #[tokio::test]
    async fn verifies_right_and_wrong_passwords_and_malformed_hashes() {
        let pool = VerifyPool::new(2, 8, DEFAULT_TIMEOUT).expect("pool");
        let h = cheap_hash("S3cret!");
        assert_eq!(pool.verify(&h, "S3cret!").await, Ok(true));
        assert_eq!(pool.verify(&h, "s3cret!").await, Ok(false));
        assert_eq!(pool.verify("not a phc string", "S3cret!").await, Ok(false));
    }

    #[tokio::test]
    async fn many_concurrent_checks_complete_on_exactly_the_pool_threads() {
        let pool = VerifyPool::new(3, 64, DEFAULT_TIMEOUT).expect("pool");
        assert_eq!(pool.threads(), 3);
        let right = cheap_hash("right");
        let checks = (0..32).map(|i| {
            let (pool, hash) = (pool.clone(), right.clone());
            let password = if i % 2 == 0 { "right" } else { "wrong" };
            async move { pool.verify(&hash, password).await }
        });
        let results = futures::future::join_all(checks).await;
        let expected: Vec<_> = (0..32).map(|i| Ok(i % 2 == 0)).collect();
        assert_eq!(results, expected);
        assert_eq!(pool.threads(), 3);
    }

    #[tokio::test]
    async fn a_full_queue_is_refused_with_a_clear_error() {
        // No thread takes jobs: the first fills the one-job queue, the second is refused.
        let pool = VerifyPool::start(0, 1, DEFAULT_TIMEOUT).expect("pool");
        let h = cheap_hash("x");
        let first = pool.verify(&h, "x");
        tokio::pin!(first);
        assert!(futures::poll!(first.as_mut()).is_pending());
        let refused = pool.verify(&h, "x").await;
        assert_eq!(refused, Err(VerifyPoolError::Saturated(1)));
        assert_eq!(
            VerifyPoolError::Saturated(1).to_string(),
            "password verifier busy: 1 checks already queued"
        );
    }

    #[tokio::test]
    async fn a_check_that_waited_the_bound_for_a_thread_is_given_up() {
        // A zero bound: every job has waited at least that long when a thread takes it.
        let pool = VerifyPool::new(1, 4, Duration::ZERO).expect("pool");
        assert_eq!(
            pool.verify(&cheap_hash("x"), "x").await,
            Err(VerifyPoolError::Timeout(Duration::ZERO))
        );
        assert_eq!(
            VerifyPoolError::Timeout(Duration::from_secs(10)).to_string(),
            "password check waited longer than 10s for a verifier thread"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_paused_test_clock_does_not_expire_a_running_check() {
        let pool = VerifyPool::new(1, 4, DEFAULT_TIMEOUT).expect("pool");
        assert_eq!(pool.verify(&cheap_hash("x"), "x").await, Ok(true));
    }

    #[test]
    fn new_starts_at_least_one_thread() {
        let pool = VerifyPool::new(0, 1, DEFAULT_TIMEOUT).expect("pool");
        assert_eq!(pool.threads(), 1);
    }

    #[tokio::test]
    async fn dropping_the_pool_stops_its_threads() {
        let pool = VerifyPool::new(2, 4, DEFAULT_TIMEOUT).expect("pool");
        let live = pool.live.clone();
        assert_eq!(pool.verify(&cheap_hash("a"), "a").await, Ok(true));
        drop(pool);
        for _ in 0..500 {
            if live.load(Ordering::SeqCst) == 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(live.load(Ordering::SeqCst), 0);
    }
}
