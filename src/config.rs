//! Configuration: every weight, threshold and lexicon a user may tune.
//!
//! Loading is two-phase, as in ripgrep and vector: the TOML is deserialised into typed
//! structs (unknown keys rejected by serde), then `validate` checks every range and names
//! the offending key. Lexicon files are read once here, so stages only ever see a checked
//! `&Config` with its `Lexicons` already loaded.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use xxhash_rust::xxh3::xxh3_64;

/// The default configuration, shipped inside the binary so `credence run` works from
/// anywhere; `config/default.toml` is the same file.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

/// Default lexicons and the stance model, keyed by the relative path `DEFAULT_TOML`
/// gives them.
const EMBEDDED_LEXICONS: &[(&str, &str)] = &[
    (
        "stance_model.toml",
        include_str!("../config/stance_model.toml"),
    ),
    (
        "lexicons/abbreviations.txt",
        include_str!("../config/lexicons/abbreviations.txt"),
    ),
    (
        "lexicons/stopwords.txt",
        include_str!("../config/lexicons/stopwords.txt"),
    ),
    (
        "lexicons/aliases.txt",
        include_str!("../config/lexicons/aliases.txt"),
    ),
    (
        "lexicons/titles.txt",
        include_str!("../config/lexicons/titles.txt"),
    ),
    (
        "lexicons/numbers.txt",
        include_str!("../config/lexicons/numbers.txt"),
    ),
    (
        "lexicons/negations.txt",
        include_str!("../config/lexicons/negations.txt"),
    ),
    (
        "lexicons/denials.txt",
        include_str!("../config/lexicons/denials.txt"),
    ),
    (
        "lexicons/debunks.txt",
        include_str!("../config/lexicons/debunks.txt"),
    ),
    (
        "lexicons/hedges.txt",
        include_str!("../config/lexicons/hedges.txt"),
    ),
    (
        "lexicons/attribution_verbs.txt",
        include_str!("../config/lexicons/attribution_verbs.txt"),
    ),
    (
        "lexicons/attribution_phrases.txt",
        include_str!("../config/lexicons/attribution_phrases.txt"),
    ),
    (
        "lexicons/furniture.txt",
        include_str!("../config/lexicons/furniture.txt"),
    ),
    (
        "lexicons/stance_refutes.txt",
        include_str!("../config/lexicons/stance_refutes.txt"),
    ),
    (
        "lexicons/stance_doubts.txt",
        include_str!("../config/lexicons/stance_doubts.txt"),
    ),
    (
        "lexicons/stance_reversals.txt",
        include_str!("../config/lexicons/stance_reversals.txt"),
    ),
    (
        "lexicons/stance_retellings.txt",
        include_str!("../config/lexicons/stance_retellings.txt"),
    ),
    (
        "lexicons/value_noise.txt",
        include_str!("../config/lexicons/value_noise.txt"),
    ),
];

/// A configuration problem, always naming the file and the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}: {message}")]
    Parse { origin: String, message: String },
    #[error("{origin}: key `{key}` = {value} is out of range (allowed {allowed})")]
    OutOfRange {
        origin: String,
        key: String,
        value: String,
        allowed: String,
    },
    #[error("{origin}: key `stance.model`: stance model {path}: {reason}")]
    Model {
        origin: String,
        path: String,
        reason: String,
    },
    #[error("{origin}: key `{key}`: cannot read lexicon {path}: {reason}")]
    Lexicon {
        origin: String,
        key: String,
        path: String,
        reason: String,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputConfig {
    pub max_file_bytes: u64,
    pub max_article_bytes: u64,
    pub min_article_chars: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenizeConfig {
    pub stemmer: String,
    pub abbreviations: String,
    pub stopwords: String,
    pub aliases: String,
    pub titles: String,
    pub numbers: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimsConfig {
    pub min_words: usize,
    pub max_words: usize,
    pub min_terms_with_one_entity: usize,
    pub furniture_repeat_articles: usize,
    pub negations: String,
    pub denials: String,
    pub debunks: String,
    pub hedges: String,
    pub attribution_verbs: String,
    pub attribution_phrases: String,
    pub furniture: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementConfig {
    pub max_key_claims: usize,
    pub min_shared_keys: usize,
    pub entity_weight: f64,
    pub term_weight: f64,
    pub shared_value_bonus: f64,
    pub match_threshold: f64,
    pub min_term_similarity: f64,
    pub fuzzy_name_threshold: f64,
    pub number_tolerance: f64,
    pub copy_shingle_words: usize,
    pub copy_min_shared_shingles: usize,
    pub copy_claim_similarity: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoriesConfig {
    pub lead_words: usize,
    pub headline_weight: f64,
    pub name_weight: f64,
    pub max_key_articles: usize,
    pub min_shared_keys: usize,
    pub link_threshold: f64,
    pub max_days_apart: u32,
    pub days_half_life: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreConfig {
    pub prior_trust: f64,
    pub prior_strength: f64,
    pub false_values: f64,
    pub hedge_weight: f64,
    pub attribution_weight: f64,
    pub copy_weight: f64,
    pub contradiction_weight: f64,
    pub similarity_weight: f64,
    pub corroborated_threshold: f64,
    pub max_iterations: usize,
    pub tolerance: f64,
    pub interval: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactsConfig {
    pub missing_values: Vec<String>,
    pub noise_words: String,
    pub number_tolerance: f64,
    pub time_tolerance_minutes: f64,
    pub copy_prior: f64,
    pub copy_probability: f64,
    pub copy_max_sources: usize,
}

impl FactsConfig {
    pub fn copying(&self) -> crate::score::Copying {
        crate::score::Copying {
            prior: self.copy_prior,
            probability: self.copy_probability,
            max_sources: self.copy_max_sources,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StanceConfig {
    pub model: String,
    pub near_clauses: usize,
    pub lead_sentences: usize,
    pub refutes: String,
    pub doubts: String,
    pub reversals: String,
    pub retellings: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    pub excel: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheConfig {
    pub keep_days: u64,
}

/// The whole configuration after validation, lexicons loaded.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub input: InputConfig,
    pub tokenize: TokenizeConfig,
    pub claims: ClaimsConfig,
    pub agreement: AgreementConfig,
    pub stories: StoriesConfig,
    pub score: ScoreConfig,
    pub facts: FactsConfig,
    pub report: ReportConfig,
    pub cache: CacheConfig,
    pub stance: StanceConfig,
    #[serde(skip)]
    pub lexicons: Lexicons,
    /// xxh3 of each lexicon's text, by config key (`claims.hedges`), so a cache can tell
    /// which lexicons changed.
    #[serde(skip)]
    pub lexicon_hashes: BTreeMap<String, u64>,
    /// Where the lexicons came from, and so where `stance.model` is read from.
    #[serde(skip)]
    source: LexiconSource,
    #[serde(skip)]
    origin: String,
    /// Hash of the TOML text and every lexicon, so reports and caches can say which
    /// configuration produced them.
    #[serde(skip)]
    pub hash: u64,
}

/// Word lists loaded from `config/lexicons`. Entries are folded (lower case, no
/// diacritics) so lookups match folded tokens.
#[derive(Debug, Clone, Default)]
pub struct Lexicons {
    /// Abbreviations (folded, without the final period) that never end a sentence.
    pub abbreviations: FxHashSet<String>,
    /// Abbreviations that may end a sentence when a common opener follows.
    pub final_abbreviations: FxHashSet<String>,
    pub stopwords: FxHashSet<String>,
    /// Variant → canonical entity name.
    pub aliases: FxHashMap<String, String>,
    pub titles: FxHashSet<String>,
    pub numbers: FxHashMap<String, f64>,
    pub negations: Vec<String>,
    pub denials: Vec<String>,
    pub debunks: Vec<String>,
    pub hedges: Vec<String>,
    pub attribution_verbs: FxHashSet<String>,
    pub attribution_phrases: Vec<String>,
    pub furniture: Vec<FurniturePattern>,
    /// Words that never identify a structured value ("edited", "by", "jr").
    pub value_noise: FxHashSet<String>,
    /// `credence stance` only: cues read per sentence, apart from claim extraction.
    pub stance_refutes: Vec<String>,
    pub stance_doubts: Vec<String>,
    pub stance_reversals: Vec<String>,
    pub stance_retellings: Vec<String>,
}

/// One line of `furniture.txt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FurniturePattern {
    Prefix(String),
    Suffix(String),
    Contains(String),
}

/// Where lexicon paths are resolved: the embedded defaults, or a directory on disk.
#[derive(Debug, Clone, Default)]
enum LexiconSource {
    #[default]
    Embedded,
    Directory(PathBuf),
}

impl Config {
    /// The built-in default configuration with its embedded lexicons.
    pub fn builtin() -> Config {
        Config::from_toml(
            DEFAULT_TOML,
            "built-in default config",
            LexiconSource::Embedded,
        )
        .expect("the built-in config is valid")
    }

    /// Loads and validates a config file; lexicon paths resolve against its directory.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        Config::from_toml(
            &text,
            &path.display().to_string(),
            LexiconSource::Directory(dir),
        )
    }

    fn from_toml(text: &str, origin: &str, source: LexiconSource) -> Result<Config, ConfigError> {
        let parse_error = |message: String| ConfigError::Parse {
            origin: origin.to_string(),
            message,
        };
        let user: toml::Table =
            toml::from_str(text).map_err(|err| parse_error(describe_toml_error(text, &err)))?;
        // Defaults live in DEFAULT_TOML alone: the user's keys are laid over them, so a
        // config file only names what it changes and no default is written twice.
        let mut merged: toml::Table = toml::from_str(DEFAULT_TOML).expect("default.toml parses");
        merge_tables(&mut merged, user);
        let mut config: Config = toml::Value::Table(merged)
            .try_into()
            .map_err(|err: toml::de::Error| parse_error(locate_key_error(text, err.message())))?;
        config.validate(origin)?;
        let mut hash_input = text.as_bytes().to_vec();
        let mut lexicon_hashes = BTreeMap::new();
        config.lexicons = Lexicons::load(&config, origin, &source, |key, text| {
            hash_input.extend_from_slice(text.as_bytes());
            lexicon_hashes.insert(key.to_string(), xxh3_64(text.as_bytes()));
        })?;
        config.lexicon_hashes = lexicon_hashes;
        config.source = source;
        config.origin = origin.to_string();
        config.hash = xxh3_64(&hash_input);
        Ok(config)
    }

    /// Hash of everything the per-article stages (tokenize, claims) read: the
    /// `[tokenize]` and `[claims]` keys and lexicons, the shingle length of copy
    /// detection and the lead length of story keys. Cached extractions are valid exactly while it stays the same; the
    /// scoring weights, input limits and report options are left out on purpose, so
    /// tuning them reuses the cache. `claims.furniture_repeat_articles` is left out
    /// too: it is applied across articles, after extraction.
    pub fn extraction_hash(&self) -> u64 {
        let t = &self.tokenize;
        let c = &self.claims;
        let mut input = format!(
            "stemmer={}\nmin_words={}\nmax_words={}\nmin_terms_with_one_entity={}\n\
             copy_shingle_words={}\nlead_words={}\n",
            t.stemmer,
            c.min_words,
            c.max_words,
            c.min_terms_with_one_entity,
            self.agreement.copy_shingle_words,
            self.stories.lead_words,
        );
        for (key, hash) in &self.lexicon_hashes {
            if key.starts_with("tokenize.") || key.starts_with("claims.") {
                input.push_str(&format!("{key}={hash:016x}\n"));
            }
        }
        xxh3_64(input.as_bytes())
    }

    /// Reads and checks the stance model (`stance.model`). Only `credence stance` and
    /// `config check` need it, so it is not read with the config: its thousands of trees
    /// would slow every other command's start.
    pub fn stance_model(&self) -> Result<crate::stance::StanceModel, ConfigError> {
        let path = &self.stance.model;
        let text = read_lexicon(&self.origin, "stance.model", path, &self.source)?;
        crate::stance::StanceModel::parse(&text).map_err(|reason| ConfigError::Model {
            origin: self.origin.clone(),
            path: path.clone(),
            reason,
        })
    }

    fn validate(&self, origin: &str) -> Result<(), ConfigError> {
        let checker = RangeChecker { origin };
        let i = &self.input;
        checker.int("input.max_file_bytes", i.max_file_bytes, 1, 1 << 40)?;
        checker.int("input.max_article_bytes", i.max_article_bytes, 1, 1 << 31)?;
        checker.int(
            "input.min_article_chars",
            i.min_article_chars as u64,
            0,
            100_000,
        )?;
        if !matches!(self.tokenize.stemmer.as_str(), "english" | "none") {
            return Err(ConfigError::OutOfRange {
                origin: origin.to_string(),
                key: "tokenize.stemmer".into(),
                value: format!("{:?}", self.tokenize.stemmer),
                allowed: "\"english\" or \"none\"".into(),
            });
        }
        let c = &self.claims;
        checker.int("claims.min_words", c.min_words as u64, 1, 1000)?;
        checker.int("claims.max_words", c.max_words as u64, 1, 100_000)?;
        checker.int(
            "claims.min_terms_with_one_entity",
            c.min_terms_with_one_entity as u64,
            1,
            100,
        )?;
        checker.int(
            "claims.furniture_repeat_articles",
            c.furniture_repeat_articles as u64,
            2,
            1000,
        )?;
        let a = &self.agreement;
        checker.int(
            "agreement.max_key_claims",
            a.max_key_claims as u64,
            2,
            1_000_000,
        )?;
        checker.int(
            "agreement.min_shared_keys",
            a.min_shared_keys as u64,
            1,
            100,
        )?;
        checker.real("agreement.entity_weight", a.entity_weight, 0.0, 1.0)?;
        checker.real("agreement.term_weight", a.term_weight, 0.0, 1.0)?;
        checker.real(
            "agreement.shared_value_bonus",
            a.shared_value_bonus,
            0.0,
            1.0,
        )?;
        checker.real("agreement.match_threshold", a.match_threshold, 0.0, 1.0)?;
        checker.real(
            "agreement.min_term_similarity",
            a.min_term_similarity,
            0.0,
            1.0,
        )?;
        checker.real(
            "agreement.fuzzy_name_threshold",
            a.fuzzy_name_threshold,
            0.0,
            1.0,
        )?;
        checker.real("agreement.number_tolerance", a.number_tolerance, 0.0, 1.0)?;
        checker.int(
            "agreement.copy_shingle_words",
            a.copy_shingle_words as u64,
            3,
            50,
        )?;
        checker.int(
            "agreement.copy_min_shared_shingles",
            a.copy_min_shared_shingles as u64,
            1,
            100_000,
        )?;
        checker.real(
            "agreement.copy_claim_similarity",
            a.copy_claim_similarity,
            0.0,
            1.0,
        )?;
        if a.entity_weight + a.term_weight <= 0.0 {
            return Err(ConfigError::OutOfRange {
                origin: origin.to_string(),
                key: "agreement.entity_weight + agreement.term_weight".into(),
                value: format!("{}", a.entity_weight + a.term_weight),
                allowed: "more than 0".into(),
            });
        }
        let st = &self.stories;
        checker.int("stories.lead_words", st.lead_words as u64, 10, 100_000)?;
        checker.real("stories.headline_weight", st.headline_weight, 0.0, 10.0)?;
        checker.real("stories.name_weight", st.name_weight, 0.0, 10.0)?;
        checker.int(
            "stories.max_key_articles",
            st.max_key_articles as u64,
            2,
            1_000_000,
        )?;
        checker.int("stories.min_shared_keys", st.min_shared_keys as u64, 1, 100)?;
        checker.real("stories.link_threshold", st.link_threshold, 0.0, 1.0)?;
        checker.int(
            "stories.max_days_apart",
            u64::from(st.max_days_apart),
            0,
            3650,
        )?;
        checker.real("stories.days_half_life", st.days_half_life, 0.0, 3650.0)?;
        let s = &self.score;
        checker.real("score.prior_trust", s.prior_trust, 0.01, 0.99)?;
        checker.real("score.prior_strength", s.prior_strength, 0.0, 1000.0)?;
        checker.real("score.false_values", s.false_values, 1.0, 1000.0)?;
        checker.real("score.hedge_weight", s.hedge_weight, 0.0, 1.0)?;
        checker.real("score.attribution_weight", s.attribution_weight, 0.0, 1.0)?;
        checker.real("score.copy_weight", s.copy_weight, 0.0, 1.0)?;
        checker.real(
            "score.contradiction_weight",
            s.contradiction_weight,
            0.0,
            10.0,
        )?;
        checker.real("score.similarity_weight", s.similarity_weight, 0.0, 1.0)?;
        checker.real(
            "score.corroborated_threshold",
            s.corroborated_threshold,
            0.0,
            1.0,
        )?;
        checker.int("score.max_iterations", s.max_iterations as u64, 1, 100_000)?;
        checker.real("score.tolerance", s.tolerance, 0.0, 1.0)?;
        checker.real("score.interval", s.interval, 0.5, 0.999)?;
        let f = &self.facts;
        checker.real("facts.number_tolerance", f.number_tolerance, 0.0, 1.0)?;
        checker.real(
            "facts.time_tolerance_minutes",
            f.time_tolerance_minutes,
            0.0,
            1440.0,
        )?;
        checker.real("facts.copy_prior", f.copy_prior, 0.0, 0.99)?;
        checker.real("facts.copy_probability", f.copy_probability, 0.0, 0.99)?;
        checker.int(
            "facts.copy_max_sources",
            f.copy_max_sources as u64,
            2,
            100_000,
        )?;
        checker.int("cache.keep_days", self.cache.keep_days, 1, 36_500)?;
        let st = &self.stance;
        checker.int("stance.near_clauses", st.near_clauses as u64, 1, 100)?;
        checker.int("stance.lead_sentences", st.lead_sentences as u64, 1, 1000)?;
        Ok(())
    }
}

struct RangeChecker<'a> {
    origin: &'a str,
}

impl RangeChecker<'_> {
    fn real(&self, key: &str, value: f64, lo: f64, hi: f64) -> Result<(), ConfigError> {
        if value.is_finite() && (lo..=hi).contains(&value) {
            return Ok(());
        }
        Err(self.out_of_range(key, value, lo, hi))
    }

    fn int(&self, key: &str, value: u64, lo: u64, hi: u64) -> Result<(), ConfigError> {
        if (lo..=hi).contains(&value) {
            return Ok(());
        }
        Err(self.out_of_range(key, value, lo, hi))
    }

    fn out_of_range(
        &self,
        key: &str,
        value: impl fmt::Display,
        lo: impl fmt::Display,
        hi: impl fmt::Display,
    ) -> ConfigError {
        ConfigError::OutOfRange {
            origin: self.origin.to_string(),
            key: key.to_string(),
            value: value.to_string(),
            allowed: format!("{lo} to {hi}"),
        }
    }
}

fn merge_tables(base: &mut toml::Table, overlay: toml::Table) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(base_table)), toml::Value::Table(overlay_table)) => {
                merge_tables(base_table, overlay_table)
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Errors from the merged table carry no position; find the key serde names (the
/// first word in backticks) in the user's text to report its line and table.
fn locate_key_error(text: &str, message: &str) -> String {
    let message = message.trim().replace('\n', " ");
    let key = message.split('`').nth(1).unwrap_or_default();
    let mut table = None;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') && line.ends_with(']') {
            table = Some(line);
            if !key.is_empty() && line.trim_matches(|c| c == '[' || c == ']') == key {
                return format!("line {}: {message}", index + 1);
            }
            continue;
        }
        let name = line.split('=').next().unwrap_or_default().trim();
        if !key.is_empty() && name == key {
            return match table {
                Some(table) => format!("line {}, in {table}: {message}", index + 1),
                None => format!("line {}: {message}", index + 1),
            };
        }
    }
    message
}

/// toml's own message spans several lines with a source excerpt; a nightly log wants one
/// line naming the line number, the table and the key.
fn describe_toml_error(text: &str, err: &toml::de::Error) -> String {
    let message = err.message().trim().replace('\n', " ");
    let Some(span) = err.span() else {
        return message;
    };
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let table = before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && l.ends_with(']'));
    match table {
        Some(table) => format!("line {line}, in {table}: {message}"),
        None => format!("line {line}: {message}"),
    }
}

impl Lexicons {
    /// `seen(key, text)` is told every lexicon read, for hashing.
    fn load(
        config: &Config,
        origin: &str,
        source: &LexiconSource,
        mut seen: impl FnMut(&str, &str),
    ) -> Result<Lexicons, ConfigError> {
        let mut read = |key: &str, path: &str| -> Result<Vec<String>, ConfigError> {
            let text = read_lexicon(origin, key, path, source)?;
            seen(key, &text);
            Ok(lexicon_lines(&text))
        };
        let t = &config.tokenize;
        let c = &config.claims;
        let st = &config.stance;
        let mut abbreviations = FxHashSet::default();
        let mut final_abbreviations = FxHashSet::default();
        for entry in read("tokenize.abbreviations", &t.abbreviations)? {
            let (set, word) = match entry.strip_prefix('~') {
                Some(word) => (&mut final_abbreviations, word),
                None => (&mut abbreviations, entry.as_str()),
            };
            set.insert(crate::tokenize::fold(word.trim_end_matches('.')));
        }
        let mut aliases = FxHashMap::default();
        for entry in read("tokenize.aliases", &t.aliases)? {
            let Some((canonical, variants)) = entry.split_once('=') else {
                return Err(malformed(origin, "tokenize.aliases", &t.aliases, &entry));
            };
            let canonical = crate::tokenize::fold(canonical.trim());
            for variant in variants.split(',') {
                aliases.insert(crate::tokenize::fold(variant.trim()), canonical.clone());
            }
        }
        let mut numbers = FxHashMap::default();
        for entry in read("tokenize.numbers", &t.numbers)? {
            let parsed = entry
                .split_once('=')
                .and_then(|(word, n)| Some((word.trim(), n.trim().parse::<f64>().ok()?)));
            let Some((word, value)) = parsed else {
                return Err(malformed(origin, "tokenize.numbers", &t.numbers, &entry));
            };
            numbers.insert(crate::tokenize::fold(word), value);
        }
        Ok(Lexicons {
            abbreviations,
            final_abbreviations,
            stopwords: fold_all(read("tokenize.stopwords", &t.stopwords)?),
            aliases,
            titles: fold_all(read("tokenize.titles", &t.titles)?),
            numbers,
            negations: fold_all(read("claims.negations", &c.negations)?),
            denials: fold_all(read("claims.denials", &c.denials)?),
            debunks: fold_all(read("claims.debunks", &c.debunks)?),
            hedges: fold_all(read("claims.hedges", &c.hedges)?),
            attribution_verbs: fold_all(read("claims.attribution_verbs", &c.attribution_verbs)?),
            attribution_phrases: fold_all(read(
                "claims.attribution_phrases",
                &c.attribution_phrases,
            )?),
            furniture: read("claims.furniture", &c.furniture)?
                .into_iter()
                .map(|line| parse_furniture(&line))
                .collect(),
            value_noise: fold_all(read("facts.noise_words", &config.facts.noise_words)?),
            stance_refutes: fold_all(read("stance.refutes", &st.refutes)?),
            stance_doubts: fold_all(read("stance.doubts", &st.doubts)?),
            stance_reversals: fold_all(read("stance.reversals", &st.reversals)?),
            stance_retellings: fold_all(read("stance.retellings", &st.retellings)?),
        })
    }
}

fn fold_all<C: FromIterator<String>>(lines: Vec<String>) -> C {
    lines
        .iter()
        .map(|line| crate::tokenize::fold(line))
        .collect()
}

fn malformed(origin: &str, key: &str, path: &str, entry: &str) -> ConfigError {
    ConfigError::Lexicon {
        origin: origin.to_string(),
        key: key.to_string(),
        path: path.to_string(),
        reason: format!("line {entry:?} is not `word = value`"),
    }
}

fn read_lexicon(
    origin: &str,
    key: &str,
    path: &str,
    source: &LexiconSource,
) -> Result<String, ConfigError> {
    let error = |reason: String| ConfigError::Lexicon {
        origin: origin.to_string(),
        key: key.to_string(),
        path: path.to_string(),
        reason,
    };
    let embedded = EMBEDDED_LEXICONS
        .iter()
        .find(|(name, _)| *name == path)
        .map(|(_, text)| text.to_string());
    match source {
        LexiconSource::Embedded => {
            embedded.ok_or_else(|| error("not a built-in lexicon; pass --config".into()))
        }
        LexiconSource::Directory(dir) => {
            let on_disk = dir.join(path);
            // A config file copied out of `credence config default` still names the
            // default lexicon paths; without such files beside it, the built-in copies
            // are what it means.
            match (std::fs::read_to_string(&on_disk), embedded) {
                (Ok(text), _) => Ok(text),
                (Err(e), Some(text)) if e.kind() == std::io::ErrorKind::NotFound => Ok(text),
                (Err(e), _) => Err(error(format!("{}: {e}", on_disk.display()))),
            }
        }
    }
}

/// Non-blank lines with `#` comments removed.
fn lexicon_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            line.split_once('#')
                .map_or(line, |(before, _)| before)
                .trim()
        })
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_furniture(line: &str) -> FurniturePattern {
    let folded = crate::tokenize::fold(line);
    if let Some(rest) = folded.strip_prefix('^') {
        FurniturePattern::Prefix(rest.to_string())
    } else if let Some(rest) = folded.strip_suffix('$') {
        FurniturePattern::Suffix(rest.to_string())
    } else {
        FurniturePattern::Contains(folded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extraction_hash_follows_what_extraction_reads_and_nothing_else() {
        let base = Config::builtin();
        let changed = |edit: fn(&mut Config)| {
            let mut config = Config::builtin();
            edit(&mut config);
            config.extraction_hash() != base.extraction_hash()
        };
        assert!(changed(|c| c.claims.min_words += 1));
        assert!(changed(|c| c.stories.lead_words += 1));
        assert!(changed(|c| c.agreement.copy_shingle_words += 1));
        assert!(!changed(|c| c.score.prior_trust = 0.5));
        assert!(!changed(|c| c.stories.link_threshold = 0.5));
        assert!(!changed(|c| c.agreement.match_threshold = 0.9));
        // The stance lexicons are read by `credence stance` alone.
        assert!(!changed(|c| {
            c.lexicon_hashes.insert("stance.refutes".into(), 1);
        }));
        assert!(changed(|c| {
            c.lexicon_hashes.insert("claims.debunks".into(), 1);
        }));
    }

    #[test]
    fn builtin_config_loads_every_lexicon() {
        let config = Config::builtin();
        assert!(config.lexicons.stopwords.contains("the"));
        assert!(config.lexicons.abbreviations.contains("dr"));
        assert!(config.lexicons.final_abbreviations.contains("u.s"));
        assert_eq!(
            config.lexicons.aliases.get("turkiye").map(String::as_str),
            Some("turkey")
        );
        assert_eq!(config.lexicons.numbers.get("twelve"), Some(&12.0));
        assert!(config
            .lexicons
            .furniture
            .contains(&FurniturePattern::Prefix("photo:".into())));
        assert_eq!(config.score.hedge_weight, 0.5);
        let has = |list: &[String], cue: &str| list.iter().any(|c| c == cue);
        assert!(has(&config.lexicons.stance_refutes, "turned out"));
        assert!(has(&config.lexicons.stance_doubts, "cast doubt"));
        assert!(has(&config.lexicons.stance_reversals, "no longer"));
        assert!(has(&config.lexicons.stance_retellings, "viral"));
    }

    #[test]
    fn config_file_on_disk_matches_builtin() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/default.toml");
        let loaded = Config::load(&dir).unwrap();
        assert_eq!(loaded.hash, Config::builtin().hash);
    }

    #[test]
    fn unknown_key_names_line_table_and_key() {
        let err = Config::from_toml(
            "[score]\nhedge_weight = 0.4\nhedge_wieght = 0.3\n",
            "my.toml",
            LexiconSource::Embedded,
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("my.toml: line 3, in [score]"), "{err}");
        assert!(err.contains("hedge_wieght"), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }

    #[test]
    fn out_of_range_weight_names_key_value_and_range() {
        let err = Config::from_toml(
            "[score]\nhedge_weight = 1.5\n",
            "my.toml",
            LexiconSource::Embedded,
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "my.toml: key `score.hedge_weight` = 1.5 is out of range (allowed 0 to 1)"
        );
    }

    #[test]
    fn out_of_range_story_settings_name_their_key() {
        for (toml, message) in [
            (
                "[stories]\nlink_threshold = 1.2\n",
                "key `stories.link_threshold` = 1.2 is out of range (allowed 0 to 1)",
            ),
            (
                "[stories]\nlead_words = 5\n",
                "key `stories.lead_words` = 5 is out of range (allowed 10 to 100000)",
            ),
            (
                "[stories]\nmax_key_articles = 1\n",
                "key `stories.max_key_articles` = 1 is out of range (allowed 2 to 1000000)",
            ),
        ] {
            let err = Config::from_toml(toml, "my.toml", LexiconSource::Embedded)
                .unwrap_err()
                .to_string();
            assert_eq!(err, format!("my.toml: {message}"));
        }
    }

    #[test]
    fn partial_config_keeps_other_defaults() {
        let config = Config::from_toml(
            "[agreement]\nmatch_threshold = 0.7\n",
            "t",
            LexiconSource::Embedded,
        )
        .unwrap();
        assert_eq!(config.agreement.match_threshold, 0.7);
        assert_eq!(
            config.score.prior_trust,
            Config::builtin().score.prior_trust
        );
    }

    #[test]
    fn report_excel_is_off_by_default_and_can_be_set() {
        assert!(!Config::builtin().report.excel);
        let config =
            Config::from_toml("[report]\nexcel = true\n", "t", LexiconSource::Embedded).unwrap();
        assert!(config.report.excel);
        let err = Config::from_toml("[report]\nexcell = true\n", "t", LexiconSource::Embedded)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2, in [report]") && err.contains("excell"),
            "{err}"
        );
    }

    #[test]
    fn missing_lexicon_file_names_key_and_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "[claims]\nhedges = \"nope.txt\"\n").unwrap();
        let err = Config::load(&path).unwrap_err().to_string();
        assert!(err.contains("claims.hedges"), "{err}");
        assert!(err.contains("nope.txt"), "{err}");
    }

    #[test]
    fn lexicon_comments_and_blanks_are_ignored() {
        assert_eq!(
            lexicon_lines("# head\n\nfoo # tail\n  bar  \n"),
            vec!["foo", "bar"]
        );
    }
}
