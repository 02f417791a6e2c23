//! Candidate values of structured observations: what kind an item's values are, which
//! raw strings are the same value, and how far one value implies another.
//!
//! An item's values are read as numbers when every one of them parses as a number
//! ("$ 343.26", "1,234", "12%"), else as times of day ("9:10 AM, Dec 04" and
//! "12/04/2011 09:10" are one time), else as dates, else as text. Text values are
//! compared as sets of name tokens, so "Knuth, Donald E." and "Donald Knuth" are one
//! value, and a partial author list lends support to a fuller one.

use rustc_hash::FxHashSet;

use chrono::NaiveDate;

use crate::tokenize::fold;

/// How an item's values are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Number,
    Time,
    Date,
    Text,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Number => "number",
            Kind::Time => "time",
            Kind::Date => "date",
            Kind::Text => "text",
        }
    }
}

/// One value read as its item's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    Number(f64),
    /// Minutes after midnight.
    Time(u32),
    /// Days since the common era.
    Date(i32),
    /// Sorted, distinct name tokens.
    Tokens(Vec<String>),
}

impl Parsed {
    /// Equal keys are the same value.
    pub fn key(&self) -> String {
        match self {
            Parsed::Number(x) => format!("{x}"),
            Parsed::Time(minutes) => format!("{:02}:{:02}", minutes / 60, minutes % 60),
            Parsed::Date(days) => format!("d{days}"),
            Parsed::Tokens(tokens) => tokens.join(" "),
        }
    }
}

/// How values are read and compared; from the `[facts]` and `[score]` config.
#[derive(Debug, Clone)]
pub struct ValueRules {
    /// Folded words that never identify a value ("edited", "by", "jr").
    pub noise_words: FxHashSet<String>,
    /// Numbers within this relative distance support each other, linearly less the
    /// further apart they are.
    pub number_tolerance: f64,
    /// Times within this many minutes support each other likewise.
    pub time_tolerance_minutes: f64,
}

/// Reads every value of one item as the strictest kind at least half of them fit;
/// values that do not fit it ("Contact airline" among departure times) stay text, a
/// candidate of their own that implies nothing about the others.
pub fn parse_item(values: &[&str], rules: &ValueRules) -> (Kind, Vec<Parsed>) {
    type Parser = fn(&str) -> Option<Parsed>;
    let parsers: [(Kind, Parser); 3] = [
        (Kind::Number, |v| parse_number(v).map(Parsed::Number)),
        (Kind::Time, |v| parse_time(v).map(Parsed::Time)),
        (Kind::Date, |v| parse_date(v).map(Parsed::Date)),
    ];
    let as_text = |v: &str| Parsed::Tokens(name_tokens(v, &rules.noise_words));
    for (kind, parse) in parsers {
        let parsed: Vec<Option<Parsed>> = values.iter().map(|v| parse(v)).collect();
        if 2 * parsed.iter().filter(|p| p.is_some()).count() >= values.len().max(1) {
            let values = parsed
                .into_iter()
                .zip(values)
                .map(|(p, v)| p.unwrap_or_else(|| as_text(v)))
                .collect();
            return (kind, values);
        }
    }
    (Kind::Text, values.iter().map(|v| as_text(v)).collect())
}

/// How much a source stating `from` also supports `to`, in [0, 1].
pub fn implication(from: &Parsed, to: &Parsed, rules: &ValueRules) -> f64 {
    let linear = |distance: f64, tolerance: f64| {
        if tolerance > 0.0 {
            (1.0 - distance / tolerance).max(0.0)
        } else {
            0.0
        }
    };
    match (from, to) {
        (Parsed::Number(a), Parsed::Number(b)) => {
            let scale = a.abs().max(b.abs());
            let relative = if scale > 0.0 {
                (a - b).abs() / scale
            } else {
                0.0
            };
            linear(relative, rules.number_tolerance)
        }
        (Parsed::Time(a), Parsed::Time(b)) => {
            linear(f64::from(a.abs_diff(*b)), rules.time_tolerance_minutes)
        }
        // Jaccard overlap: a partial list ⊂ a fuller one lends |partial| / |fuller|,
        // two spellings sharing most names lend most of a vote, disjoint lists none.
        (Parsed::Tokens(a), Parsed::Tokens(b)) => {
            let shared = a.iter().filter(|t| b.binary_search(t).is_ok()).count();
            let union = a.len() + b.len() - shared;
            if union == 0 {
                0.0
            } else {
                shared as f64 / union as f64
            }
        }
        _ => 0.0,
    }
}

/// A number with optional currency sign, thousands separators, percent sign or a
/// scale word ("1.2 million"); nothing else may be in the string.
pub fn parse_number(text: &str) -> Option<f64> {
    let mut rest = text.trim();
    // Plain figures ("478403", "343.26"), nearly every value of a numeric column,
    // pass through the unwrapping below unchanged.
    let plain = |b: &u8| b.is_ascii_digit() || *b == b'.';
    if rest.as_bytes().iter().all(plain) && rest.bytes().filter(|&b| b == b'.').count() <= 1 {
        return rest.parse().ok().filter(|x: &f64| x.is_finite());
    }
    let mut scale = 1.0;
    for (word, factor) in [
        ("thousand", 1e3),
        ("million", 1e6),
        ("billion", 1e9),
        ("trillion", 1e12),
    ] {
        if let Some(head) = strip_suffix_ignore_case(rest, word) {
            rest = head.trim_end();
            scale = factor;
            break;
        }
    }
    rest = rest.strip_suffix('%').unwrap_or(rest).trim_end();
    let negative = rest.starts_with('-');
    rest = rest.trim_start_matches(['-', '+']).trim_start();
    rest = rest
        .trim_start_matches(['$', '€', '£', '¥'])
        .trim_start_matches(['-', '+'])
        .trim_start();
    if !rest.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let digits = without_thousands_separators(rest)?;
    let magnitude: f64 = digits.parse().ok()?;
    magnitude
        .is_finite()
        .then_some(if negative { -magnitude } else { magnitude } * scale)
}

fn strip_suffix_ignore_case<'t>(text: &'t str, suffix: &str) -> Option<&'t str> {
    let split = text.len().checked_sub(suffix.len())?;
    (text.is_char_boundary(split) && text[split..].eq_ignore_ascii_case(suffix))
        .then(|| &text[..split])
}

/// "1,234,567.5" → "1234567.5"; commas anywhere but between groups of three digits
/// (a European decimal, a list) make it not a number.
fn without_thousands_separators(text: &str) -> Option<String> {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped_well = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !grouped_well || !groups.iter().all(|g| all_digits(g)) {
        return None;
    }
    if fraction.is_some_and(|f| f.is_empty() && whole.is_empty() || !all_digits(f)) {
        return None;
    }
    let mut out = groups.concat();
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    Some(out)
}

/// The one clock time in the text ("9:10 AM, Dec 04", "Dec 04 - 9:10am",
/// "2011-12-04 21:10"), as minutes after midnight. Any date beside it is ignored: an
/// item is one flight or one day already.
pub fn parse_time(text: &str) -> Option<u32> {
    let bytes = text.as_bytes();
    let colon = text.find(':')?;
    if text[colon + 1..].contains(':') && !is_seconds(&text[colon + 1..]) {
        return None;
    }
    let hour_start = text[..colon]
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let hour: u32 = text[hour_start..colon].parse().ok()?;
    if colon - hour_start > 2 || bytes.get(colon + 3).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let minute: u32 = text.get(colon + 1..colon + 3)?.parse().ok()?;
    let after = text[colon + 3..]
        .trim_start_matches(|c: char| c == ':' || c.is_ascii_digit())
        .trim_start();
    let hour = match meridiem(after) {
        Some('p') if hour < 12 => hour + 12,
        Some('a') if hour == 12 => 0,
        _ => hour,
    };
    (hour < 24 && minute < 60).then_some(hour * 60 + minute)
}

/// 'a' or 'p' when the text opens with AM/PM in any of the forms feeds write: "PM",
/// "p.m.", "pm", or a bare "p" run into the next word ("10:47pDec 4").
fn meridiem(after: &str) -> Option<char> {
    let mut chars = after.chars();
    let first = chars.next()?.to_ascii_lowercase();
    if first != 'a' && first != 'p' {
        return None;
    }
    let opens_meridiem = match chars.next() {
        None => true,
        Some(c) => {
            c.eq_ignore_ascii_case(&'m') || c == '.' || !c.is_alphabetic() || c.is_uppercase()
        }
    };
    opens_meridiem.then_some(first)
}

/// ":SS" right after the minutes, so "21:10:05" is one time, not two.
fn is_seconds(after_colon: &str) -> bool {
    let b = after_colon.as_bytes();
    b.len() >= 5
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2] == b':'
        && b[3..5].iter().all(u8::is_ascii_digit)
        && !after_colon[5..].contains(':')
}

/// A calendar date in the common written forms, as days since the common era.
pub fn parse_date(text: &str) -> Option<i32> {
    const FORMATS: &[&str] = &[
        "%Y-%m-%d",
        "%m/%d/%Y",
        "%d.%m.%Y",
        "%B %d, %Y",
        "%b %d, %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%B %d %Y",
        "%b %d %Y",
        "%Y/%m/%d",
    ];
    let text = text.trim();
    FORMATS
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
        .map(|date| chrono::Datelike::num_days_from_ce(&date))
}

/// Name tokens of a text value: HTML entities decoded (crawled shop pages write
/// "St&uuml;tzle"), hyphens and apostrophes joined, each word folded as the text
/// pipeline folds names, noise words and initials dropped, sorted and distinct. A value
/// made only of initials or noise keeps them, so it is still distinguishable from the
/// empty value.
pub fn name_tokens(text: &str, noise_words: &FxHashSet<String>) -> Vec<String> {
    let decoded = html_escape::decode_html_entities(text);
    let joined: String = decoded
        .chars()
        .filter(|&c| !matches!(c, '-' | '\'' | '’'))
        .collect();
    let words: Vec<String> = joined
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect();
    let mut tokens: Vec<String> = words
        .iter()
        .filter(|w| w.chars().count() >= 2 && !noise_words.contains(*w))
        .cloned()
        .collect();
    if tokens.is_empty() {
        tokens = words;
    }
    tokens.sort_unstable();
    tokens.dedup();
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ValueRules {
        ValueRules {
            noise_words: ["by", "edited", "jr"]
                .iter()
                .map(|w| w.to_string())
                .collect(),
            number_tolerance: 0.01,
            time_tolerance_minutes: 5.0,
        }
    }

    #[test]
    fn numbers_parse_through_currency_separators_and_scale_words() {
        assert_eq!(parse_number("$ 343.26"), Some(343.26));
        assert_eq!(parse_number("343.26"), Some(343.26));
        assert_eq!(parse_number("1,234"), Some(1234.0));
        assert_eq!(parse_number("1234"), Some(1234.0));
        assert_eq!(parse_number("-1,234,567.5"), Some(-1_234_567.5));
        assert_eq!(parse_number("12%"), Some(12.0));
        assert_eq!(parse_number("1.2 million"), Some(1_200_000.0));
        assert_eq!(parse_number("€5"), Some(5.0));
    }

    #[test]
    fn text_that_merely_contains_digits_is_not_a_number() {
        for text in [
            "AA-1394",
            "12,34",
            "1,2345",
            "9:10",
            "12/04/2011",
            "3 apples",
            "",
            "-",
            ".",
        ] {
            assert_eq!(parse_number(text), None, "{text:?}");
        }
    }

    #[test]
    fn times_in_different_formats_are_one_time() {
        let expected = Some(9 * 60 + 10);
        for text in [
            "9:10 AM, Dec 04",
            "Dec 04 - 9:10am",
            "09:10",
            "12/04/2011 09:10 a.m.",
        ] {
            assert_eq!(parse_time(text), expected, "{text:?}");
        }
        assert_eq!(parse_time("12/04/2011 08:00 PM"), Some(20 * 60));
        assert_eq!(parse_time("12:05 AM"), Some(5));
        assert_eq!(parse_time("10:47pDec 4"), Some(22 * 60 + 47));
        assert_eq!(parse_time("2011-12-04 12:44PM EST"), Some(12 * 60 + 44));
        assert_eq!(parse_time("10:47 PM  Sun 04-Dec-2011"), Some(22 * 60 + 47));
        assert_eq!(parse_time("9:10 Arrived"), Some(9 * 60 + 10));
        assert_eq!(parse_time("21:10:05"), Some(21 * 60 + 10));
        for text in ["25:00", "9:7", "gate 9", "1:2:3:4", "123:45"] {
            assert_eq!(parse_time(text), None, "{text:?}");
        }
    }

    #[test]
    fn dates_in_different_formats_are_one_date() {
        let day = parse_date("2011-12-04");
        assert!(day.is_some());
        for text in [
            "12/04/2011",
            "December 4, 2011",
            "Dec 4, 2011",
            "4 December 2011",
        ] {
            assert_eq!(parse_date(text), day, "{text:?}");
        }
        assert_eq!(parse_date("2011-13-04"), None);
    }

    #[test]
    fn author_spellings_share_one_key() {
        let rules = rules();
        let key = |text: &str| Parsed::Tokens(name_tokens(text, &rules.noise_words)).key();
        assert_eq!(key("Knuth, Donald E."), "donald knuth");
        assert_eq!(key("Donald E. Knuth"), key("KNUTH, DONALD E."));
        assert_eq!(key("edited by Donald Knuth Jr"), "donald knuth");
        assert_eq!(key("St&uuml;tzle, Thomas"), "stutzle thomas");
        assert_eq!(key("Smith-Jones, Ann"), "ann smithjones");
        assert_eq!(key("Łukasz O’Brien"), "lukasz obrien");
        assert_ne!(key("Donald Ervin Knuth"), key("Donald Knuth"));
    }

    #[test]
    fn the_item_kind_is_the_strictest_all_values_fit() {
        let rules = rules();
        assert_eq!(
            parse_item(&["1,000", "1000", "$999"], &rules).0,
            Kind::Number
        );
        assert_eq!(parse_item(&["9:10 AM", "9:12am"], &rules).0, Kind::Time);
        assert_eq!(
            parse_item(&["2011-12-04", "Dec 4, 2011"], &rules).0,
            Kind::Date
        );
        assert_eq!(
            parse_item(&["1000", "about a thousand", "many"], &rules).0,
            Kind::Text
        );
        let (kind, values) = parse_item(&["9:10 AM", "Contact Airline"], &rules);
        assert_eq!(kind, Kind::Time);
        assert_eq!(
            values[1],
            Parsed::Tokens(vec!["airline".into(), "contact".into()])
        );
    }

    #[test]
    fn implication_falls_with_distance_and_partial_lists_support_fuller_ones() {
        let rules = rules();
        let number = |x: f64| Parsed::Number(x);
        assert_eq!(implication(&number(100.0), &number(100.0), &rules), 1.0);
        let close = implication(&number(100_000.0), &number(100_500.0), &rules);
        assert!((close - 0.5).abs() < 0.01, "{close}");
        assert_eq!(implication(&number(100.0), &number(150.0), &rules), 0.0);
        let time = |m: u32| Parsed::Time(m);
        assert!(implication(&time(600), &time(602), &rules) > 0.5);
        assert_eq!(implication(&time(600), &time(700), &rules), 0.0);
        let names = |text: &str| Parsed::Tokens(name_tokens(text, &rules.noise_words));
        let full = names("Sedgewick, Robert; Flajolet, Philippe");
        let partial = names("Robert Sedgewick");
        assert_eq!(implication(&partial, &full, &rules), 0.5);
        assert_eq!(implication(&names("Ann Lee"), &full, &rules), 0.0);
    }
}
