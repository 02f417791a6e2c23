//! What extraction yields and only later stages read, kept on disk in between.
//!
//! A claim's text is printed only by the reports (claims.csv, facts.csv, the page), and
//! its wording is read only by agreement, one story at a time. Held in memory, the two
//! were most of what a claim weighed: the text 77 bytes on average, about 100 with its
//! allocation and pointer, the wording about 93 (81 bytes spilled, plus two `usize`
//! ends, less the spilled count): about 0.4 GB each of a 100,000-article run (whose
//! spilled files are 341 and 357 MB), held through agreement, whose peak they set. So each batch's texts and
//! wordings go to unnamed temporary files as the batch comes back, and are read back a
//! block of records at a time, nearby records in one read. The files live in the page
//! cache, which the kernel may reclaim, not in the run's own memory; they are removed
//! when the run ends, however it ends.

use std::fs::File;
use std::io::{self, BufWriter, Write};

/// Where one record lies in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    start: u64,
    len: u32,
}

/// A file of records being written, during extraction.
#[derive(Debug)]
pub struct Spill {
    writer: BufWriter<File>,
    written: u64,
}

impl Spill {
    /// A new spill in the system's temporary directory (`TMPDIR` on Unix).
    pub fn new() -> io::Result<Spill> {
        Ok(Spill {
            writer: BufWriter::with_capacity(1 << 20, tempfile::tempfile()?),
            written: 0,
        })
    }

    /// Writes `records` and returns where each went, in order.
    pub fn append<'a>(
        &mut self,
        records: impl IntoIterator<Item = &'a [u8]>,
    ) -> io::Result<Vec<Span>> {
        records
            .into_iter()
            .map(|record| {
                let len = u32::try_from(record.len()).map_err(|_| {
                    io::Error::new(io::ErrorKind::InvalidInput, "a record over 4 GiB")
                })?;
                self.writer.write_all(record)?;
                let span = Span {
                    start: self.written,
                    len,
                };
                self.written += u64::from(len);
                Ok(span)
            })
            .collect()
    }

    /// The records at `spans`, claim after claim, readable once everything is written.
    pub fn finish(self, spans: Vec<Span>) -> io::Result<Spilled> {
        let file = self.writer.into_inner().map_err(|e| e.into_error())?;
        Ok(Spilled { file, spans })
    }
}

/// A record per claim, read back from a spill.
pub struct Spilled {
    file: File,
    spans: Vec<Span>,
}

/// Without the file, whose handle differs from run to run.
impl std::fmt::Debug for Spilled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spilled")
            .field("records", &self.spans.len())
            .finish_non_exhaustive()
    }
}

/// Reads closer than this in the file are made as one: rows written in claim order
/// then cost one read per block, not one per row.
const JOIN_GAP: u64 = 1 << 12;

impl Spilled {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The records of `claims`, in one block: records near each other in the file are
    /// read in one go.
    pub fn read(&self, claims: &[usize]) -> io::Result<Records> {
        let span_of = |k: usize| self.spans[claims[k]];
        let mut order: Vec<usize> = (0..claims.len()).collect();
        order.sort_unstable_by_key(|&k| span_of(k).start);
        let mut bytes = Vec::new();
        let mut places = vec![(0, 0); claims.len()];
        let mut rest = &order[..];
        while let Some(&first) = rest.first() {
            let start = span_of(first).start;
            let mut end = start;
            let mut taken = 0;
            for &k in rest {
                let span = span_of(k);
                if span.start > end + JOIN_GAP {
                    break;
                }
                end = end.max(span.start + u64::from(span.len));
                taken += 1;
            }
            let place = bytes.len();
            bytes.resize(place + (end - start) as usize, 0);
            read_exact_at(&self.file, &mut bytes[place..], start)?;
            for &k in &rest[..taken] {
                let span = span_of(k);
                let from = place + (span.start - start) as usize;
                places[k] = (from, from + span.len as usize);
            }
            rest = &rest[taken..];
        }
        Ok(Records { bytes, places })
    }
}

/// Records read together; `get(k)` is the record of the `k`th claim asked for.
#[derive(Debug)]
pub struct Records {
    bytes: Vec<u8>,
    places: Vec<(usize, usize)>,
}

impl Records {
    pub fn get(&self, k: usize) -> &[u8] {
        let (start, end) = self.places[k];
        &self.bytes[start..end]
    }
}

/// Every claim's text, spilled as its UTF-8 bytes.
#[derive(Debug)]
pub struct ClaimTexts(Spilled);

impl ClaimTexts {
    pub fn new(spilled: Spilled) -> ClaimTexts {
        ClaimTexts(spilled)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text of claim `claim`.
    pub fn get(&self, claim: usize) -> io::Result<String> {
        let block = self.read(&[claim])?;
        Ok(block.get(0).to_string())
    }

    /// The texts of `claims`, read as one block.
    pub fn read(&self, claims: &[usize]) -> io::Result<TextBlock> {
        let Records { bytes, places } = self.0.read(claims)?;
        // A read starts and ends with whole texts, so it is whole UTF-8 unless the file
        // was changed under the run.
        let text = String::from_utf8(bytes).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "the temporary file of claim texts changed under the run",
            )
        })?;
        Ok(TextBlock { text, places })
    }
}

/// Texts read together; `get(k)` is the text of the `k`th claim asked for.
#[derive(Debug)]
pub struct TextBlock {
    text: String,
    places: Vec<(usize, usize)>,
}

impl TextBlock {
    pub fn get(&self, k: usize) -> &str {
        let (start, end) = self.places[k];
        &self.text[start..end]
    }
}

/// Reads `buffer.len()` bytes at `offset` without moving a shared cursor, so worker
/// threads read one file handle at once (the spills here, the cache's packs).
#[cfg(unix)]
pub(crate) fn read_exact_at(file: &File, buffer: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
pub(crate) fn read_exact_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buffer.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buffer, offset) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buffer = &mut buffer[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spilled<'a>(texts: impl IntoIterator<Item = &'a str>) -> ClaimTexts {
        let mut spill = Spill::new().unwrap();
        let spans = spill.append(texts.into_iter().map(str::as_bytes)).unwrap();
        ClaimTexts::new(spill.finish(spans).unwrap())
    }

    #[test]
    fn texts_come_back_whatever_order_they_are_asked_in() {
        let texts = ["Mayor Ortiz said", "", "ünïcode — fine", "the last one"];
        let all = spilled(texts);
        assert_eq!(all.len(), 4);
        for (claim, text) in texts.iter().enumerate() {
            assert_eq!(all.get(claim).unwrap(), *text);
        }
        let block = all.read(&[3, 0, 2, 0]).unwrap();
        assert_eq!(
            [block.get(0), block.get(1), block.get(2), block.get(3)],
            [texts[3], texts[0], texts[2], texts[0]]
        );
    }

    #[test]
    fn texts_far_apart_are_read_separately_and_still_placed_right() {
        let filler = "x".repeat(3 * JOIN_GAP as usize);
        let texts = ["first", filler.as_str(), "middle", filler.as_str(), "last"];
        let all = spilled(texts);
        let block = all.read(&[4, 2, 0]).unwrap();
        assert_eq!(
            [block.get(0), block.get(1), block.get(2)],
            ["last", "middle", "first"]
        );
        // The filler between them is never read.
        assert!(block.text.len() < filler.len(), "{}", block.text.len());
    }

    #[test]
    fn spans_from_several_appends_run_on() {
        let mut spill = Spill::new().unwrap();
        let mut spans = spill.append([&b"one"[..], b"two"]).unwrap();
        spans.extend(spill.append([&b"three"[..]]).unwrap());
        spans.remove(1);
        let all = spill.finish(spans).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all.read(&[1, 0]).unwrap().get(0), b"three");
    }
}
