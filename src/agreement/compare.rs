//! Pairwise comparison of two claims: are they about the same fact, and do they agree?

use smallvec::{smallvec, SmallVec};
use strsim::jaro_winkler;

use crate::claims::{shingle_hash, Comparison, Value, ValueKind, Worded};
use crate::config::AgreementConfig;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    Supports,
    Contradicts,
    /// The same text, copied: counts as support, but not as an independent voice.
    Copies,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Supports => "supports",
            Relation::Contradicts => "contradicts",
            Relation::Copies => "copies",
        }
    }
}

/// Shingle size for claim-level copy detection: short, since claims are one clause.
const CLAIM_SHINGLE_WORDS: usize = 3;

/// Identical word sequences at least this long are a copy even between articles that
/// are not copies overall (a lifted paragraph); shorter ones may be a shared quote.
const VERBATIM_MIN_WORDS: usize = 12;

/// Frame similarity in [0, 1] and the relation, or `None` for unrelated claims.
/// `articles_copied` says whether the two claims' articles share long passages.
pub fn compare(
    a: Worded,
    b: Worded,
    articles_copied: bool,
    config: &AgreementConfig,
) -> Option<(Relation, f64)> {
    compare_with(a, b, articles_copied, config, || {
        entity_similarity(
            a.entities.iter(),
            b.entities.iter(),
            config.fuzzy_name_threshold,
        )
    })
}

/// `compare`, with the claims' `entity_similarity` from `entities`, asked only once
/// the claims are known not to be copies: agreement matches names it has numbered.
pub fn compare_with(
    a: Worded,
    b: Worded,
    articles_copied: bool,
    config: &AgreementConfig,
    entities: impl FnOnce() -> f64,
) -> Option<(Relation, f64)> {
    let (words_a, words_b) = (a.wording.words, b.wording.words);
    let verbatim = words_a.len() >= VERBATIM_MIN_WORDS && words_a == words_b;
    if verbatim
        || (articles_copied && shingle_jaccard(words_a, words_b) >= config.copy_claim_similarity)
    {
        return Some((Relation::Copies, 1.0));
    }
    // Shared names alone do not make two claims one fact: "the bridge will cost $120
    // million" and "the bridge was closed" name the same bridge and say different
    // things. They must also share content, or state the same kind of figure. Checked
    // before the names are matched, which cost more than the terms and values.
    let terms = term_similarity(a.wording.terms, b.wording.terms);
    let shares = |values: &ValueAgreement| values.agreeing > 0 || values.specific_slots > 0;
    let mut values = None;
    if terms < config.min_term_similarity {
        let compared = compare_values(a.values, b.values, config.number_tolerance);
        if !shares(&compared) {
            return None;
        }
        values = Some(compared);
    }
    let entities = entities();
    if entities == 0.0 {
        return None;
    }
    let values =
        values.unwrap_or_else(|| compare_values(a.values, b.values, config.number_tolerance));
    let shares_figure = shares(&values);
    let weights = config.entity_weight + config.term_weight;
    let mut similarity = (config.entity_weight * entities + config.term_weight * terms) / weights;
    if shares_figure {
        similarity = (similarity + config.shared_value_bonus).min(1.0);
    }
    if similarity < config.match_threshold {
        return None;
    }
    let relation = if values.conflicting > 0 || a.polarity != b.polarity {
        Relation::Contradicts
    } else {
        Relation::Supports
    };
    Some((relation, similarity))
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ValueAgreement {
    /// Kinds (with unit) on which the claims state the same value.
    pub agreeing: usize,
    /// Kinds (with unit) on which they state only different values.
    pub conflicting: usize,
    /// Money, percentage or count slots both claims fill, agreeing or not: two
    /// statements of what one thing cost are about the same fact even when the amounts
    /// differ. Years and dates are too common to say as much.
    pub specific_slots: usize,
}

/// How the typed values of two claims relate, kind (and unit) by kind.
pub fn compare_values(a: &[Value], b: &[Value], tolerance: f64) -> ValueAgreement {
    let mut result = ValueAgreement::default();
    let mut seen: Vec<(ValueKind, &str)> = Vec::new();
    for va in a {
        let slot = (va.kind, &*va.unit);
        if seen.contains(&slot) {
            continue;
        }
        seen.push(slot);
        let comparisons: Vec<Comparison> = a
            .iter()
            .filter(|v| (v.kind, &*v.unit) == slot)
            .flat_map(|v| b.iter().map(move |w| v.compare(w, tolerance)))
            .collect();
        let specific = matches!(
            slot.0,
            ValueKind::Money | ValueKind::Percent | ValueKind::Count
        );
        if specific && b.iter().any(|w| (w.kind, &*w.unit) == slot) {
            result.specific_slots += 1;
        }
        if comparisons.contains(&Comparison::Agree) {
            result.agreeing += 1;
        } else if comparisons.contains(&Comparison::Conflict) {
            result.conflicting += 1;
        }
    }
    result
}

/// Share of names on either side that the other side also names. Two names match when
/// equal, when one's words are a subset of the other's ("erdogan" and "recep tayyip
/// erdogan"), or when Jaro-Winkler similarity reaches `threshold` (spelling variants).
pub fn entity_similarity<'a, 'b, A, B>(a: A, b: B, threshold: f64) -> f64
where
    A: IntoIterator<Item = &'a str>,
    B: IntoIterator<Item = &'b str>,
{
    let a: SmallVec<[Name; 8]> = a.into_iter().map(Name::new).collect();
    let b: SmallVec<[Name; 8]> = b.into_iter().map(Name::new).collect();
    matched_share(&a, &b, |x, y| names_match(&x, &y, threshold))
}

/// Share of items on either side that `matches` some item on the other side; 0 when
/// either side is empty. `matches` must be symmetric: each pair is tried at most once,
/// and not at all once both items are known to match something. This runs for every
/// pair of claims blocking proposes (4.9 million at 10,000 articles), and half of them
/// name nothing in common.
pub fn matched_share<X: Copy, Y: Copy>(
    a: &[X],
    b: &[Y],
    mut matches: impl FnMut(X, Y) -> bool,
) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let mut b_matched: SmallVec<[bool; 8]> = smallvec![false; b.len()];
    let mut a_matched = 0;
    for &x in a {
        let mut x_matched = false;
        for (&y, y_matched) in b.iter().zip(&mut b_matched) {
            if !(x_matched && *y_matched) && matches(x, y) {
                x_matched = true;
                *y_matched = true;
            }
        }
        a_matched += usize::from(x_matched);
    }
    let matched = a_matched + b_matched.iter().filter(|&&m| m).count();
    matched as f64 / (a.len() + b.len()) as f64
}

/// A name, with what matching it against many others needs worked out once: a story's
/// names are each matched with dozens of others. Matching names was 29% of the CPU
/// samples of comparing claims (10,000 articles), the letter bound, which counted both
/// names' letters at every match, 13%.
#[derive(Debug, Clone, Copy)]
pub struct Name<'a> {
    text: &'a str,
    /// Whether it has more than one word, so may be a subset of another name.
    spaced: bool,
    /// Counts of its bytes in 32 buckets by their low five bits, which keep letters
    /// apart (a byte sharing a letter's bucket only raises `may_reach`'s bound). Only
    /// for ASCII names short enough that no bucket can overflow; others are always
    /// tried.
    letters: Option<[u8; 32]>,
}

impl<'a> Name<'a> {
    pub fn new(text: &'a str) -> Name<'a> {
        const MAX_COUNTED: usize = u8::MAX as usize;
        let letters = (text.is_ascii() && text.len() <= MAX_COUNTED).then(|| {
            let mut counts = [0u8; 32];
            for byte in text.bytes() {
                counts[usize::from(byte & 31)] += 1;
            }
            counts
        });
        Name {
            text,
            spaced: text.contains(' '),
            letters,
        }
    }
}

/// Whether two names are one: equal, one's words a subset of the other's, or spelled
/// alike. Symmetric in `x` and `y`, which `entity_similarity` relies on.
pub fn names_match(x: &Name, y: &Name, threshold: f64) -> bool {
    if x.text == y.text {
        return true;
    }
    // Two one-word names that differ are no subset of each other.
    let subset = |short: &str, long: &str| {
        short
            .split(' ')
            .all(|word| long.split(' ').any(|other| other == word))
    };
    ((x.spaced || y.spaced) && (subset(x.text, y.text) || subset(y.text, x.text)))
        || (may_reach(x, y, threshold) && jaro_winkler(x.text, y.text) >= threshold)
}

/// Whether Jaro-Winkler could rate two names `threshold` or more, from the letters
/// they share: Jaro pairs equal characters one to one, so it pairs at most that many,
/// and the Winkler bonus adds at most 0.4 of what Jaro leaves. Most names a claim is
/// compared with share few letters with its own, and Jaro-Winkler itself was a fifth of
/// a 10,000-article run's CPU.
fn may_reach(x: &Name, y: &Name, threshold: f64) -> bool {
    let (Some(x_counts), Some(y_counts)) = (&x.letters, &y.letters) else {
        return true;
    };
    let (x_len, y_len) = (x.text.len() as f64, y.text.len() as f64);
    let reaches = |shared: usize| {
        let jaro = if shared == 0 {
            0.0
        } else {
            let shared = shared as f64;
            (shared / x_len + shared / y_len + 1.0) / 3.0
        };
        // The margin keeps rounding in this bound from ever hiding a match.
        jaro + 0.4 * (1.0 - jaro) >= threshold - 1e-9
    };
    // No more letters are shared than the shorter name has.
    if !reaches(x.text.len().min(y.text.len())) {
        return false;
    }
    let shared: usize = x_counts
        .iter()
        .zip(y_counts)
        .map(|(a, b)| usize::from(*a.min(b)))
        .sum();
    reaches(shared)
}

/// Mean of Dice and overlap coefficients over two sorted, deduplicated lists: Dice
/// alone punishes a long sentence that restates a short one.
pub fn set_similarity(a: &[String], b: &[String]) -> f64 {
    dice_and_overlap(sorted_intersection(a, b), a.len(), b.len())
}

/// `set_similarity` of two claims' key terms.
fn term_similarity(a: &[u64], b: &[u64]) -> f64 {
    dice_and_overlap(sorted_intersection(a, b), a.len(), b.len())
}

/// The mean of the Dice and overlap coefficients of two sets of these sizes sharing
/// `common` items; 0 when either is empty.
fn dice_and_overlap(common: usize, a: usize, b: usize) -> f64 {
    if a == 0 || b == 0 {
        return 0.0;
    }
    let dice = 2.0 * common as f64 / (a + b) as f64;
    let overlap = common as f64 / a.min(b) as f64;
    (dice + overlap) / 2.0
}

/// How many items two sorted, distinct sequences share.
fn sorted_intersection<T: Ord>(
    a: impl IntoIterator<Item = T>,
    b: impl IntoIterator<Item = T>,
) -> usize {
    let (mut a, mut b) = (a.into_iter(), b.into_iter());
    let (mut x, mut y) = (a.next(), b.next());
    let mut common = 0;
    while let (Some(p), Some(q)) = (&x, &y) {
        match p.cmp(q) {
            std::cmp::Ordering::Less => x = a.next(),
            std::cmp::Ordering::Greater => y = b.next(),
            std::cmp::Ordering::Equal => {
                common += 1;
                x = a.next();
                y = b.next();
            }
        }
    }
    common
}

fn shingle_jaccard(a: &[u32], b: &[u32]) -> f64 {
    let shingles = |words: &[u32]| {
        let mut s: Vec<u64> = if words.len() < CLAIM_SHINGLE_WORDS {
            vec![shingle_hash(words)]
        } else {
            words
                .windows(CLAIM_SHINGLE_WORDS)
                .map(shingle_hash)
                .collect()
        };
        s.sort_unstable();
        s.dedup();
        s
    };
    let (sa, sb) = (shingles(a), shingles(b));
    let common = sorted_intersection(&sa, &sb);
    common as f64 / (sa.len() + sb.len() - common).max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::{ArticleClaims, ClaimExtractor};
    use crate::config::Config;

    /// What `text` yields; tests compare its first claim.
    fn claim(text: &str) -> ArticleClaims {
        let config = Config::builtin();
        let extracted = ClaimExtractor::new(&config).extract("t", "test-outlet", text);
        assert!(!extracted.claims.is_empty(), "no claim in {text:?}");
        extracted
    }

    fn worded(extracted: &ArticleClaims) -> Worded<'_> {
        Worded::new(&extracted.claims[0], extracted.wordings.get(0))
    }

    fn relation_of(a: &str, b: &str, articles_copied: bool) -> Option<Relation> {
        let config = Config::builtin();
        let (a, b) = (claim(a), claim(b));
        compare(worded(&a), worded(&b), articles_copied, &config.agreement).map(|(r, _)| r)
    }

    fn relation(a: &str, b: &str) -> Option<Relation> {
        relation_of(a, b, false)
    }

    #[test]
    fn paraphrases_support() {
        assert_eq!(
            relation(
                "Repairs to the Alder River Bridge will cost $48 million, the state said.",
                "The state estimates that fixing the Alder River Bridge will cost $48 million."
            ),
            Some(Relation::Supports)
        );
    }

    #[test]
    fn conflicting_amounts_contradict() {
        assert_eq!(
            relation(
                "Repairs to the Alder River Bridge will cost $48 million.",
                "Repairs to the Alder River Bridge will cost a staggering $120 million."
            ),
            Some(Relation::Contradicts)
        );
    }

    #[test]
    fn conflicting_years_contradict() {
        assert_eq!(
            relation(
                "The Alder River Bridge was built in 1962.",
                "The Alder River Bridge was built in 1975."
            ),
            Some(Relation::Contradicts)
        );
    }

    #[test]
    fn opposite_polarity_contradicts() {
        assert_eq!(
            relation(
                "Mayor Lena Ortiz signed the Kesterfield budget on Wednesday.",
                "Mayor Lena Ortiz did not sign the Kesterfield budget."
            ),
            Some(Relation::Contradicts)
        );
    }

    #[test]
    fn different_facts_about_one_subject_are_unrelated() {
        assert_eq!(
            relation(
                "Repairs to the Alder River Bridge will cost $48 million.",
                "The Alder River Bridge carried 30,000 cars a day before inspectors closed it."
            ),
            None
        );
    }

    #[test]
    fn names_match_by_subset_and_spelling() {
        assert!(names_alike("erdogan", "recep tayyip erdogan", 0.92));
        assert!(names_alike("jose nunez", "jose nunez", 0.92));
        assert!(names_alike("lena ortiz", "lena ortis", 0.92));
        assert!(!names_alike("marston", "kesterfield", 0.92));
        // Three shared letters cannot make "marston" a spelling of "kesterfield".
        assert!(!letters_may_reach("marston", "kesterfield", 0.92));
        assert!(letters_may_reach("lena ortiz", "lena ortis", 0.92));
    }

    fn names_alike(x: &str, y: &str, threshold: f64) -> bool {
        names_match(&Name::new(x), &Name::new(y), threshold)
    }

    fn letters_may_reach(x: &str, y: &str, threshold: f64) -> bool {
        may_reach(&Name::new(x), &Name::new(y), threshold)
    }

    #[test]
    fn entity_similarity_counts_names_matched_on_either_side() {
        let a = ["ankara", "erdogan", "lena ortiz"];
        let b = ["lena ortis", "recep tayyip erdogan", "tayyip"];
        assert_eq!(entity_similarity(a, b, 0.92), 4.0 / 6.0);
        // A name already matched is still tried against the other side's names that
        // are not, or the second of these would go unmatched.
        let b = ["erdogan", "recep tayyip erdogan"];
        assert_eq!(entity_similarity(["erdogan"], b, 0.92), 1.0);
        assert_eq!(entity_similarity(["ankara"], b, 0.92), 0.0);
    }

    #[test]
    fn copied_text_between_copied_articles_is_a_copy() {
        let text =
            "Northwind Airlines will cut 1,200 jobs and close its Elmstead maintenance base.";
        assert_eq!(relation_of(text, text, true), Some(Relation::Copies));
    }

    proptest::proptest! {
        /// Names and misspellings of them: a few letters changed, a few dropped from
        /// the end, so Jaro-Winkler is often close to the bound.
        #[test]
        fn the_shared_letter_bound_never_hides_a_spelling_match(
            x in "[a-z ]{1,14}",
            changes in proptest::collection::vec((0usize..14, proptest::char::range('a', 'z')), 0..3),
            dropped in 0usize..3,
            threshold in 0.5f64..1.0,
        ) {
            let mut y: Vec<char> = x.chars().collect();
            for (place, letter) in changes {
                let place = place % y.len();
                y[place] = letter;
            }
            y.truncate(y.len().saturating_sub(dropped).max(1));
            let y: String = y.into_iter().collect();
            if jaro_winkler(&x, &y) >= threshold {
                proptest::prop_assert!(letters_may_reach(&x, &y, threshold), "{x:?} {y:?}");
            }
        }

        /// `entity_similarity` tries each pair of names once, in one order.
        #[test]
        fn names_match_either_way_round(
            x in "[ab -]{1,12}",
            y in "[ab -]{1,12}",
            threshold in 0.5f64..1.0,
        ) {
            proptest::prop_assert_eq!(names_alike(&x, &y, threshold), names_alike(&y, &x, threshold));
        }

        /// The shortcuts (one-word names skip the subset test, the letter bound skips
        /// Jaro-Winkler) never change a verdict.
        #[test]
        fn names_match_as_the_plain_definition_does(
            x in "[abn ]{1,12}",
            y in "[abn ]{1,12}",
            threshold in 0.5f64..1.0,
        ) {
            let subset = |short: &str, long: &str| {
                short.split(' ').all(|word| long.split(' ').any(|other| other == word))
            };
            let plain = x == y
                || subset(&x, &y)
                || subset(&y, &x)
                || jaro_winkler(&x, &y) >= threshold;
            proptest::prop_assert_eq!(names_alike(&x, &y, threshold), plain, "{:?} {:?}", x, y);
        }
    }
}
