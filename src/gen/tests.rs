use super::*;

fn params(articles: usize, outlets: usize, seed: u64) -> Params {
    Params {
        articles,
        outlets,
        seed,
    }
}

#[test]
fn articles_depend_only_on_seed_and_index() {
    let a = Generator::new(params(300, 10, 7));
    let b = Generator::new(params(300, 10, 7));
    let other_seed = Generator::new(params(300, 10, 8));
    for index in [0, 1, 150, 299] {
        assert_eq!(a.article(index).text, b.article(index).text);
        assert_ne!(a.article(index).text, other_seed.article(index).text);
    }
    assert_ne!(a.article(0).text, a.article(1).text);
}

#[test]
fn articles_are_news_sized_with_a_headline_and_furniture() {
    let generator = Generator::new(params(200, 8, 1));
    for index in 0..200 {
        let article = generator.article(index);
        let bytes = article.text.len();
        assert!(
            (3000..6500).contains(&bytes),
            "article {index}: {bytes} bytes"
        );
        let (headline, body) = article.text.split_once("\n\n").unwrap();
        assert!(!headline.ends_with('.'), "{headline}");
        assert!(body.contains(" — "), "a dateline opens the body");
        let profile = &generator.outlets()[article.outlet];
        assert!(article.key.starts_with(&format!("{}/", profile.name)));
    }
}

#[test]
fn every_statement_is_in_the_text_with_its_value() {
    let generator = Generator::new(params(100, 5, 3));
    for index in 0..100 {
        let article = generator.article(index);
        assert!(
            article.statements.len() >= 4,
            "lede and at least three facts"
        );
        for statement in &article.statements {
            let planted = generator.planted(statement.fact);
            let value = &planted.values[statement.value];
            assert!(article.text.contains(value.as_str()), "{value} in {index}");
        }
    }
}

#[test]
fn wrong_values_differ_from_the_truth() {
    let mut rng = Rng::new(5);
    for template in FACTS.iter().flat_map(|facts| facts.iter()) {
        for _ in 0..50 {
            let [truth, high, low] = planted_values(template.slot, &mut rng);
            assert!(
                truth != high && truth != low && high != low,
                "{truth} {high} {low}"
            );
        }
    }
}

#[test]
fn reliable_outlets_state_more_true_values() {
    let generator = Generator::new(params(3000, 6, 11));
    let mut right = [0usize; 6];
    let mut total = [0usize; 6];
    for index in 0..3000 {
        let article = generator.article(index);
        if article.copied {
            continue;
        }
        for statement in &article.statements {
            total[article.outlet] += 1;
            right[article.outlet] += usize::from(statement.value == 0);
        }
    }
    for (outlet, profile) in generator.outlets().iter().enumerate() {
        let share = right[outlet] as f64 / total[outlet] as f64;
        assert!(
            (share - profile.reliability).abs() < 0.05,
            "{}: planted {:.3}, stated {share:.3}",
            profile.name,
            profile.reliability
        );
    }
}

#[test]
fn copies_carry_the_wire_text_verbatim() {
    let generator = Generator::new(params(2000, 10, 2));
    let copies: Vec<GeneratedArticle> = (0..2000)
        .map(|i| generator.article(i))
        .filter(|a| a.copied)
        .collect();
    assert!(copies.len() > 20, "{} copies", copies.len());
    assert!(copies
        .iter()
        .all(|a| a.text.contains(&format!("({}) —", words::WIRE))));
    let body = |a: &GeneratedArticle| {
        let start = a.text.find("\n\n").unwrap();
        let end = a.text.find("Photo:").unwrap_or(a.text.len());
        a.text[start..end]
            .lines()
            .take(3)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let first = &copies[0];
    let other = copies[1..]
        .iter()
        .find(|a| a.statements[0].fact == first.statements[0].fact)
        .expect("several outlets carry one wire story");
    assert_eq!(body(first), body(other));
    assert_ne!(first.outlet, other.outlet);
}

#[test]
fn style_swaps_whole_words_only() {
    let style = Style(
        words::SYNONYMS
            .iter()
            .map(|(plain, _)| usize::from(*plain == "cut"))
            .collect(),
    );
    assert_eq!(
        style.apply("Acme cut 300 jobs, cutting costs; cut."),
        "Acme eliminate 300 jobs, cutting costs; eliminate."
    );
}

#[test]
fn counts_are_grouped_by_thousands() {
    assert_eq!(grouped(7), "7");
    assert_eq!(grouped(1200), "1,200");
    assert_eq!(grouped(1234567), "1,234,567");
}

#[test]
fn write_corpus_writes_articles_truth_and_marker_and_replaces_only_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let summary = write_corpus(params(40, 4, 9), &corpus).unwrap();
    assert_eq!(summary.articles, 40);
    let files: usize = fs::read_dir(&summary.articles_dir)
        .unwrap()
        .map(|outlet| fs::read_dir(outlet.unwrap().path()).unwrap().count())
        .sum();
    assert_eq!(files, 40);
    let outlets = fs::read_to_string(corpus.join("truth/outlets.csv")).unwrap();
    assert_eq!(outlets.lines().count(), 5);
    assert!(outlets.starts_with("outlet,reliability,"));
    assert_eq!(existing(params(40, 4, 9), &corpus), Some(summary));
    assert_eq!(existing(params(40, 4, 10), &corpus), None);

    // Regenerating with fewer articles replaces the old corpus entirely.
    write_corpus(params(10, 4, 9), &corpus).unwrap();
    let files: usize = fs::read_dir(corpus.join("articles"))
        .unwrap()
        .map(|outlet| fs::read_dir(outlet.unwrap().path()).unwrap().count())
        .sum();
    assert_eq!(files, 10);

    let foreign = dir.path().join("foreign");
    fs::create_dir_all(&foreign).unwrap();
    fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let err = write_corpus(params(10, 4, 9), &foreign).unwrap_err();
    assert!(err.to_string().contains("not a generated corpus"), "{err}");
    assert!(foreign.join("notes.txt").exists());
}
