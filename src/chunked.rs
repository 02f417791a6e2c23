//! A vector kept in chunks of fixed capacity, for what a run holds per claim.
//!
//! Claims arrive a batch at a time and their count is known only once extraction ends.
//! A contiguous vector would have to be copied as it grew, or every batch's vector
//! copied into one at the end, and a copy holds the items twice while it runs: laying a
//! 100,000-article run's 4.4M claims out in one vector was a spike of 0.6 GB, the
//! run's peak. Chunks are allocated as they fill and never move, so the items are held
//! once. No crate we found keeps indexing by position (the claims are numbered
//! everywhere) without a contiguous buffer, and this is forty lines.

use std::ops::Index;

use rayon::prelude::*;

const CHUNK_BITS: u32 = 16;
const CHUNK: usize = 1 << CHUNK_BITS;

#[derive(Debug)]
pub struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, item: T) {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        self.chunks
            .last_mut()
            .expect("a chunk with room")
            .push(item);
        self.len += 1;
    }

    /// Keeps the items whose flag in `keep` is set, in order. Each chunk is freed as
    /// soon as its items have moved, so this holds one chunk more than the items.
    pub fn retain_flagged(&mut self, keep: &[bool]) {
        assert_eq!(keep.len(), self.len, "a flag for every item");
        let chunks = std::mem::take(self).chunks;
        for (chunk, flags) in chunks.into_iter().zip(keep.chunks(CHUNK)) {
            for (item, &kept) in chunk.into_iter().zip(flags) {
                if kept {
                    self.push(item);
                }
            }
        }
    }
}

impl<T: Sync> Chunked<T> {
    pub fn par_iter(&self) -> impl IndexedParallelIterator<Item = &T> + '_ {
        (0..self.len).into_par_iter().map(move |index| &self[index])
    }
}

impl<T> Index<usize> for Chunked<T> {
    type Output = T;

    fn index(&self, index: usize) -> &T {
        assert!(index < self.len, "index {index} of {} items", self.len);
        &self.chunks[index >> CHUNK_BITS][index & (CHUNK - 1)]
    }
}

impl<T> Extend<T> for Chunked<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        items.into_iter().for_each(|item| self.push(item));
    }
}

impl<T> FromIterator<T> for Chunked<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let mut chunked = Chunked::default();
        chunked.extend(items);
        chunked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_keep_their_places_across_chunks() {
        let count = 2 * CHUNK + 3;
        let chunked: Chunked<usize> = (0..count).collect();
        assert_eq!(chunked.len(), count);
        assert_eq!(chunked.chunks.len(), 3);
        for index in [0, 1, CHUNK - 1, CHUNK, 2 * CHUNK, count - 1] {
            assert_eq!(chunked[index], index);
        }
        let all: Vec<usize> = chunked.par_iter().copied().collect();
        assert_eq!(all, (0..count).collect::<Vec<_>>());
    }

    #[test]
    #[should_panic(expected = "index 5 of 5 items")]
    fn indexing_past_the_end_panics_even_inside_a_chunk() {
        let chunked: Chunked<u8> = (0..5).collect();
        let _ = chunked[5];
    }

    #[test]
    fn retained_items_close_up_in_order() {
        let count = 2 * CHUNK + 10;
        let mut chunked: Chunked<usize> = (0..count).collect();
        let keep: Vec<bool> = (0..count).map(|i| i % 3 != 0).collect();
        chunked.retain_flagged(&keep);
        let expected: Vec<usize> = (0..count).filter(|i| i % 3 != 0).collect();
        assert_eq!(chunked.len(), expected.len());
        assert_eq!(chunked.par_iter().copied().collect::<Vec<_>>(), expected);
        // Moved across the chunk boundary, and the emptied third chunk is gone.
        assert_eq!(chunked[CHUNK], expected[CHUNK]);
        assert_eq!(chunked.chunks.len(), 2);
    }
}
