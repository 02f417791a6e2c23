//! Claim texts kept on disk between extraction and the reports.
//!
//! Only claims.csv, facts.csv and the HTML page print a claim's text; nothing between
//! reads it. Held in memory it was the largest part of a claim (77 bytes on average,
//! about 100 with its allocation and pointer: 0.4 GB of a 100,000-article run, through
//! agreement, whose peak it raised). So each batch's texts go to an unnamed temporary
//! file as the batch is done, and the reports read them back, a block of rows at a
//! time. The file lives in the page cache, which the kernel may reclaim, not in the
//! run's own memory; it is removed when the run ends, however it ends.

use std::fs::File;
use std::io::{self, BufWriter, Write};

/// Where one claim's text lies in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextSpan {
    start: u64,
    len: u32,
}

/// The file being written, during extraction.
#[derive(Debug)]
pub struct TextSpill {
    writer: BufWriter<File>,
    written: u64,
}

impl TextSpill {
    /// A new spill in the system's temporary directory (`TMPDIR` on Unix).
    pub fn new() -> io::Result<TextSpill> {
        Ok(TextSpill {
            writer: BufWriter::with_capacity(1 << 20, tempfile::tempfile()?),
            written: 0,
        })
    }

    /// Writes `texts` and returns where each went, in order.
    pub fn append<'a>(
        &mut self,
        texts: impl IntoIterator<Item = &'a str>,
    ) -> io::Result<Vec<TextSpan>> {
        texts
            .into_iter()
            .map(|text| {
                let len = u32::try_from(text.len()).map_err(|_| {
                    io::Error::new(io::ErrorKind::InvalidInput, "a claim text over 4 GiB")
                })?;
                self.writer.write_all(text.as_bytes())?;
                let span = TextSpan {
                    start: self.written,
                    len,
                };
                self.written += u64::from(len);
                Ok(span)
            })
            .collect()
    }

    /// The texts at `spans`, claim after claim, readable once everything is written.
    pub fn finish(self, spans: Vec<TextSpan>) -> io::Result<ClaimTexts> {
        let file = self.writer.into_inner().map_err(|e| e.into_error())?;
        Ok(ClaimTexts { file, spans })
    }
}

/// Every claim's text, read back from the spill.
pub struct ClaimTexts {
    file: File,
    spans: Vec<TextSpan>,
}

/// Without the file, whose handle differs from run to run.
impl std::fmt::Debug for ClaimTexts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimTexts")
            .field("claims", &self.spans.len())
            .finish_non_exhaustive()
    }
}

/// Reads closer than this in the file are made as one: rows written in claim order
/// then cost one read per block, not one per row.
const JOIN_GAP: u64 = 1 << 12;

impl ClaimTexts {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The text of claim `claim`.
    pub fn get(&self, claim: usize) -> io::Result<String> {
        let block = self.read(&[claim])?;
        Ok(block.get(0).to_string())
    }

    /// The texts of `claims`, in one block: texts near each other in the file are read
    /// in one go.
    pub fn read(&self, claims: &[usize]) -> io::Result<TextBlock> {
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
        // A run starts and ends with whole texts, so it is whole UTF-8 unless the file
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
/// threads read one file handle at once (the claim texts here, the cache's packs).
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
        let mut spill = TextSpill::new().unwrap();
        let spans = spill.append(texts).unwrap();
        spill.finish(spans).unwrap()
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
        let mut spill = TextSpill::new().unwrap();
        let mut spans = spill.append(["one", "two"]).unwrap();
        spans.extend(spill.append(["three"]).unwrap());
        spans.remove(1);
        let all = spill.finish(spans).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all.get(1).unwrap(), "three");
    }
}
