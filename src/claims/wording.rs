//! What only the agreement stage reads of a claim: its key terms and its words, as
//! hashes, kept for many claims in flat arrays beside the claims themselves, and
//! spilled to disk with the claims' names and values (`Worded`) until agreement reads
//! them back a story at a time (`WordedClaims`).

use std::io;

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use xxhash_rust::xxh3::xxh3_64;

use ustr::Ustr;

use super::spill::{Span, Spill, Spilled};
use super::words::WordList;
use super::{Claim, Polarity, Value, ValueKind, Words};

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
/// batch is written to the run's spill with their claims (`spill`); agreement reads a
/// story's back (`WordedClaims::read`). Held in each `Claim` as two boxed slices, they
/// cost two allocations a claim, and were held from extraction to the end of agreement.
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

    /// Writes each claim of `claims` to `spill` as one record, with its wording (the
    /// same place in `self`): all agreement compares it by (`Worded`). Returns where
    /// each went.
    pub fn spill(&self, claims: &[Claim], spill: &mut Spill) -> io::Result<Vec<Span>> {
        debug_assert_eq!(claims.len(), self.len());
        spill.append(self.len(), |index, record| {
            encode(&Worded::new(&claims[index], self.get(index)), record)
        })
    }
}

/// A claim as agreement compares it: its names, figures, polarity and wording.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Worded<'a> {
    pub entities: WordList<'a>,
    pub values: &'a [Value],
    pub polarity: Polarity,
    pub wording: Wording<'a>,
}

impl<'a> Worded<'a> {
    pub fn new(claim: &'a Claim, wording: Wording<'a>) -> Worded<'a> {
        Worded {
            entities: claim.entities.list(),
            values: &claim.values,
            polarity: claim.polarity,
            wording,
        }
    }
}

/// Appends `worded` as one record: five counts (terms, words, names, bytes of names,
/// values) as little-endian `u32`s and the polarity as a byte, then the terms, the
/// words, the names joined by NUL, and each value as its kind's byte, its amount and
/// its unit's length and bytes.
fn encode(worded: &Worded, record: &mut Vec<u8>) {
    let Worded {
        entities,
        values,
        polarity,
        wording,
    } = worded;
    let counts = [
        wording.terms.len(),
        wording.words.len(),
        entities.len(),
        entities.joined().len(),
        values.len(),
    ];
    for count in counts {
        record.extend_from_slice(&(count as u32).to_le_bytes());
    }
    record.push(*polarity as u8);
    for term in wording.terms {
        record.extend_from_slice(&term.to_le_bytes());
    }
    for word in wording.words {
        record.extend_from_slice(&word.to_le_bytes());
    }
    record.extend_from_slice(entities.joined().as_bytes());
    for value in values.iter() {
        record.push(value.kind as u8);
        record.extend_from_slice(&value.amount.to_le_bytes());
        record.extend_from_slice(&(value.unit.len() as u32).to_le_bytes());
        record.extend_from_slice(value.unit.as_bytes());
    }
}

/// Some claims as `Wordings::spill` wrote them, read back: what agreement reads of a
/// story's claims.
#[derive(Debug, Default, PartialEq)]
pub struct WordedClaims {
    wordings: Wordings,
    names: String,
    /// Where each claim's names end in `names`, and how many it has.
    name_ends: Vec<(usize, u32)>,
    values: Vec<Value>,
    /// Where each claim's values end in `values`.
    value_ends: Vec<usize>,
    polarities: Vec<Polarity>,
}

impl WordedClaims {
    /// The claims `claims` read back from what `Wordings::spill` wrote, in the order
    /// asked: claim `k` of the result is claim `claims[k]`.
    pub fn read(spilled: &Spilled, claims: &[u32]) -> io::Result<WordedClaims> {
        let records = spilled.read(claims)?;
        let mut read = WordedClaims::default();
        for k in 0..claims.len() {
            read.decode(records.get(k)).ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the temporary file of claim wordings changed under the run",
                )
            })?;
        }
        Ok(read)
    }

    /// Appends the claim `encode` wrote as `record`, or None if it is not one.
    fn decode(&mut self, record: &[u8]) -> Option<()> {
        let mut rest = Cursor(record);
        let mut counts = [0; 5];
        for count in &mut counts {
            *count = u32::from_le_bytes(rest.bytes()?) as usize;
        }
        let [terms, words, names, name_bytes, values] = counts;
        let polarity = match rest.bytes::<1>()? {
            [0] => Polarity::Affirmed,
            [1] => Polarity::Negated,
            _ => return None,
        };
        let wordings = &mut self.wordings;
        for _ in 0..terms {
            wordings.terms.push(u64::from_le_bytes(rest.bytes()?));
        }
        wordings.term_ends.push(wordings.terms.len());
        for _ in 0..words {
            wordings.words.push(u32::from_le_bytes(rest.bytes()?));
        }
        wordings.word_ends.push(wordings.words.len());
        self.names
            .push_str(std::str::from_utf8(rest.take(name_bytes)?).ok()?);
        self.name_ends.push((self.names.len(), names as u32));
        for _ in 0..values {
            let [kind] = rest.bytes::<1>()?;
            let kind = *ValueKind::ALL.get(kind as usize)?;
            let amount = f64::from_le_bytes(rest.bytes()?);
            let unit_len = u32::from_le_bytes(rest.bytes()?) as usize;
            let unit = Ustr::from(std::str::from_utf8(rest.take(unit_len)?).ok()?);
            self.values.push(Value { kind, amount, unit });
        }
        self.value_ends.push(self.values.len());
        self.polarities.push(polarity);
        rest.0.is_empty().then_some(())
    }

    /// Claims held.
    pub fn len(&self) -> usize {
        self.polarities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.polarities.is_empty()
    }

    /// Claim `k`.
    pub fn get(&self, k: usize) -> Worded<'_> {
        let (names_end, names) = self.name_ends[k];
        let names_start = if k == 0 { 0 } else { self.name_ends[k - 1].0 };
        let values_start = if k == 0 { 0 } else { self.value_ends[k - 1] };
        Worded {
            entities: WordList::from_joined(&self.names[names_start..names_end], names),
            values: &self.values[values_start..self.value_ends[k]],
            polarity: self.polarities[k],
            wording: self.wordings.get(k),
        }
    }
}

/// The unread part of a record.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let (taken, rest) = self.0.split_at_checked(len)?;
        self.0 = rest;
        Some(taken)
    }

    fn bytes<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N).map(|bytes| bytes.try_into().expect("N bytes"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::claim_stating;

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
    fn claims_read_back_from_a_spill_are_those_written() {
        let all = wordings(&[
            (&[3, u64::MAX], &[7, 7, 1]),
            (&[], &[]),
            (&[1], &[]),
            (&[], &[4]),
        ]);
        let claims = [
            claim_stating(&["recep tayyip erdogan", "turkey"], &[], Polarity::Affirmed),
            claim_stating(&[], &[(ValueKind::Money, 2.5e9, "usd")], Polarity::Negated),
            claim_stating(
                &[""],
                &[
                    (ValueKind::Year, 2019.0, ""),
                    (ValueKind::Count, -0.5, "jöb"),
                ],
                Polarity::Affirmed,
            ),
            claim_stating(
                &["ankara"],
                &[(ValueKind::Number, f64::MAX, "")],
                Polarity::Negated,
            ),
        ];
        let mut spill = Spill::new().unwrap();
        let spans = all.spill(&claims, &mut spill).unwrap();
        let spilled = spill.finish(spans.into_iter().collect()).unwrap();
        let read = WordedClaims::read(&spilled, &[0, 1, 2, 3, 1]).unwrap();
        assert_eq!(read.len(), 5);
        for (k, index) in [0, 1, 2, 3, 1].into_iter().enumerate() {
            assert_eq!(
                read.get(k),
                Worded::new(&claims[index], all.get(index)),
                "{k}"
            );
        }
        assert!(WordedClaims::read(&spilled, &[]).unwrap().is_empty());
    }

    #[test]
    fn a_record_that_does_not_add_up_is_an_error_not_a_misread() {
        let mut good = Vec::new();
        let claim = claim_stating(
            &["turkey"],
            &[(ValueKind::Money, 1.0, "usd")],
            Polarity::Negated,
        );
        encode(
            &Worded::new(
                &claim,
                Wording {
                    terms: &[5],
                    words: &[6],
                },
            ),
            &mut good,
        );
        let mut bad_polarity = good.clone();
        bad_polarity[20] = 2;
        let mut bad_kind = good.clone();
        let kind_at = good.len() - (1 + 8 + 4 + 3);
        bad_kind[kind_at] = ValueKind::ALL.len() as u8;
        let mut bad_name = good.clone();
        bad_name[21 + 8 + 4] = 0xff;
        let records = [
            &good[..good.len() - 1],
            &[good.as_slice(), b"x"].concat(),
            &bad_polarity,
            &bad_kind,
            &bad_name,
            &[],
        ];
        for record in records {
            let mut spill = Spill::new().unwrap();
            let spans = spill
                .append(1, |_, out| out.extend_from_slice(record))
                .unwrap();
            let spilled = spill.finish(spans.into_iter().collect()).unwrap();
            let error = WordedClaims::read(&spilled, &[0]).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidData, "{record:?}");
        }
        let mut spill = Spill::new().unwrap();
        let spans = spill
            .append(1, |_, out| out.extend_from_slice(&good))
            .unwrap();
        let spilled = spill.finish(spans.into_iter().collect()).unwrap();
        let read = WordedClaims::read(&spilled, &[0]).unwrap();
        assert_eq!(read.get(0).entities.iter().collect::<Vec<_>>(), ["turkey"]);
        assert_eq!(read.get(0).polarity, Polarity::Negated);
    }

    #[test]
    fn a_term_key_is_the_hash_blocking_used_for_the_term() {
        assert_eq!(term_key("bridg"), xxh3_64(b"t:bridg"));
        assert_ne!(term_key("bridg"), term_key("cost"));
    }
}
