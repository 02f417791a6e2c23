//! Typed values in a clause: years, dates, money, percentages, counts, tallies.
//!
//! Values are what make two reports of one fact conflict ("$48 million" vs "$120
//! million", "built in 1962" vs "in 1975"), so each carries a kind and a unit, and two
//! values are only ever compared when both match.

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};
use ustr::Ustr;
use xxhash_rust::xxh3::xxh3_64;

use crate::tokenize::{Doc, Shape, Token, Tokenizer};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Value {
    pub kind: ValueKind,
    /// The number: a year, a month*100+day for dates, for a tally its text's hash
    /// (`tally_amount`), an amount otherwise.
    pub amount: f64,
    /// Currency code for money, the stemmed noun for counts ("job"), empty otherwise.
    /// Interned: a few hundred distinct units name millions of values.
    pub unit: Ustr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ValueKind {
    Year,
    Date,
    Money,
    Percent,
    Count,
    /// A vote or score: "7-2".
    Tally,
    /// "on Wednesday": relative to when the article was written, so it can confirm a
    /// fact but never contradict one.
    Weekday,
    /// A bare number with no recognisable unit; never used for contradictions.
    Number,
}

impl ValueKind {
    /// Every kind, in declaration order: `ALL[kind as usize] == kind`, how a kind is
    /// read back from a byte.
    pub const ALL: [ValueKind; 8] = [
        ValueKind::Year,
        ValueKind::Date,
        ValueKind::Money,
        ValueKind::Percent,
        ValueKind::Count,
        ValueKind::Tally,
        ValueKind::Weekday,
        ValueKind::Number,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ValueKind::Year => "year",
            ValueKind::Date => "date",
            ValueKind::Money => "money",
            ValueKind::Percent => "percent",
            ValueKind::Count => "count",
            ValueKind::Tally => "tally",
            ValueKind::Weekday => "weekday",
            ValueKind::Number => "number",
        }
    }
}

/// Agreement of two values of the same kind and unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// Different kinds or units, or bare numbers: says nothing.
    Incomparable,
    Agree,
    Conflict,
}

impl Value {
    /// `tolerance` is the relative difference under which amounts still agree.
    pub fn compare(&self, other: &Value, tolerance: f64) -> Comparison {
        if self.kind != other.kind || self.kind == ValueKind::Number {
            return Comparison::Incomparable;
        }
        if self.unit != other.unit {
            // "1,200 jobs" and "1,200 positions": the same count under another noun is
            // the same figure, but different counts of different things never conflict.
            let same_count =
                self.kind == ValueKind::Count && self.amount == other.amount && self.amount >= 10.0;
            return if same_count {
                Comparison::Agree
            } else {
                Comparison::Incomparable
            };
        }
        let agree = match self.kind {
            ValueKind::Year => self.amount == other.amount,
            ValueKind::Tally => self.amount == other.amount,
            ValueKind::Weekday => {
                return if self.amount == other.amount {
                    Comparison::Agree
                } else {
                    Comparison::Incomparable
                };
            }
            ValueKind::Date => {
                let (m1, d1) = ((self.amount / 100.0) as u32, self.amount as u32 % 100);
                let (m2, d2) = ((other.amount / 100.0) as u32, other.amount as u32 % 100);
                m1 == m2 && (d1 == d2 || d1 == 0 || d2 == 0)
            }
            _ => {
                let scale = self.amount.abs().max(other.amount.abs());
                scale == 0.0 || (self.amount - other.amount).abs() / scale <= tolerance
            }
        };
        if agree {
            Comparison::Agree
        } else {
            Comparison::Conflict
        }
    }
}

pub const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

const SCALES: &[(&str, f64)] = &[
    ("thousand", 1e3),
    ("million", 1e6),
    ("millions", 1e6),
    ("mn", 1e6),
    ("billion", 1e9),
    ("billions", 1e9),
    ("bn", 1e9),
    ("trillion", 1e12),
];

const CURRENCY_SYMBOLS: &[(char, &str)] = &[
    ('$', "usd"),
    ('€', "eur"),
    ('£', "gbp"),
    ('¥', "jpy"),
    ('₺', "try"),
    ('₽', "rub"),
];

const CURRENCY_WORDS: &[(&str, &str)] = &[
    ("dollar", "usd"),
    ("dollars", "usd"),
    ("euro", "eur"),
    ("euros", "eur"),
    ("pound", "gbp"),
    ("pounds", "gbp"),
    ("lira", "try"),
    ("liras", "try"),
    ("ruble", "rub"),
    ("rubles", "rub"),
    ("rouble", "rub"),
    ("roubles", "rub"),
    ("yuan", "cny"),
    ("yen", "jpy"),
    ("rupee", "inr"),
    ("rupees", "inr"),
];

/// Words after which a capitalised "May" is the month rather than the modal.
const MONTH_PREPOSITIONS: &[&str] = &[
    "in", "since", "until", "by", "early", "late", "mid", "last", "next", "of", "from", "through",
];

pub struct Parsed {
    pub values: Vec<Value>,
    /// Each value as written ("$48 million"), which only the reports print.
    pub texts: Vec<Box<str>>,
    /// Tokens read as part of a value; not names, terms or cues.
    pub consumed: Vec<bool>,
}

fn month_of(token: &Token) -> Option<u32> {
    if token.shape != Shape::Capitalized {
        return None;
    }
    MONTHS
        .iter()
        .find(|(name, _)| *name == token.folded)
        .map(|(_, month)| *month)
}

fn integer(token: &Token, doc: &Doc) -> Option<u32> {
    let text = doc.token_text(token);
    if token.shape == Shape::Numeric && text.bytes().all(|b| b.is_ascii_digit()) && text.len() <= 9
    {
        text.parse().ok()
    } else {
        None
    }
}

fn year(token: &Token, doc: &Doc) -> Option<u32> {
    let text = doc.token_text(token);
    integer(token, doc).filter(|y| text.len() == 4 && (1800..=2100).contains(y))
}

pub fn parse(
    doc: &Doc,
    tokens: &[Token],
    number_words: &FxHashMap<String, f64>,
    tokenizer: &Tokenizer,
) -> Parsed {
    let mut values = Vec::new();
    let mut consumed = vec![false; tokens.len()];
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        let next = tokens.get(i + 1);
        // Dates: "March 9", "March 9, 2026", "June 2026", "9 March", "in May".
        if let Some(month) = month_of(token) {
            let day = next
                .and_then(|t| integer(t, doc))
                .filter(|d| (1..=31).contains(d));
            let year_after = |k: usize| tokens.get(k).and_then(|t| year(t, doc));
            let modal_may = token.folded == "may"
                && day.is_none()
                && year_after(i + 1).is_none()
                && !(i > 0 && MONTH_PREPOSITIONS.contains(&tokens[i - 1].folded.as_str()));
            if !modal_may {
                let mut end = i + 1;
                let date_day = match (day, year_after(i + 1)) {
                    (Some(d), _) => {
                        end = i + 2;
                        d
                    }
                    _ => 0,
                };
                values.push(value(
                    doc,
                    tokens,
                    i,
                    end,
                    ValueKind::Date,
                    f64::from(month * 100 + date_day),
                    "",
                ));
                if let Some(y) = year_after(end) {
                    values.push(value(
                        doc,
                        tokens,
                        end,
                        end + 1,
                        ValueKind::Year,
                        f64::from(y),
                        "",
                    ));
                    end += 1;
                }
                consumed[i..end].iter_mut().for_each(|c| *c = true);
                i = end;
                continue;
            }
        }
        if let Some(day) = WEEKDAYS.iter().position(|d| *d == token.folded) {
            if token.shape == Shape::Capitalized {
                values.push(value(
                    doc,
                    tokens,
                    i,
                    i + 1,
                    ValueKind::Weekday,
                    day as f64,
                    "",
                ));
                consumed[i] = true;
            }
            i += 1;
            continue;
        }
        if token.shape == Shape::Numeric && doc.token_text(token).contains('-') {
            let amount = tally_amount(doc.token_text(token));
            values.push(value(doc, tokens, i, i + 1, ValueKind::Tally, amount, ""));
            consumed[i] = true;
            i += 1;
            continue;
        }
        let amount = if token.shape == Shape::Numeric {
            doc.token_text(token).replace(',', "").parse::<f64>().ok()
        } else if token.shape == Shape::Lower || (i == 0 && token.shape == Shape::Capitalized) {
            number_words.get(&token.folded).copied()
        } else {
            None
        };
        let Some(mut amount) = amount else {
            i += 1;
            continue;
        };
        if let (Some(day), Some(month)) = (integer(token, doc), next.and_then(month_of)) {
            if (1..=31).contains(&day) {
                values.push(value(
                    doc,
                    tokens,
                    i,
                    i + 2,
                    ValueKind::Date,
                    f64::from(month * 100 + day),
                    "",
                ));
                consumed[i..i + 2].iter_mut().for_each(|c| *c = true);
                i += 2;
                continue;
            }
        }
        let mut end = i + 1;
        let mut scaled = false;
        if let Some((_, scale)) = tokens
            .get(end)
            .and_then(|t| SCALES.iter().find(|(w, _)| *w == t.folded))
        {
            amount *= scale;
            end += 1;
            scaled = true;
        }
        let before = doc.text[..token.start].trim_end_matches(' ');
        // (byte where the symbol starts, currency code): "$48" is written from the "$".
        let symbol = before.chars().next_back().and_then(|c| {
            let (_, code) = CURRENCY_SYMBOLS.iter().find(|(s, _)| *s == c)?;
            Some((before.len() - c.len_utf8(), *code))
        });
        let word = tokens
            .get(end)
            .and_then(|t| CURRENCY_WORDS.iter().find(|(w, _)| *w == t.folded))
            .map(|(_, code)| *code);
        let after = &doc.text[tokens[end - 1].end..];
        let (kind, unit) = if let Some(code) = symbol.map(|(_, code)| code).or(word) {
            if symbol.is_none() {
                end += 1;
            }
            (ValueKind::Money, code.to_string())
        } else if after.starts_with('%') || after.starts_with(" %") {
            (ValueKind::Percent, String::new())
        } else if let Some(words) = percent_words(tokens, end) {
            end += words;
            (ValueKind::Percent, String::new())
        } else if let Some((noun_at, noun)) = count_noun(tokens, end, doc, tokenizer) {
            let plural_after_year = noun.ends_with('s');
            if !scaled && year(token, doc).is_some() && !plural_after_year {
                (ValueKind::Year, String::new())
            } else {
                end = noun_at + 1;
                (ValueKind::Count, tokenizer.stem(&noun))
            }
        } else if !scaled && year(token, doc).is_some() {
            (ValueKind::Year, String::new())
        } else if token.shape != Shape::Numeric {
            // A number word with no noun after it ("one of them") is not a value.
            i += 1;
            continue;
        } else {
            (ValueKind::Number, String::new())
        };
        // The noun of a count stays a key term: "1,200 jobs" still talks about jobs.
        let consumed_end = if kind == ValueKind::Count {
            end - 1
        } else {
            end
        };
        let mut found = value(doc, tokens, i, end, kind, amount, &unit);
        if let Some((start, _)) = symbol {
            found.1 = doc.text[start..tokens[end - 1].end].into();
        }
        values.push(found);
        consumed[i..consumed_end].iter_mut().for_each(|c| *c = true);
        i = end;
    }
    let (values, texts) = values.into_iter().unzip();
    Parsed {
        values,
        texts,
        consumed,
    }
}

/// A tally agrees only with the same tally as written ("7-2"), and its amount is what
/// says so: the text's hash in 53 bits, which an `f64` holds exactly. The reports
/// print the text, which the value itself does not keep; two different tallies share a
/// hash once in 2^53.
fn tally_amount(text: &str) -> f64 {
    (xxh3_64(text.as_bytes()) >> 11) as f64
}

fn percent_words(tokens: &[Token], at: usize) -> Option<usize> {
    match tokens.get(at).map(|t| t.folded.as_str()) {
        Some("percent" | "pct") => Some(1),
        Some("per") if tokens.get(at + 1).is_some_and(|t| t.folded == "cent") => Some(2),
        _ => None,
    }
}

/// The noun a number counts: the first word after it that is not a stop word, at most
/// one word away, with nothing but spaces or a hyphen in between ("1,200 jobs",
/// "two injured firefighters").
fn count_noun(
    tokens: &[Token],
    at: usize,
    doc: &Doc,
    tokenizer: &Tokenizer,
) -> Option<(usize, String)> {
    let mut previous_end = tokens.get(at.checked_sub(1)?)?.end;
    for k in at..(at + 2).min(tokens.len()) {
        let token = &tokens[k];
        let gap = &doc.text[previous_end..token.start];
        if !gap.chars().all(|c| c == ' ' || c == '-') || token.shape != Shape::Lower {
            return None;
        }
        if tokenizer.is_stopword(&token.folded) {
            return None;
        }
        if token.folded.chars().all(char::is_alphabetic)
            && k + 1 < tokens.len()
            && is_count_modifier(&token.folded)
        {
            previous_end = token.end;
            continue;
        }
        if token.folded.chars().all(char::is_alphabetic) {
            return Some((k, token.folded.clone()));
        }
        return None;
    }
    None
}

/// Adjectives that sit between a number and its noun without changing what is counted.
fn is_count_modifier(word: &str) -> bool {
    matches!(
        word,
        "more" | "additional" | "new" | "injured" | "full-time" | "local" | "other" | "separate"
    )
}

fn value(
    doc: &Doc,
    tokens: &[Token],
    first: usize,
    last: usize,
    kind: ValueKind,
    amount: f64,
    unit: &str,
) -> (Value, Box<str>) {
    let value = Value {
        kind,
        amount,
        unit: Ustr::from(unit),
    };
    (
        value,
        doc.text[tokens[first].start..tokens[last - 1].end].into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn every_kind_is_listed_at_its_own_place() {
        for (place, kind) in ValueKind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, place, "{kind:?}");
        }
        // Exhaustive, so a new kind does not compile until it is placed here, and
        // then is found missing from `ALL` unless it is added there too.
        let last = |kind: ValueKind| match kind {
            ValueKind::Year
            | ValueKind::Date
            | ValueKind::Money
            | ValueKind::Percent
            | ValueKind::Count
            | ValueKind::Tally
            | ValueKind::Weekday => false,
            ValueKind::Number => true,
        };
        assert!(last(ValueKind::ALL[ValueKind::ALL.len() - 1]));
        assert_eq!(ValueKind::Number as usize + 1, ValueKind::ALL.len());
        let names: std::collections::BTreeSet<_> =
            ValueKind::ALL.iter().map(|kind| kind.as_str()).collect();
        assert_eq!(names.len(), ValueKind::ALL.len());
    }

    fn values(text: &str) -> Vec<(ValueKind, f64, String, String)> {
        let config = Config::builtin();
        let tokenizer = Tokenizer::new(&config);
        let doc = tokenizer.tokenize(text);
        let tokens = &doc.sentences[0].tokens;
        let parsed = parse(&doc, tokens, &config.lexicons.numbers, &tokenizer);
        parsed
            .values
            .into_iter()
            .zip(parsed.texts)
            .map(|(v, text)| (v.kind, v.amount, v.unit.into(), text.into()))
            .collect()
    }

    #[test]
    fn money_with_symbols_scales_and_words() {
        assert_eq!(
            values("Repairs will cost $48 million."),
            vec![(ValueKind::Money, 48e6, "usd".into(), "$48 million".into())]
        );
        assert_eq!(values("A $2.1 billion deal.")[0].1, 2.1e9);
        assert_eq!(values("It cost 300 million euros.")[0].2, "eur");
    }

    #[test]
    fn counts_carry_their_noun() {
        assert_eq!(
            values("Northwind will cut 1,200 jobs.")[0],
            (ValueKind::Count, 1200.0, "job".into(), "1,200 jobs".into())
        );
        assert_eq!(values("Two firefighters were hurt.")[0].1, 2.0);
        assert!(values("One of them left.").is_empty());
        assert_eq!(values("The fire injured two firefighters.")[0].1, 2.0);
        assert_eq!(values("It hurt 2 injured firefighters.")[0].2, "firefight");
    }

    #[test]
    fn years_dates_and_percentages() {
        assert_eq!(
            values("The bridge was built in 1962.")[0].0,
            ValueKind::Year
        );
        assert_eq!(
            values("The fire started on March 9, 2026."),
            vec![
                (ValueKind::Date, 309.0, String::new(), "March 9".into()),
                (ValueKind::Year, 2026.0, String::new(), "2026".into())
            ]
        );
        assert_eq!(values("Cuts take effect in June 2026.")[0].1, 600.0);
        assert_eq!(
            values("Taxes could rise 3 percent.")[0].0,
            ValueKind::Percent
        );
        assert_eq!(values("Taxes could rise 3.5% this year.")[0].1, 3.5);
        assert_eq!(
            values("Council voted 7-2 on Tuesday.")[0].0,
            ValueKind::Tally
        );
    }

    #[test]
    fn modal_may_is_not_a_month() {
        assert!(values("Prices may rise again soon.").is_empty());
        assert_eq!(values("Talks ended in May.")[0].0, ValueKind::Date);
    }

    #[test]
    fn plural_noun_after_four_digits_is_a_count() {
        assert_eq!(values("About 2000 troops arrived.")[0].0, ValueKind::Count);
        assert_eq!(values("The 2026 budget passed.")[0].0, ValueKind::Year);
    }

    #[test]
    fn comparisons_respect_kind_unit_and_tolerance() {
        let money = |amount: f64| Value {
            kind: ValueKind::Money,
            amount,
            unit: "usd".into(),
        };
        assert_eq!(money(48e6).compare(&money(48.5e6), 0.05), Comparison::Agree);
        assert_eq!(
            money(48e6).compare(&money(120e6), 0.05),
            Comparison::Conflict
        );
        let mut euros = money(48e6);
        euros.unit = "eur".into();
        assert_eq!(money(48e6).compare(&euros, 0.05), Comparison::Incomparable);
        let date = |amount: f64| Value {
            kind: ValueKind::Date,
            amount,
            unit: "".into(),
        };
        assert_eq!(date(309.0).compare(&date(300.0), 0.0), Comparison::Agree);
        assert_eq!(date(309.0).compare(&date(310.0), 0.0), Comparison::Conflict);
        let tally = |text: &str| Value {
            kind: ValueKind::Tally,
            amount: tally_amount(text),
            unit: "".into(),
        };
        assert_eq!(tally("7-2").compare(&tally("7-2"), 0.5), Comparison::Agree);
        assert_eq!(
            tally("7-2").compare(&tally("6-3"), 0.5),
            Comparison::Conflict
        );
        assert_eq!(
            tally("7-2").compare(&tally("2-7"), 0.5),
            Comparison::Conflict
        );
    }
}
