//! Notices when another program changes the open file.
//!
//! The folder is watched rather than the file, because editors save by writing a new file and
//! renaming it over the old one (which ends a watch on the old file). A cheap size/mtime poll
//! backs the watcher up on file systems where notifications do not arrive (network mounts).

use notify::{EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant, SystemTime};

const POLL_INTERVAL: Duration = Duration::from_secs(1);

type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

pub struct FileWatcher {
    path: PathBuf,
    /// Kept alive for as long as we watch; None when the platform refused (polling only).
    _watcher: Option<notify::RecommendedWatcher>,
    events: Receiver<()>,
    last_stamp: Stamp,
    last_poll: Instant,
}

impl FileWatcher {
    /// Watches `path`; `wake` is called from the watcher's thread (e.g. to request a repaint).
    pub fn new(path: &Path, wake: impl Fn() + Send + 'static) -> FileWatcher {
        let (sender, events) = channel();
        let name = path.file_name().map(|n| n.to_os_string());
        let watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
            let Ok(event) = result else { return };
            // Reading the file ourselves must not look like a change.
            if matches!(event.kind, EventKind::Access(_)) {
                return;
            }
            if event.paths.iter().any(|p| p.file_name() == name.as_deref()) {
                let _ = sender.send(());
                wake();
            }
        })
        .ok()
        .and_then(|mut watcher| {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            watcher.watch(dir, RecursiveMode::NonRecursive).ok()?;
            Some(watcher)
        });
        FileWatcher {
            path: path.to_path_buf(),
            _watcher: watcher,
            events,
            last_stamp: stamp(path),
            last_poll: Instant::now(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file may have changed since the last call (then read it and compare).
    pub fn poll(&mut self, now: Instant) -> bool {
        let mut changed = false;
        while self.events.try_recv().is_ok() {
            changed = true;
        }
        if changed || now.saturating_duration_since(self.last_poll) >= POLL_INTERVAL {
            self.last_poll = now;
            let current = stamp(&self.path);
            if current != self.last_stamp {
                self.last_stamp = current;
                changed = true;
            }
        }
        changed
    }

    /// After our own write: the new size/mtime is not an external change.
    pub fn remember_current(&mut self) {
        while self.events.try_recv().is_ok() {}
        self.last_stamp = stamp(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_a_rewrite_and_ignores_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.asl.json");
        std::fs::write(&path, "{}").unwrap();
        let mut watcher = FileWatcher::new(&path, || {});
        assert!(!watcher.poll(Instant::now()));
        std::fs::write(&path, "{\"a\": 1}").unwrap();
        watcher.remember_current();
        assert!(!watcher.poll(Instant::now() + POLL_INTERVAL));
        // Another program replaces the file (write + rename, as editors do).
        let temp = dir.path().join("other.tmp");
        std::fs::write(&temp, "{\"b\": 22}").unwrap();
        std::fs::rename(&temp, &path).unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut seen = false;
        while !seen && Instant::now() < deadline {
            seen = watcher.poll(Instant::now());
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(seen);
    }
}
