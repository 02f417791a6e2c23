//! What extraction yields and only later stages read, kept on disk in between.
//!
//! A claim's prose (its text, hedging cue and values as written) is printed only by
//! the reports (claims.csv, facts.csv, the page), and its wording is read only by
//! agreement, one story at a time. Its names and values are read by both, and go to
//! both files. Held in memory, the two were most of what a claim
//! weighed: the text 77 bytes on average, about 100 with its allocation and pointer,
//! the values as written about 38 more, the wording about 93 (81 bytes spilled, plus
//! two `usize` ends, less the spilled count): about 0.4 GB each of a 100,000-article
//! run, held through agreement, whose peak they set. So each batch's prose and
//! wordings go to unnamed temporary files as the batch comes back, and are read back a
//! block of records at a time, nearby records in one read. The files live in the page
//! cache, which the kernel may reclaim, not in the run's own memory; they are removed
//! when the run ends, however it ends. Each article's shingles, which only copy
//! detection reads, are spilled the same way (see `Shingles`).

use std::fs::File;
use std::io::{self, BufWriter, Write};

use smallvec::SmallVec;

use super::{Claim, Prose, ValueKind};
use crate::chunked::Chunked;

/// Where one record lies in its file: its start in the high 40 bits, its length in the
/// low 24. Every claim has two spans, held until the reports are written: 8 bytes
/// rather than 16 (a `u64` and a `u32`, padded) is 0.7 GB of a 1,000,000-article run.
/// A spill is then at most 1 TiB and a record at most 16 MiB; a claim's records
/// average about 80 bytes each (see above).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span(u64);

const SPAN_LEN_BITS: u32 = 24;

impl Span {
    fn new(start: u64, len: usize) -> io::Result<Span> {
        let too_large = |what: &'static str| io::Error::new(io::ErrorKind::InvalidInput, what);
        if len >> SPAN_LEN_BITS != 0 {
            return Err(too_large("a claim's temporary record is over 16 MiB"));
        }
        if (start + len as u64) >> (u64::BITS - SPAN_LEN_BITS) != 0 {
            return Err(too_large("a temporary file of claims is over 1 TiB"));
        }
        Ok(Span(start << SPAN_LEN_BITS | len as u64))
    }

    fn start(self) -> u64 {
        self.0 >> SPAN_LEN_BITS
    }

    fn len(self) -> u64 {
        self.0 & ((1 << SPAN_LEN_BITS) - 1)
    }
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

    /// Writes `count` records, record `k` being what `encode(k, out)` appends to `out`,
    /// and returns where each went, in order. One buffer serves every record: the feed
    /// writes a batch's records between batches, while the workers wait.
    pub fn append(
        &mut self,
        count: usize,
        mut encode: impl FnMut(usize, &mut Vec<u8>),
    ) -> io::Result<Vec<Span>> {
        let mut record = Vec::new();
        (0..count)
            .map(|k| {
                record.clear();
                encode(k, &mut record);
                let span = Span::new(self.written, record.len())?;
                self.writer.write_all(&record)?;
                self.written += span.len();
                Ok(span)
            })
            .collect()
    }

    /// The records at `spans`, claim after claim, readable once everything is written.
    pub fn finish(self, spans: Chunked<Span>) -> io::Result<Spilled> {
        let file = self.writer.into_inner().map_err(|e| e.into_error())?;
        Ok(Spilled { file, spans })
    }
}

/// A record per claim (or per article), read back from a spill.
pub struct Spilled {
    file: File,
    spans: Chunked<Span>,
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
    pub fn read(&self, claims: &[u32]) -> io::Result<Records> {
        let span_of = |k: usize| self.spans[claims[k] as usize];
        let mut order: Vec<usize> = (0..claims.len()).collect();
        order.sort_unstable_by_key(|&k| span_of(k).start());
        let mut bytes = Vec::new();
        let mut places = vec![(0, 0); claims.len()];
        let mut rest = &order[..];
        while let Some(&first) = rest.first() {
            let start = span_of(first).start();
            let mut end = start;
            let mut taken = 0;
            for &k in rest {
                let span = span_of(k);
                if span.start() > end + JOIN_GAP {
                    break;
                }
                end = end.max(span.start() + span.len());
                taken += 1;
            }
            let place = bytes.len();
            bytes.resize(place + (end - start) as usize, 0);
            read_exact_at(&self.file, &mut bytes[place..], start)?;
            for &k in &rest[..taken] {
                let span = span_of(k);
                let from = place + (span.start() - start) as usize;
                places[k] = (from, from + span.len() as usize);
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

/// Each article's sampled shingle hashes, one after another, and where each article's
/// start: what copy detection reads, read back from the spill the feed writes them to
/// (a record of little-endian `u64`s per article). Held from the feed to copy
/// detection, as a vector per article, they were about 1.1 GB of a 1,000,000-article
/// run (135M hashes) under the peak of story grouping, which never reads them.
#[derive(Debug, Default, PartialEq)]
pub struct Shingles {
    hashes: Vec<u64>,
    starts: Vec<usize>,
}

/// Articles whose shingles are read back in one go.
const SHINGLE_READ_ARTICLES: usize = 1 << 12;

impl Shingles {
    /// Appends to `record` the record `shingles` are spilled as.
    pub fn encode(shingles: &[u64], record: &mut Vec<u8>) {
        record.extend(shingles.iter().flat_map(|hash| hash.to_le_bytes()));
    }

    /// Every article's shingles, read back from a spill of `encode`d records.
    pub fn read(spilled: &Spilled) -> io::Result<Shingles> {
        let total = (0..spilled.len())
            .map(|article| spilled.spans[article].len() as usize / 8)
            .sum();
        let mut shingles = Shingles {
            hashes: Vec::with_capacity(total),
            starts: Vec::with_capacity(spilled.len() + 1),
        };
        shingles.starts.push(0);
        let articles: Vec<u32> =
            (0..u32::try_from(spilled.len()).expect("fewer than 2^32 articles")).collect();
        for block in articles.chunks(SHINGLE_READ_ARTICLES) {
            let records = spilled.read(block)?;
            for k in 0..block.len() {
                let record = records.get(k);
                if record.len() % 8 != 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "an article's spilled shingles are not whole 64-bit hashes",
                    ));
                }
                shingles.hashes.extend(
                    record
                        .chunks_exact(8)
                        .map(|hash| u64::from_le_bytes(hash.try_into().expect("8 bytes"))),
                );
                shingles.starts.push(shingles.hashes.len());
            }
        }
        Ok(shingles)
    }

    /// The shingles of every article, by index.
    pub fn lists(&self) -> Vec<&[u64]> {
        self.starts
            .windows(2)
            .map(|ends| &self.hashes[ends[0]..ends[1]])
            .collect()
    }
}

/// Every claim's `Prose`, with the names and value kinds claims.csv prints beside it,
/// spilled as one UTF-8 record: a header of the byte lengths of its parts (the text,
/// the hedge, the names each ended by NUL, the kinds as one digit each, then each value
/// as written), each followed by a comma, ended by a semicolon; then the parts, run
/// together. The header is ASCII, so a block of records is UTF-8 exactly when the
/// parts are.
#[derive(Debug)]
pub struct ClaimProse(Spilled);

impl ClaimProse {
    pub fn new(spilled: Spilled) -> ClaimProse {
        ClaimProse(spilled)
    }

    /// Appends to `record` the record `prose`, the prose of `claim`, is spilled as.
    pub fn encode(prose: &Prose, claim: &Claim, record: &mut Vec<u8>) {
        debug_assert_eq!(prose.values.len(), claim.values.len());
        // On the stack: the feed writes every claim of a run, one after another.
        let mut names: SmallVec<[u8; 128]> = SmallVec::new();
        for name in claim.entities.iter() {
            names.extend_from_slice(name.as_bytes());
            names.push(0);
        }
        let kinds: SmallVec<[u8; 16]> = claim
            .values
            .iter()
            .map(|value| b'0' + value.kind as u8)
            .collect();
        let parts = || {
            [
                prose.text.as_bytes(),
                prose.hedge.as_bytes(),
                &names,
                &kinds,
            ]
            .into_iter()
            .chain(prose.values.iter().map(|value| value.as_bytes()))
        };
        let mut digits = itoa::Buffer::new();
        for part in parts() {
            record.extend_from_slice(digits.format(part.len()).as_bytes());
            record.push(b',');
        }
        record.push(b';');
        parts().for_each(|part| record.extend_from_slice(part));
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The prose of claim `claim`.
    pub fn get(&self, claim: usize) -> io::Result<Prose> {
        let claim = u32::try_from(claim).expect("fewer than 2^32 claims");
        let block = self.read(&[claim])?;
        Ok(Prose {
            text: block.text(0).into(),
            hedge: block.hedge(0).into(),
            values: block.values(0).map(Box::from).collect(),
        })
    }

    /// The prose of `claims`, read as one block.
    pub fn read(&self, claims: &[u32]) -> io::Result<ProseBlock> {
        let Records { bytes, places } = self.0.read(claims)?;
        let changed = || {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "the temporary file of claim texts changed under the run",
            )
        };
        // A read starts and ends with whole records, so it is whole UTF-8 unless the
        // file was changed under the run.
        let text = String::from_utf8(bytes).map_err(|_| changed())?;
        let mut parts = Vec::with_capacity(3 * places.len());
        let mut first_part = Vec::with_capacity(places.len() + 1);
        for (start, end) in places {
            let first = parts.len();
            first_part.push(first);
            let record = &text[start..end];
            let header = record.find(';').ok_or_else(changed)?;
            let mut from = start + header + 1;
            for length in record[..header].split_terminator(',') {
                let to = from + length.parse::<usize>().map_err(|_| changed())?;
                if to > end || text.get(from..to).is_none() {
                    return Err(changed());
                }
                parts.push((from, to));
                from = to;
            }
            // Every record has a text, a hedge, names and a kind for each value, and
            // nothing after its parts.
            let count = parts.len() - first;
            let kinds = parts.get(first + 3).map(|&(from, to)| &text[from..to]);
            let kinds_fit = kinds.is_some_and(|kinds| {
                kinds.len() == count - 4
                    && kinds
                        .bytes()
                        .all(|kind| usize::from(kind.wrapping_sub(b'0')) < ValueKind::ALL.len())
            });
            if from != end || !kinds_fit {
                return Err(changed());
            }
        }
        first_part.push(parts.len());
        Ok(ProseBlock {
            text,
            parts,
            first_part,
        })
    }
}

/// Prose read together; the accessors take `k`, the `k`th claim asked for.
#[derive(Debug)]
pub struct ProseBlock {
    text: String,
    /// Where each part lies in `text`: claim `k`'s are `parts[first_part[k]..first_part[k + 1]]`.
    parts: Vec<(usize, usize)>,
    first_part: Vec<usize>,
}

impl ProseBlock {
    fn parts(&self, k: usize) -> impl Iterator<Item = &str> {
        self.parts[self.first_part[k]..self.first_part[k + 1]]
            .iter()
            .map(|&(start, end)| &self.text[start..end])
    }

    pub fn text(&self, k: usize) -> &str {
        self.parts(k).next().unwrap_or_default()
    }

    /// The hedging cue as written, empty when the claim has none.
    pub fn hedge(&self, k: usize) -> &str {
        self.parts(k).nth(1).unwrap_or_default()
    }

    /// The claim's names, as `Claim::entities` lists them.
    pub fn entities(&self, k: usize) -> impl Iterator<Item = &str> {
        self.parts(k)
            .nth(2)
            .unwrap_or_default()
            .split_terminator('\0')
    }

    /// The kind of each of the claim's values, in order.
    pub fn value_kinds(&self, k: usize) -> impl Iterator<Item = ValueKind> + '_ {
        let kinds = self.parts(k).nth(3).unwrap_or_default();
        kinds
            .bytes()
            .map(|kind| ValueKind::ALL[usize::from(kind - b'0')])
    }

    /// Each of the claim's values as written, in order.
    pub fn values(&self, k: usize) -> impl Iterator<Item = &str> {
        self.parts(k).skip(4)
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

    #[test]
    fn a_span_holds_its_start_and_length_or_refuses_them() {
        let span = Span::new((1 << 40) - 11, 10).unwrap();
        assert_eq!((span.start(), span.len()), ((1 << 40) - 11, 10));
        let longest = Span::new(3, (1 << 24) - 1).unwrap();
        assert_eq!((longest.start(), longest.len()), (3, (1 << 24) - 1));
        assert!(Span::new(0, 1 << 24).is_err());
        assert!(Span::new((1 << 40) - 10, 11).is_err());
    }

    fn prose(text: &str, hedge: &str, values: &[&str]) -> Prose {
        Prose {
            text: text.into(),
            hedge: hedge.into(),
            values: values.iter().map(|&v| v.into()).collect(),
        }
    }

    /// A claim naming `names`, with a value of each kind in `kinds`.
    fn claim(names: &[&str], kinds: &[ValueKind]) -> Claim {
        let values: Vec<_> = kinds.iter().map(|&kind| (kind, 1.0, "usd")).collect();
        crate::claims::claim_stating(names, &values, crate::claims::Polarity::Affirmed)
    }

    /// `all` spilled, each prose with a claim of as many values and no names.
    fn spilled(all: &[Prose]) -> ClaimProse {
        let claims: Vec<Claim> = all
            .iter()
            .map(|prose| claim(&[], &vec![ValueKind::Number; prose.values.len()]))
            .collect();
        spilled_with(all, &claims)
    }

    fn spilled_with(all: &[Prose], claims: &[Claim]) -> ClaimProse {
        let mut spill = Spill::new().unwrap();
        let spans = spill
            .append(all.len(), |k, out| {
                ClaimProse::encode(&all[k], &claims[k], out)
            })
            .unwrap();
        ClaimProse::new(spill.finish(spans.into_iter().collect()).unwrap())
    }

    #[test]
    fn shingles_come_back_article_by_article() {
        let articles: Vec<Vec<u64>> = (0..3 * SHINGLE_READ_ARTICLES as u64 / 2)
            .map(|article| {
                (0..article % 5)
                    .map(|k| u64::MAX - article * 7 - k)
                    .collect()
            })
            .collect();
        let mut spill = Spill::new().unwrap();
        let spans = spill
            .append(articles.len(), |k, out| Shingles::encode(&articles[k], out))
            .unwrap();
        let spilled = spill.finish(spans.into_iter().collect()).unwrap();
        let shingles = Shingles::read(&spilled).unwrap();
        let lists: Vec<Vec<u64>> = shingles.lists().into_iter().map(<[u64]>::to_vec).collect();
        assert_eq!(lists, articles);
    }

    #[test]
    fn names_and_value_kinds_come_back_with_the_prose() {
        let all = [
            prose("Turkey bought S-400s", "", &["2019", "$2.5 billion"]),
            prose("none", "", &[]),
            prose("odd", "", &["x"]),
        ];
        let claims = [
            claim(&["turkey", "s-400"], &[ValueKind::Year, ValueKind::Money]),
            claim(&[], &[]),
            claim(&[""], &[ValueKind::Tally]),
        ];
        let block = spilled_with(&all, &claims).read(&[2, 0, 1]).unwrap();
        for (k, claim) in [2, 0, 1].into_iter().enumerate() {
            assert!(block.entities(k).eq(claims[claim].entities.iter()), "{k}");
            let kinds: Vec<ValueKind> = claims[claim].values.iter().map(|v| v.kind).collect();
            assert!(block.value_kinds(k).eq(kinds), "{k}");
            assert!(block.values(k).eq(all[claim].values.iter().map(|v| &**v)));
        }
    }

    #[test]
    fn prose_comes_back_whatever_order_it_is_asked_in() {
        let all = [
            prose(
                "Mayor Ortiz said 12,5; then 3;",
                "reportedly",
                &["12", "$4,5 bn"],
            ),
            prose("", "", &[]),
            prose("ünïcode — fine", "", &["", "März 3"]),
            prose("7;8,9,", "could", &[]),
        ];
        let spilled = spilled(&all);
        assert_eq!(spilled.len(), 4);
        for (claim, prose) in all.iter().enumerate() {
            assert_eq!(&spilled.get(claim).unwrap(), prose);
        }
        let block = spilled.read(&[3, 0, 2, 0]).unwrap();
        for (k, claim) in [3, 0, 2, 0].into_iter().enumerate() {
            assert_eq!(block.text(k), &*all[claim].text);
            assert_eq!(block.hedge(k), &*all[claim].hedge);
            assert!(block.values(k).eq(all[claim].values.iter().map(|v| &**v)));
        }
    }

    #[test]
    fn prose_far_apart_is_read_separately_and_still_placed_right() {
        let filler = prose(&"x".repeat(3 * JOIN_GAP as usize), "", &[]);
        let all = [
            prose("first", "", &[]),
            filler.clone(),
            prose("middle", "", &[]),
            filler.clone(),
            prose("last", "", &[]),
        ];
        let block = spilled(&all).read(&[4, 2, 0]).unwrap();
        assert_eq!(
            [block.text(0), block.text(1), block.text(2)],
            ["last", "middle", "first"]
        );
        // The filler between them is never read.
        assert!(block.text.len() < filler.text.len(), "{}", block.text.len());
    }

    #[test]
    fn a_record_that_does_not_add_up_is_an_error_not_a_misread() {
        let records = [
            &b"5,0,0,0;abcd"[..],
            b"2,0,0,0;abcd",
            b"4;abcd",
            b"abcd",
            b"2,x;ab",
            // A value with no kind, and a kind that is none.
            b"1,1,0,0,1;abc",
            b"1,1,0,1;ab:",
        ];
        for record in records {
            let mut spill = Spill::new().unwrap();
            let spans = spill
                .append(1, |_, out| out.extend_from_slice(record))
                .unwrap();
            let spilled = ClaimProse::new(spill.finish(spans.into_iter().collect()).unwrap());
            let error = spilled.read(&[0]).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidData, "{record:?}");
        }
    }

    #[test]
    fn spans_from_several_appends_run_on() {
        let mut spill = Spill::new().unwrap();
        let words: [&[u8]; 3] = [b"one", b"two", b"three"];
        let mut spans = spill
            .append(2, |k, out| out.extend_from_slice(words[k]))
            .unwrap();
        spans.extend(
            spill
                .append(1, |_, out| out.extend_from_slice(words[2]))
                .unwrap(),
        );
        spans.remove(1);
        let all = spill.finish(spans.into_iter().collect()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all.read(&[1, 0]).unwrap().get(0), b"three");
    }
}
