//! One writer at a time per output (or cache) directory.
//!
//! The lock is an advisory `flock` on `DIR/.credence.lock`, so the kernel releases it
//! when its holder dies, however it dies: a killed run never blocks the next one. The
//! holder writes its pid and start time into the file and empties it when it finishes
//! normally, so a later run that finds the file still filled knows the previous holder
//! was killed (and says so, as its reports may need the recovery that
//! `report::recover` does). The file itself is never deleted: deleting it would let a
//! run that opened it just before lock a file no one else can see.

use std::fs::{self, File, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Name of the lock file inside a locked directory.
pub const LOCK_FILE: &str = ".credence.lock";

/// A held lock; released on drop.
#[derive(Debug)]
pub struct DirLock {
    file: File,
    path: PathBuf,
    /// The holder named in a lock file left filled by a run that did not finish.
    stale: Option<String>,
}

impl DirLock {
    /// Takes the lock of `dir`, creating the directory. Fails at once, naming the
    /// holder, when another process has it.
    pub fn acquire(dir: &Path) -> anyhow::Result<DirLock> {
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
        let path = dir.join(LOCK_FILE);
        let mut file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("cannot open lock file {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = read_holder(&mut file);
                anyhow::bail!(
                    "{} is in use by another credence run ({}); not writing to it at the same time",
                    dir.display(),
                    holder.as_deref().unwrap_or("holder unknown")
                );
            }
            Err(TryLockError::Error(err)) => {
                return Err(err).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        let stale = read_holder(&mut file);
        let holder = format!(
            "pid {}, started {}",
            std::process::id(),
            chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
                .format("%Y-%m-%dT%H:%M:%SZ")
        );
        let write = |file: &mut File| -> std::io::Result<()> {
            file.set_len(0)?;
            file.seek(SeekFrom::Start(0))?;
            file.write_all(holder.as_bytes())?;
            file.sync_all()
        };
        write(&mut file).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(DirLock { file, path, stale })
    }

    /// Who held the lock last without releasing it: a run that was killed.
    pub fn stale_holder(&self) -> Option<&str> {
        self.stale.as_deref()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Emptied before it is unlocked (when the descriptor closes): a filled file is
        // then always a holder that died.
        let _ = self.file.set_len(0);
        let _ = self.file.sync_all();
    }
}

fn read_holder(file: &mut File) -> Option<String> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_fails_naming_the_holder_and_a_released_one_is_not_stale() {
        let dir = tempfile::tempdir().unwrap();
        let first = DirLock::acquire(dir.path()).unwrap();
        assert_eq!(first.stale_holder(), None);
        let err = DirLock::acquire(dir.path()).unwrap_err().to_string();
        assert!(err.contains("in use by another credence run"), "{err}");
        assert!(
            err.contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        drop(first);
        let again = DirLock::acquire(dir.path()).unwrap();
        assert_eq!(again.stale_holder(), None);
        assert!(again.path().ends_with(LOCK_FILE));
    }

    #[test]
    fn a_filled_unlocked_file_is_a_stale_lock() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join(LOCK_FILE),
            "pid 4242, started 2026-03-12T02:00:00Z",
        )
        .unwrap();
        let lock = DirLock::acquire(dir.path()).unwrap();
        assert_eq!(
            lock.stale_holder(),
            Some("pid 4242, started 2026-03-12T02:00:00Z")
        );
        drop(lock);
        assert_eq!(fs::read(dir.path().join(LOCK_FILE)).unwrap(), b"");
    }
}
