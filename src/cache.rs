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
//! Entries are written to a temporary file and renamed, and carry a checksum, so a run
//! killed mid-write leaves at worst a stray temporary file (removed by the next prune)
//! and never an entry that reads back wrong: an unreadable entry is a miss and is
//! written again. The cache is an optimisation: failing to write it costs time, never
//! the run. Hits refresh an entry's modification time; `prune` deletes entries unused
//! for `[cache] keep_days`, which bounds the cache by what recent runs read.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use anyhow::Context;
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

use crate::claims::ArticleClaims;
use crate::config::Config;
use crate::ingest::Article;

/// Bumped whenever `ArticleClaims` or its encoding changes shape, so entries written by
/// an older layout are never decoded as the new one.
const FORMAT: u32 = 2;

/// Every entry starts with this, then an xxh3-64 checksum of the payload (little
/// endian), then the postcard-encoded `ArticleClaims`.
const MAGIC: &[u8; 8] = b"CRDNCE\x00\x01";
const HEADER: usize = MAGIC.len() + 8;

/// Prefix of entries being written; any such file found by `prune` is a leftover of a
/// killed run (the cache directory is locked while a run uses it).
const TEMP_PREFIX: &str = ".tmp-";

/// An open cache directory for one configuration.
#[derive(Debug)]
pub struct ExtractionCache {
    root: PathBuf,
    /// `root/<version>-<fingerprint>`: the entries valid for this config and version.
    dir: PathBuf,
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
    /// Opens (creating) the cache under `root` for `config`.
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
        Ok(ExtractionCache {
            root: root.to_path_buf(),
            dir,
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            write_errors: AtomicUsize::new(0),
            first_write_error: Mutex::new(None),
        })
    }

    /// The directory holding this configuration's entries.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry key of an article: everything extraction reads from it.
    pub fn key(article: &Article) -> u128 {
        let mut bytes = Vec::with_capacity(article.text.len() + 256);
        for part in [article.key.as_str(), article.outlet.as_str()] {
            bytes.extend_from_slice(part.as_bytes());
            bytes.push(0);
        }
        match &article.title {
            Some(title) => {
                bytes.push(1);
                bytes.extend_from_slice(title.as_bytes());
            }
            None => bytes.push(0),
        }
        bytes.push(0);
        bytes.extend_from_slice(article.text.as_bytes());
        xxh3_128(&bytes)
    }

    fn entry_path(&self, key: u128) -> PathBuf {
        let name = format!("{key:032x}");
        self.dir.join(&name[..2]).join(name)
    }

    /// The article's cached extraction, or `extract()` run and stored.
    pub fn get_or_extract(
        &self,
        article: &Article,
        extract: impl FnOnce() -> ArticleClaims,
    ) -> ArticleClaims {
        let path = self.entry_path(Self::key(article));
        if let Some(claims) = read_entry(&path) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return claims;
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let claims = extract();
        if let Err(err) = write_entry(&path, &claims) {
            self.write_errors.fetch_add(1, Ordering::Relaxed);
            let mut first = self.first_write_error.lock().expect("not poisoned");
            first.get_or_insert_with(|| format!("{err:#}"));
        }
        claims
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            write_errors: self.write_errors.load(Ordering::Relaxed),
        }
    }

    /// The first entry that could not be written, to warn about once.
    pub fn first_write_error(&self) -> Option<String> {
        self.first_write_error.lock().expect("not poisoned").clone()
    }

    /// Deletes entries (of any configuration) not used for `keep_days`, leftovers of
    /// killed runs, and directories left empty; returns how many entries went.
    pub fn prune(&self, keep_days: u64) -> anyhow::Result<usize> {
        let cutoff = SystemTime::now()
            .checked_sub(Duration::from_secs(keep_days.saturating_mul(86_400)))
            .unwrap_or(SystemTime::UNIX_EPOCH);
        prune_dir(&self.root, &cutoff, 0)
            .with_context(|| format!("cannot prune cache {}", self.root.display()))
    }
}

/// Walks `root/<config>/<shard>/<entry>`; `depth` is 0 at the root.
fn prune_dir(dir: &Path, cutoff: &SystemTime, depth: usize) -> std::io::Result<usize> {
    let mut removed = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let kind = entry.file_type()?;
        if kind.is_dir() && depth < 2 {
            removed += prune_dir(&path, cutoff, depth + 1)?;
            // Only empty directories go: this fails, as it should, on any other.
            let _ = fs::remove_dir(&path);
        } else if kind.is_file() && depth == 2 {
            let stale = name.starts_with(TEMP_PREFIX) || entry.metadata()?.modified()? < *cutoff;
            if stale {
                fs::remove_file(&path)?;
                removed += usize::from(!name.starts_with(TEMP_PREFIX));
            }
        }
    }
    Ok(removed)
}

/// The entry at `path`, if it is there and whole. Refreshes its modification time,
/// which `prune` reads as "last used".
fn read_entry(path: &Path) -> Option<ArticleClaims> {
    let bytes = fs::read(path).ok()?;
    let claims = decode(&bytes)?;
    if let Ok(file) = fs::File::options().write(true).open(path) {
        let _ = file.set_modified(SystemTime::now());
    }
    Some(claims)
}

fn decode(bytes: &[u8]) -> Option<ArticleClaims> {
    let header = bytes.get(..HEADER)?;
    let payload = &bytes[HEADER..];
    let checksum = u64::from_le_bytes(header[MAGIC.len()..].try_into().ok()?);
    if &header[..MAGIC.len()] != MAGIC || checksum != xxh3_64(payload) {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

fn encode(claims: &ArticleClaims) -> anyhow::Result<Vec<u8>> {
    let payload = postcard::to_stdvec(claims)?;
    let mut bytes = Vec::with_capacity(HEADER + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&xxh3_64(&payload).to_le_bytes());
    bytes.extend_from_slice(&payload);
    Ok(bytes)
}

fn write_entry(path: &Path, claims: &ArticleClaims) -> anyhow::Result<()> {
    let shard = path.parent().expect("entries sit in a shard directory");
    let context = || format!("cannot write cache entry {}", path.display());
    let bytes = encode(claims).with_context(context)?;
    let mut file = match tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(shard)
    {
        Err(err) if err.kind() == ErrorKind::NotFound => {
            fs::create_dir_all(shard).with_context(context)?;
            tempfile::Builder::new()
                .prefix(TEMP_PREFIX)
                .tempfile_in(shard)
                .with_context(context)?
        }
        other => other.with_context(context)?,
    };
    file.write_all(&bytes).with_context(context)?;
    // No fsync per entry: after a crash an entry may be empty or torn, which its
    // checksum catches; syncing thousands of small files would cost more than the
    // extraction it saves.
    file.persist(path)
        .map_err(|e| e.error)
        .with_context(context)?;
    Ok(())
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

    #[test]
    fn a_second_lookup_is_a_hit_with_the_same_claims() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::builtin();
        let cache = ExtractionCache::open(dir.path(), &config).unwrap();
        let a = article("a.txt", TEXT);
        let first = cache.get_or_extract(&a, || extract(&config, &a));
        let second = cache.get_or_extract(&a, || panic!("should be a hit"));
        assert!(!first.claims.is_empty());
        assert_eq!(format!("{first:?}"), format!("{second:?}"));
        assert_eq!(
            cache.stats(),
            CacheStats {
                hits: 1,
                misses: 1,
                write_errors: 0
            }
        );
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
    fn torn_or_foreign_entries_are_misses_and_are_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::builtin();
        let cache = ExtractionCache::open(dir.path(), &config).unwrap();
        let a = article("a.txt", TEXT);
        let path = cache.entry_path(ExtractionCache::key(&a));
        let good = cache.get_or_extract(&a, || extract(&config, &a));
        let bytes = fs::read(&path).unwrap();
        for bad in [
            Vec::new(),
            bytes[..bytes.len() / 2].to_vec(),
            [b"XXXXXXXX", &bytes[8..]].concat(),
        ] {
            fs::write(&path, &bad).unwrap();
            let again = cache.get_or_extract(&a, || extract(&config, &a));
            assert_eq!(format!("{good:?}"), format!("{again:?}"));
            assert_eq!(fs::read(&path).unwrap(), bytes, "entry rewritten whole");
        }
        assert_eq!(cache.stats().hits, 0);
        assert_eq!(cache.stats().misses, 4);
    }

    #[test]
    fn extraction_settings_choose_the_directory_and_scoring_settings_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let base = Config::builtin();
        let mut scoring = base.clone();
        scoring.score.hedge_weight = 0.1;
        scoring.claims.furniture_repeat_articles = 9;
        scoring.input.min_article_chars = 1;
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
    fn prune_deletes_unused_entries_and_leftovers_only() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::builtin();
        let cache = ExtractionCache::open(dir.path(), &config).unwrap();
        let (old, fresh) = (article("old.txt", TEXT), article("fresh.txt", TEXT));
        cache.get_or_extract(&old, || extract(&config, &old));
        cache.get_or_extract(&fresh, || extract(&config, &fresh));
        let old_path = cache.entry_path(ExtractionCache::key(&old));
        let fresh_path = cache.entry_path(ExtractionCache::key(&fresh));
        let long_ago = SystemTime::now() - Duration::from_secs(40 * 86_400);
        fs::File::options()
            .write(true)
            .open(&old_path)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        let shard = fresh_path.parent().unwrap();
        fs::write(shard.join(format!("{TEMP_PREFIX}killed")), b"half").unwrap();
        // An entry of another (older) configuration, unused as long.
        let other = dir.path().join("0.0.1-0000000000000000/ab");
        fs::create_dir_all(&other).unwrap();
        let other_entry = other.join("ab00");
        fs::write(&other_entry, b"x").unwrap();
        fs::File::options()
            .write(true)
            .open(&other_entry)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();

        assert_eq!(cache.prune(30).unwrap(), 2);
        assert!(!old_path.exists());
        assert!(fresh_path.exists());
        assert!(!shard.join(format!("{TEMP_PREFIX}killed")).exists());
        assert!(!dir.path().join("0.0.1-0000000000000000").exists());
        // A hit refreshes the entry, so a long-unused entry that is read again stays.
        cache.get_or_extract(&fresh, || panic!("hit"));
        assert_eq!(cache.prune(30).unwrap(), 0);
    }
}
