//! `credence explain`: why a claim or an outlet got its score, told from the CSV
//! reports of a run.
//!
//! The reports are the contract: explain reads them back rather than re-running the
//! pipeline, so it works on last night's output and says what the spreadsheet says.
//! The arithmetic is redone from the reported numbers with the same formulas the
//! engine uses (`crate::score`), and each recomputed number is followed by
//! `(report: X)`, the reported one: they agree up to the reports' four decimals when
//! the config given is the run's.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::config::{Config, ScoreConfig};
use crate::report::uncell;
use crate::score::{
    confidence, posterior_mean, prior, unobserved_values, vote_strength, vote_weight,
};
use crate::Standing;

/// Examples shown per group of an outlet's claims, and statements in its arithmetic.
const EXAMPLES: usize = 5;
/// Outlets named in the error for an unknown target when none is close.
const LISTED_OUTLETS: usize = 12;
/// Jaro-Winkler similarity from which a claim id or outlet is offered as a suggestion.
const SUGGEST_SIMILARITY: f64 = 0.8;

#[derive(Debug, Clone, Deserialize)]
struct ClaimRecord {
    claim_id: String,
    fact_id: String,
    /// Absent from reports written before stories were grouped.
    #[serde(default)]
    story_id: String,
    value_group: usize,
    outlet: String,
    article: String,
    sentence: String,
    score: f64,
    supporting_outlets: String,
    contradicting_outlets: String,
    independent_support: u32,
    voice: String,
    hedge: String,
    attribution: String,
    polarity: String,
    values: String,
    weight: f64,
}

#[derive(Debug, Clone, Deserialize)]
struct OutletRecord {
    outlet: String,
    articles: usize,
    claims: usize,
    checkable: usize,
    corroborated: usize,
    contradicted: usize,
    score: f64,
    score_low: f64,
    score_high: f64,
}

#[derive(Debug, Clone, Deserialize)]
struct EvidenceRecord {
    claim_id: String,
    other_claim_id: String,
    relation: String,
    similarity: f64,
}

#[derive(Debug, Clone, Deserialize)]
struct ArticleRecord {
    article: String,
    #[serde(default)]
    outlet: String,
    #[serde(default)]
    story_id: String,
    title: String,
    published: String,
}

/// The reports of one run, text cells as they were before spreadsheet neutralising.
#[derive(Debug)]
pub struct Reports {
    dir: PathBuf,
    claims: Vec<ClaimRecord>,
    outlets: Vec<OutletRecord>,
    /// Empty when evidence.csv is absent.
    evidence: Vec<EvidenceRecord>,
    /// Empty when articles.csv is absent.
    articles: Vec<ArticleRecord>,
}

impl Reports {
    /// Reads the reports in `dir`; claims.csv and outlets.csv are required, evidence.csv
    /// and articles.csv add detail when present.
    pub fn load(dir: &Path) -> anyhow::Result<Reports> {
        let mut claims: Vec<ClaimRecord> = read(&dir.join("claims.csv"))?;
        for claim in &mut claims {
            for text in [
                &mut claim.outlet,
                &mut claim.article,
                &mut claim.sentence,
                &mut claim.supporting_outlets,
                &mut claim.contradicting_outlets,
                &mut claim.voice,
                &mut claim.hedge,
                &mut claim.attribution,
                &mut claim.values,
            ] {
                *text = uncell(text).to_string();
            }
        }
        let mut outlets: Vec<OutletRecord> = read(&dir.join("outlets.csv"))?;
        for outlet in &mut outlets {
            outlet.outlet = uncell(&outlet.outlet).to_string();
        }
        let evidence = read_if_present(&dir.join("evidence.csv"))?;
        let mut articles: Vec<ArticleRecord> = read_if_present(&dir.join("articles.csv"))?;
        for article in &mut articles {
            for text in [
                &mut article.article,
                &mut article.outlet,
                &mut article.title,
                &mut article.published,
            ] {
                *text = uncell(text).to_string();
            }
        }
        Ok(Reports {
            dir: dir.to_path_buf(),
            claims,
            outlets,
            evidence,
            articles,
        })
    }

    /// Explains a claim (by id) or an outlet (by name, any case). `config` supplies the
    /// weights the reports do not record; `config_name` says where it came from.
    pub fn explain(
        &self,
        target: &str,
        config: &Config,
        config_name: &str,
    ) -> anyhow::Result<String> {
        let wanted = target.trim();
        let mut text = String::new();
        if let Some(claim) = self
            .claims
            .iter()
            .position(|c| c.claim_id.eq_ignore_ascii_case(wanted))
        {
            self.explain_claim(&mut text, claim, &config.score)?;
        } else if let Some(outlet) = self.outlet(wanted) {
            self.explain_outlet(&mut text, outlet, &config.score)?;
        } else {
            return Err(self.unknown(wanted));
        }
        writeln!(
            text,
            "\nWeights from {config_name} (config hash {:016x}); if the run used another \
             config, pass it with --config.",
            config.hash
        )?;
        Ok(text)
    }

    fn outlet(&self, name: &str) -> Option<&OutletRecord> {
        let name = name.to_lowercase();
        self.outlets
            .iter()
            .find(|o| o.outlet.to_lowercase() == name)
    }

    fn trust(&self, outlet: &str) -> Option<f64> {
        self.outlets
            .iter()
            .find(|o| o.outlet == outlet)
            .map(|o| o.score)
    }

    fn fact_claims(&self, fact_id: &str) -> Vec<&ClaimRecord> {
        self.claims
            .iter()
            .filter(|c| c.fact_id == fact_id)
            .collect()
    }

    fn unknown(&self, target: &str) -> anyhow::Error {
        let dir = self.dir.display();
        let fact_claims = self.fact_claims(target);
        if !fact_claims.is_empty() {
            let ids: Vec<&str> = fact_claims.iter().map(|c| c.claim_id.as_str()).collect();
            return anyhow::anyhow!(
                "`{target}` is a fact, not a claim or an outlet; explain one of its claims: {}",
                ids.join(", ")
            );
        }
        let close = closest(
            target,
            self.claims
                .iter()
                .map(|c| c.claim_id.as_str())
                .chain(self.outlets.iter().map(|o| o.outlet.as_str())),
        );
        if close.is_empty() {
            let mut names: Vec<&str> = self.outlets.iter().map(|o| o.outlet.as_str()).collect();
            let more = names.len().saturating_sub(LISTED_OUTLETS);
            names.truncate(LISTED_OUTLETS);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            anyhow::anyhow!(
                "no claim or outlet `{target}` in {dir}; outlets are: {}{more} (claim ids are in claims.csv)",
                names.join(", ")
            )
        } else {
            let names: Vec<String> = close.iter().map(|n| format!("`{n}`")).collect();
            anyhow::anyhow!(
                "no claim or outlet `{target}` in {dir}; did you mean {}?",
                names.join(" or ")
            )
        }
    }

    fn explain_claim(
        &self,
        text: &mut String,
        index: usize,
        config: &ScoreConfig,
    ) -> anyhow::Result<()> {
        let claim = &self.claims[index];
        let members = self.fact_claims(&claim.fact_id);
        let groups: BTreeSet<usize> = members.iter().map(|c| c.value_group).collect();
        writeln!(text, "Claim {}", claim.claim_id)?;
        writeln!(text, "  “{}”", claim.sentence)?;
        write!(
            text,
            "  outlet:      {}\n  article:     {}",
            claim.outlet, claim.article
        )?;
        if let Some(article) = self.articles.iter().find(|a| a.article == claim.article) {
            let about: Vec<&str> = [article.title.as_str(), article.published.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            if !about.is_empty() {
                write!(text, " ({})", about.join(", "))?;
            }
        }
        writeln!(text)?;
        if !claim.story_id.is_empty() {
            write!(text, "  story:       {}", claim.story_id)?;
            let story: Vec<&ArticleRecord> = self
                .articles
                .iter()
                .filter(|a| a.story_id == claim.story_id)
                .collect();
            if !story.is_empty() {
                let outlets: BTreeSet<&str> = story.iter().map(|a| a.outlet.as_str()).collect();
                write!(
                    text,
                    " — {} from {}",
                    count(story.len(), "article", "articles"),
                    count(outlets.len(), "outlet", "outlets")
                )?;
            }
            writeln!(text)?;
        }
        writeln!(
            text,
            "  fact:        {} — {} claims, value group {} of {}",
            claim.fact_id,
            members.len(),
            claim.value_group,
            groups.len()
        )?;
        let others_speak = members.iter().any(|c| c.voice != claim.voice);
        let standing = Standing::of(
            claim.independent_support,
            !claim.contradicting_outlets.is_empty(),
            others_speak,
            claim.score,
            config.corroborated_threshold,
        );
        writeln!(
            text,
            "  confidence:  {:.4} — {} (threshold {})",
            claim.score,
            standing.as_str(),
            config.corroborated_threshold
        )?;
        writeln!(
            text,
            "  voice:       {}\n  polarity:    {}",
            claim.voice, claim.polarity
        )?;
        for (label, value) in [
            ("hedge", &claim.hedge),
            ("attribution", &claim.attribution),
            ("values", &claim.values),
        ] {
            if !value.is_empty() {
                writeln!(text, "  {:<12} {value}", format!("{label}:"))?;
            }
        }

        let relations: HashMap<&str, (&str, f64)> = self
            .evidence
            .iter()
            .filter(|e| e.claim_id == claim.claim_id)
            .map(|e| {
                (
                    e.other_claim_id.as_str(),
                    (e.relation.as_str(), e.similarity),
                )
            })
            .collect();
        let relation_of = |other: &ClaimRecord| match relations.get(other.claim_id.as_str()) {
            Some((relation, similarity)) => format!("{relation}, similarity {similarity:.2}"),
            None => "same fact, through other claims".to_string(),
        };
        let supporters: Vec<&ClaimRecord> = members
            .iter()
            .copied()
            .filter(|c| c.value_group == claim.value_group && c.outlet != claim.outlet)
            .collect();
        let contradictors: Vec<&ClaimRecord> = members
            .iter()
            .copied()
            .filter(|c| c.value_group != claim.value_group && c.outlet != claim.outlet)
            .collect();
        writeln!(
            text,
            "\nSupporting ({} from other outlets, same value):",
            count(supporters.len(), "claim", "claims")
        )?;
        if supporters.is_empty() {
            writeln!(text, "  none")?;
        }
        for other in &supporters {
            writeln!(
                text,
                "  + {} {} [{}; voice {}]\n      “{}”",
                other.outlet,
                other.claim_id,
                relation_of(other),
                other.voice,
                other.sentence
            )?;
        }
        writeln!(
            text,
            "\nContradicting ({} from other outlets, competing values):",
            count(contradictors.len(), "claim", "claims")
        )?;
        if contradictors.is_empty() {
            writeln!(text, "  none")?;
        }
        for other in &contradictors {
            writeln!(
                text,
                "  - {} {} [value group {}; {}; voice {}]\n      “{}”",
                other.outlet,
                other.claim_id,
                other.value_group,
                relation_of(other),
                other.voice,
                other.sentence
            )?;
        }

        // Independence: who really speaks among the supporters.
        let mut voices: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for other in &supporters {
            voices
                .entry(&other.voice)
                .or_default()
                .insert(&other.outlet);
        }
        writeln!(
            text,
            "\nIndependence: {} speak with {}:",
            count(
                supporters
                    .iter()
                    .map(|c| c.outlet.as_str())
                    .collect::<BTreeSet<_>>()
                    .len(),
                "supporting outlet",
                "supporting outlets"
            ),
            count(voices.len(), "voice", "voices")
        )?;
        for (voice, outlets) in &voices {
            let own = if *voice == claim.voice {
                " — the claim's own voice, not independent"
            } else {
                ""
            };
            writeln!(
                text,
                "  {voice} ({}): {}{own}",
                voice_kind(voice),
                outlets.iter().copied().collect::<Vec<_>>().join(", ")
            )?;
        }
        let independent = voices.keys().filter(|v| **v != claim.voice).count();
        writeln!(
            text,
            "  → independent voices: {independent} (report: {})",
            claim.independent_support
        )?;

        // The claim's vote weight.
        let sharing: BTreeSet<&str> = members
            .iter()
            .filter(|c| c.value_group == claim.value_group && c.voice == claim.voice)
            .map(|c| c.outlet.as_str())
            .collect();
        let weight = vote_weight(
            sharing.len(),
            !claim.hedge.is_empty(),
            !claim.attribution.is_empty(),
            config,
        );
        writeln!(text, "\nWeight of its vote:")?;
        writeln!(
            text,
            "  share {:.4} (its voice speaks through {} on this value; (1 + copy_weight {} × {}) / {})",
            weight.share,
            count(sharing.len(), "outlet", "outlets"),
            config.copy_weight,
            sharing.len().saturating_sub(1),
            sharing.len()
        )?;
        writeln!(
            text,
            "  × hedge {} {}\n  × attribution {} {}",
            weight.hedge,
            if claim.hedge.is_empty() {
                "(not hedged)".to_string()
            } else {
                format!("(hedge_weight, for “{}”)", claim.hedge)
            },
            weight.attribution,
            if claim.attribution.is_empty() {
                "(not attributed)".to_string()
            } else {
                format!("(attribution_weight, for {})", claim.attribution)
            },
        )?;
        writeln!(
            text,
            "  = {:.4} (report: {:.4})",
            weight.product(),
            claim.weight
        )?;
        self.write_votes(text, claim, &members, &groups, config)
    }

    /// The ACCU vote arithmetic for the claim's fact, from the reported weights and
    /// outlet scores.
    fn write_votes(
        &self,
        text: &mut String,
        claim: &ClaimRecord,
        members: &[&ClaimRecord],
        groups: &BTreeSet<usize>,
        config: &ScoreConfig,
    ) -> anyhow::Result<()> {
        let n = config.false_values;
        writeln!(
            text,
            "\nVotes (each outlet once per value, its strongest weight): weight × ln(n·t / (1 − t)), \
             n = false_values {n}, t = the outlet's score:"
        )?;
        // (group, outlet) → strongest weight, as the engine deduplicates.
        let mut observations: BTreeMap<(usize, &str), f64> = BTreeMap::new();
        for member in members {
            let weight = observations
                .entry((member.value_group, member.outlet.as_str()))
                .or_insert(0.0);
            *weight = weight.max(member.weight);
        }
        let groups: Vec<usize> = groups.iter().copied().collect();
        let mut votes = vec![0.0; groups.len()];
        for ((group, outlet), weight) in &observations {
            let Some(trust) = self.trust(outlet) else {
                bail!(
                    "outlet {outlet} of fact {} is missing from outlets.csv",
                    claim.fact_id
                );
            };
            let at = groups.binary_search(group).expect("group listed");
            let vote = weight * vote_strength(trust, n);
            votes[at] += vote;
            writeln!(
                text,
                "  value {group}: {outlet:<24} {weight:.4} × ln({n}·{trust:.4} / {:.4}) = {vote:+.4}",
                1.0 - trust
            )?;
        }
        for (at, group) in groups.iter().enumerate() {
            writeln!(text, "  V{group} = {:+.4}", votes[at])?;
        }
        let own = groups
            .binary_search(&claim.value_group)
            .expect("the claim's own group");
        let unobserved = unobserved_values(groups.len(), n);
        let rivals: Vec<String> = groups
            .iter()
            .filter(|g| **g != claim.value_group)
            .map(|g| {
                format!(
                    "exp({}·V{g} − V{})",
                    config.contradiction_weight, claim.value_group
                )
            })
            .collect();
        let mut denominator = vec!["1".to_string()];
        denominator.extend(rivals);
        if unobserved > 0.0 {
            denominator.push(format!("{unobserved}·exp(−V{})", claim.value_group));
        }
        writeln!(
            text,
            "  confidence = 1 / ({}) = {:.4} (report: {:.4})",
            denominator.join(" + "),
            confidence(&votes, own, config),
            claim.score
        )?;
        writeln!(
            text,
            "  ({unobserved} of the n = {n} assumed false values are unstated; they compete at a vote of 0.)"
        )?;
        Ok(())
    }

    fn explain_outlet(
        &self,
        text: &mut String,
        outlet: &OutletRecord,
        config: &ScoreConfig,
    ) -> anyhow::Result<()> {
        let rank = self
            .outlets
            .iter()
            .position(|o| o.outlet == outlet.outlet)
            .unwrap_or(0)
            + 1;
        writeln!(text, "Outlet {}", outlet.outlet)?;
        writeln!(
            text,
            "  score:    {:.4}, interval {:.4} – {:.4} (rank {rank} of {})",
            outlet.score,
            outlet.score_low,
            outlet.score_high,
            self.outlets.len()
        )?;
        writeln!(
            text,
            "  counts:   {} articles, {} claims, {} checkable, {} corroborated, {} contradicted",
            outlet.articles,
            outlet.claims,
            outlet.checkable,
            outlet.corroborated,
            outlet.contradicted
        )?;

        // Facts that at least two voices speak to are the ones that inform trust.
        let mut fact_voices: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        for claim in &self.claims {
            fact_voices
                .entry(&claim.fact_id)
                .or_default()
                .insert(&claim.voice);
        }
        let own: Vec<&ClaimRecord> = self
            .claims
            .iter()
            .filter(|c| c.outlet == outlet.outlet)
            .collect();
        // One statement per (fact, value): its strongest weight, and the value's confidence.
        let mut statements: BTreeMap<(&str, usize), (f64, f64, &ClaimRecord)> = BTreeMap::new();
        for claim in own
            .iter()
            .filter(|c| fact_voices[c.fact_id.as_str()].len() >= 2)
        {
            let entry = statements
                .entry((&claim.fact_id, claim.value_group))
                .or_insert((claim.weight, claim.score, claim));
            if claim.weight > entry.0 {
                *entry = (claim.weight, claim.score, claim);
            }
        }
        let (alpha0, beta0) = prior(config);
        let mut alpha = alpha0;
        let mut beta = beta0;
        for (weight, p, _) in statements.values() {
            alpha += weight * p;
            beta += weight * (1.0 - p);
        }
        writeln!(text, "\nBeta prior and evidence:")?;
        writeln!(
            text,
            "  prior: prior_trust {} × prior_strength {} → α₀ = {alpha0:.4}, β₀ = {beta0:.4}",
            config.prior_trust, config.prior_strength
        )?;
        writeln!(
            text,
            "  checkable statements: {} (report: {}); each adds weight × confidence to α and \
             weight × (1 − confidence) to β:",
            statements.len(),
            outlet.checkable
        )?;
        let mut listed: Vec<&(f64, f64, &ClaimRecord)> = statements.values().collect();
        listed.sort_by(|a, b| {
            a.1.total_cmp(&b.1)
                .then_with(|| a.2.claim_id.cmp(&b.2.claim_id))
        });
        for (weight, p, claim) in listed.iter().take(2 * EXAMPLES) {
            writeln!(
                text,
                "    {} {weight:.4} × {p:.4} → α +{:.4}, β +{:.4}  “{}”",
                claim.claim_id,
                weight * p,
                weight * (1.0 - p),
                claim.sentence
            )?;
        }
        if listed.len() > 2 * EXAMPLES {
            writeln!(text, "    … and {} more", listed.len() - 2 * EXAMPLES)?;
        }
        writeln!(
            text,
            "  α = {alpha:.4}, β = {beta:.4}; posterior mean α / (α + β) = {:.4} (report: {:.4})",
            posterior_mean(alpha, beta, config),
            outlet.score
        )?;
        writeln!(
            text,
            "  the interval is the central {}% of Beta(α, β): {:.4} – {:.4}",
            (config.interval * 1000.0).round() / 10.0,
            outlet.score_low,
            outlet.score_high
        )?;

        let mut by_standing: BTreeMap<Standing, Vec<&ClaimRecord>> = BTreeMap::new();
        for claim in &own {
            let standing = Standing::of(
                claim.independent_support,
                !claim.contradicting_outlets.is_empty(),
                fact_voices[claim.fact_id.as_str()].len() >= 2,
                claim.score,
                config.corroborated_threshold,
            );
            by_standing.entry(standing).or_default().push(claim);
        }
        for standing in [
            Standing::Corroborated,
            Standing::Contradicted,
            Standing::Unresolved,
            Standing::Uncheckable,
        ] {
            let mut claims = by_standing.remove(&standing).unwrap_or_default();
            let (title, meaning, reported) = match standing {
                Standing::Corroborated => (
                    "Corroborated",
                    "an independent voice supports it and its confidence reached the threshold",
                    Some(outlet.corroborated),
                ),
                Standing::Contradicted => (
                    "Contradicted",
                    "another outlet states a competing value and its confidence is below the threshold",
                    Some(outlet.contradicted),
                ),
                Standing::Unresolved => (
                    "Unresolved",
                    "other voices speak to the fact, but neither of the above holds",
                    None,
                ),
                Standing::Uncheckable => ("Uncheckable", "no other voice reports the fact", None),
            };
            let reported = reported.map_or(String::new(), |n| format!(" (report: {n})"));
            writeln!(text, "\n{title}: {}{reported} — {meaning}", claims.len())?;
            match standing {
                Standing::Corroborated => claims.sort_by(|a, b| {
                    b.independent_support
                        .cmp(&a.independent_support)
                        .then_with(|| b.score.total_cmp(&a.score))
                }),
                Standing::Contradicted => claims.sort_by(|a, b| a.score.total_cmp(&b.score)),
                Standing::Unresolved | Standing::Uncheckable => {}
            }
            for claim in claims.iter().take(EXAMPLES) {
                let detail = match standing {
                    Standing::Corroborated => format!(
                        "{} independent: {}",
                        claim.independent_support, claim.supporting_outlets
                    ),
                    Standing::Contradicted => format!("against: {}", claim.contradicting_outlets),
                    Standing::Unresolved | Standing::Uncheckable => {
                        format!("voice {}", claim.voice)
                    }
                };
                writeln!(
                    text,
                    "  {} {:.4} [{detail}]\n      “{}”",
                    claim.claim_id, claim.score, claim.sentence
                )?;
            }
            if claims.len() > EXAMPLES {
                writeln!(text, "  … and {} more", claims.len() - EXAMPLES)?;
            }
        }
        Ok(())
    }
}

/// "1 claim", "2 claims".
/// Up to three of `candidates` that look like `target` (any case), closest first.
pub(crate) fn closest<'a>(target: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let folded = target.to_lowercase();
    let mut close: Vec<(f64, &str)> = candidates
        .map(|candidate| {
            (
                strsim::jaro_winkler(&folded, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(similarity, _)| *similarity >= SUGGEST_SIMILARITY)
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    close.dedup_by(|a, b| a.1 == b.1);
    close.into_iter().take(3).map(|(_, name)| name).collect()
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn voice_kind(voice: &str) -> &'static str {
    match voice.split_once(':').map(|(kind, _)| kind) {
        Some("copy") => "verbatim copies of one text",
        Some("origin") => "attributed to one origin, named or in a wire dateline",
        _ => "the outlet itself",
    }
}

fn read<T: DeserializeOwned>(path: &Path) -> anyhow::Result<Vec<T>> {
    let context = || {
        format!(
            "cannot read report {} (written by this version of credence?)",
            path.display()
        )
    };
    let mut reader = csv::Reader::from_path(path).with_context(context)?;
    reader
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .with_context(context)
}

fn read_if_present<T: DeserializeOwned>(path: &Path) -> anyhow::Result<Vec<T>> {
    if path.exists() {
        read(path)
    } else {
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(id: &str, fact: &str, group: usize, outlet: &str, score: f64) -> ClaimRecord {
        ClaimRecord {
            claim_id: id.into(),
            fact_id: fact.into(),
            story_id: "s1".into(),
            value_group: group,
            outlet: outlet.into(),
            article: format!("{outlet}/a.txt"),
            sentence: format!("{outlet} says {group}."),
            score,
            supporting_outlets: String::new(),
            contradicting_outlets: String::new(),
            independent_support: 0,
            voice: format!("outlet:{outlet}"),
            hedge: String::new(),
            attribution: String::new(),
            polarity: "affirmed".into(),
            values: String::new(),
            weight: 1.0,
        }
    }

    fn outlet(name: &str, score: f64) -> OutletRecord {
        OutletRecord {
            outlet: name.into(),
            articles: 1,
            claims: 1,
            checkable: 1,
            corroborated: 0,
            contradicted: 0,
            score,
            score_low: 0.0,
            score_high: 1.0,
        }
    }

    fn reports() -> Reports {
        Reports {
            dir: PathBuf::from("out"),
            claims: vec![
                claim("c01", "f1", 1, "Harbor Times", 0.9),
                claim("c02", "f1", 2, "daily-buzz", 0.1),
            ],
            outlets: vec![outlet("Harbor Times", 0.8), outlet("daily-buzz", 0.3)],
            evidence: Vec::new(),
            articles: Vec::new(),
        }
    }

    fn error(target: &str) -> String {
        reports()
            .explain(target, &Config::builtin(), "test")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn outlets_are_found_in_any_case() {
        let text = reports()
            .explain("  harbor TIMES ", &Config::builtin(), "test")
            .unwrap();
        assert!(text.starts_with("Outlet Harbor Times\n"), "{text}");
    }

    #[test]
    fn unknown_targets_get_the_closest_names_or_the_list() {
        let close = error("dailybuzz");
        assert!(close.contains("did you mean `daily-buzz`?"), "{close}");
        let id = error("c0l");
        assert!(id.contains("`c01`"), "{id}");
        let far = error("zzz");
        assert!(
            far.contains("outlets are: Harbor Times, daily-buzz"),
            "{far}"
        );
        let fact = error("f1");
        assert!(
            fact.contains("is a fact") && fact.contains("c01, c02"),
            "{fact}"
        );
    }

    #[test]
    fn a_claim_shows_both_values_votes() {
        let text = reports()
            .explain("C02", &Config::builtin(), "test")
            .unwrap();
        assert!(text.contains("value group 2 of 2"), "{text}");
        assert!(
            text.contains("- Harbor Times c01 [value group 1; same fact"),
            "{text}"
        );
        let votes = [(1, 0.8), (2, 0.3)].map(|(group, t): (usize, f64)| {
            format!("V{group} = {:+.4}", (3.0 * t / (1.0 - t)).ln())
        });
        for vote in votes {
            assert!(text.contains(&vote), "{vote} in\n{text}");
        }
    }

    #[test]
    fn a_claim_names_its_story_and_its_size() {
        let article = |outlet: &str, name: &str, story: &str| ArticleRecord {
            article: format!("{outlet}/{name}.txt"),
            outlet: outlet.into(),
            story_id: story.into(),
            title: String::new(),
            published: String::new(),
        };
        let mut reports = reports();
        reports.articles = vec![
            article("Harbor Times", "a", "s1"),
            article("Harbor Times", "b", "s1"),
            article("daily-buzz", "a", "s1"),
            article("daily-buzz", "c", "s2"),
        ];
        let text = reports.explain("c01", &Config::builtin(), "test").unwrap();
        assert!(
            text.contains("  story:       s1 — 3 articles from 2 outlets\n"),
            "{text}"
        );
        // Reports from before stories were grouped: no story line at all.
        reports.claims[0].story_id.clear();
        let text = reports.explain("c01", &Config::builtin(), "test").unwrap();
        assert!(!text.contains("story:"), "{text}");
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count(1, "voice", "voices"), "1 voice");
        assert_eq!(count(0, "voice", "voices"), "0 voices");
    }
}
