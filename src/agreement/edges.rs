//! The evidence edges, on disk once facts and voices are drawn from them.
//!
//! After agreement, only the reports read the edges (evidence.csv, and the page's copy
//! marks), each in one pass in edge order. Held in memory from there to the reports,
//! the 103M edges of a 1,000,000-article run were 1.2 GB under the peaks of scoring
//! and of the reports. So they go to an unnamed temporary file, which lives in the page
//! cache (which the kernel may reclaim) rather than in the run's own memory, and is
//! removed when the run ends, however it ends.

use std::fs::File;
use std::io::{self, BufWriter, Write};

use super::{Evidence, Relation};
use crate::claims::spill::read_exact_at;

/// Edges read back at once.
const READ_EDGES: usize = 1 << 16;

/// Every evidence edge of a run, in the order agreement found them.
pub struct EvidenceEdges {
    file: File,
    len: usize,
}

/// Without the file, whose handle differs from run to run.
impl std::fmt::Debug for EvidenceEdges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EvidenceEdges")
            .field("edges", &self.len)
            .finish_non_exhaustive()
    }
}

impl EvidenceEdges {
    /// Writes `edges` to a temporary file in the system's temporary directory
    /// (`TMPDIR` on Unix), and lets go of them.
    pub fn spill(edges: Vec<Evidence>) -> io::Result<EvidenceEdges> {
        let mut writer = BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
        for edge in &edges {
            writer.write_all(&edge.to_bytes())?;
        }
        Ok(EvidenceEdges {
            file: writer.into_inner().map_err(|e| e.into_error())?,
            len: edges.len(),
        })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Calls `each` with every edge and its index, in order, reading a block of edges
    /// at a time.
    pub fn for_each(
        &self,
        mut each: impl FnMut(usize, &Evidence) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut buffer = vec![0; Evidence::BYTES * READ_EDGES];
        let mut first = 0;
        while first < self.len {
            let count = (self.len - first).min(READ_EDGES);
            let block = &mut buffer[..Evidence::BYTES * count];
            read_exact_at(&self.file, block, (Evidence::BYTES * first) as u64)?;
            for (k, bytes) in block.chunks_exact(Evidence::BYTES).enumerate() {
                each(first + k, &Evidence::from_bytes(bytes)?)?;
            }
            first += count;
        }
        Ok(())
    }

    /// Every edge, in order, in memory.
    pub fn load(&self) -> io::Result<Vec<Evidence>> {
        let mut edges = Vec::with_capacity(self.len);
        self.for_each(|_, edge| {
            edges.push(edge.clone());
            Ok(())
        })?;
        Ok(edges)
    }
}

impl Evidence {
    /// Bytes of an edge on disk: its two claims, its similarity and its relation.
    pub const BYTES: usize = 11;

    pub fn to_bytes(&self) -> [u8; Evidence::BYTES] {
        let mut bytes = [0; Evidence::BYTES];
        bytes[0..4].copy_from_slice(&self.a.to_le_bytes());
        bytes[4..8].copy_from_slice(&self.b.to_le_bytes());
        bytes[8..10].copy_from_slice(&self.similarity.to_le_bytes());
        bytes[10] = self.relation as u8;
        bytes
    }

    /// The edge `to_bytes` wrote as `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> io::Result<Evidence> {
        let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let relation = match bytes[10] {
            0 => Relation::Supports,
            1 => Relation::Contradicts,
            2 => Relation::Copies,
            other => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("an evidence edge read back has no relation numbered {other}"),
                ))
            }
        };
        Ok(Evidence {
            a: word(0),
            b: word(4),
            similarity: u16::from_le_bytes([bytes[8], bytes[9]]),
            relation,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_come_back_in_order_across_blocks() {
        let relations = [Relation::Supports, Relation::Contradicts, Relation::Copies];
        let edges: Vec<Evidence> = (0..READ_EDGES + 5)
            .map(|k| {
                let similarity = (k % 10_001) as f64 / 10_000.0;
                Evidence::new(k, u32::MAX as usize - k, similarity, relations[k % 3])
            })
            .collect();
        let spilled = EvidenceEdges::spill(edges.clone()).unwrap();
        assert_eq!(spilled.len(), edges.len());
        assert_eq!(spilled.load().unwrap(), edges);
        let mut indices = Vec::new();
        spilled
            .for_each(|index, _| {
                indices.push(index);
                Ok(())
            })
            .unwrap();
        assert!(indices.iter().copied().eq(0..edges.len()));
    }
}
