use super::*;

fn extract(outlet: &str, text: &str) -> ArticleClaims {
    let config = Config::builtin();
    ClaimExtractor::new(&config).extract("outlet/article.txt", outlet, text)
}

fn only_claim(text: &str) -> Claim {
    let mut claims = extract("test-outlet", text).claims;
    assert_eq!(claims.len(), 1, "{claims:#?}");
    claims.remove(0)
}

#[test]
fn entities_are_folded_and_titles_become_terms() {
    // "Turkish" opens the sentence but a name follows it directly, so it is one too.
    let text = "Turkish President Recep Tayyip Erdoğan met Vladimir Putin in Ashgabat.";
    let extracted = extract("test-outlet", text);
    assert_eq!(extracted.claims.len(), 1, "{:#?}", extracted.claims);
    let claim = &extracted.claims[0];
    assert_eq!(
        claim.entities.iter().collect::<Vec<_>>(),
        vec![
            "ashgabat",
            "recep tayyip erdogan",
            "turkish",
            "vladimir putin"
        ]
    );
    assert!(extracted
        .wordings
        .get(0)
        .terms
        .contains(&term_key("presid")));
    assert_eq!(extracted.wordings.len(), 1);
}

#[test]
fn aliases_merge_spellings() {
    let claim = only_claim("In 2017 Türkiye bought the S-400 from Russia, Western officials said.");
    assert!(claim.entities.contains("turkey"), "{:?}", claim.entities);
    assert!(claim.entities.contains("s-400"));
    assert_eq!(claim.values[0].kind, ValueKind::Year);
}

#[test]
fn attribution_names_the_origin_and_leaves_the_entities() {
    let extracted = extract("test-outlet", "Drayton Pharma is in talks to buy Belcourt Labs, Bloomberg reported, citing people familiar with the matter.");
    let claim = &extracted.claims[0];
    assert_eq!(claim.attribution.as_deref(), Some("bloomberg"));
    assert!(!claim.entities.contains("bloomberg"));
    assert!(claim.hedged);
    assert_eq!(&*extracted.prose[0].hedge, "people familiar with");
    let claim =
        only_claim("According to Reuters, Northwind Airlines will close its Elmstead base.");
    assert_eq!(claim.attribution.as_deref(), Some("reuters"));
}

#[test]
fn an_outlet_never_attributes_to_itself() {
    let claims = extract(
        "Valley Post",
        "The Valley Post reported that Marston closed the Alder River Bridge on Monday.",
    )
    .claims;
    assert_eq!(claims[0].attribution, None);
}

#[test]
fn negation_and_denial_flip_polarity_once() {
    assert_eq!(
        only_claim("Mayor Lena Ortiz did not sign the Kesterfield budget.").polarity,
        Polarity::Negated
    );
    assert_eq!(
        only_claim(
            "Martin Kell denied that Drayton Pharma had agreed a deal to buy Belcourt Labs."
        )
        .polarity,
        Polarity::Negated
    );
    assert_eq!(
        only_claim("Ortiz refused to sign the Kesterfield budget on Wednesday.").polarity,
        Polarity::Negated
    );
    assert_eq!(
        only_claim("Officials found no evidence that Kesterfield misused the federal grant.")
            .polarity,
        Polarity::Negated
    );
    assert_eq!(
        only_claim("Kesterfield officials did not deny that the Alder River Bridge was closed.")
            .polarity,
        Polarity::Affirmed
    );
}

#[test]
fn debunk_cues_flip_polarity_like_denials() {
    assert_eq!(
        only_claim("The photo of the Alder River Bridge collapsing on Monday was doctored.")
            .polarity,
        Polarity::Negated
    );
    // "not true" is one debunk cue, not a negation that a second cue would cancel.
    assert_eq!(
        only_claim("The report that Mayor Lena Ortiz resigned is not true.").polarity,
        Polarity::Negated
    );
}

#[test]
fn negation_in_a_trailing_participle_clause_does_not_flip_the_claim() {
    let claim = only_claim("Council member Jose Nunez voted against the Kesterfield budget, arguing that it failed to help renters.");
    assert_eq!(claim.polarity, Polarity::Affirmed);
}

#[test]
fn hedges_are_recorded() {
    let hedged = extract(
        "test-outlet",
        "Drayton Pharma reportedly offered $2.1 billion for Belcourt Labs.",
    );
    assert!(hedged.claims[0].hedged);
    assert_eq!(
        hedged.prose[0],
        Prose {
            text: "Drayton Pharma reportedly offered $2.1 billion for Belcourt Labs.".into(),
            hedge: "reportedly".into(),
            values: vec!["$2.1 billion".into()],
        }
    );
    let plain = extract(
        "test-outlet",
        "Drayton Pharma offered $2.1 billion for Belcourt Labs.",
    );
    assert!(!plain.claims[0].hedged);
    assert_eq!(&*plain.prose[0].hedge, "");
}

#[test]
fn furniture_lines_are_dropped_and_counted() {
    let extracted = extract(
        "harbor-times",
        "Photo: Inspectors walk beneath the Alder River Bridge on Monday. (Harbor Times/J. Reyes)\n\
         The Alder River Bridge in Marston was closed on Monday after inspectors found cracks.\n\
         Support independent local journalism. Donate to the Harbor Times today.\n\
         Sign up for our morning newsletter to get the day's top stories.\n",
    );
    assert_eq!(extracted.claims.len(), 1);
    assert!(extracted.prose[0]
        .text
        .starts_with("The Alder River Bridge"));
    // Two sentences each on the caption and donation lines.
    assert_eq!(extracted.dropped_furniture, 6);
}

#[test]
fn opinion_and_questions_are_not_checkable() {
    let extracted = extract(
        "o",
        "It was a grim morning in Marston. Who will pay for the Alder River Bridge repairs? \
         Marston closed the Alder River Bridge after inspectors found cracks in 2026.",
    );
    assert_eq!(extracted.claims.len(), 1);
    assert_eq!(extracted.dropped_uncheckable, 2);
}

#[test]
fn compound_sentences_split_into_claims() {
    let extracted = extract(
        "o",
        "The Kesterfield City Council approved the budget 7-2 on Tuesday night, and Mayor Lena Ortiz signed it on Wednesday.",
    );
    let claims = extracted.claims;
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert!(extracted.prose[1].text.starts_with("and Mayor Lena Ortiz"));
    assert_eq!(claims[0].values[0].kind, ValueKind::Tally);
}

#[test]
fn datelines_are_context_and_wire_agencies_are_origins() {
    let extracted = extract(
        "metro-daily",
        "ELMSTEAD (Continental Press) — Northwind Airlines will cut 1,200 jobs and close its Elmstead base.\n\
         Chief executive Paula Grant told staff that Northwind had lost money on its regional routes.",
    );
    assert_eq!(extracted.claims.len(), 2);
    assert!(extracted.prose[0].text.starts_with("Northwind Airlines"));
    assert_eq!(
        extracted.claims[0].attribution.as_deref(),
        Some("continental press")
    );
    // An explicit speaker outranks the dateline.
    assert_eq!(
        extracted.claims[1].attribution.as_deref(),
        Some("paula grant")
    );
}

#[test]
fn an_unnamed_value_claim_is_about_the_article_topic() {
    let extracted = extract(
        "daily-buzz",
        "Fixing the shuttered Alder River Bridge will cost $120 million, the Buzz has learned. \
         The crumbling span was built in 1975.",
    );
    assert_eq!(extracted.claims.len(), 2);
    assert_eq!(
        extracted.claims[1].entities.iter().collect::<Vec<_>>(),
        ["alder river bridge"]
    );
    assert!(!extracted.claims[0].entities.contains("buzz"));
}

#[test]
fn claim_ids_are_stable_and_distinct() {
    let a = extract("o", "Marston closed the Alder River Bridge in 2026. Kesterfield passed its budget 7-2 on Tuesday.");
    let b = extract("o", "Marston closed the Alder River Bridge in 2026. Kesterfield passed its budget 7-2 on Tuesday.");
    let ids: Vec<ClaimId> = a.claims.iter().map(|c| c.id).collect();
    assert_eq!(ids, b.claims.iter().map(|c| c.id).collect::<Vec<_>>());
    assert_ne!(ids[0], ids[1]);
}

#[test]
fn spans_point_at_the_claim_text() {
    let config = Config::builtin();
    let extractor = ClaimExtractor::new(&config);
    let text =
        "Erdoğan’s office declined to comment; the Kremlin said Türkiye asked to return the S-400.";
    let doc = extractor.tokenizer().tokenize(text);
    let extracted = extractor.extract("k", "o", text);
    assert_eq!(extracted.prose.len(), extracted.claims.len());
    for (claim, prose) in extracted.claims.iter().zip(&extracted.prose) {
        assert_eq!(doc.text[claim.start..claim.end].trim(), &*prose.text);
        assert_eq!(prose.values.len(), claim.values.len());
    }
}

#[test]
fn article_shingles_match_for_copies() {
    let wire = "Northwind Airlines will cut 1,200 jobs and close its Elmstead maintenance base, the carrier said on Thursday, \
                as it struggles with rising fuel costs and a prolonged slump in business travel across the region.";
    let a = extract("a", wire);
    let b = extract("b", &format!("Northwind news\n{wire}"));
    assert!(!a.shingles.is_empty());
    let shared = a.shingles.iter().filter(|s| b.shingles.contains(s)).count();
    assert_eq!(shared, a.shingles.len());
}

#[test]
fn a_multi_word_name_opening_a_sentence_keeps_its_first_word() {
    let claim =
        only_claim("Meridian Airlines did not respond to questions about the Elmstead base.");
    assert_eq!(
        claim.entities.iter().collect::<Vec<_>>(),
        ["elmstead", "meridian airlines"]
    );
}

#[test]
fn dropped_sentences_are_counted_once_whatever_their_clauses() {
    // First clause dropped, second kept: the sentence yielded a claim.
    let kept = extract(
        "o",
        "It was a grim morning in Marston, and state inspectors closed the Alder River Bridge in 2026.",
    );
    assert_eq!((kept.claims.len(), kept.dropped_uncheckable), (1, 0));
    // Both clauses dropped: one sentence dropped, not two.
    let dropped = extract(
        "o",
        "It was a grim morning in Marston, and nobody in the town had slept much at all.",
    );
    assert_eq!((dropped.claims.len(), dropped.dropped_uncheckable), (0, 1));
}

mod properties {
    use super::*;
    use crate::tokenize::properties::{any_text, news_like};
    use proptest::prelude::*;

    /// Every claim's span slices the normalised text on character boundaries, lies
    /// inside one sentence, and is the text the claim carries; claims come in the order
    /// of their spans, which never overlap (claims.csv lists an article's claims in the
    /// order they were extracted, taking it for their order in the text).
    fn check_claims(title: Option<&str>, text: &str) {
        let config = Config::builtin();
        let extractor = ClaimExtractor::new(&config);
        let extracted = extractor.extract_with_title("feed.jsonl:1", "Harbor Times", title, text);
        let doc = extractor.tokenizer().tokenize(text);
        assert_eq!(extracted.prose.len(), extracted.claims.len());
        assert!(
            extracted.claims.windows(2).all(|w| w[0].end <= w[1].start),
            "claims out of text order"
        );
        for (claim, prose) in extracted.claims.iter().zip(&extracted.prose) {
            let claim_text = &prose.text;
            assert_eq!(prose.values.len(), claim.values.len());
            let (start, end) = (claim.start, claim.end);
            assert!(start <= end && end <= doc.text.len(), "{start}..{end}");
            assert!(doc.text.is_char_boundary(start) && doc.text.is_char_boundary(end));
            assert!(
                doc.sentences
                    .iter()
                    .any(|s| s.start <= start && end <= s.end),
                "claim {start}..{end} is in no sentence"
            );
            assert_eq!(&**claim_text, doc.text[start..end].trim());
            assert_eq!(claim.id, claim_id("feed.jsonl:1", start, end));
        }
    }

    proptest! {
        #[test]
        fn extracting_any_text_never_panics(title in proptest::option::of(any_text()), text in any_text()) {
            check_claims(title.as_deref(), &text);
        }

        #[test]
        fn extracting_news_like_text_never_panics(text in news_like()) {
            check_claims(None, &text);
        }
    }
}
/// The property tests above check claims only where there are some: make sure the
/// news-like generator really yields them, so those checks are not vacuous.
#[test]
fn news_like_generator_reaches_claim_extraction() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = crate::tokenize::properties::news_like();
    let config = Config::builtin();
    let extractor = ClaimExtractor::new(&config);
    let with_claims = (0..100)
        .filter(|_| {
            let text = strategy.new_tree(&mut runner).unwrap().current();
            !extractor.extract("k", "o", &text).claims.is_empty()
        })
        .count();
    assert!(
        with_claims >= 25,
        "only {with_claims} of 100 texts had claims"
    );
}

#[test]
fn a_held_claim_is_16_bytes_and_keeps_what_later_stages_read() {
    // A 1,000,000-article run holds about 44 million of them.
    assert_eq!(std::mem::size_of::<HeldClaim>(), 16);
    let config = Config::builtin();
    let extractor = ClaimExtractor::new(&config);
    let cited = extractor.extract(
        "a",
        "outlet",
        "Drayton Pharma did not agree to buy Belcourt Labs for $2 billion, \
         Bloomberg reported, citing people familiar with the matter.",
    );
    let claim = &cited.claims[0];
    assert!(claim.hedged && claim.attribution.is_some() && claim.end > claim.start);
    let mut origins = Origins::default();
    let held = origins.hold(claim);
    assert_eq!(held.id, claim.id);
    assert_eq!((held.polarity, held.hedged), (claim.polarity, claim.hedged));
    assert_eq!(held.polarity, Polarity::Negated);
    let origin = held.attribution.unwrap();
    assert_eq!(Some(origins.name(origin)), claim.attribution.as_deref());

    // A second claim from the same origin shares its number; another origin, or
    // none, does not.
    let mut again = claim.clone();
    again.id = claim_id("b", 0, 1);
    assert_eq!(origins.hold(&again).attribution, Some(origin));
    again.attribution = Some(ustr::Ustr::from("the county sheriff"));
    let other = origins.hold(&again).attribution.unwrap();
    assert_ne!(other, origin);
    assert_eq!(origins.name(other), "the county sheriff");
    assert_eq!(origins.name(origin), claim.attribution.unwrap().as_str());
    again.attribution = None;
    assert_eq!(origins.hold(&again).attribution, None);
}
