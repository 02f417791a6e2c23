//! What only the agreement stage reads of a claim: its key terms and its words, as
//! hashes, kept for many claims in flat arrays beside the claims themselves.

use std::io;

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use xxhash_rust::xxh3::xxh3_64;

use super::spill::{Span, Spill, Spilled};
use super::Words;

/// One claim's wording, borrowed from `Wordings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wording<'a> {
    /// The stemmed key terms as `term_key`s, ascending and distinct.
    pub terms: &'a [u64],
    /// Hashes of the claim's folded words, in order, for verbatim-copy detection.
    /// 32 bits are plenty to tell a claim's words apart from another's.
    pub words: &'a [u32],
}

/// An agreement blocking key: the hash of `kind` ("e:" for names, "t:" for terms)
/// followed by `word`.
pub fn blocking_key(kind: &str, word: &str) -> u64 {
    // On the stack: every term of every claim is keyed as it is extracted.
    let mut spelled: SmallVec<[u8; 64]> = SmallVec::with_capacity(kind.len() + word.len());
    spelled.extend_from_slice(kind.as_bytes());
    spelled.extend_from_slice(word.as_bytes());
    xxh3_64(&spelled)
}

/// The hash agreement knows a key term by: also its blocking key, so two claims that
/// share a term meet in one block.
pub fn term_key(term: &str) -> u64 {
    blocking_key("t:", term)
}

/// `terms` as `Wording::terms`.
pub fn term_keys(terms: &Words) -> Vec<u64> {
    let mut keys: Vec<u64> = terms.iter().map(term_key).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The wordings of a run of claims, claim after claim, in four flat arrays.
///
/// Agreement alone reads these, one story at a time, and they are most of what a
/// claim weighs beyond its text. An article's and a batch's are held here until the
/// batch is written to the run's spill (`spill`); agreement reads a story's back
/// (`read`). Held in each `Claim` as two boxed slices, they cost two allocations a
/// claim, and were held from extraction to the end of agreement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wordings {
    terms: Vec<u64>,
    /// Where each claim's terms end in `terms`.
    term_ends: Vec<usize>,
    words: Vec<u32>,
    /// Where each claim's words end in `words`.
    word_ends: Vec<usize>,
}

impl Wordings {
    /// Empty, with room for every one of `parts` to be appended: sized once, a run's
    /// arrays are never copied as they grow.
    pub fn with_room_for<'a>(parts: impl IntoIterator<Item = &'a Wordings>) -> Wordings {
        let (mut claims, mut terms, mut words) = (0, 0, 0);
        for part in parts {
            claims += part.len();
            terms += part.terms.len();
            words += part.words.len();
        }
        Wordings {
            terms: Vec::with_capacity(terms),
            term_ends: Vec::with_capacity(claims),
            words: Vec::with_capacity(words),
            word_ends: Vec::with_capacity(claims),
        }
    }

    /// Claims held.
    pub fn len(&self) -> usize {
        self.term_ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.term_ends.is_empty()
    }

    /// The wording of claim `index`.
    pub fn get(&self, index: usize) -> Wording<'_> {
        let span = |ends: &[usize]| {
            let start = if index == 0 { 0 } else { ends[index - 1] };
            start..ends[index]
        };
        Wording {
            terms: &self.terms[span(&self.term_ends)],
            words: &self.words[span(&self.word_ends)],
        }
    }

    pub fn push(&mut self, wording: Wording) {
        debug_assert!(wording.terms.windows(2).all(|w| w[0] < w[1]));
        self.terms.extend_from_slice(wording.terms);
        self.term_ends.push(self.terms.len());
        self.words.extend_from_slice(wording.words);
        self.word_ends.push(self.words.len());
    }

    /// Appends every wording of `other`, in order.
    pub fn append(&mut self, other: &Wordings) {
        let (terms, words) = (self.terms.len(), self.words.len());
        self.terms.extend_from_slice(&other.terms);
        self.term_ends
            .extend(other.term_ends.iter().map(|end| terms + end));
        self.words.extend_from_slice(&other.words);
        self.word_ends
            .extend(other.word_ends.iter().map(|end| words + end));
    }

    /// Writes each wording to `spill` as one record: its count of terms, its terms,
    /// then its words, little-endian. Returns where each went.
    pub fn spill(&self, spill: &mut Spill) -> io::Result<Vec<Span>> {
        spill.append(self.len(), |index, record| {
            let wording = self.get(index);
            record.extend_from_slice(&(wording.terms.len() as u32).to_le_bytes());
            for term in wording.terms {
                record.extend_from_slice(&term.to_le_bytes());
            }
            for word in wording.words {
                record.extend_from_slice(&word.to_le_bytes());
            }
        })
    }

    /// The wordings of `claims` read back from what `spill` wrote, in the order asked:
    /// wording `k` of the result is claim `claims[k]`'s.
    pub fn read(spilled: &Spilled, claims: &[usize]) -> io::Result<Wordings> {
        let records = spilled.read(claims)?;
        let broken = || {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "the temporary file of claim wordings changed under the run",
            )
        };
        let mut wordings = Wordings::default();
        for k in 0..claims.len() {
            let record = records.get(k);
            let (count, rest) = record.split_first_chunk::<4>().ok_or_else(broken)?;
            let terms_len = 8 * u32::from_le_bytes(*count) as usize;
            if rest.len() < terms_len || !(rest.len() - terms_len).is_multiple_of(4) {
                return Err(broken());
            }
            let (terms, words) = rest.split_at(terms_len);
            wordings.terms.extend(
                terms
                    .chunks_exact(8)
                    .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes"))),
            );
            wordings.term_ends.push(wordings.terms.len());
            wordings.words.extend(
                words
                    .chunks_exact(4)
                    .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes"))),
            );
            wordings.word_ends.push(wordings.words.len());
        }
        Ok(wordings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wordings(list: &[(&[u64], &[u32])]) -> Wordings {
        let mut all = Wordings::default();
        for &(terms, words) in list {
            all.push(Wording { terms, words });
        }
        all
    }

    #[test]
    fn each_claim_gets_back_its_own_terms_and_words() {
        let all = wordings(&[(&[3, 9], &[7, 7, 1]), (&[], &[]), (&[1], &[4])]);
        assert_eq!(all.len(), 3);
        assert_eq!(all.get(0).terms, [3, 9]);
        assert_eq!(all.get(0).words, [7, 7, 1]);
        assert!(all.get(1).terms.is_empty() && all.get(1).words.is_empty());
        assert_eq!(all.get(2).terms, [1]);
        assert_eq!(all.get(2).words, [4]);
    }

    #[test]
    fn appending_keeps_claims_in_order() {
        let parts = [
            wordings(&[(&[1], &[10]), (&[2], &[20, 21])]),
            wordings(&[(&[3], &[30]), (&[4, 5], &[])]),
        ];
        let mut all = Wordings::with_room_for(&parts);
        assert!(all.is_empty());
        assert_eq!(
            (
                all.terms.capacity(),
                all.words.capacity(),
                all.term_ends.capacity()
            ),
            (5, 4, 4)
        );
        parts.iter().for_each(|part| all.append(part));
        assert_eq!(
            all,
            wordings(&[
                (&[1], &[10]),
                (&[2], &[20, 21]),
                (&[3], &[30]),
                (&[4, 5], &[])
            ])
        );
    }

    #[test]
    fn wordings_read_back_from_a_spill_are_those_written() {
        let all = wordings(&[
            (&[3, u64::MAX], &[7, 7, 1]),
            (&[], &[]),
            (&[1], &[]),
            (&[], &[4]),
        ]);
        let mut spill = Spill::new().unwrap();
        let spans = all.spill(&mut spill).unwrap();
        let spilled = spill.finish(spans.into_iter().collect()).unwrap();
        assert_eq!(Wordings::read(&spilled, &[0, 1, 2, 3]).unwrap(), all);
        assert_eq!(
            Wordings::read(&spilled, &[3, 0]).unwrap(),
            wordings(&[(&[], &[4]), (&[3, u64::MAX], &[7, 7, 1])])
        );
    }

    #[test]
    fn a_term_key_is_the_hash_blocking_used_for_the_term() {
        assert_eq!(term_key("bridg"), xxh3_64(b"t:bridg"));
        assert_ne!(term_key("bridg"), term_key("cost"));
    }
}
