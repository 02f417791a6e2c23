//! Stage 3: which claims from different outlets are about the same fact, whether they
//! agree, and how many independent voices stand behind each.
//!
//! Candidate pairs come from an inverted index on rare keys (entities, surnames, key
//! terms), never from all pairs: a key held by more than `max_key_claims` claims
//! proposes nothing, so the work per claim is bounded and matching stays
//! sub-quadratic. Copies are found the same way, over sampled word shingles of whole
//! articles. Articles are first grouped into stories (`stories`), and claims are only
//! compared within a story: two articles about different events share names and words
//! without sharing facts. Facts are the connected groups of related claims; values
//! within a fact are the groups connected by support.

mod compare;
mod edges;
mod facts;
mod stories;

use std::hash::BuildHasher;
use std::io;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use smallvec::SmallVec;
use xxhash_rust::xxh3::xxh3_64;

use crate::claims::spill::{Shingles, Spilled};
use crate::claims::{blocking_key, Claims, Origins, StoryKeys, Worded, WordedClaims};
use crate::config::{AgreementConfig, StoriesConfig};
use crate::id::FactId;
pub use compare::{
    compare, compare_values, entity_similarity, set_similarity, Relation, ValueAgreement,
};
use compare::{compare_with, matched_share, names_match, Name};
pub use edges::EvidenceEdges;
pub use facts::Facts;
pub use stories::{day_number, Stories, Story, StoryArticle};

/// What the agreement stage needs to know about the corpus besides the claims.
pub struct Corpus<'a> {
    pub claims: &'a Claims,
    /// The origins the claims are attributed to.
    pub origins: &'a Origins,
    /// Each claim's wording, names, values and polarity (`Worded`), on disk: read a
    /// story at a time.
    pub wordings: &'a Spilled,
    /// Article index of each claim.
    pub claim_article: &'a [u32],
    /// Outlet index of each article; its length is the count of articles.
    pub article_outlet: &'a [usize],
    /// Outlet names, by outlet index.
    pub outlets: &'a [String],
}

/// A related pair of claims, as indices into the corpus's claims; `a < b`. A run holds
/// several edges per claim (17 million at 100,000 articles), so an edge is 12 bytes:
/// 32-bit indices, and the similarity kept to the four decimals the reports print
/// (a `usize` pair and an `f64` took 32 bytes, 24 with `u32`s).
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub a: u32,
    pub b: u32,
    similarity: u16,
    pub relation: Relation,
}

impl Evidence {
    /// An edge between claims `a < b` whose similarity is in [0, 1].
    pub fn new(a: usize, b: usize, similarity: f64, relation: Relation) -> Evidence {
        debug_assert!((0.0..=1.0).contains(&similarity), "{similarity}");
        let units = crate::decimal::ten_thousandths(similarity.clamp(0.0, 1.0)).unwrap_or(0);
        Evidence {
            a: a as u32,
            b: b as u32,
            similarity: units as u16,
            relation,
        }
    }

    /// The two claims, as indices.
    pub fn claims(&self) -> (usize, usize) {
        (self.a as usize, self.b as usize)
    }

    /// The similarity to four decimals: printed with four, it reads as computed.
    pub fn similarity(&self) -> f64 {
        f64::from(self.similarity) / 10_000.0
    }
}

#[derive(Debug)]
pub struct Agreement {
    pub stories: Stories,
    /// Story by story, in the order each story's claims were compared: the same for
    /// any thread count. Nothing depends on a finer order (facts and voices come from
    /// union-finds whose roots do not, and evidence.csv sorts its rows by claim id).
    /// On disk: only the reports read them.
    pub evidence: EvidenceEdges,
    /// Article pairs (lower index first) that share long verbatim passages.
    pub copied_articles: Vec<(usize, usize)>,
    pub facts: Facts,
    /// Per claim, in 32 bits (held through the reports: 4.4M claims at 100,000
    /// articles); read through `fact_of`, `value_of` and `voice_of`.
    claim_fact: Vec<u32>,
    claim_value: Vec<u32>,
    claim_voice: Vec<u32>,
    /// Voice names, sorted: "origin:bloomberg", "copy:metro-daily", "outlet:daily-buzz".
    pub voices: Vec<String>,
}

impl Agreement {
    /// Index into `facts` of the claim's fact.
    pub fn fact_of(&self, claim: usize) -> usize {
        self.claim_fact[claim] as usize
    }

    /// Index into the claim's fact's `values`.
    pub fn value_of(&self, claim: usize) -> usize {
        self.claim_value[claim] as usize
    }

    /// Index into `voices`.
    pub fn voice_of(&self, claim: usize) -> usize {
        self.claim_voice[claim] as usize
    }
}

/// What agreement reads of each article only at its start: story grouping reads the
/// story keys and copy detection the shingles, and each lets go of its part when done,
/// before claims are compared. Held through the whole stage as the corpus is, they were
/// 278 MB of a 100,000-article run (counted), and its resident memory once claims were
/// compared went from 1.11 to 0.77 GB (one run each, two threads).
#[derive(Debug, Clone)]
pub struct ArticleKeys<'a> {
    /// Each article's key, which names its story, and its publication day (days since
    /// 1970-01-01), when known.
    pub names: Vec<(&'a str, Option<i32>)>,
    pub story_keys: Vec<StoryKeys>,
    /// Sampled hashes of each article's word shingles, on disk until copy detection.
    pub shingles: &'a Spilled,
}

pub fn analyze(
    corpus: &Corpus,
    articles: ArticleKeys,
    config: &AgreementConfig,
    stories_config: &StoriesConfig,
) -> io::Result<Agreement> {
    let ArticleKeys {
        names,
        story_keys,
        shingles,
    } = articles;
    let story_articles: Vec<StoryArticle> = names
        .into_iter()
        .zip(story_keys)
        .map(|((key, day), keys)| StoryArticle { key, keys, day })
        .collect();
    let stories = stories::group(story_articles, stories_config);
    let shingles = Shingles::read(shingles)?;
    let copied_articles = copied_article_pairs(&shingles.lists(), corpus.article_outlet, config);
    drop(shingles);
    let evidence = related_pairs(corpus, &stories, &copied_articles, config)?;
    let claim_count = corpus.claims.len();

    // Three independent passes over the edges, run side by side: one after the other
    // they were a serial second of a 100,000-article run.
    let sets_of = |joins: fn(Relation) -> bool| {
        let mut sets = DisjointSets::new(claim_count);
        for edge in evidence.iter().filter(|edge| joins(edge.relation)) {
            let (a, b) = edge.claims();
            sets.union(a, b);
        }
        sets
    };
    // Roots resolved once, then claims grouped by sorting on them: hashing every claim
    // into a map of facts was the stage's largest serial step.
    let roots_of = |joins: fn(Relation) -> bool| -> Vec<u32> {
        let mut sets = sets_of(joins);
        (0..claim_count).map(|c| sets.find(c) as u32).collect()
    };
    let ((fact_root, value_root), mut copy_sets) = rayon::join(
        || {
            rayon::join(
                || roots_of(|_| true),
                || roots_of(|relation| relation != Relation::Contradicts),
            )
        },
        || sets_of(|relation| relation == Relation::Copies),
    );
    let evidence = EvidenceEdges::spill(evidence)?;
    let facts = Facts::group(
        &fact_root,
        &value_root,
        |claims| fact_id(corpus, claims),
        |claim| stories.article_story[corpus.claim_article[claim as usize] as usize] as u32,
    );
    drop((fact_root, value_root));

    let mut claim_fact = vec![0; claim_count];
    let mut claim_value = vec![0; claim_count];
    for fact in 0..facts.len() {
        for (value, group) in facts.values(fact).enumerate() {
            for &claim in group {
                claim_fact[claim as usize] = fact as u32;
                claim_value[claim as usize] = value as u32;
            }
        }
    }

    let (voices, claim_voice) = voices(corpus, &mut copy_sets);
    Ok(Agreement {
        stories,
        evidence,
        copied_articles,
        facts,
        claim_fact,
        claim_value,
        claim_voice,
        voices,
    })
}

/// A fact is named after its smallest claim id, so its id only changes when that claim
/// leaves it.
fn fact_id(corpus: &Corpus, claims: &[u32]) -> FactId {
    let smallest = claims
        .iter()
        .map(|&c| corpus.claims[c as usize].id)
        .min()
        .unwrap_or_default();
    FactId::new(xxh3_64(smallest.spelled().as_bytes()))
}

/// Who really speaks for each claim. A claim attributed to an origin speaks for that
/// origin, whichever outlet printed it; copies of one text speak as one voice, named
/// after the first outlet (by name) that carries it; anything else speaks for its
/// outlet.
fn voices(corpus: &Corpus, copy_sets: &mut DisjointSets) -> (Vec<String>, Vec<u32>) {
    let outlet_of = |claim: usize| corpus.article_outlet[corpus.claim_article[claim] as usize];
    // Per-claim vectors in 32 bits, and no vector of each claim's `Voice` (24 bytes):
    // this ran at the agreement stage's peak memory.
    let roots: Vec<u32> = (0..corpus.claims.len())
        .map(|claim| copy_sets.find(claim) as u32)
        .collect();
    // Indexed by copy-set root, which is a claim index: the outlet whose name sorts
    // first among the set's, and how many claims the set holds.
    const NO_OUTLET: u32 = u32::MAX;
    let mut copy_outlet = vec![NO_OUTLET; corpus.claims.len()];
    let mut copy_size = vec![0u32; corpus.claims.len()];
    for (claim, &root) in roots.iter().enumerate() {
        let outlet = outlet_of(claim) as u32;
        let first = &mut copy_outlet[root as usize];
        if *first == NO_OUTLET || corpus.outlets[outlet as usize] < corpus.outlets[*first as usize]
        {
            *first = outlet;
        }
        copy_size[root as usize] += 1;
    }
    let voice_of = |claim: usize| {
        let root = roots[claim] as usize;
        match corpus.claims[claim].attribution {
            Some(origin) => Voice::Origin(corpus.origins.name(origin)),
            None if copy_size[root] > 1 => Voice::Copy(&corpus.outlets[copy_outlet[root] as usize]),
            None => Voice::Outlet(&corpus.outlets[outlet_of(claim)]),
        }
    };
    // Sorting the distinct voices only: a large run has hundreds of thousands of
    // claims and a few thousand voices.
    let (distinct, index) = sorted_ids(
        (0..corpus.claims.len())
            .into_par_iter()
            .map(|claim| [voice_of(claim)]),
    );
    let claim_voice = (0..corpus.claims.len())
        .into_par_iter()
        .map(|claim| index[&voice_of(claim)] as u32)
        .collect();
    let voices = distinct.iter().map(Voice::name).collect();
    (voices, claim_voice)
}

/// The distinct items of every group, sorted, and each one's place among them: ids in
/// the items' order, whatever order they came in. Only the distinct items are sorted,
/// which for a large run's voices or story keys is a small share of the items. Each
/// thread gathers the distinct items of a few long runs of groups and the sets are
/// merged: filling one set on one thread left the other core idle. For 100,000
/// articles on two threads, story grouping and voices together took 4.7 and 5.3 s
/// before, 4.2 and 4.3 s after (two instrumented runs each).
fn sorted_ids<T, Group>(
    groups: impl IndexedParallelIterator<Item = Group>,
) -> (Vec<T>, FxHashMap<T, usize>)
where
    T: Copy + Ord + std::hash::Hash + Send,
    Group: IntoIterator<Item = T>,
{
    // A few runs per thread balance the work; more would only add merges.
    let runs = 4 * rayon::current_num_threads();
    let run_len = groups.len().div_ceil(runs).max(1);
    let mut distinct: Vec<T> = groups
        .with_min_len(run_len)
        .fold(FxHashSet::default, |mut seen, group| {
            seen.extend(group);
            seen
        })
        .reduce(FxHashSet::default, |mut larger, mut smaller| {
            if larger.len() < smaller.len() {
                std::mem::swap(&mut larger, &mut smaller);
            }
            larger.extend(smaller);
            larger
        })
        .into_iter()
        .collect();
    distinct.par_sort_unstable();
    let ids = distinct
        .iter()
        .enumerate()
        .map(|(id, &item)| (item, id))
        .collect();
    (distinct, ids)
}

/// Who speaks for a claim (see `voices`). Ordered by kind, then name: the order of
/// the names `Voice::name` gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Voice<'a> {
    Copy(&'a str),
    Origin(&'a str),
    Outlet(&'a str),
}

impl Voice<'_> {
    fn name(&self) -> String {
        match self {
            Voice::Copy(outlet) => format!("copy:{outlet}"),
            Voice::Origin(origin) => format!("origin:{origin}"),
            Voice::Outlet(outlet) => format!("outlet:{outlet}"),
        }
    }
}

/// Article pairs from different outlets (`outlet` of each article) sharing at least
/// `copy_min_shared_shingles` of their `shingles`.
fn copied_article_pairs(
    shingles: &[&[u64]],
    outlet: &[usize],
    config: &AgreementConfig,
) -> Vec<(usize, usize)> {
    let postings = postings(
        shingles,
        |shingles| shingles.iter().copied(),
        config.max_key_claims,
    );
    (0..shingles.len())
        .into_par_iter()
        .map_init(
            || SharedKeys::new(shingles.len()),
            |shared, a| {
                for shingle in shingles[a] {
                    if let Some(list) = postings.get(shingle) {
                        shared.add_later(a, list, |b| outlet[a] != outlet[b]);
                    }
                }
                shared
                    .at_least(config.copy_min_shared_shingles)
                    .iter()
                    .map(|&b| (a, b))
                    .collect::<Vec<_>>()
            },
        )
        .flatten_iter()
        .collect()
}

/// Blocking: for each key, the items holding it, in item order. Keys only one item
/// holds pair nothing, and keys more than `max_items` hold are too common to say two
/// items belong together; both are left out.
///
/// Built by sorting (key, item) pairs on the pool: most keys (nine in ten of a corpus's
/// article shingles) have one item, and a map of every key, filled one pair at a time
/// with a list allocated per key only to be dropped, was half of finding copies. The
/// pairs are gathered on the pool too: on one thread, the 10.6M pairs of 100,000
/// articles' story keys took 0.45 to 1.1 s, the other core idle. Items are numbered in
/// 32 bits: with 32-bit keys, that pair list (a peak of story grouping) is half the
/// size. Each item's pairs are written in place into its own stretch of one vector:
/// collected from a parallel iterator, the pairs were briefly held twice as each
/// thread's pieces were joined, and for the 13.5M shingles of 100,000 articles that
/// was the run's peak. A caller that knows which keys will be left out leaves them out
/// of `keys_of`, and their pairs are never made.
///
/// Past `PART_PAIRS` pairs, the keys are split by hash into parts, and each part's
/// pairs are made and sorted in turn: the 135M shingles of 1,000,000 articles were
/// 2.2 GB of pairs at once, the peak of that run. Each part reads and hashes every
/// item's keys again, twice (nine parts at 1,000,000 articles); that cost was not
/// timed apart from the rest of agreement.
fn postings<'a, T: Sync, K, Keys>(
    items: &'a [T],
    keys_of: impl Fn(&'a T) -> Keys + Sync,
    max_items: usize,
) -> FxHashMap<K, Vec<u32>>
where
    K: std::hash::Hash + Ord + Copy + Default + Send + Sync,
    Keys: Iterator<Item = K>,
{
    postings_in_parts(items, keys_of, max_items, PART_PAIRS)
}

/// Most (key, item) pairs `postings` sorts at once: 256 MB of 16-byte pairs.
const PART_PAIRS: usize = 1 << 24;

fn postings_in_parts<'a, T: Sync, K, Keys>(
    items: &'a [T],
    keys_of: impl Fn(&'a T) -> Keys + Sync,
    max_items: usize,
    part_pairs: usize,
) -> FxHashMap<K, Vec<u32>>
where
    K: std::hash::Hash + Ord + Copy + Default + Send + Sync,
    Keys: Iterator<Item = K>,
{
    u32::try_from(items.len()).expect("fewer than 2^32 items");
    let mut lengths: Vec<usize> = items.par_iter().map(|item| keys_of(item).count()).collect();
    let parts = crate::HashParts::new(lengths.iter().sum(), part_pairs);
    // A key's hash picks its part: every pair of a key is in one part.
    let part_of = |key: &K| parts.of(rustc_hash::FxBuildHasher.hash_one(key));
    let mut postings = FxHashMap::default();
    for part in 0..parts.count {
        let in_part = |key: &K| parts.count == 1 || part_of(key) == part;
        let part_lengths: Vec<usize> = if parts.count == 1 {
            std::mem::take(&mut lengths)
        } else {
            items
                .par_iter()
                .map(|item| keys_of(item).filter(in_part).count())
                .collect()
        };
        let mut pairs = vec![(K::default(), 0u32); part_lengths.iter().sum()];
        let mut stretches = Vec::with_capacity(items.len());
        let mut rest = pairs.as_mut_slice();
        for length in part_lengths {
            let (stretch, tail) = std::mem::take(&mut rest).split_at_mut(length);
            stretches.push(stretch);
            rest = tail;
        }
        stretches
            .into_par_iter()
            .zip(items)
            .enumerate()
            .for_each(|(index, (stretch, item))| {
                for (pair, key) in stretch.iter_mut().zip(keys_of(item).filter(in_part)) {
                    *pair = (key, index as u32);
                }
            });
        pairs.par_sort_unstable();
        postings.extend(
            pairs
                .chunk_by(|a, b| a.0 == b.0)
                .filter(|group| (2..=max_items).contains(&group.len()))
                .map(|group| (group[0].0, group.iter().map(|&(_, item)| item).collect())),
        );
    }
    postings
}

/// How many keys each partner of the item at hand shares with it, for blocking: a
/// count per possible partner, and the partners touched, so that resetting costs what
/// counting did. Counting by sorting the list of partners (one entry per shared key)
/// was a twentieth of a 10,000-article run's instructions.
struct SharedKeys {
    counts: Vec<u32>,
    touched: Vec<u32>,
    found: Vec<usize>,
}

impl SharedKeys {
    /// For partners numbered below `items`.
    fn new(items: usize) -> SharedKeys {
        SharedKeys {
            counts: vec![0; items],
            touched: Vec::new(),
            found: Vec::new(),
        }
    }

    /// One more key shared with `partner`.
    fn add(&mut self, partner: usize) {
        let count = &mut self.counts[partner];
        if *count == 0 {
            self.touched.push(partner as u32);
        }
        *count += 1;
    }

    /// One more key shared with each of a key's `holders` (ascending) after `item` that
    /// `pairs_with` accepts: each pair is then counted from its first item only.
    fn add_later(&mut self, item: usize, holders: &[u32], pairs_with: impl Fn(usize) -> bool) {
        let later = holders.partition_point(|&holder| holder as usize <= item);
        for &holder in &holders[later..] {
            if pairs_with(holder as usize) {
                self.add(holder as usize);
            }
        }
    }

    /// The partners sharing at least `min` keys, each once, ascending; the counts start
    /// again from nothing.
    fn at_least(&mut self, min: usize) -> &[usize] {
        self.found.clear();
        for &partner in &self.touched {
            let count = std::mem::take(&mut self.counts[partner as usize]);
            if count as usize >= min {
                self.found.push(partner as usize);
            }
        }
        self.touched.clear();
        self.found.sort_unstable();
        &self.found
    }
}

/// Keys a claim is indexed under: its names, the last word of multi-word names
/// ("erdogan" for "recep tayyip erdogan"), and its key terms.
fn blocking_keys(claim: Worded) -> Vec<u64> {
    let mut keys: Vec<u64> = Vec::new();
    for entity in claim.entities.iter() {
        keys.push(blocking_key("e:", entity));
        if let Some((_, last)) = entity.rsplit_once(' ') {
            keys.push(blocking_key("e:", last));
        }
    }
    // A term's key is already its blocking key.
    keys.extend_from_slice(claim.wording.terms);
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Related pairs of claims from different outlets within one story, story by story.
///
/// Blocking is done one story at a time: a key (name, surname or term) proposes the
/// claims of the story that hold it, unless more than `max_key_claims` of them do.
/// Capped by its count in the whole corpus instead, every key of a 100,000-article
/// corpus passed the cap, no claim found a partner, and that run's outlet scores fell
/// to chance (Spearman rho 0.32 against the planted reliabilities; 0.85 at 10,000
/// articles, now 0.91). A story's index is small and its own, so lookups stay in
/// cache: binary searches for a story's stretch of corpus-wide lists gave the same
/// pairs with the stage at 8.5 s instead of 5.3 s on 10,000 articles.
fn related_pairs(
    corpus: &Corpus,
    stories: &Stories,
    copied_articles: &[(usize, usize)],
    config: &AgreementConfig,
) -> io::Result<Vec<Evidence>> {
    let outlet_of = |claim: usize| corpus.article_outlet[corpus.claim_article[claim] as usize];
    // Claims come in article order: article i's are first_claim[i]..first_claim[i + 1].
    let articles = corpus.article_outlet.len();
    let mut first_claim = vec![0; articles + 1];
    for &article in corpus.claim_article {
        first_claim[article as usize + 1] += 1;
    }
    for article in 0..articles {
        first_claim[article + 1] += first_claim[article];
    }
    let by_story: Vec<Vec<Evidence>> = stories
        .stories
        .par_iter()
        .map(|story| -> io::Result<Vec<Evidence>> {
            let story_claims: Vec<u32> = story
                .articles
                .iter()
                .flat_map(|&article| first_claim[article]..first_claim[article + 1])
                .map(|claim| claim as u32)
                .collect();
            let read = WordedClaims::read(corpus.wordings, &story_claims)?;
            let worded = |place: usize| read.get(place);
            let keys: Vec<Vec<u64>> = (0..story_claims.len())
                .map(|place| blocking_keys(worded(place)))
                .collect();
            // Each key's claims as places in `story_claims`, ascending.
            let mut holders: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
            for (place, claim_keys) in keys.iter().enumerate() {
                for &key in claim_keys {
                    holders.entry(key).or_default().push(place as u32);
                }
            }
            holders.retain(|_, places| (2..=config.max_key_claims).contains(&places.len()));
            let (names, claim_names) = numbered_names(&read);
            let edges = (0..story_claims.len())
                .into_par_iter()
                .map_init(
                    || (FxHashMap::default(), SharedKeys::new(story_claims.len())),
                    |(known_pairs, shared), place| {
                        let a = story_claims[place] as usize;
                        // Every later claim of the story sharing a key with a, once per key.
                        for key in &keys[place] {
                            if let Some(places) = holders.get(key) {
                                shared.add_later(place, places, |p| {
                                    outlet_of(a) != outlet_of(story_claims[p] as usize)
                                });
                            }
                        }
                        // A story's claims name a few people and places over and over: each
                        // pair of names is matched once (per thread), not once for every
                        // pair of claims naming them.
                        let mut same_name = |x: u32, y: u32| {
                            x == y
                                || *known_pairs.entry((x.min(y), x.max(y))).or_insert_with(|| {
                                    names_match(
                                        &names[x as usize],
                                        &names[y as usize],
                                        config.fuzzy_name_threshold,
                                    )
                                })
                        };
                        shared
                            .at_least(config.min_shared_keys)
                            .iter()
                            .filter_map(|&place_b| {
                                let b = story_claims[place_b] as usize;
                                let (article_a, article_b) = (
                                    corpus.claim_article[a] as usize,
                                    corpus.claim_article[b] as usize,
                                );
                                let pair = (article_a.min(article_b), article_a.max(article_b));
                                let copied = copied_articles.binary_search(&pair).is_ok();
                                let entities = || {
                                    matched_share(
                                        &claim_names[place],
                                        &claim_names[place_b],
                                        &mut same_name,
                                    )
                                };
                                compare_with(
                                    worded(place),
                                    worded(place_b),
                                    copied,
                                    config,
                                    entities,
                                )
                                .map(|(relation, similarity)| {
                                    Evidence::new(a, b, similarity, relation)
                                })
                            })
                            .collect::<Vec<Evidence>>()
                    },
                )
                .flatten_iter()
                .collect::<Vec<Evidence>>();
            Ok(edges)
        })
        .collect::<io::Result<_>>()?;
    // Joined by hand, each story's edges freed as they are copied: rayon's `flat_map`
    // then `collect` held every edge twice at the end of the stage, the run's peak
    // memory (100,000 articles: 0.4 GB of edges).
    let mut evidence = Vec::with_capacity(by_story.iter().map(Vec::len).sum());
    for edges in by_story {
        evidence.extend(edges);
    }
    Ok(evidence)
}

/// The distinct names `claims` give, in order of first mention, and each claim's names
/// as places in that list.
/// `facts::intern::Interner` numbers strings the same way, but copies each into its
/// own buffer: with it, agreement at 10,000 articles on one thread took 3.47-3.63 s
/// against 3.37-3.43 s borrowing the claims' names here (three runs each).
fn numbered_names(claims: &WordedClaims) -> (Vec<Name<'_>>, Vec<SmallVec<[u32; 8]>>) {
    let mut names: Vec<Name> = Vec::new();
    let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
    let claim_names = (0..claims.len())
        .map(|claim| {
            claims
                .get(claim)
                .entities
                .iter()
                .map(|name| {
                    *numbers.entry(name).or_insert_with(|| {
                        names.push(Name::new(name));
                        names.len() as u32 - 1
                    })
                })
                .collect()
        })
        .collect();
    (names, claim_names)
}

/// Union-find with path halving. Twenty lines did not justify a graph crate. Parents
/// are 32-bit claim indices: a run holds three of these over every claim at once.
struct DisjointSets {
    parent: Vec<u32>,
}

impl DisjointSets {
    fn new(size: usize) -> Self {
        let size = u32::try_from(size).expect("fewer than 2^32 claims");
        DisjointSets {
            parent: (0..size).collect(),
        }
    }

    fn find(&mut self, x: usize) -> usize {
        let mut x = x as u32;
        while self.parent[x as usize] != x {
            self.parent[x as usize] = self.parent[self.parent[x as usize] as usize];
            x = self.parent[x as usize];
        }
        x as usize
    }

    /// Joins two sets; the smaller root becomes the root, so roots do not depend on
    /// the order edges arrive in.
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (low, high) = (ra.min(rb), ra.max(rb));
            self.parent[high] = low as u32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::spill::Spill;
    use crate::claims::{Claim, ClaimExtractor, Wordings};
    use crate::config::Config;

    /// Builds a corpus of one-article-per-outlet texts and analyses it.
    fn analyse(articles: &[(&str, &str)]) -> (Vec<String>, Vec<u32>, Agreement) {
        analyse_with(&Config::builtin(), articles)
    }

    fn spilled(wordings: &Wordings, claims: &[Claim]) -> Spilled {
        let mut spill = Spill::new().unwrap();
        let spans = wordings.spill(claims, &mut spill).unwrap();
        spill.finish(spans.into_iter().collect()).unwrap()
    }

    fn spilled_shingles(articles: &[Vec<u64>]) -> Spilled {
        let mut spill = Spill::new().unwrap();
        let spans = spill
            .append(articles.len(), |k, out| Shingles::encode(&articles[k], out))
            .unwrap();
        spill.finish(spans.into_iter().collect()).unwrap()
    }

    fn analyse_with(
        config: &Config,
        articles: &[(&str, &str)],
    ) -> (Vec<String>, Vec<u32>, Agreement) {
        let extractor = ClaimExtractor::new(config);
        let mut claims = Vec::new();
        let mut texts = Vec::new();
        let mut wordings = Wordings::default();
        let mut claim_article = Vec::new();
        let mut shingles = Vec::new();
        let mut outlets = Vec::new();
        let mut keys = Vec::new();
        let mut story_keys = Vec::new();
        for (index, (outlet, text)) in articles.iter().enumerate() {
            let key = format!("{outlet}/{index}");
            let extracted = extractor.extract(&key, outlet, text);
            claim_article.extend(std::iter::repeat_n(index as u32, extracted.claims.len()));
            claims.extend(extracted.claims);
            texts.extend(
                extracted
                    .prose
                    .into_iter()
                    .map(|prose| String::from(prose.text)),
            );
            wordings.append(&extracted.wordings);
            shingles.push(extracted.shingles);
            story_keys.push(extracted.story_keys);
            keys.push(key);
            outlets.push(outlet.to_string());
        }
        let article_keys = ArticleKeys {
            names: keys.iter().map(|key| (key.as_str(), None)).collect(),
            story_keys,
            shingles: &spilled_shingles(&shingles),
        };
        let article_outlet: Vec<usize> = (0..articles.len()).collect();
        let mut origins = Origins::default();
        let corpus = Corpus {
            claims: &claims.iter().map(|claim| origins.hold(claim)).collect(),
            origins: &origins,
            wordings: &spilled(&wordings, &claims),
            claim_article: &claim_article,
            article_outlet: &article_outlet,
            outlets: &outlets,
        };
        let agreement = analyze(&corpus, article_keys, &config.agreement, &config.stories).unwrap();
        (texts, claim_article, agreement)
    }

    const WIRE: &str = "Northwind Airlines will cut 1,200 jobs and close its Elmstead maintenance base, the carrier said on Monday. \
        The reductions take effect in June and fall mostly on mechanics and ground crews at the Elmstead hangars. \
        Chief executive Paula Grant told staff the regional routes had lost money for three straight years. \
        Grant said Northwind would keep flying to all 38 cities on its network and that no routes would be cut this year.";

    #[test]
    fn syndicated_copies_share_one_voice() {
        let (texts, _, agreement) =
            analyse(&[("metro", WIRE), ("coastal", WIRE), ("valley", WIRE)]);
        assert_eq!(agreement.copied_articles, vec![(0, 1), (0, 2), (1, 2)]);
        let jobs: Vec<usize> = (0..texts.len())
            .filter(|&c| texts[c].contains("1,200 jobs"))
            .collect();
        assert_eq!(jobs.len(), 3);
        let voices: Vec<&str> = jobs
            .iter()
            .map(|&c| agreement.voices[agreement.voice_of(c)].as_str())
            .collect();
        assert_eq!(voices, vec!["copy:coastal"; 3]);
        assert!(agreement
            .evidence
            .load()
            .unwrap()
            .iter()
            .any(|e| e.relation == Relation::Copies));
    }

    #[test]
    fn same_origin_is_one_voice_and_independent_reports_are_not() {
        let (texts, _, agreement) = analyse(&[
            ("metro", "Drayton Pharma is in talks to buy Belcourt Labs for $2.1 billion, Bloomberg reported."),
            ("coastal", "Drayton Pharma could pay $2.1 billion for Belcourt Labs, according to Bloomberg."),
            ("ledger", "Drayton Pharma has held talks to acquire Belcourt Labs for $2.1 billion, our reporters learned."),
        ]);
        assert_eq!(texts.len(), 3);
        let voice = |c: usize| agreement.voices[agreement.voice_of(c)].as_str();
        assert_eq!(voice(0), "origin:bloomberg");
        assert_eq!(voice(1), "origin:bloomberg");
        assert_eq!(voice(2), "outlet:ledger");
        assert_eq!(agreement.facts.len(), 1);
        assert_eq!(agreement.facts.value_count(0), 1);
    }

    #[test]
    fn contradicting_values_form_separate_groups_of_one_fact() {
        let (_, _, agreement) = analyse(&[
            ("harbor", "Repairs to the Alder River Bridge will cost $48 million, the state transportation department said."),
            ("gazette", "The state transportation department put the cost of repairing the Alder River Bridge at $48 million."),
            ("buzz", "Repairing the Alder River Bridge will cost taxpayers $120 million, insiders say."),
        ]);
        assert_eq!(agreement.facts.len(), 1);
        let values: Vec<&[u32]> = agreement.facts.values(0).collect();
        assert_eq!(values, vec![&[0, 1][..], &[2][..]]);
        assert!(agreement
            .evidence
            .load()
            .unwrap()
            .iter()
            .any(|e| (e.a, e.b, e.relation) == (0, 2, Relation::Contradicts)));
    }

    #[test]
    fn claims_of_different_stories_are_never_one_fact() {
        let shared = "Governor Ruth Calder said the state would spend $12 million on the response.";
        let (texts, claim_article, agreement) = analyse(&[
            ("harbor", &format!("Inspectors closed the Alder River Bridge in Marston after finding cracked steel girders. Commuters now face long detours across the valley. {shared}")),
            ("gazette", "The Alder River Bridge in Marston was shut after inspectors found cracked girders. Commuters face detours while engineers study the steel."),
            ("valley", &format!("The Greenhollow wildfire burned 3,400 acres of pine forest and injured two firefighters. Crews dug containment lines overnight. {shared}")),
            ("ledger", "Firefighters gained ground on the Greenhollow wildfire after it burned 3,400 acres of forest. Two firefighters were injured as crews held the lines."),
        ]);
        let stories = &agreement.stories;
        assert_eq!(stories.stories.len(), 2, "{stories:?}");
        assert_eq!(stories.article_story[0], stories.article_story[1]);
        assert_eq!(stories.article_story[2], stories.article_story[3]);
        let same: Vec<usize> = (0..texts.len())
            .filter(|&c| texts[c].contains("Ruth Calder"))
            .collect();
        assert_eq!(same.len(), 2);
        assert_ne!(claim_article[same[0]], claim_article[same[1]]);
        // The same sentence in two stories is two facts, and no evidence links them.
        assert_ne!(agreement.fact_of(same[0]), agreement.fact_of(same[1]));
        assert!(agreement.evidence.load().unwrap().iter().all(|e| {
            let (a, b) = e.claims();
            !(same.contains(&a) && same.contains(&b))
        }));
    }

    #[test]
    fn a_key_blocks_by_how_many_claims_of_one_story_hold_it() {
        let mut config = Config::builtin();
        config.agreement.max_key_claims = 3;
        let calder = |on: &str| {
            format!("Governor Ruth Calder said the state would spend $12 million on the {on}.")
        };
        let (texts, _, agreement) = analyse_with(&config, &[
            ("harbor", &format!("Inspectors closed the Alder River Bridge in Marston after finding cracked steel girders. Commuters now face long detours across the valley. {}", calder("bridge"))),
            ("gazette", &format!("The Alder River Bridge in Marston was shut after inspectors found cracked girders. Commuters face detours while engineers study the steel. {}", calder("bridge"))),
            ("valley", &format!("The Greenhollow wildfire burned 3,400 acres of pine forest and injured two firefighters. Crews dug containment lines overnight. {}", calder("fire"))),
            ("ledger", &format!("Firefighters gained ground on the Greenhollow wildfire after it burned 3,400 acres of forest. Two firefighters were injured as crews held the lines. {}", calder("fire"))),
        ]);
        let stories = &agreement.stories;
        assert_eq!(stories.stories.len(), 2, "{stories:?}");
        // Four claims name Ruth Calder, two in each story: within its story, each
        // pair still meets, and nothing links the stories.
        let calder: Vec<usize> = (0..texts.len())
            .filter(|&c| texts[c].contains("Ruth Calder"))
            .collect();
        assert_eq!(calder.len(), 4);
        let linked = |a: usize, b: usize| {
            agreement
                .evidence
                .load()
                .unwrap()
                .iter()
                .any(|e| e.claims() == (a.min(b), a.max(b)))
        };
        assert!(linked(calder[0], calder[1]) && linked(calder[2], calder[3]));
        assert!(!linked(calder[0], calder[2]) && !linked(calder[1], calder[3]));
    }

    #[test]
    fn same_outlet_pairs_are_never_compared() {
        let config = Config::builtin();
        let extractor = ClaimExtractor::new(&config);
        let text = "Repairs to the Alder River Bridge will cost $48 million, the state said.";
        let a = extractor.extract("x/1", "x", text);
        let b = extractor.extract("x/2", "x", text);
        let mut wordings = a.wordings.clone();
        wordings.append(&b.wordings);
        let claims: Vec<Claim> = a.claims.into_iter().chain(b.claims).collect();
        let article_keys = ArticleKeys {
            names: vec![("x/1", None), ("x/2", None)],
            story_keys: vec![a.story_keys, b.story_keys],
            shingles: &spilled_shingles(&[a.shingles, b.shingles]),
        };
        let mut origins = Origins::default();
        let corpus = Corpus {
            claims: &claims.iter().map(|claim| origins.hold(claim)).collect(),
            origins: &origins,
            wordings: &spilled(&wordings, &claims),
            claim_article: &[0, 1],
            article_outlet: &[0, 0],
            outlets: &["x".to_string()],
        };
        let agreement = analyze(&corpus, article_keys, &config.agreement, &config.stories).unwrap();
        // One story: the same outlet may well report one event twice.
        assert_eq!(agreement.stories.stories.len(), 1);
        assert!(agreement.evidence.is_empty());
        assert_eq!(agreement.facts.len(), 2);
    }

    #[test]
    fn blocking_keeps_keys_two_to_max_items_hold_and_counts_shared_keys() {
        let item_keys = [vec![1u64, 2, 3], vec![2, 3], vec![3, 4], vec![3]];
        let postings = postings(&item_keys, |keys| keys.iter().copied(), 3);
        // Key 1 and 4 have one item each, key 3 has four: none of them blocks.
        assert_eq!(postings.len(), 1);
        assert_eq!(postings[&2], [0, 1]);
        let mut shared = SharedKeys::new(8);
        let listed = [5, 3, 5, 7, 3, 5];
        listed.iter().for_each(|&p| shared.add(p));
        assert_eq!(shared.at_least(2), [3, 5]);
        // The counts start again: what was counted before is not counted twice.
        listed.iter().for_each(|&p| shared.add(p));
        assert_eq!(shared.at_least(3), [5]);
        assert_eq!(shared.at_least(1), [] as [usize; 0]);
        // Only holders after the item, and only those it may pair with, are counted.
        shared.add_later(3, &[1, 3, 5, 7], |holder| holder != 7);
        assert_eq!(shared.at_least(1), [5]);
    }

    #[test]
    fn postings_made_in_parts_are_those_made_at_once() {
        let item_keys: Vec<Vec<u64>> = (0..200u64)
            .map(|item| {
                (0..item % 7 + 1)
                    .map(|k| (item * 31 + k * 17) % 197)
                    .collect()
            })
            .collect();
        let at_once = postings_in_parts(&item_keys, |keys| keys.iter().copied(), 4, usize::MAX);
        assert!(at_once.len() > 10, "{}", at_once.len());
        for part_pairs in [1, 7, 100, 500] {
            let in_parts =
                postings_in_parts(&item_keys, |keys| keys.iter().copied(), 4, part_pairs);
            assert_eq!(in_parts, at_once, "{part_pairs} pairs a part");
        }
    }

    #[test]
    fn sorted_ids_number_distinct_items_in_their_order() {
        let (distinct, ids) =
            sorted_ids([["pear", "apple"], ["pear", "fig"], ["apple", "apple"]].into_par_iter());
        assert_eq!(distinct, ["apple", "fig", "pear"]);
        assert_eq!((ids["apple"], ids["fig"], ids["pear"]), (0, 1, 2));
        assert_eq!(ids.len(), 3);
    }

    #[test]
    fn voices_sort_in_the_order_of_their_names() {
        let mut voices = [
            Voice::Outlet("ab"),
            Voice::Origin("reuters"),
            Voice::Outlet("a"),
            Voice::Copy("zeta"),
            Voice::Origin("ap"),
            Voice::Copy("alpha"),
            Voice::Outlet("b"),
        ];
        voices.sort_unstable();
        let names: Vec<String> = voices.iter().map(Voice::name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        assert_eq!(names[0], "copy:alpha");
        assert_eq!(names[6], "outlet:b");
    }

    #[test]
    fn an_edge_keeps_its_similarity_as_the_reports_print_it_in_twelve_bytes() {
        assert_eq!(std::mem::size_of::<Evidence>(), 12);
        for similarity in [0.0, 1.0, 1.0 / 3.0, 0.123_456, 0.999_96, 0.000_05] {
            let edge = Evidence::new(3, 7, similarity, Relation::Supports);
            assert_eq!(edge.claims(), (3, 7));
            assert_eq!(
                crate::report::fixed(edge.similarity()),
                crate::report::fixed(similarity),
                "{similarity}"
            );
        }
    }

    #[test]
    fn disjoint_set_roots_are_order_independent() {
        let mut forward = DisjointSets::new(4);
        forward.union(3, 2);
        forward.union(2, 1);
        let mut backward = DisjointSets::new(4);
        backward.union(1, 2);
        backward.union(2, 3);
        assert_eq!(forward.find(3), 1);
        assert_eq!(backward.find(3), 1);
    }
}
