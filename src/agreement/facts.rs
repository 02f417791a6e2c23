//! Facts: the connected groups of related claims, each split into the groups of claims
//! that state one value.
//!
//! A run has about as many facts as claims, nine in ten of them a single claim, so
//! they are held flat: every fact's claims are one run of a shared vector, value group
//! after value group. A fact as a struct of its own (an id string, a vector of claims
//! and a vector of vectors of values) took about 200 bytes and four allocations, listed
//! every claim twice, and building them was a 100,000-article run's peak in memory:
//! held flat, that run peaks at 5.05 GB instead of 5.55 GB.

use std::ops::Range;

use rayon::prelude::*;

use crate::id::FactId;

/// Every fact of a run, sorted by id.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    ids: Vec<FactId>,
    stories: Vec<u32>,
    /// Fact `f`'s value groups are `first_group[f]..first_group[f + 1]`.
    first_group: Vec<u32>,
    /// Value group `g`'s claims are `claims[first_claim[g]..first_claim[g + 1]]`.
    first_claim: Vec<u32>,
    claims: Vec<u32>,
}

impl Facts {
    /// Facts from each claim's fact root and value root, the smallest claim index of
    /// its fact and of its value group. `id` names a fact from its claims, and `story`
    /// gives the story of a claim.
    pub fn group(
        fact_root: &[u32],
        value_root: &[u32],
        id: impl Fn(&[u32]) -> FactId + Sync,
        story: impl Fn(u32) -> u32 + Sync,
    ) -> Facts {
        let claim_count = u32::try_from(fact_root.len()).expect("fewer than 2^32 claims");
        // A group's root is its smallest claim, so this order lists each fact's value
        // groups in the order of their first claims, and each group's claims ascending.
        let mut grouped: Vec<u32> = (0..claim_count).collect();
        grouped.par_sort_unstable_by_key(|&c| {
            let c = c as usize;
            (fact_root[c], value_root[c], c)
        });
        let starts = root_changes(&grouped, fact_root);
        let run = |fact: usize| {
            let end = starts.get(fact + 1).copied().unwrap_or(claim_count);
            starts[fact] as usize..end as usize
        };
        let mut by_id: Vec<(FactId, u32)> = (0..starts.len())
            .into_par_iter()
            .map(|fact| (id(&grouped[run(fact)]), fact as u32))
            .collect();
        by_id.par_sort_unstable();

        // Each fact's claims in id order, then where its claims and its value groups
        // start: wherever the fact root, or the value root, changes (claims of two facts
        // never share either). Filled one fact at a time on one thread, this was the
        // stage's largest serial step.
        let claims: Vec<u32> = by_id
            .par_iter()
            .flat_map_iter(|&(_, place)| grouped[run(place as usize)].iter().copied())
            .collect();
        drop(grouped);
        let fact_starts = root_changes(&claims, fact_root);
        let mut first_claim = root_changes(&claims, value_root);
        // Each list gets its closing entry without growing by doubling: the spare
        // halves of these two and of `ids` were 45 MB of a 100,000-article run (counted),
        // held from agreement through the reports.
        let mut first_group = Vec::with_capacity(fact_starts.len() + 1);
        first_group.par_extend(
            fact_starts
                .par_iter()
                .map(|&start| first_claim.partition_point(|&group| group < start) as u32),
        );
        first_group.push(first_claim.len() as u32);
        first_claim.reserve_exact(1);
        first_claim.push(claim_count);
        let stories = fact_starts
            .into_par_iter()
            .map(|start| story(claims[start as usize]))
            .collect();
        Facts {
            // Collected from `into_iter`, the ids would reuse the allocation of the
            // (id, place) pairs, twice their size.
            ids: by_id.par_iter().map(|&(id, _)| id).collect(),
            stories,
            first_group,
            first_claim,
            claims,
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn id(&self, fact: usize) -> FactId {
        self.ids[fact]
    }

    /// Index into `Agreement::stories` of the story all the fact's claims come from.
    pub fn story(&self, fact: usize) -> usize {
        self.stories[fact] as usize
    }

    /// The fact's claims, value group after value group.
    pub fn claims(&self, fact: usize) -> &[u32] {
        let groups = self.groups(fact);
        &self.claims[self.first_claim[groups.start] as usize..self.first_claim[groups.end] as usize]
    }

    /// How many competing values the fact's claims state.
    pub fn value_count(&self, fact: usize) -> usize {
        self.groups(fact).len()
    }

    /// The claims stating the fact's value `value`, ascending. Each group supports
    /// itself and contradicts the others; groups are ordered by their first claim.
    pub fn value(&self, fact: usize, value: usize) -> &[u32] {
        let group = self.groups(fact).start + value;
        &self.claims[self.first_claim[group] as usize..self.first_claim[group + 1] as usize]
    }

    /// Every value group of the fact, in order.
    pub fn values(&self, fact: usize) -> impl ExactSizeIterator<Item = &[u32]> + '_ {
        (0..self.value_count(fact)).map(move |value| self.value(fact, value))
    }

    fn groups(&self, fact: usize) -> Range<usize> {
        self.first_group[fact] as usize..self.first_group[fact + 1] as usize
    }
}

/// The places in `claims` where a run of claims with one root starts, when `claims`
/// lists each root's claims together.
fn root_changes(claims: &[u32], root: &[u32]) -> Vec<u32> {
    let claim_count = u32::try_from(claims.len()).expect("fewer than 2^32 claims");
    (0..claim_count)
        .into_par_iter()
        .filter(|&place| {
            let place = place as usize;
            place == 0 || root[claims[place] as usize] != root[claims[place - 1] as usize]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_hold_their_value_groups_in_first_claim_order() {
        // Claims 0, 2, 3 and 5 are one fact, with values {0, 3} and {2, 5}; claims 1
        // and 4 are one fact with one value; the fact named 7 sorts before the one
        // named 9.
        let fact_root = [0, 1, 0, 0, 1, 0];
        let value_root = [0, 1, 2, 0, 1, 2];
        let facts = Facts::group(
            &fact_root,
            &value_root,
            |claims| FactId::new(if claims[0] == 0 { 9 } else { 7 }),
            |claim| claim * 10,
        );
        assert_eq!(facts.len(), 2);
        assert_eq!((facts.id(0), facts.story(0)), (FactId::new(7), 10));
        assert_eq!(facts.values(0).collect::<Vec<_>>(), vec![&[1, 4][..]]);
        assert_eq!((facts.id(1), facts.story(1)), (FactId::new(9), 0));
        assert_eq!(facts.value_count(1), 2);
        assert_eq!(facts.value(1, 0), &[0, 3]);
        assert_eq!(facts.value(1, 1), &[2, 5]);
        assert_eq!(facts.claims(1), &[0, 3, 2, 5]);
    }

    #[test]
    fn no_claims_make_no_facts() {
        let facts = Facts::group(&[], &[], |_| FactId::new(0), |_| 0);
        assert!(facts.is_empty());
    }
}
