//! The nightly cache: each article's extraction (tokenize and claims) kept on disk, so a
//! run over yesterday's archive plus today's articles extracts only today's.
//!
//! An entry is keyed by a 128-bit hash of everything extraction reads from the article
//! (its key, outlet, title and text) and lives in a directory named for everything it
//! reads from elsewhere: the credence version, the entry format and
//! `Config::extraction_hash`. A changed article gets a new key; a changed `[tokenize]`
//! or `[claims]` setting or lexicon, or a new credence version, a new directory; tuning
//! the scoring weights changes neither. What is cached is the result before the
//! cross-article step that drops lines an outlet repeats, so a cached article gives
//! exactly what extracting it again would, and the reports stay byte-identical to a
//! run from scratch.
//!
//! **Packs.** A directory holds pack files, `<unix seconds>-<nanos>-<random>.pack`, one per run
//! that wrote anything. A run appends each entry it extracts to its own new pack (the
//! cache directory is locked while a run uses it, so a pack has one writer) as a record:
//! a magic number, the payload length, an xxh3 checksum of the key and payload, the key,
//! and the postcard-encoded `ArticleClaims`. When extraction is over, `finish` appends an
//! index (the sorted keys with each record's offset and length) and a trailer pointing
//! at it. Opening the cache reads every pack's index into one sorted table (a newer pack
//! wins a key two packs hold), and a hit is one positioned read on a pack opened once:
//! one file per article cost a cold 100,000-article run 16 s of creating, renaming and
//! reopening small files.
//!
//! **A killed run** leaves a pack without a trailer. Opening reads such a pack record by
//! record up to its first torn or bad one, so what the killed run extracted is reused.
//! Every hit checks its record's checksum, so a torn or foreign record is a miss (and is
//! extracted and written again), never a wrong answer. Nothing is fsynced: after a crash
//! the cache may have lost what the kernel had not yet written, which costs a later run
//! time, not correctness, while syncing would make every cold run wait for the disk.
//! The cache is an optimisation throughout: failing to write it costs time, never the
//! run.
//!
//! **Pruning by last use.** A pack's age is the time in its name, when its run began
//! writing it (a name survives a copy of the cache, a modification time need not). A hit
//! whose record sits in a pack older than half of `[cache] keep_days` is copied into the
//! run's own pack, and `prune` deletes whole packs older than `keep_days` (and packs
//! found to hold no readable record). So an entry no run has used for `keep_days` is
//! gone, and one used within the last `keep_days / 2` is kept; in between it may be
//! either. Hits never write to old packs, and the copying costs at most one copy of each
//! used entry every `keep_days / 2`.

use std::cmp::Reverse;
use std::fs::{self, File};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::SystemTime;

use anyhow::Context;
use xxhash_rust::xxh3::{xxh3_64, Xxh3Default};

use crate::claims::spill::read_exact_at;
use crate::claims::ArticleClaims;
use crate::config::Config;
use crate::ingest::Article;

/// Bumped whenever `ArticleClaims`, its encoding or the pack layout changes shape, so
/// a directory written by an older layout is never read as the new one (it is another
/// configuration's, and ages out like one).
const FORMAT: u32 = 8;

/// A record is this (little endian), the payload length (u32), an xxh3-64 checksum of
/// the rest of the record, the key (u128), then the payload.
const RECORD_MAGIC: [u8; 4] = *b"CRDr";
const RECORD_HEADER: usize = 4 + 4 + 8 + 16;
/// Where the checksummed part (key and payload) of a record starts.
const CHECKED_FROM: usize = 16;

/// An index entry: key (u128), record offset (u64) and record length (u32).
const INDEX_ENTRY: usize = 16 + 8 + 4;
/// The last bytes of a finished pack: the index's offset and entry count, its xxh3-64
/// checksum (all u64), then this.
const TRAILER_MAGIC: [u8; 8] = *b"CRDNCEPK";
const TRAILER: usize = 8 + 8 + 8 + TRAILER_MAGIC.len();

const PACK_SUFFIX: &str = ".pack";

/// Records are gathered into writes of this size: a write per record cost a system call
/// per article, a larger buffer would lose more to a killed run.
const WRITE_BUFFER: usize = 64 * 1024;

/// A record's place: `(key, offset, length)`.
type Entry = (u128, u64, u32);

/// One key of the in-memory index, 32 bytes: a million entries cost 32 MB.
#[derive(Debug, Clone, Copy)]
struct Slot {
    key: u128,
    offset: u64,
    len: u32,
    /// Index into `ExtractionCache::packs`.
    pack: u32,
}

const _: () = assert!(std::mem::size_of::<Slot>() == 32);

#[derive(Debug)]
struct Pack {
    file: File,
    /// Unix seconds from the pack's name.
    created: u64,
}

/// An open cache directory for one configuration.
#[derive(Debug)]
pub struct ExtractionCache {
    root: PathBuf,
    /// `root/<version>-<fingerprint>`: the packs valid for this config and version.
    dir: PathBuf,
    packs: Vec<Pack>,
    /// Every key the packs hold, sorted, each once.
    index: Vec<Slot>,
    /// Packs that held no readable record, for `prune` to delete.
    unreadable: Vec<PathBuf>,
    keep_seconds: u64,
    /// A hit in a pack created before this (unix seconds) is copied into this run's pack.
    carry_before: u64,
    writer: Mutex<Writer>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    write_errors: AtomicUsize,
    first_write_error: Mutex<Option<String>>,
}

/// What a run got from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Articles whose extraction was read from the cache.
    pub hits: usize,
    /// Articles extracted (and written to the cache).
    pub misses: usize,
    /// Entries that could not be written (a full disk, say); the run went on.
    pub write_errors: usize,
}

impl ExtractionCache {
    /// Opens (creating) the cache under `root` for `config`, reading the index of every
    /// pack it holds.
    pub fn open(root: &Path, config: &Config) -> anyhow::Result<ExtractionCache> {
        let fingerprint = xxh3_64(
            format!(
                "{}\0{FORMAT}\0{:016x}",
                env!("CARGO_PKG_VERSION"),
                config.extraction_hash()
            )
            .as_bytes(),
        );
        let dir = root.join(format!("{}-{fingerprint:016x}", env!("CARGO_PKG_VERSION")));
        fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create cache directory {}", dir.display()))?;
        let mut names = Vec::new();
        for entry in fs::read_dir(&dir)
            .with_context(|| format!("cannot read cache directory {}", dir.display()))?
        {
            let name = entry
                .with_context(|| format!("cannot read cache directory {}", dir.display()))?
                .file_name();
            if let Some(created) = name.to_str().and_then(pack_time) {
                names.push((created, name));
            }
        }
        names.sort();

        let mut packs = Vec::new();
        let mut index = Vec::new();
        let mut unreadable = Vec::new();
        for (created, name) in names {
            let path = dir.join(name);
            // A pack that cannot be read for an I/O error is skipped, not deleted: the
            // age rule removes it in time.
            let Ok((file, entries)) = File::open(&path).and_then(|file| {
                let entries = pack_entries(&file)?;
                Ok((file, entries))
            }) else {
                continue;
            };
            if entries.is_empty() {
                unreadable.push(path);
                continue;
            }
            let pack = u32::try_from(packs.len()).context("too many cache packs")?;
            index.extend(entries.into_iter().map(|(key, offset, len)| Slot {
                key,
                offset,
                len,
                pack,
            }));
            packs.push(Pack { file, created });
        }
        index.sort_unstable_by_key(|slot| (slot.key, Reverse(slot.pack)));
        index.dedup_by_key(|slot| slot.key);
        index.shrink_to_fit();

        let keep_seconds = config.cache.keep_days.saturating_mul(86_400);
        Ok(ExtractionCache {
            root: root.to_path_buf(),
            dir,
            packs,
            index,
            unreadable,
            keep_seconds,
            carry_before: unix_now().saturating_sub(keep_seconds / 2),
            writer: Mutex::new(Writer::Idle),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            write_errors: AtomicUsize::new(0),
            first_write_error: Mutex::new(None),
        })
    }

    /// The directory holding this configuration's packs.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry key of an article: everything extraction reads from it.
    pub fn key(article: &Article) -> u128 {
        let mut hasher = Xxh3Default::new();
        for part in [article.key.as_str(), article.outlet.as_str()] {
            hasher.update(part.as_bytes());
            hasher.update(&[0]);
        }
        match &article.title {
            Some(title) => {
                hasher.update(&[1]);
                hasher.update(title.as_bytes());
            }
            None => hasher.update(&[0]),
        }
        hasher.update(&[0]);
        hasher.update(article.text.as_bytes());
        hasher.digest128()
    }

    /// The article's cached extraction, or `extract()` run and stored.
    pub fn get_or_extract(
        &self,
        article: &Article,
        extract: impl FnOnce() -> ArticleClaims,
    ) -> ArticleClaims {
        let key = Self::key(article);
        if let Some((claims, record, pack)) = self.read(key) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            if pack.created < self.carry_before {
                self.store(key, &record);
            }
            return claims;
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let claims = extract();
        match encode(key, &claims) {
            Ok(record) => self.store(key, &record),
            Err(error) => self.write_failed(WriteFailure {
                lost: 1,
                error: Some(error.context("cannot encode a cache entry")),
            }),
        }
        claims
    }

    /// The entry for `key` if a pack holds it whole, with its record and pack.
    fn read(&self, key: u128) -> Option<(ArticleClaims, Vec<u8>, &Pack)> {
        let at = self
            .index
            .binary_search_by_key(&key, |slot| slot.key)
            .ok()?;
        let slot = self.index[at];
        let pack = &self.packs[slot.pack as usize];
        let mut record = vec![0; slot.len as usize];
        read_exact_at(&pack.file, &mut record, slot.offset).ok()?;
        if checked_key(&record)? != key {
            return None;
        }
        let claims = postcard::from_bytes(&record[RECORD_HEADER..]).ok()?;
        Some((claims, record, pack))
    }

    /// Appends the record of `key` to this run's pack, creating the pack at the first.
    fn store(&self, key: u128, record: &[u8]) {
        let mut writer = self.writer.lock().expect("not poisoned");
        if matches!(*writer, Writer::Idle) {
            *writer = match PackWriter::create(&self.dir) {
                Ok(pack) => Writer::Open(pack),
                Err(error) => {
                    self.write_failed(WriteFailure {
                        lost: 0,
                        error: Some(error),
                    });
                    Writer::Failed
                }
            };
        }
        let written = match &mut *writer {
            Writer::Open(pack) => pack.append(key, record),
            Writer::Idle | Writer::Failed => Err(WriteFailure {
                lost: 1,
                error: None,
            }),
        };
        if let Err(failure) = written {
            *writer = Writer::Failed;
            self.write_failed(failure);
        }
    }

    /// Ends this run's pack with its index, so the next run reads the index instead of
    /// every record; the next entry stored starts another pack.
    pub fn finish(&self) {
        let mut writer = self.writer.lock().expect("not poisoned");
        if let Writer::Open(pack) = &mut *writer {
            match pack.finish() {
                Ok(()) => *writer = Writer::Idle,
                Err(failure) => {
                    *writer = Writer::Failed;
                    self.write_failed(failure);
                }
            }
        }
    }

    fn write_failed(&self, failure: WriteFailure) {
        self.write_errors.fetch_add(failure.lost, Ordering::Relaxed);
        if let Some(error) = failure.error {
            let mut first = self.first_write_error.lock().expect("not poisoned");
            first.get_or_insert_with(|| format!("{error:#}"));
        }
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            write_errors: self.write_errors.load(Ordering::Relaxed),
        }
    }

    /// The first write that failed, to warn about once.
    pub fn first_write_error(&self) -> Option<String> {
        self.first_write_error.lock().expect("not poisoned").clone()
    }

    /// Deletes packs (of any configuration) older than `[cache] keep_days`, this
    /// configuration's packs that held nothing readable, entries of the older
    /// one-file-per-entry layout not modified for as long, and directories left empty;
    /// returns how many files went.
    pub fn prune(&self) -> anyhow::Result<usize> {
        let cutoff = unix_now().saturating_sub(self.keep_seconds);
        let mut removed = 0;
        let mut prune = || -> io::Result<()> {
            for config in fs::read_dir(&self.root)? {
                let config = config?;
                if config.file_type()?.is_dir() {
                    removed += prune_config(&config.path(), cutoff, &self.unreadable)?;
                    // Only empty directories go: this fails, as it should, on any other.
                    let _ = fs::remove_dir(config.path());
                }
            }
            Ok(())
        };
        prune().with_context(|| format!("cannot prune cache {}", self.root.display()))?;
        Ok(removed)
    }
}

impl Drop for ExtractionCache {
    /// A run that ends early (an error after extraction) still leaves its pack indexed.
    fn drop(&mut self) {
        self.finish();
    }
}

/// The writing side: one pack per run, created at the first record.
#[derive(Debug)]
enum Writer {
    Idle,
    Open(PackWriter),
    /// A write failed (a full disk, say): nothing more is written this run.
    Failed,
}

#[derive(Debug)]
struct PackWriter {
    file: File,
    path: PathBuf,
    /// Records not yet written to `file`, and how many.
    buffer: Vec<u8>,
    buffered: usize,
    /// The offset of the next record.
    end: u64,
    entries: Vec<Entry>,
}

/// Entries a failed write lost, and why (once per run is enough).
#[derive(Debug)]
struct WriteFailure {
    lost: usize,
    error: Option<anyhow::Error>,
}

impl PackWriter {
    fn create(dir: &Path) -> anyhow::Result<PackWriter> {
        // Seconds for the age, nanoseconds so that packs of one second still sort in
        // the order they were written.
        let since = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        let prefix = format!("{}-{:09}-", since.as_secs(), since.subsec_nanos());
        let (file, path) = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(PACK_SUFFIX)
            .tempfile_in(dir)
            .and_then(|file| file.keep().map_err(|e| e.error))
            .with_context(|| format!("cannot create a cache pack in {}", dir.display()))?;
        Ok(PackWriter {
            file,
            path,
            buffer: Vec::with_capacity(WRITE_BUFFER),
            buffered: 0,
            end: 0,
            entries: Vec::new(),
        })
    }

    fn append(&mut self, key: u128, record: &[u8]) -> Result<(), WriteFailure> {
        let len = u32::try_from(record.len()).expect("encode keeps records under 4 GiB");
        self.entries.push((key, self.end, len));
        self.end += record.len() as u64;
        self.buffer.extend_from_slice(record);
        self.buffered += 1;
        if self.buffer.len() >= WRITE_BUFFER {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), WriteFailure> {
        let written = self.file.write_all(&self.buffer);
        let lost = std::mem::take(&mut self.buffered);
        self.buffer.clear();
        written.map_err(|err| WriteFailure {
            lost,
            error: Some(
                anyhow::Error::new(err)
                    .context(format!("cannot write cache pack {}", self.path.display())),
            ),
        })
    }

    /// Writes what is buffered, then the index and the trailer.
    fn finish(&mut self) -> Result<(), WriteFailure> {
        self.flush()?;
        let mut entries = std::mem::take(&mut self.entries);
        // A key written twice in one run keeps its later record.
        entries.sort_unstable_by_key(|&(key, offset, _)| (key, Reverse(offset)));
        entries.dedup_by_key(|entry| entry.0);
        let mut tail = Vec::with_capacity(entries.len() * INDEX_ENTRY + TRAILER);
        for (key, offset, len) in &entries {
            tail.extend_from_slice(&key.to_le_bytes());
            tail.extend_from_slice(&offset.to_le_bytes());
            tail.extend_from_slice(&len.to_le_bytes());
        }
        let checksum = xxh3_64(&tail);
        tail.extend_from_slice(&self.end.to_le_bytes());
        tail.extend_from_slice(&(entries.len() as u64).to_le_bytes());
        tail.extend_from_slice(&checksum.to_le_bytes());
        tail.extend_from_slice(&TRAILER_MAGIC);
        // Nothing is buffered now, so a failure here loses no entry: without the index
        // the next run reads the records one by one.
        self.buffer = tail;
        self.flush()
    }
}

/// The record for `key`: header, then the postcard-encoded claims.
fn encode(key: u128, claims: &ArticleClaims) -> anyhow::Result<Vec<u8>> {
    let mut record = postcard::to_io(claims, vec![0; RECORD_HEADER])?;
    // The whole record's length must fit the u32 of an index entry.
    u32::try_from(record.len()).context("a cache entry over 4 GiB")?;
    let payload = (record.len() - RECORD_HEADER) as u32;
    record[..4].copy_from_slice(&RECORD_MAGIC);
    record[4..8].copy_from_slice(&payload.to_le_bytes());
    record[CHECKED_FROM..RECORD_HEADER].copy_from_slice(&key.to_le_bytes());
    let checksum = xxh3_64(&record[CHECKED_FROM..]);
    record[8..CHECKED_FROM].copy_from_slice(&checksum.to_le_bytes());
    Ok(record)
}

/// The key of `record` if it is one whole record: its magic, length and checksum agree.
fn checked_key(record: &[u8]) -> Option<u128> {
    let header = record.get(..RECORD_HEADER)?;
    let payload = u32::from_le_bytes(header[4..8].try_into().ok()?) as usize;
    let checksum = u64::from_le_bytes(header[8..CHECKED_FROM].try_into().ok()?);
    let whole = header[..4] == RECORD_MAGIC
        && record.len() == RECORD_HEADER + payload
        && xxh3_64(&record[CHECKED_FROM..]) == checksum;
    whole.then(|| u128::from_le_bytes(header[CHECKED_FROM..].try_into().expect("16 bytes")))
}

/// Every record a pack holds: from its index, or, when it has none (its run was killed),
/// by reading records up to the first torn or bad one.
fn pack_entries(file: &File) -> io::Result<Vec<Entry>> {
    let len = file.metadata()?.len();
    match read_index(file, len)? {
        Some(entries) => Ok(entries),
        None => scan(file, len),
    }
}

/// The index a finished pack ends with, if it is whole and points inside the pack.
fn read_index(file: &File, len: u64) -> io::Result<Option<Vec<Entry>>> {
    let Some(trailer_at) = len.checked_sub(TRAILER as u64) else {
        return Ok(None);
    };
    let mut trailer = [0; TRAILER];
    read_exact_at(file, &mut trailer, trailer_at)?;
    let word = |at: usize| u64::from_le_bytes(trailer[at..at + 8].try_into().expect("8 bytes"));
    let (index_at, count, checksum) = (word(0), word(8), word(16));
    let index_len = count.checked_mul(INDEX_ENTRY as u64);
    if trailer[24..] != TRAILER_MAGIC
        || index_len.and_then(|n| index_at.checked_add(n)) != Some(trailer_at)
    {
        return Ok(None);
    }
    let mut index = vec![0; (trailer_at - index_at) as usize];
    read_exact_at(file, &mut index, index_at)?;
    if xxh3_64(&index) != checksum {
        return Ok(None);
    }
    let entries: Vec<Entry> = index
        .chunks_exact(INDEX_ENTRY)
        .map(|entry| {
            (
                u128::from_le_bytes(entry[..16].try_into().expect("16 bytes")),
                u64::from_le_bytes(entry[16..24].try_into().expect("8 bytes")),
                u32::from_le_bytes(entry[24..].try_into().expect("4 bytes")),
            )
        })
        .collect();
    let inside = entries.iter().all(|&(_, offset, len)| {
        offset
            .checked_add(len.into())
            .is_some_and(|end| end <= index_at)
    });
    Ok(inside.then_some(entries))
}

/// The records of a pack without an index, in order, up to the first that is not whole.
fn scan(file: &File, len: u64) -> io::Result<Vec<Entry>> {
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut entries = Vec::new();
    let mut record = Vec::new();
    let mut offset = 0;
    while offset + RECORD_HEADER as u64 <= len {
        record.resize(RECORD_HEADER, 0);
        reader.read_exact(&mut record)?;
        let payload = u32::from_le_bytes(record[4..8].try_into().expect("4 bytes"));
        let size = RECORD_HEADER as u64 + u64::from(payload);
        if record[..4] != RECORD_MAGIC || offset + size > len {
            break;
        }
        record.resize(size as usize, 0);
        reader.read_exact(&mut record[RECORD_HEADER..])?;
        let Some(key) = checked_key(&record) else {
            break;
        };
        entries.push((key, offset, size as u32));
        offset += size;
    }
    Ok(entries)
}

/// The creation time in a pack's name, `<unix seconds>-<nanoseconds>-<random>.pack`.
fn pack_time(name: &str) -> Option<u64> {
    let (seconds, _) = name.strip_suffix(PACK_SUFFIX)?.split_once('-')?;
    seconds.parse().ok()
}

fn unix_now() -> u64 {
    unix_seconds(SystemTime::now())
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// Prunes one configuration's directory: its packs by the time in their names, and the
/// shard directories of the one-file-per-entry layout by their entries' modification
/// times (which that layout refreshed on every hit).
fn prune_config(dir: &Path, cutoff: u64, unreadable: &[PathBuf]) -> io::Result<usize> {
    let mut removed = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            for file in fs::read_dir(&path)? {
                let file = file?;
                if file.file_type()?.is_file()
                    && unix_seconds(file.metadata()?.modified()?) < cutoff
                {
                    fs::remove_file(file.path())?;
                    removed += 1;
                }
            }
            let _ = fs::remove_dir(&path);
        } else if let Some(created) = entry.file_name().to_str().and_then(pack_time) {
            if created < cutoff || unreadable.contains(&path) {
                fs::remove_file(&path)?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::ClaimExtractor;

    fn article(key: &str, text: &str) -> Article {
        Article {
            key: key.to_string(),
            outlet: "harbor-times".to_string(),
            title: Some("Bridge closed".to_string()),
            url: None,
            published: None,
            text: text.to_string(),
            input: 0,
        }
    }

    const TEXT: &str = "The Alder River Bridge in Marston was closed on Monday after inspectors \
                        found cracks. The repair will cost $48 million, the department said.";

    fn extract(config: &Config, article: &Article) -> ArticleClaims {
        ClaimExtractor::new(config).extract_with_title(
            &article.key,
            &article.outlet,
            article.title.as_deref(),
            &article.text,
        )
    }

    fn articles(keys: &[&str]) -> Vec<Article> {
        keys.iter().map(|key| article(key, TEXT)).collect()
    }

    /// One run's use of the cache under `root`: every article looked up (and extracted
    /// when missed), then the pack finished. Returns the run's stats.
    fn run(root: &Path, articles: &[Article]) -> CacheStats {
        let config = Config::builtin();
        let cache = ExtractionCache::open(root, &config).unwrap();
        for article in articles {
            cache.get_or_extract(article, || extract(&config, article));
        }
        cache.finish();
        cache.stats()
    }

    fn stats(hits: usize, misses: usize) -> CacheStats {
        CacheStats {
            hits,
            misses,
            write_errors: 0,
        }
    }

    /// The packs of the builtin configuration under `root`, oldest first.
    fn packs(root: &Path) -> Vec<PathBuf> {
        let dir = ExtractionCache::open(root, &Config::builtin())
            .unwrap()
            .dir()
            .to_path_buf();
        let mut packs: Vec<PathBuf> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "pack"))
            .collect();
        packs.sort();
        packs
    }

    /// Renames `pack` as if its run had begun `days` ago.
    fn age(pack: &Path, days: u64) -> PathBuf {
        let name = pack.file_name().unwrap().to_str().unwrap();
        let (_, rest) = name.split_once('-').unwrap();
        let aged = pack.with_file_name(format!("{}-{rest}", unix_now() - days * 86_400));
        fs::rename(pack, &aged).unwrap();
        aged
    }

    /// Where the record of `article` sits in `pack`.
    fn record_of(pack: &Path, article: &Article) -> (u64, u32) {
        let key = ExtractionCache::key(article);
        let entries = pack_entries(&File::open(pack).unwrap()).unwrap();
        let &(_, offset, len) = entries.iter().find(|e| e.0 == key).unwrap();
        (offset, len)
    }

    #[test]
    fn a_later_run_hits_with_the_same_claims_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::builtin();
        let a = article("a.txt", TEXT);
        let cache = ExtractionCache::open(dir.path(), &config).unwrap();
        let first = cache.get_or_extract(&a, || extract(&config, &a));
        assert!(!first.claims.is_empty());
        cache.finish();
        assert_eq!(cache.stats(), stats(0, 1));
        let pack = packs(dir.path());
        assert_eq!(pack.len(), 1);

        let cache = ExtractionCache::open(dir.path(), &config).unwrap();
        let second = cache.get_or_extract(&a, || panic!("should be a hit"));
        assert_eq!(format!("{first:?}"), format!("{second:?}"));
        assert_eq!(cache.stats(), stats(1, 0));
        drop(cache);
        assert_eq!(packs(dir.path()), pack, "a run of hits writes no pack");
    }

    #[test]
    fn every_field_extraction_reads_is_in_the_key() {
        let base = article("a.txt", TEXT);
        let mut variants = vec![base.clone(); 5];
        variants[0].key = "b.txt".into();
        variants[1].outlet = "valley-post".into();
        variants[2].title = None;
        variants[3].title = Some(String::new());
        variants[4].text.push('!');
        for variant in &variants {
            assert_ne!(ExtractionCache::key(variant), ExtractionCache::key(&base));
        }
        let mut metadata_only = base.clone();
        metadata_only.url = Some("https://x".into());
        metadata_only.published = Some("2026-03-03".into());
        metadata_only.input = 7;
        assert_eq!(
            ExtractionCache::key(&metadata_only),
            ExtractionCache::key(&base)
        );
    }

    #[test]
    fn a_damaged_record_is_a_miss_rewritten_to_a_newer_pack_that_wins() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::builtin();
        let [a, b] = <[Article; 2]>::try_from(articles(&["a.txt", "b.txt"])).unwrap();
        assert_eq!(run(dir.path(), &[a.clone(), b.clone()]), stats(0, 2));
        let old = packs(dir.path()).remove(0);
        let (offset, len) = record_of(&old, &a);
        let mut bytes = fs::read(&old).unwrap();
        bytes[(offset + u64::from(len) - 1) as usize] ^= 1;
        fs::write(&old, &bytes).unwrap();

        let cache = ExtractionCache::open(dir.path(), &config).unwrap();
        let again = cache.get_or_extract(&a, || extract(&config, &a));
        assert_eq!(format!("{again:?}"), format!("{:?}", extract(&config, &a)));
        cache.get_or_extract(&b, || panic!("b is whole"));
        cache.finish();
        assert_eq!(cache.stats(), stats(1, 1));
        // The damaged record stays in the older pack; the newer one's copy is read.
        assert_eq!(packs(dir.path()).len(), 2);
        assert_eq!(run(dir.path(), &[a, b]), stats(2, 0));
    }

    #[test]
    fn a_killed_runs_pack_is_read_up_to_its_torn_record() {
        let dir = tempfile::tempdir().unwrap();
        let all = articles(&["a.txt", "b.txt", "c.txt"]);
        assert_eq!(run(dir.path(), &all), stats(0, 3));
        // What a run killed while writing c leaves: no index, and c cut short.
        let pack = packs(dir.path()).remove(0);
        let (offset, len) = record_of(&pack, &all[2]);
        assert_eq!(
            offset + u64::from(len),
            fs::metadata(&pack).unwrap().len() - (3 * INDEX_ENTRY + TRAILER) as u64,
            "c is the last record"
        );
        File::options()
            .write(true)
            .open(&pack)
            .unwrap()
            .set_len(offset + u64::from(len) / 2)
            .unwrap();
        assert_eq!(run(dir.path(), &all), stats(2, 1));
        assert_eq!(run(dir.path(), &all), stats(3, 0));
    }

    #[test]
    fn extraction_settings_choose_the_directory_and_scoring_settings_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let base = Config::builtin();
        let mut scoring = base.clone();
        scoring.score.hedge_weight = 0.1;
        scoring.claims.furniture_repeat_articles = 9;
        scoring.input.min_article_chars = 1;
        scoring.cache.keep_days = 3;
        let mut extraction = base.clone();
        extraction.claims.min_words = 3;
        let mut lexicon = base.clone();
        lexicon.lexicon_hashes.insert("claims.hedges".into(), 12345);
        let open = |config: &Config| {
            ExtractionCache::open(dir.path(), config)
                .unwrap()
                .dir()
                .to_path_buf()
        };
        assert_eq!(open(&scoring), open(&base));
        assert_ne!(open(&extraction), open(&base));
        assert_ne!(open(&lexicon), open(&base));
        assert!(open(&base)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn prune_deletes_old_and_unreadable_packs_and_the_old_layout_and_keeps_young_packs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let config = Config::builtin();
        let (old, fresh) = (article("old.txt", TEXT), article("fresh.txt", TEXT));
        run(root, std::slice::from_ref(&old));
        let old_pack = age(&packs(root)[0], 31);
        run(root, std::slice::from_ref(&fresh));
        let fresh_pack = packs(root).pop().unwrap();
        let config_dir = fresh_pack.parent().unwrap().to_path_buf();
        let foreign = config_dir.join(format!("{}-000000000-x.pack", unix_now()));
        fs::write(&foreign, b"not a pack, though named like one").unwrap();
        // Another configuration's pack, as old, and one of the old layout's entries.
        let other = root.join("0.0.1-0000000000000000");
        fs::create_dir_all(&other).unwrap();
        fs::write(other.join("1000-000000000-x.pack"), b"").unwrap();
        let legacy = root.join("0.1.0-1111111111111111");
        let stale = legacy.join("ab/ab00");
        let recent = legacy.join("cd/cd00");
        for entry in [&stale, &recent] {
            fs::create_dir_all(entry.parent().unwrap()).unwrap();
            fs::write(entry, b"entry").unwrap();
        }
        let long_ago = SystemTime::now() - std::time::Duration::from_secs(31 * 86_400);
        File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();

        let cache = ExtractionCache::open(root, &config).unwrap();
        assert_eq!(cache.prune().unwrap(), 4);
        assert!(!old_pack.exists() && !foreign.exists());
        assert!(fresh_pack.exists());
        assert!(!other.exists());
        assert!(!legacy.join("ab").exists() && recent.exists());
        assert_eq!(run(root, &[old, fresh]), stats(1, 1));
    }

    #[test]
    fn a_hit_in_an_aging_pack_is_carried_forward_and_outlives_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let [used, unused] =
            <[Article; 2]>::try_from(articles(&["used.txt", "unused.txt"])).unwrap();
        run(root, &[used.clone(), unused.clone()]);
        // keep_days is 30: a pack 14 days old is young enough to leave alone...
        let first = age(&packs(root)[0], 14);
        assert_eq!(run(root, std::slice::from_ref(&used)), stats(1, 0));
        assert_eq!(packs(root), std::slice::from_ref(&first));
        // ...one 16 days old is not: its hits go into the run's own pack.
        let first = age(&first, 16);
        assert_eq!(run(root, std::slice::from_ref(&used)), stats(1, 0));
        let carried = packs(root);
        assert_eq!(carried.len(), 2);
        assert_eq!(record_of(&carried[1], &used).0, 0);

        age(&first, 31);
        let config = Config::builtin();
        assert_eq!(
            ExtractionCache::open(root, &config)
                .unwrap()
                .prune()
                .unwrap(),
            1
        );
        assert_eq!(run(root, &[used, unused]), stats(1, 1));
    }

    #[test]
    fn a_cache_that_cannot_be_written_costs_the_extraction_only() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::builtin();
        let cache = ExtractionCache::open(dir.path(), &config).unwrap();
        // Where the pack would go is now a file.
        fs::remove_dir(cache.dir()).unwrap();
        fs::write(cache.dir(), b"").unwrap();
        for a in articles(&["a.txt", "b.txt"]) {
            let claims = cache.get_or_extract(&a, || extract(&config, &a));
            assert!(!claims.claims.is_empty());
        }
        cache.finish();
        assert_eq!(
            cache.stats(),
            CacheStats {
                hits: 0,
                misses: 2,
                write_errors: 2
            }
        );
        let error = cache.first_write_error().unwrap();
        assert!(error.contains("cannot create a cache pack"), "{error}");
    }
}
