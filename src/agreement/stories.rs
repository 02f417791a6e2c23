//! Stories: which articles report the same event.
//!
//! Each article is a TF-IDF vector over its story keys (headline and lead words, and
//! the names its claims speak of); two articles are as similar as the cosine of their
//! vectors. Pairs come from an inverted index over the keys, never from all pairs: a key
//! held by more than `max_key_articles` articles proposes nothing, so the work per
//! article is bounded. Articles published further apart than `max_days_apart` are never
//! paired.
//!
//! Groups form by average-link agglomeration over the proposed pairs: the two groups
//! whose article pairs are most similar on average merge first, as long as that average
//! reaches `link_threshold`, counting pairs never proposed as 0. Joining every pair above
//! a threshold (single link, a union-find of edges) lets a chain of weak links (a
//! follow-up that mentions an earlier story) join two stories into one; the average
//! does not.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64;

use crate::claims::StoryKeys;
use crate::config::StoriesConfig;

/// Articles that report one event.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    /// `s` + 16 hex digits, named after the story's smallest article key.
    pub id: String,
    /// Article indices, ascending.
    pub articles: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stories {
    /// Sorted by id.
    pub stories: Vec<Story>,
    /// Index into `stories` of each article.
    pub article_story: Vec<usize>,
}

/// What grouping needs to know of one article.
#[derive(Debug, Clone)]
pub struct StoryArticle<'a> {
    /// The article key, which names its story when it is the smallest there.
    pub key: &'a str,
    /// Owned, so that grouping lets go of each article's keys as it weighs them.
    pub keys: StoryKeys,
    /// Publication day (days since 1970-01-01), when known.
    pub day: Option<i32>,
}

/// The day of a publication date that starts with an ISO date (`2026-03-02`,
/// `2026-03-02T09:15:00Z`), in days since 1970-01-01.
pub fn day_number(published: &str) -> Option<i32> {
    let date = NaiveDate::parse_from_str(published.get(..10)?, "%Y-%m-%d").ok()?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((date - epoch).num_days()).ok()
}

pub fn group(articles: Vec<StoryArticle>, config: &StoriesConfig) -> Stories {
    let count = articles.len();
    // Work in article-key order: ties between equally similar pairs then resolve the
    // same way whatever order the inputs were given in.
    let mut indexed: Vec<(usize, StoryArticle)> = articles.into_iter().enumerate().collect();
    indexed.sort_by(|(a, x), (b, y)| x.key.cmp(y.key).then(a.cmp(b)));
    let (order, mut sorted): (Vec<usize>, Vec<StoryArticle>) = indexed.into_iter().unzip();
    let (vectors, document_frequency) = vectors(&mut sorted, config);
    let pairs = similar_pairs(&sorted, &vectors, &document_frequency, config);
    let mut stories: Vec<Story> = average_link(sorted.len(), &pairs, config.link_threshold)
        .into_iter()
        .map(|members| {
            // Members ascend in key order: the first holds the smallest key.
            let id = format!("s{:016x}", xxh3_64(sorted[members[0]].key.as_bytes()));
            let mut articles: Vec<usize> = members.into_iter().map(|m| order[m]).collect();
            articles.sort_unstable();
            Story { id, articles }
        })
        .collect();
    stories.sort_by(|a, b| a.id.cmp(&b.id));
    let mut article_story = vec![0; count];
    for (index, story) in stories.iter().enumerate() {
        for &article in &story.articles {
            article_story[article] = index;
        }
    }
    Stories {
        stories,
        article_story,
    }
}

/// An article's keys by id, ascending, and their weights, of unit length. Ids and
/// weights are held apart: as (usize, f64) pairs they were 16 bytes a key, and every
/// article's vector is held at once (106M keys at 1,000,000 articles: the 1.7 GB
/// at the top of story grouping's spike).
#[derive(Debug, Clone, Default, PartialEq)]
struct Vector {
    keys: Box<[u32]>,
    weights: Box<[f64]>,
}

impl Vector {
    fn iter(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.keys
            .iter()
            .zip(&self.weights)
            .map(|(&key, &weight)| (key as usize, weight))
    }
}

impl FromIterator<(usize, f64)> for Vector {
    fn from_iter<I: IntoIterator<Item = (usize, f64)>>(weighted: I) -> Vector {
        let (keys, weights): (Vec<u32>, Vec<f64>) = weighted
            .into_iter()
            .map(|(key, weight)| (u32::try_from(key).expect("fewer than 2^32 keys"), weight))
            .unzip();
        Vector {
            keys: keys.into_boxed_slice(),
            weights: weights.into_boxed_slice(),
        }
    }
}

/// A story key: a headline or lead word (`Word`) or a name (`Name`). Ordered by kind,
/// then text: ids follow that order, so the vectors do not depend on hash order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum StoryKey<'a> {
    Name(&'a str),
    Word(&'a str),
}

/// An article's story keys and their weights before IDF.
fn article_keys<'a>(
    article: &'a StoryArticle<'_>,
    config: &StoriesConfig,
) -> Vec<(StoryKey<'a>, f64)> {
    let mut words: FxHashMap<&str, f64> = FxHashMap::default();
    for word in article.keys.headline.iter() {
        *words.entry(word).or_default() += config.headline_weight;
    }
    for (word, count) in article.keys.lead.iter() {
        *words.entry(word).or_default() += f64::from(count);
    }
    let words = words
        .into_iter()
        .map(|(word, count)| (StoryKey::Word(word), count.ln_1p()));
    let names = article.keys.names.iter().map(|(name, count)| {
        (
            StoryKey::Name(name),
            config.name_weight * f64::from(count).ln_1p(),
        )
    });
    let mut keys: Vec<(StoryKey, f64)> = words.chain(names).collect();
    keys.retain(|&(_, weight)| weight > 0.0);
    keys
}

/// TF-IDF vectors: a key's weight in an article is ln(1 + its weighted count) (headline
/// words `headline_weight` each, lead words 1 per occurrence, names `name_weight` per
/// mention), times the smoothed inverse document frequency ln((1 + N) / (1 + df)) + 1,
/// which keeps a key every article shares from vanishing in a corpus of two. Returned
/// with each key's document frequency, by key id. Each article's story keys are let
/// go of once its vector is made: held beside every vector, they were about 1.3 GB of
/// a 1,000,000-article run (13 bytes a key, computed) at the top of story grouping.
fn vectors(articles: &mut [StoryArticle], config: &StoriesConfig) -> (Vec<Vector>, Vec<usize>) {
    // Each article's keys are made twice, once to number every key and once to number
    // its own: held for every article in between, the keys with their text (32 bytes
    // each, 10.6 million at 100,000 articles) were the stage's peak memory.
    // The distinct keys are copied out of the articles (a few hundred thousand at
    // 1,000,000 articles), so that the ids borrow the copies and each article's keys
    // can go as soon as its vector is made.
    let distinct: Vec<(bool, Box<str>)> = super::sorted_ids(articles.par_iter().map(|article| {
        article_keys(article, config)
            .into_iter()
            .map(|(key, _)| key)
    }))
    .0
    .into_iter()
    .map(|key| match key {
        StoryKey::Name(text) => (true, text.into()),
        StoryKey::Word(text) => (false, text.into()),
    })
    .collect();
    let key_id: FxHashMap<StoryKey, usize> = distinct
        .iter()
        .enumerate()
        .map(|(id, (name, text))| {
            let key = if *name {
                StoryKey::Name(text)
            } else {
                StoryKey::Word(text)
            };
            (key, id)
        })
        .collect();
    let mut document_frequency = vec![0usize; distinct.len()];
    let mut vectors: Vec<Vector> = articles
        .par_iter_mut()
        .map(|article| {
            let mut keys: Vec<(usize, f64)> = article_keys(&*article, config)
                .iter()
                .map(|(key, w)| (key_id[key], *w))
                .collect();
            keys.sort_unstable_by_key(|&(id, _)| id);
            let vector = keys.into_iter().collect();
            article.keys = StoryKeys::default();
            vector
        })
        .collect();
    drop(key_id);
    drop(distinct);
    for vector in &vectors {
        for &id in &vector.keys {
            document_frequency[id as usize] += 1;
        }
    }
    let n = articles.len() as f64;
    vectors.par_iter_mut().for_each(|vector| {
        for (&id, weight) in vector.keys.iter().zip(vector.weights.iter_mut()) {
            *weight *= ((1.0 + n) / (1.0 + document_frequency[id as usize] as f64)).ln() + 1.0;
        }
        let norm = vector.weights.iter().map(|w| w * w).sum::<f64>().sqrt();
        if norm > 0.0 {
            vector.weights.iter_mut().for_each(|w| *w /= norm);
        }
    });
    (vectors, document_frequency)
}

/// A proposed pair of articles (`a < b`) and the cosine of their vectors.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pair {
    a: usize,
    b: usize,
    similarity: f64,
}

/// Pairs sharing at least `min_shared_keys` keys that no more than `max_key_articles`
/// articles hold, published within `max_days_apart` of each other; sorted by (a, b).
/// `document_frequency` is each key's count of articles, by key id.
fn similar_pairs(
    articles: &[StoryArticle],
    vectors: &[Vector],
    document_frequency: &[usize],
    config: &StoriesConfig,
) -> Vec<Pair> {
    let key_count = document_frequency.len();
    // Only keys that can pair articles are posted. Every (key, article) pair is 8
    // bytes, 10.6M pairs at 100,000 articles, and the larger a corpus the more of them
    // are in keys too common to block on.
    let blocks = |key: usize| (2..=config.max_key_articles).contains(&document_frequency[key]);
    let postings = super::postings(
        vectors,
        |vector| {
            vector
                .keys
                .iter()
                .copied()
                .filter(|&key| blocks(key as usize))
        },
        config.max_key_articles,
    );
    let days_apart = |a: usize, b: usize| match (articles[a].day, articles[b].day) {
        (Some(x), Some(y)) => Some(x.abs_diff(y)),
        _ => None,
    };
    let close_in_time =
        |a: usize, b: usize| days_apart(a, b).is_none_or(|days| days <= config.max_days_apart);
    let time_factor = |a: usize, b: usize| match days_apart(a, b) {
        Some(days) if config.days_half_life > 0.0 => {
            0.5f64.powf(f64::from(days) / config.days_half_life)
        }
        _ => 1.0,
    };
    (0..vectors.len())
        .into_par_iter()
        .map_init(
            || (vec![0.0; key_count], super::SharedKeys::new(vectors.len())),
            |(dense, shared), a| {
                // Every later article sharing a key with a, once per shared key.
                for key in &vectors[a].keys {
                    if let Some(list) = postings.get(key) {
                        shared.add_later(a, list, |_| true);
                    }
                }
                // a's vector laid out densely: each candidate's cosine is then one pass
                // over its own keys, not a merge of two sorted lists.
                for (key, weight) in vectors[a].iter() {
                    dense[key] = weight;
                }
                let pairs: Vec<Pair> = shared
                    .at_least(config.min_shared_keys)
                    .iter()
                    .copied()
                    .filter(|&b| close_in_time(a, b))
                    .map(|b| Pair {
                        a,
                        b,
                        similarity: dense_cosine(dense, &vectors[b]) * time_factor(a, b),
                    })
                    .collect();
                for &key in &vectors[a].keys {
                    dense[key as usize] = 0.0;
                }
                pairs
            },
        )
        .flatten_iter()
        .collect()
}

/// The cosine of two unit vectors, one of them laid out densely (0 where it has no
/// key). Only shared keys are added, in key order, as a merge of two sorted vectors
/// would add them, so the result does not depend on which of the two is dense.
fn dense_cosine(dense: &[f64], y: &Vector) -> f64 {
    let mut dot = 0.0;
    for (key, weight) in y.iter() {
        let x = dense[key];
        if x != 0.0 {
            dot += x * weight;
        }
    }
    dot
}

/// A candidate merge of clusters `a` and `b`, valid while neither has changed since.
#[derive(Debug, PartialEq)]
struct Merge {
    average: f64,
    a: usize,
    b: usize,
    versions: (u32, u32),
}

impl Eq for Merge {}

impl Ord for Merge {
    /// Highest average first; ties go to the smallest cluster ids, so the order of
    /// merges (and so the result) depends on the similarities alone.
    fn cmp(&self, other: &Self) -> Ordering {
        self.average
            .total_cmp(&other.average)
            .then_with(|| (other.a, other.b).cmp(&(self.a, self.b)))
    }
}

impl PartialOrd for Merge {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Average-link clustering of `count` items over a sparse graph of similarities; pairs
/// not in `pairs` count as 0. Returns the groups, each ascending, ordered by first item.
///
/// Two clusters can only merge when their average reaches `threshold`, which takes at
/// least one pair between them at or above it. So no cluster ever spans two components
/// of the graph of such strong pairs: each component is clustered on its own, in
/// parallel, with the same merges in the same order as one pass over everything would
/// make (ids keep their order inside a component, and ties break on ids).
fn average_link(count: usize, pairs: &[Pair], threshold: f64) -> Vec<Vec<usize>> {
    let mut strong = super::DisjointSets::new(count);
    for pair in pairs.iter().filter(|p| p.similarity >= threshold) {
        strong.union(pair.a, pair.b);
    }
    let root: Vec<usize> = (0..count).map(|item| strong.find(item)).collect();
    let mut by_component: Vec<usize> = (0..count).collect();
    by_component.sort_unstable_by_key(|&item| (root[item], item));
    let mut component_pairs: Vec<&Pair> = pairs.iter().filter(|p| root[p.a] == root[p.b]).collect();
    component_pairs.sort_by_key(|p| root[p.a]);
    let pairs_of = |component: usize| {
        let start = component_pairs.partition_point(|p| root[p.a] < component);
        let end = component_pairs.partition_point(|p| root[p.a] <= component);
        &component_pairs[start..end]
    };
    let mut groups: Vec<Vec<usize>> = by_component
        .par_chunk_by(|&a, &b| root[a] == root[b])
        .flat_map_iter(|members| {
            // Local ids in the order of the items' own ids.
            let local = |item: usize| members.binary_search(&item).expect("member");
            let pairs: Vec<Pair> = pairs_of(root[members[0]])
                .iter()
                .map(|p| Pair {
                    a: local(p.a),
                    b: local(p.b),
                    similarity: p.similarity,
                })
                .collect();
            link_component(members.len(), &pairs, threshold)
                .into_iter()
                .map(|group| {
                    group
                        .into_iter()
                        .map(|m| members[m])
                        .collect::<Vec<usize>>()
                })
        })
        .collect();
    groups.sort_unstable_by_key(|g| g[0]);
    groups
}

/// Average-link clustering of one component's `count` items (ids 0..count); pairs not
/// in `pairs` count as 0. Returns the groups, each ascending, ordered by first item.
///
/// A cluster is named by its smallest item. Each keeps the summed similarity to every
/// cluster it has a proposed pair with; merging two adds their sums, so each merge costs
/// the number of neighbours, and a heap with lazy deletion picks the next merge.
fn link_component(count: usize, pairs: &[Pair], threshold: f64) -> Vec<Vec<usize>> {
    let mut members: Vec<Vec<usize>> = (0..count).map(|i| vec![i]).collect();
    let mut links: Vec<FxHashMap<usize, f64>> = vec![FxHashMap::default(); count];
    let mut version = vec![0u32; count];
    let mut heap = BinaryHeap::new();
    for pair in pairs {
        links[pair.a].insert(pair.b, pair.similarity);
        links[pair.b].insert(pair.a, pair.similarity);
        heap.push(Merge {
            average: pair.similarity,
            a: pair.a,
            b: pair.b,
            versions: (0, 0),
        });
    }
    while let Some(merge) = heap.pop() {
        if merge.average < threshold {
            break;
        }
        let (a, b) = (merge.a, merge.b);
        if (version[a], version[b]) != merge.versions
            || members[a].is_empty()
            || members[b].is_empty()
        {
            continue;
        }
        // `a < b`: the merged cluster keeps the name `a`.
        let moved = std::mem::take(&mut members[b]);
        members[a].extend(moved);
        let from_b = std::mem::take(&mut links[b]);
        links[a].remove(&b);
        for (other, sum) in from_b {
            if other != a {
                *links[a].entry(other).or_default() += sum;
            }
        }
        version[a] += 1;
        version[b] += 1;
        let size_a = members[a].len() as f64;
        let mut neighbours: Vec<(usize, f64)> = links[a].iter().map(|(&o, &s)| (o, s)).collect();
        neighbours.sort_unstable_by_key(|&(other, _)| other);
        for (other, sum) in neighbours {
            let link = &mut links[other];
            link.remove(&b);
            link.insert(a, sum);
            let (x, y) = (a.min(other), a.max(other));
            heap.push(Merge {
                average: sum / (size_a * members[other].len() as f64),
                a: x,
                b: y,
                versions: (version[x], version[y]),
            });
        }
    }
    let mut groups: Vec<Vec<usize>> = members.into_iter().filter(|m| !m.is_empty()).collect();
    for group in &mut groups {
        group.sort_unstable();
    }
    groups.sort_unstable_by_key(|g| g[0]);
    groups
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::claims::{Counted, Words};
    use crate::config::Config;

    fn pair(a: usize, b: usize, similarity: f64) -> Pair {
        Pair { a, b, similarity }
    }

    /// The merge of two sorted sparse vectors that `dense_cosine` replaces.
    fn merged_dot(x: &Vector, y: &Vector) -> f64 {
        let (mut i, mut j, mut dot) = (0, 0, 0.0);
        while i < x.keys.len() && j < y.keys.len() {
            match x.keys[i].cmp(&y.keys[j]) {
                Ordering::Less => i += 1,
                Ordering::Greater => j += 1,
                Ordering::Equal => {
                    dot += x.weights[i] * y.weights[j];
                    i += 1;
                    j += 1;
                }
            }
        }
        dot
    }

    #[test]
    fn dense_cosine_is_the_sparse_dot_product_to_the_bit() {
        // Irrational-ish weights over overlapping key sets, so a different order of
        // additions would show in the last bits.
        let vector = |keys: &[usize], seed: f64| -> Vector {
            keys.iter()
                .map(|&k| (k, ((k as f64 + seed) * 0.37).sin().abs() + 0.01))
                .collect()
        };
        let x = vector(&[0, 3, 4, 7, 9, 12, 15, 18, 21], 0.3);
        let others = [
            vector(&[3, 4, 5, 9, 18, 30], 1.1),
            vector(&[1, 2, 6], 2.9),
            vector(&[0, 3, 4, 7, 9, 12, 15, 18, 21], 5.7),
        ];
        let mut dense = vec![0.0; 31];
        for (key, weight) in x.iter() {
            dense[key] = weight;
        }
        for y in &others {
            assert_eq!(
                dense_cosine(&dense, y).to_bits(),
                merged_dot(&x, y).to_bits()
            );
        }
        assert_eq!(dense_cosine(&dense, &others[1]), 0.0);
    }

    #[test]
    fn a_chain_of_weak_links_does_not_join_two_stories() {
        // 0-1 and 2-3 are tight; 1-2 is a weak link (a follow-up naming the other
        // event). Single link would give one group of four.
        let pairs = [pair(0, 1, 0.9), pair(1, 2, 0.35), pair(2, 3, 0.9)];
        assert_eq!(average_link(4, &pairs, 0.3), vec![vec![0, 1], vec![2, 3]]);
        // With the link strong enough to hold the groups together on average, they join.
        let pairs = [
            pair(0, 1, 0.9),
            pair(1, 2, 0.7),
            pair(0, 2, 0.6),
            pair(2, 3, 0.9),
            pair(1, 3, 0.5),
        ];
        assert_eq!(average_link(4, &pairs, 0.3), vec![vec![0, 1, 2, 3]]);
    }

    #[test]
    fn clustering_by_component_matches_one_pass_over_the_whole_graph() {
        // A deterministic sparse graph: tight groups, weak links across them, ties.
        let mut pairs = Vec::new();
        let mut state = 7u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        let count = 300;
        for a in 0..count {
            for _ in 0..4 {
                let b = if next() % 3 == 0 {
                    next() % count
                } else {
                    (a + 1 + next() % 6).min(count - 1)
                };
                if a < b && !pairs.iter().any(|p: &Pair| p.a == a && p.b == b) {
                    let similarity = [0.9, 0.5, 0.35, 0.3, 0.1][next() % 5];
                    pairs.push(pair(a, b, similarity));
                }
            }
        }
        for threshold in [0.3, 0.45, 0.8] {
            let by_component = average_link(count, &pairs, threshold);
            assert_eq!(by_component, link_component(count, &pairs, threshold));
            assert!(by_component.len() > 1 && by_component.len() < count);
        }
    }

    #[test]
    fn clustering_does_not_depend_on_the_order_of_pairs() {
        let pairs = vec![
            pair(0, 1, 0.5),
            pair(1, 2, 0.5),
            pair(0, 2, 0.5),
            pair(3, 4, 0.5),
            pair(2, 3, 0.5),
            pair(4, 5, 0.2),
        ];
        let forward = average_link(6, &pairs, 0.3);
        let mut reversed = pairs.clone();
        reversed.reverse();
        assert_eq!(forward, average_link(6, &reversed, 0.3));
        assert_eq!(forward, vec![vec![0, 1, 2], vec![3, 4], vec![5]]);
    }

    fn keys(words: &[&str], names: &[&str]) -> StoryKeys {
        let owned = |list: &[&str]| list.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        StoryKeys {
            headline: Words::new(owned(words)),
            lead: Counted::new(owned(words)),
            names: Counted::new([owned(names), owned(names)].concat()),
        }
    }

    fn grouped(
        articles: &[(&str, &StoryKeys, Option<i32>)],
        config: &StoriesConfig,
    ) -> Vec<Vec<usize>> {
        let articles: Vec<StoryArticle> = articles
            .iter()
            .map(|&(key, keys, day)| StoryArticle {
                key,
                keys: keys.clone(),
                day,
            })
            .collect();
        let stories = group(articles, config);
        for (index, story) in stories.stories.iter().enumerate() {
            for &article in &story.articles {
                assert_eq!(stories.article_story[article], index);
            }
        }
        let mut groups: Vec<Vec<usize>> = stories.stories.into_iter().map(|s| s.articles).collect();
        groups.sort();
        groups
    }

    #[test]
    fn reports_of_one_event_group_and_other_events_stay_apart() {
        let config = Config::builtin().stories;
        let bridge = keys(
            &["alder", "bridg", "close", "crack", "girder"],
            &["alder river bridge", "marston"],
        );
        let bridge_too = keys(
            &["alder", "bridg", "shut", "crack", "inspector"],
            &["alder river bridge"],
        );
        let fire = keys(&["greenhollow", "fire", "acr", "crew"], &["greenhollow"]);
        let fire_too = keys(
            &["greenhollow", "wildfir", "acr", "firefight"],
            &["greenhollow"],
        );
        let budget = keys(
            &["kesterfield", "budget", "council", "vote"],
            &["lena ortiz"],
        );
        let articles = [
            ("a", &bridge, None),
            ("b", &fire, None),
            ("c", &bridge_too, None),
            ("d", &budget, None),
            ("e", &fire_too, None),
        ];
        assert_eq!(
            grouped(&articles, &config),
            vec![vec![0, 2], vec![1, 4], vec![3]]
        );
    }

    #[test]
    fn dates_far_apart_split_a_story_and_unknown_dates_do_not() {
        let config = Config::builtin().stories;
        let bridge = keys(
            &["alder", "bridg", "close", "crack", "girder"],
            &["alder river bridge"],
        );
        let apart = [("a", &bridge, Some(100)), ("b", &bridge, Some(100 + 30))];
        assert_eq!(grouped(&apart, &config), vec![vec![0], vec![1]]);
        let close = [("a", &bridge, Some(100)), ("b", &bridge, Some(101))];
        assert_eq!(grouped(&close, &config), vec![vec![0, 1]]);
        let unknown = [("a", &bridge, Some(100)), ("b", &bridge, None)];
        assert_eq!(grouped(&unknown, &config), vec![vec![0, 1]]);
    }

    #[test]
    fn keys_held_by_too_many_articles_propose_no_pairs() {
        let mut config = Config::builtin().stories;
        let same = keys(&["alder", "bridg"], &[]);
        let articles = [("a", &same, None), ("b", &same, None), ("c", &same, None)];
        assert_eq!(grouped(&articles, &config), vec![vec![0, 1, 2]]);
        config.max_key_articles = 2;
        assert_eq!(grouped(&articles, &config), vec![vec![0], vec![1], vec![2]]);
    }

    #[test]
    fn a_story_is_named_after_its_smallest_article_key() {
        let config = Config::builtin().stories;
        let bridge = keys(
            &["alder", "bridg", "close", "crack", "girder"],
            &["alder river bridge"],
        );
        let budget = keys(
            &["kesterfield", "budget", "council", "vote"],
            &["lena ortiz"],
        );
        let articles: Vec<StoryArticle> = [("z/2", &bridge), ("b/1", &budget), ("m/3", &bridge)]
            .into_iter()
            .map(|(key, keys)| StoryArticle {
                key,
                keys: keys.clone(),
                day: None,
            })
            .collect();
        let stories = group(articles, &config);
        let bridge_story = &stories.stories[stories.article_story[0]];
        assert_eq!(bridge_story.articles, vec![0, 2]);
        assert_eq!(bridge_story.id, format!("s{:016x}", xxh3_64(b"m/3")));
        let ids: Vec<&str> = stories.stories.iter().map(|s| s.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
    }

    #[test]
    fn input_order_changes_nothing_even_when_similarities_tie() {
        // b is exactly as similar to a as to c, and a and c share nothing: whichever
        // pair merges first keeps the third out. Key order decides, not input order.
        let mut config = Config::builtin().stories;
        config.min_shared_keys = 1;
        config.link_threshold = 0.3;
        let (a, b, c) = (
            keys(&["p", "q"], &[]),
            keys(&["q", "r"], &[]),
            keys(&["r", "s"], &[]),
        );
        let inputs = [("a", &a), ("b", &b), ("c", &c)];
        let named = |order: &[usize]| -> BTreeSet<BTreeSet<&str>> {
            let articles: Vec<StoryArticle> = order
                .iter()
                .map(|&i| StoryArticle {
                    key: inputs[i].0,
                    keys: inputs[i].1.clone(),
                    day: None,
                })
                .collect();
            let stories = group(articles, &config);
            stories
                .stories
                .iter()
                .map(|s| s.articles.iter().map(|&a| inputs[order[a]].0).collect())
                .collect()
        };
        let expected = BTreeSet::from([BTreeSet::from(["a", "b"]), BTreeSet::from(["c"])]);
        assert_eq!(named(&[0, 1, 2]), expected);
        assert_eq!(named(&[2, 1, 0]), expected);
        assert_eq!(named(&[1, 2, 0]), expected);
    }

    #[test]
    fn publication_days_are_read_from_iso_dates() {
        assert_eq!(day_number("1970-01-02"), Some(1));
        assert_eq!(day_number("2026-03-02T09:15:00Z"), day_number("2026-03-02"));
        assert_eq!(
            day_number("2026-03-09")
                .zip(day_number("2026-03-02"))
                .map(|(a, b)| a - b),
            Some(7)
        );
        assert_eq!(day_number("March 2, 2026"), None);
        assert_eq!(day_number(""), None);
    }
}
