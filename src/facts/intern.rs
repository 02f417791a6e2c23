//! Distinct strings numbered in order of first appearance, stored end to end in one
//! buffer. A facts file names each source, object and value over and over; one owned
//! `String` per row and column, grouped in ordered maps, was most of the cost of
//! structured mode, while integer ids make grouping a sort of integers.

use hashbrown::hash_table::{Entry, HashTable};
use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

#[derive(Debug, Default, Clone)]
pub struct Interner {
    text: String,
    /// Where each string ends in `text`; it starts where the previous one ends.
    ends: Vec<usize>,
    /// Ids, found by the hash of their string. The hash only finds, never orders:
    /// ids follow first appearance, and reports order strings by `ranks`.
    table: HashTable<u32>,
}

impl Interner {
    /// The id of `text`, new if it was not seen before.
    pub fn intern(&mut self, text: &str) -> u32 {
        let Self {
            text: all,
            ends,
            table,
        } = self;
        let entry = table.entry(
            xxh3_64(text.as_bytes()),
            |&id| span(all, ends, id) == text,
            |&id| xxh3_64(span(all, ends, id).as_bytes()),
        );
        match entry {
            Entry::Occupied(found) => *found.get(),
            Entry::Vacant(slot) => {
                let id = u32::try_from(ends.len()).expect("fewer than 2^32 distinct strings");
                all.push_str(text);
                ends.push(all.len());
                slot.insert(id);
                id
            }
        }
    }

    /// Interns every string of `other` in its id order; returns their ids here.
    pub fn absorb(&mut self, other: &Interner) -> Vec<u32> {
        (0..other.count() as u32)
            .map(|id| self.intern(other.get(id)))
            .collect()
    }

    pub fn get(&self, id: u32) -> &str {
        span(&self.text, &self.ends, id)
    }

    /// How many distinct strings.
    pub fn count(&self) -> usize {
        self.ends.len()
    }

    /// Every id's place among the strings sorted, and the ids in that order.
    pub fn ranks(&self) -> (Vec<u32>, Vec<u32>) {
        // Sorted by each string's head and by the whole string only where those tie:
        // most comparisons are then of integers, not of two strings looked up by id.
        let mut keyed: Vec<(u128, u32)> = (0..self.ends.len() as u32)
            .map(|id| (crate::text_head(self.get(id)), id))
            .collect();
        // Files are often sorted already (by object, say): then one pass suffices.
        let in_order = |a: &(u128, u32), b: &(u128, u32)| {
            a.0.cmp(&b.0).then_with(|| self.get(a.1).cmp(self.get(b.1)))
        };
        if !keyed.is_sorted_by(|a, b| in_order(a, b).is_lt()) {
            // Unstable is deterministic here: the strings are distinct.
            keyed.par_sort_unstable_by(in_order);
        }
        let mut rank = vec![0; keyed.len()];
        for (place, &(_, id)) in keyed.iter().enumerate() {
            rank[id as usize] = place as u32;
        }
        (rank, keyed.into_iter().map(|(_, id)| id).collect())
    }
}

fn span<'t>(text: &'t str, ends: &[usize], id: u32) -> &'t str {
    let id = id as usize;
    let start = if id == 0 { 0 } else { ends[id - 1] };
    &text[start..ends[id]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_strings_share_an_id_in_order_of_first_appearance() {
        let mut strings = Interner::default();
        let ids: Vec<u32> = ["b", "a", "", "b", "ab", "a", ""]
            .iter()
            .map(|s| strings.intern(s))
            .collect();
        assert_eq!(ids, [0, 1, 2, 0, 3, 1, 2]);
        assert_eq!(strings.count(), 4);
        assert_eq!(
            (0..4).map(|id| strings.get(id)).collect::<Vec<_>>(),
            ["b", "a", "", "ab"]
        );
        let (rank, sorted) = strings.ranks();
        assert_eq!(sorted, [2, 1, 3, 0]);
        assert_eq!(rank, [3, 1, 0, 2]);
    }

    #[test]
    fn many_strings_survive_the_table_growing() {
        let mut strings = Interner::default();
        for n in 0..10_000 {
            assert_eq!(strings.intern(&n.to_string()), n);
        }
        for n in (0..10_000).rev() {
            assert_eq!(strings.intern(&n.to_string()), n);
            assert_eq!(strings.get(n), n.to_string());
        }
    }
}
