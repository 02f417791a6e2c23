//! Ids of claims and facts: a letter and a 64-bit hash in 16 hex digits ("c3f2…"),
//! held as the hash. A run holds millions of them, and as strings each took 24 bytes
//! and an allocation besides its 17 characters.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

/// An id spelled `PREFIX` and 16 lowercase hex digits. Every spelling has the same
/// length, so ordering ids by their hash orders them as their spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Deserialize)]
#[serde(transparent)]
pub struct HexId<const PREFIX: char>(pub u64);

/// A claim's id: the hash of its article's key and its byte span.
pub type ClaimId = HexId<'c'>;
/// A fact's id: the hash of its smallest claim id, spelled.
pub type FactId = HexId<'f'>;

impl<const PREFIX: char> HexId<PREFIX> {
    pub const fn new(hash: u64) -> Self {
        HexId(hash)
    }

    /// The id as written, without allocating.
    pub fn spelled(self) -> SpelledId {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut bytes = [0u8; 17];
        bytes[0] = PREFIX as u8;
        for (place, byte) in bytes[1..].iter_mut().enumerate() {
            *byte = DIGITS[(self.0 >> (60 - 4 * place) & 0xf) as usize];
        }
        SpelledId(bytes)
    }
}

impl<const PREFIX: char> fmt::Display for HexId<PREFIX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spelled())
    }
}

impl<const PREFIX: char> Serialize for HexId<PREFIX> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

/// An id's text, on the stack.
#[derive(Debug, Clone, Copy, Default)]
pub struct SpelledId([u8; 17]);

impl std::ops::Deref for SpelledId {
    type Target = str;

    fn deref(&self) -> &str {
        std::str::from_utf8(&self.0).expect("an id is ASCII")
    }
}

impl Serialize for SpelledId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_spelled_as_its_letter_and_sixteen_hex_digits() {
        let hash = 0x00ab_cdef_0123_4567u64;
        assert_eq!(&*FactId::new(hash).spelled(), "f00abcdef01234567");
        assert_eq!(ClaimId::new(hash).to_string(), format!("c{hash:016x}"));
    }

    #[test]
    fn ids_order_as_their_spellings() {
        let hashes = [0, 9, 10, 0xff, 0x100, u64::MAX >> 1, u64::MAX];
        for a in hashes {
            for b in hashes {
                assert_eq!(
                    ClaimId::new(a).cmp(&ClaimId::new(b)),
                    (*ClaimId::new(a).spelled()).cmp(&*ClaimId::new(b).spelled())
                );
            }
        }
    }
}
