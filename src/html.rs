//! The HTML report: one self-contained page that ranks the outlets, sets the claims of
//! the most corroborated and the most contradicted facts side by side, charts outlet
//! scores over earlier runs, and sums up the run.
//!
//! Inline CSS and SVG only: no scripts, no fonts or images to fetch, so it opens from a
//! mail attachment or a file share and prints as it shows. Every string that came from
//! an article, an outlet or an input path goes through `Esc`. Nothing in the page
//! depends on the clock, so one run always writes the same bytes.

use std::cell::RefCell;
use std::fmt::{self, Write};
use std::io;

use crate::agreement::Relation;
use crate::claims::spill::ClaimProse;
use crate::claims::Prose;
use crate::history::{History, Series};
use crate::report::HISTORY_FILE;
use crate::{Analysis, FactSummary, OutletSummary, SupportCount};

/// Facts shown in each of the two fact sections.
const TOP_FACTS: usize = 10;
/// Claims shown per side of a fact; the rest are counted, and in claims.csv.
const CARDS_PER_SIDE: usize = 12;

/// Interval bar in the ranking: width and height in px, and the inset of 0 and 1.
const BAR_WIDTH: f64 = 260.0;
const BAR_HEIGHT: f64 = 18.0;
const BAR_INSET: f64 = 8.0;

/// One trend chart.
const CHART_WIDTH: f64 = 240.0;
const CHART_HEIGHT: f64 = 96.0;
const CHART_LEFT: f64 = 26.0;
const CHART_RIGHT: f64 = 10.0;
const CHART_TOP: f64 = 8.0;
const CHART_BOTTOM: f64 = 20.0;

const STYLE: &str = r#"
:root { --fg: #1d2330; --muted: #5b6475; --line: #d9dde5; --accent: #3b6fb6;
  --for: #1f7a4d; --for-bg: #e9f6ef; --against: #b42318; --against-bg: #fdeeec; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1120px; padding: 24px 28px 48px; color: var(--fg);
  background: #fff; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
  "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-bottom: 4px;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 0 0 4px; font-weight: 600; }
h4 { font-size: 12px; margin: 0 0 6px; text-transform: uppercase; letter-spacing: .04em; }
p { margin: 0 0 8px; }
.muted, .note { color: var(--muted); }
nav { margin: 8px 0 0; font-size: 14px; }
nav a { color: var(--accent); margin-right: 16px; text-decoration: none; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: middle; }
th { font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em;
  color: var(--muted); }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.outlet { font-weight: 600; overflow-wrap: anywhere; }
small { color: var(--muted); }
svg { display: block; }
.fact { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px;
  margin: 12px 0; break-inside: avoid; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.sides.one { grid-template-columns: 1fr; }
.side.for h4 { color: var(--for); }
.side.against h4 { color: var(--against); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr));
  gap: 8px; }
.claim { border-left: 4px solid; border-radius: 4px; padding: 6px 10px; font-size: 14px;
  overflow-wrap: anywhere; }
.claim.for { border-color: var(--for); background: var(--for-bg); }
.claim.against { border-color: var(--against); background: var(--against-bg); }
.who { margin: 0 0 2px; font-weight: 600; }
.id { margin: 4px 0 0; font-size: 11px; color: var(--muted);
  font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.tag { display: inline-block; font-size: 11px; font-weight: 500; line-height: 16px;
  padding: 0 6px; margin-left: 4px; border-radius: 8px; border: 1px solid var(--line);
  background: #fff; color: var(--muted); }
.tag.copy { border-color: #b07d00; color: #7a5600; background: #fff7e0; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr));
  gap: 12px; }
.chart { border: 1px solid var(--line); border-radius: 6px; padding: 8px; break-inside: avoid; }
.chart h3 { font-size: 14px; overflow-wrap: anywhere; }
.chart h3 small { font-weight: 400; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dl.summary dt { color: var(--muted); }
dl.summary dd { margin: 0; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
@media (max-width: 760px) { .sides { grid-template-columns: 1fr; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { break-after: avoid; }
  tr, .fact, .chart { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// The whole page. `supports` is `analysis.supports()` and `summaries` the outlet
/// ranking built from it, as the CSV reports use them.
pub fn render(
    analysis: &Analysis,
    supports: &[SupportCount],
    summaries: &[OutletSummary],
    history: &History,
) -> io::Result<String> {
    let mut page = String::with_capacity(64 * 1024);
    let cards = CardInfo::new(analysis, supports)?;
    match write_page(&mut page, analysis, &cards, summaries, history) {
        Ok(()) => Ok(page),
        // Formatting into a String fails only where a claim's text could not be read.
        Err(fmt::Error) => Err(cards
            .failed
            .take()
            .unwrap_or_else(|| io::Error::other("formatting the page failed"))),
    }
}

fn write_page(
    out: &mut String,
    analysis: &Analysis,
    cards: &CardInfo,
    summaries: &[OutletSummary],
    history: &History,
) -> fmt::Result {
    let version = env!("CARGO_PKG_VERSION");
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"credence {version}\">\n\
         <title>credence report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    )?;
    write!(
        out,
        "<header>\n<h1>credence report</h1>\n<p class=\"muted\">{} articles from {} outlets \
         · {} claims · {} facts · credence {version} · config <code>{:016x}</code></p>\n\
         <nav><a href=\"#outlets\">Outlets</a><a href=\"#corroborated\">Most corroborated</a>\
         <a href=\"#contradicted\">Most contradicted</a><a href=\"#history\">History</a>\
         <a href=\"#run\">Run</a></nav>\n</header>\n",
        analysis.articles.len(),
        analysis.outlets.len(),
        analysis.claims.len(),
        analysis.agreement.facts.len(),
        analysis.config_hash,
    )?;
    write_ranking(out, analysis, summaries)?;
    let facts: Vec<FactSummary> = (0..analysis.agreement.facts.len())
        .map(|fact| analysis.fact_summary(fact))
        .collect();
    write_facts(
        out,
        analysis,
        cards,
        &facts,
        FactList::Corroborated,
        &most_corroborated(analysis, &facts),
    )?;
    write_facts(
        out,
        analysis,
        cards,
        &facts,
        FactList::Contradicted,
        &most_contradicted(analysis, &facts),
    )?;
    write_history(out, analysis, summaries, history)?;
    write_run(out, analysis)?;
    out.write_str("</body>\n</html>\n")
}

fn write_ranking(
    out: &mut String,
    analysis: &Analysis,
    summaries: &[OutletSummary],
) -> fmt::Result {
    // In tenths of a percent, so 0.999 reads 99.9% and 0.9 reads 90%.
    let coverage = (analysis.interval * 1000.0).round() / 10.0;
    write!(
        out,
        "<section id=\"outlets\">\n<h2>Outlets by score</h2>\n<p class=\"note\">The bar is the \
         outlet's score, the estimated probability that its checkable statements are right; \
         the whisker spans its {coverage}% interval, wide when few of its claims could be \
         checked.</p>\n<table id=\"ranking\">\n<thead><tr><th class=\"num\">#</th>\
         <th>Outlet</th><th class=\"num\">Score</th><th>{}</th><th class=\"num\">Claims</th>\
         <th class=\"num\">Checkable</th><th class=\"num\">Corroborated</th>\
         <th class=\"num\">Contradicted</th></tr></thead>\n<tbody>\n",
        Axis
    )?;
    for (rank, summary) in summaries.iter().enumerate() {
        let trust = summary.trust;
        writeln!(
            out,
            "<tr><td class=\"num\">{}</td><td class=\"outlet\">{}</td><td class=\"num\">\
             <b>{:.3}</b><br><small>{:.3}–{:.3}</small></td><td>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td></tr>",
            rank + 1,
            Esc(&analysis.outlets[summary.outlet]),
            trust.score,
            trust.low,
            trust.high,
            IntervalBar(bar_geometry(trust.score, trust.low, trust.high)),
            summary.claims,
            trust.checkable,
            summary.corroborated,
            summary.contradicted,
        )?;
    }
    out.write_str("</tbody>\n</table>\n</section>\n")
}

/// Horizontal positions, in px within the bar's SVG, of an outlet's score and interval.
#[derive(Debug, Clone, Copy, PartialEq)]
struct BarGeometry {
    score: f64,
    low: f64,
    high: f64,
}

/// Maps 0..1 onto the bar; anything outside (or NaN) is pinned to the nearest end, so a
/// corrupt number can never draw outside its cell.
fn bar_x(value: f64) -> f64 {
    let value = if value.is_nan() {
        0.0
    } else {
        value.clamp(0.0, 1.0)
    };
    BAR_INSET + value * (BAR_WIDTH - 2.0 * BAR_INSET)
}

fn bar_geometry(score: f64, low: f64, high: f64) -> BarGeometry {
    let (low, high) = (bar_x(low), bar_x(high));
    BarGeometry {
        score: bar_x(score),
        low: low.min(high),
        high: low.max(high),
    }
}

/// The ranking's interval bar: a filled bar from 0 to the score, a whisker with caps
/// from the low to the high end of the interval.
struct IntervalBar(BarGeometry);

impl fmt::Display for IntervalBar {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let BarGeometry { score, low, high } = self.0;
        let (mid, zero) = (BAR_HEIGHT / 2.0, bar_x(0.0));
        write!(
            f,
            "<svg width=\"{BAR_WIDTH}\" height=\"{BAR_HEIGHT}\" viewBox=\"0 0 {BAR_WIDTH} \
             {BAR_HEIGHT}\" aria-hidden=\"true\">\
             <line x1=\"{half:.1}\" y1=\"0\" x2=\"{half:.1}\" y2=\"{BAR_HEIGHT}\" \
             stroke=\"#d9dde5\" stroke-dasharray=\"2 2\"/>\
             <rect x=\"{zero:.1}\" y=\"{top:.1}\" width=\"{width:.1}\" height=\"8\" rx=\"2\" \
             fill=\"#9db8de\"/>\
             <line x1=\"{low:.1}\" y1=\"{mid:.1}\" x2=\"{high:.1}\" y2=\"{mid:.1}\" \
             stroke=\"#1d2330\" stroke-width=\"1.5\"/>\
             <line x1=\"{low:.1}\" y1=\"{cap_top:.1}\" x2=\"{low:.1}\" y2=\"{cap_bottom:.1}\" \
             stroke=\"#1d2330\" stroke-width=\"1.5\"/>\
             <line x1=\"{high:.1}\" y1=\"{cap_top:.1}\" x2=\"{high:.1}\" y2=\"{cap_bottom:.1}\" \
             stroke=\"#1d2330\" stroke-width=\"1.5\"/>\
             <circle cx=\"{score:.1}\" cy=\"{mid:.1}\" r=\"3.5\" fill=\"#3b6fb6\"/></svg>",
            half = bar_x(0.5),
            top = mid - 4.0,
            width = score - zero,
            cap_top = mid - 5.0,
            cap_bottom = mid + 5.0,
        )
    }
}

/// The scale above the interval bars.
struct Axis;

impl fmt::Display for Axis {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "<svg width=\"{BAR_WIDTH}\" height=\"14\" viewBox=\"0 0 {BAR_WIDTH} 14\" \
             aria-label=\"score from 0 to 1\">"
        )?;
        for tick in [0.0, 0.5, 1.0] {
            write!(
                f,
                "<text x=\"{:.1}\" y=\"11\" font-size=\"10\" fill=\"#5b6475\" \
                 text-anchor=\"middle\">{tick}</text>",
                bar_x(tick),
            )?;
        }
        f.write_str("</svg>")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FactList {
    Corroborated,
    Contradicted,
}

/// Facts whose leading value at least two independent voices state, most voices first.
fn most_corroborated(analysis: &Analysis, facts: &[FactSummary]) -> Vec<usize> {
    let mut chosen: Vec<usize> = (0..facts.len())
        .filter(|&f| facts[f].voices_for >= 2)
        .collect();
    chosen.sort_by(|&a, &b| {
        facts[b]
            .voices_for
            .cmp(&facts[a].voices_for)
            .then_with(|| analysis.scores.fact[b].total_cmp(&analysis.scores.fact[a]))
            .then_with(|| {
                let facts = &analysis.agreement.facts;
                facts.id(a).cmp(&facts.id(b))
            })
    });
    chosen.truncate(TOP_FACTS);
    chosen
}

/// Facts with a competing value some other voice states, most dissenting voices first.
fn most_contradicted(analysis: &Analysis, facts: &[FactSummary]) -> Vec<usize> {
    let mut chosen: Vec<usize> = (0..facts.len())
        .filter(|&f| facts[f].voices_against >= 1)
        .collect();
    chosen.sort_by(|&a, &b| {
        (facts[b].voices_against, facts[b].voices_for)
            .cmp(&(facts[a].voices_against, facts[a].voices_for))
            .then_with(|| {
                let facts = &analysis.agreement.facts;
                facts.id(a).cmp(&facts.id(b))
            })
    });
    chosen.truncate(TOP_FACTS);
    chosen
}

/// What a claim card shows beyond the claim itself, and the claims' prose.
struct CardInfo<'a> {
    supports: &'a [SupportCount],
    /// Whether each claim is a verbatim copy of a claim in another outlet.
    copied: Vec<bool>,
    prose: &'a ClaimProse,
    /// Why a claim's prose could not be read: writing the page stops with a `fmt::Error`, which
    /// cannot say.
    failed: RefCell<Option<io::Error>>,
}

impl<'a> CardInfo<'a> {
    /// Fails only when the evidence cannot be read back.
    fn new(analysis: &'a Analysis, supports: &'a [SupportCount]) -> io::Result<CardInfo<'a>> {
        let mut copied = vec![false; analysis.claims.len()];
        analysis.agreement.evidence.for_each(|_, edge| {
            if edge.relation == Relation::Copies {
                let (a, b) = edge.claims();
                copied[a] = true;
                copied[b] = true;
            }
            Ok(())
        })?;
        Ok(CardInfo {
            supports,
            copied,
            prose: &analysis.prose,
            failed: RefCell::new(None),
        })
    }

    fn prose(&self, claim: usize) -> Result<Prose, fmt::Error> {
        self.prose.get(claim).map_err(|error| {
            self.failed.replace(Some(error));
            fmt::Error
        })
    }
}

fn write_facts(
    out: &mut String,
    analysis: &Analysis,
    cards: &CardInfo,
    facts: &[FactSummary],
    list: FactList,
    chosen: &[usize],
) -> fmt::Result {
    let (id, title, note) = match list {
        FactList::Corroborated => (
            "corroborated",
            "Most corroborated facts",
            "Facts that the most independent voices state alike. Copies of one text and \
             reports citing one origin count as one voice.",
        ),
        FactList::Contradicted => (
            "contradicted",
            "Most contradicted facts",
            "Facts on which outlets state competing values: a different figure, or a denial.",
        ),
    };
    write!(
        out,
        "<section id=\"{id}\">\n<h2>{title}</h2>\n<p class=\"note\">{note} Green: the \
         leading value; red: a competing one.</p>\n"
    )?;
    if chosen.is_empty() {
        out.write_str("<p>None in this run.</p>\n")?;
    }
    for &fact in chosen {
        write_fact(out, analysis, cards, fact, &facts[fact])?;
    }
    out.write_str("</section>\n")
}

fn write_fact(
    out: &mut String,
    analysis: &Analysis,
    cards: &CardInfo,
    fact: usize,
    summary: &FactSummary,
) -> fmt::Result {
    let facts = &analysis.agreement.facts;
    let leading = facts.value(fact, summary.leading);
    write!(
        out,
        "<article class=\"fact\">\n<h3>{}</h3>\n<p class=\"muted\">confidence {:.3} · {} \
         independent {} for, {} against · {} outlets · fact <code>{}</code> · story \
         <code>{}</code></p>\n",
        Esc(&cards.prose(leading[0] as usize)?.text),
        analysis.scores.fact[fact],
        summary.voices_for,
        if summary.voices_for == 1 {
            "voice"
        } else {
            "voices"
        },
        summary.voices_against,
        summary.outlets,
        facts.id(fact),
        Esc(&analysis.agreement.stories.stories[facts.story(fact)].id),
    )?;
    let against: Vec<u32> = facts
        .values(fact)
        .enumerate()
        .filter(|(value, _)| *value != summary.leading)
        .flat_map(|(_, group)| group.iter().copied())
        .collect();
    let sides = if against.is_empty() {
        "sides one"
    } else {
        "sides"
    };
    writeln!(out, "<div class=\"{sides}\">")?;
    write_side(out, analysis, cards, Side::For, leading)?;
    if !against.is_empty() {
        write_side(out, analysis, cards, Side::Against, &against)?;
    }
    out.write_str("</div>\n</article>\n")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    For,
    Against,
}

fn write_side(
    out: &mut String,
    analysis: &Analysis,
    cards: &CardInfo,
    side: Side,
    claims: &[u32],
) -> fmt::Result {
    let agreement = &analysis.agreement;
    let mut claims: Vec<usize> = claims.iter().map(|&claim| claim as usize).collect();
    claims.sort_by(|&a, &b| {
        (
            agreement.value_of(a),
            &analysis.outlets[analysis.claim_outlet(a)],
            &analysis.claims[a].id,
        )
            .cmp(&(
                agreement.value_of(b),
                &analysis.outlets[analysis.claim_outlet(b)],
                &analysis.claims[b].id,
            ))
    });
    let (class, heading) = match side {
        Side::For => ("for", "Leading value"),
        Side::Against => ("against", "Competing values"),
    };
    write!(
        out,
        "<div class=\"side {class}\">\n<h4>{heading} · {} {}</h4>\n<div class=\"cards\">\n",
        claims.len(),
        if claims.len() == 1 { "claim" } else { "claims" }
    )?;
    for &claim in claims.iter().take(CARDS_PER_SIDE) {
        write_claim_card(out, analysis, cards, claim, class)?;
    }
    out.write_str("</div>\n")?;
    if claims.len() > CARDS_PER_SIDE {
        writeln!(
            out,
            "<p class=\"note\">… and {} more in claims.csv.</p>",
            claims.len() - CARDS_PER_SIDE
        )?;
    }
    out.write_str("</div>\n")
}

fn write_claim_card(
    out: &mut String,
    analysis: &Analysis,
    cards: &CardInfo,
    claim: usize,
    class: &str,
) -> fmt::Result {
    let agreement = &analysis.agreement;
    let record = &analysis.claims[claim];
    let prose = cards.prose(claim)?;
    write!(
        out,
        "<div class=\"claim {class}\">\n<p class=\"who\">{}",
        Esc(&analysis.outlets[analysis.claim_outlet(claim)])
    )?;
    if cards.copied[claim] {
        out.write_str(
            "<span class=\"tag copy\" title=\"the same text appears in another outlet; \
             copies count as one voice\">copy</span>",
        )?;
    }
    if let Some(origin) = record.attribution {
        let origin = analysis.origins.name(origin);
        write!(out, "<span class=\"tag\">via {}</span>", Esc(origin))?;
    }
    if !prose.hedge.is_empty() {
        write!(
            out,
            "<span class=\"tag\">hedged: {}</span>",
            Esc(&prose.hedge)
        )?;
    }
    if record.polarity == crate::claims::Polarity::Negated {
        out.write_str("<span class=\"tag\">denial</span>")?;
    }
    let independent = cards.supports[claim].independent_support;
    write!(
        out,
        "</p>\n<p>{}</p>\n<p class=\"id\">{} · value {} · score {:.3} · {} independent {}</p>\n</div>\n",
        Esc(&prose.text),
        record.id,
        agreement.value_of(claim) + 1,
        analysis.scores.claim[claim],
        independent,
        if independent == 1 { "voice" } else { "voices" },
    )
}

fn write_history(
    out: &mut String,
    analysis: &Analysis,
    summaries: &[OutletSummary],
    history: &History,
) -> fmt::Result {
    out.write_str("<section id=\"history\">\n<h2>Scores over time</h2>\n")?;
    match history {
        History::Absent => writeln!(
            out,
            "<p class=\"note\">No history yet: charts appear once <code>{HISTORY_FILE}</code> \
             exists in the output directory.</p>"
        )?,
        History::Unreadable(reason) => writeln!(
            out,
            "<p class=\"note\"><code>{HISTORY_FILE}</code> was not charted: {}.</p>",
            Esc(reason)
        )?,
        History::Series(series) => write_charts(out, analysis, summaries, series)?,
    }
    out.write_str("</section>\n")
}

fn write_charts(
    out: &mut String,
    analysis: &Analysis,
    summaries: &[OutletSummary],
    series: &Series,
) -> fmt::Result {
    if series.outlets.is_empty() {
        return writeln!(
            out,
            "<p class=\"note\"><code>{HISTORY_FILE}</code> has no usable rows.</p>"
        );
    }
    write!(
        out,
        "<p class=\"note\">Each outlet's score in the {} runs from {} to {} recorded in \
         <code>{HISTORY_FILE}</code>",
        series.dates.len(),
        Esc(&series.dates[0]),
        Esc(&series.dates[series.dates.len() - 1]),
    )?;
    match series.skipped_rows {
        0 => {}
        1 => out.write_str("; 1 unusable row left out")?,
        n => write!(out, "; {n} unusable rows left out")?,
    }
    out.write_str(".</p>\n<div class=\"charts\">\n")?;
    // This run's ranking first, then outlets only earlier runs rated.
    let ranked = summaries
        .iter()
        .map(|s| analysis.outlets[s.outlet].as_str())
        .filter(|name| series.outlets.contains_key(*name));
    let unranked = series.outlets.keys().map(String::as_str).filter(|name| {
        analysis
            .outlets
            .binary_search_by(|o| o.as_str().cmp(name))
            .is_err()
    });
    for name in ranked.chain(unranked) {
        let scores = &series.outlets[name];
        let latest = scores.iter().rev().flatten().next();
        write!(out, "<div class=\"chart\">\n<h3>{}", Esc(name))?;
        if let Some(latest) = latest {
            write!(out, " <small>latest {latest:.3}</small>")?;
        }
        writeln!(
            out,
            "</h3>\n{}\n</div>",
            TrendChart {
                dates: &series.dates,
                scores,
            }
        )?;
    }
    out.write_str("</div>\n")
}

/// Position of run `index` of `runs`, and of a score, in a trend chart.
fn chart_point(index: usize, runs: usize, score: f64) -> (f64, f64) {
    let plot_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT;
    let plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM;
    let x = if runs <= 1 {
        CHART_LEFT + plot_width / 2.0
    } else {
        CHART_LEFT + plot_width * index as f64 / (runs - 1) as f64
    };
    (x, CHART_TOP + (1.0 - score.clamp(0.0, 1.0)) * plot_height)
}

/// One outlet's scores over the runs: a line through the runs that rated it, broken
/// where one did not.
struct TrendChart<'a> {
    dates: &'a [String],
    scores: &'a [Option<f64>],
}

impl fmt::Display for TrendChart<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let runs = self.dates.len();
        let label = |score: f64| chart_point(0, runs, score).1;
        let (top, bottom) = (label(1.0), label(0.0));
        let right = CHART_WIDTH - CHART_RIGHT;
        write!(
            f,
            "<svg width=\"{CHART_WIDTH}\" height=\"{CHART_HEIGHT}\" viewBox=\"0 0 {CHART_WIDTH} \
             {CHART_HEIGHT}\" role=\"img\" aria-label=\"score by run\">\
             <line x1=\"{CHART_LEFT}\" y1=\"{bottom:.1}\" x2=\"{right}\" y2=\"{bottom:.1}\" \
             stroke=\"#d9dde5\"/>\
             <line x1=\"{CHART_LEFT}\" y1=\"{half:.1}\" x2=\"{right}\" y2=\"{half:.1}\" \
             stroke=\"#d9dde5\" stroke-dasharray=\"2 2\"/>\
             <line x1=\"{CHART_LEFT}\" y1=\"{top:.1}\" x2=\"{right}\" y2=\"{top:.1}\" \
             stroke=\"#d9dde5\"/>\
             <text x=\"{axis:.1}\" y=\"{top_text:.1}\" font-size=\"10\" fill=\"#5b6475\" \
             text-anchor=\"end\">1</text>\
             <text x=\"{axis:.1}\" y=\"{bottom_text:.1}\" font-size=\"10\" fill=\"#5b6475\" \
             text-anchor=\"end\">0</text>",
            half = label(0.5),
            axis = CHART_LEFT - 4.0,
            top_text = top + 3.5,
            bottom_text = bottom + 3.5,
        )?;
        // Runs in a row that rated the outlet make one polyline each.
        let mut segment: Vec<(f64, f64)> = Vec::new();
        let mut segments = Vec::new();
        for (index, score) in self.scores.iter().enumerate() {
            match score {
                Some(score) => segment.push(chart_point(index, runs, *score)),
                None => segments.push(std::mem::take(&mut segment)),
            }
        }
        segments.push(segment);
        for segment in segments.iter().filter(|s| s.len() > 1) {
            f.write_str("<polyline fill=\"none\" stroke=\"#3b6fb6\" stroke-width=\"2\" points=\"")?;
            for (i, (x, y)) in segment.iter().enumerate() {
                write!(f, "{}{x:.1},{y:.1}", if i > 0 { " " } else { "" })?;
            }
            f.write_str("\"/>")?;
        }
        for (index, score) in self.scores.iter().enumerate() {
            if let Some(score) = score {
                let (x, y) = chart_point(index, runs, *score);
                write!(
                    f,
                    "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2.5\" fill=\"#3b6fb6\">\
                     <title>{}: {score:.3}</title></circle>",
                    Esc(&self.dates[index])
                )?;
            }
        }
        let date_y = CHART_HEIGHT - 5.0;
        write!(
            f,
            "<text x=\"{CHART_LEFT}\" y=\"{date_y}\" font-size=\"10\" fill=\"#5b6475\">{}</text>",
            Esc(&self.dates[0])
        )?;
        if runs > 1 {
            write!(
                f,
                "<text x=\"{right}\" y=\"{date_y}\" font-size=\"10\" fill=\"#5b6475\" \
                 text-anchor=\"end\">{}</text>",
                Esc(&self.dates[runs - 1])
            )?;
        }
        f.write_str("</svg>")
    }
}

fn write_run(out: &mut String, analysis: &Analysis) -> fmt::Result {
    let skipped: Vec<_> = analysis
        .inputs
        .iter()
        .filter(|input| input.status == crate::ingest::InputStatus::Skipped)
        .collect();
    let excluded = analysis
        .inputs
        .iter()
        .filter(|input| input.status == crate::ingest::InputStatus::Excluded)
        .count();
    let excluded = match excluded {
        0 => String::new(),
        n => format!("{n} outside the date window, "),
    };
    write!(
        out,
        "<section id=\"run\">\n<h2>Run</h2>\n<dl class=\"summary\">\n\
         <dt>Inputs</dt><dd>{} ({} processed, {excluded}{} skipped)</dd>\n\
         <dt>Articles</dt><dd>{}</dd>\n<dt>Claims</dt><dd>{}</dd>\n\
         <dt>Facts</dt><dd>{}</dd>\n<dt>Outlets</dt><dd>{}</dd>\n\
         <dt>Config hash</dt><dd><code>{:016x}</code></dd>\n\
         <dt>credence</dt><dd>{}</dd>\n</dl>\n",
        analysis.inputs.len(),
        analysis
            .inputs
            .iter()
            .filter(|input| input.status == crate::ingest::InputStatus::Processed)
            .count(),
        skipped.len(),
        analysis.articles.len(),
        analysis.claims.len(),
        analysis.agreement.facts.len(),
        analysis.outlets.len(),
        analysis.config_hash,
        env!("CARGO_PKG_VERSION"),
    )?;
    if skipped.is_empty() {
        out.write_str("<p class=\"note\">No input was skipped.</p>\n")?;
    } else {
        out.write_str(
            "<h3>Skipped inputs</h3>\n<table id=\"skipped\">\n<thead><tr><th>Input</th>\
             <th>Reason</th></tr></thead>\n<tbody>\n",
        )?;
        for input in skipped {
            writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td></tr>",
                Esc(&input.path),
                Esc(&input.reason)
            )?;
        }
        out.write_str("</tbody>\n</table>\n")?;
    }
    out.write_str("</section>\n")
}

/// Text made safe for HTML content and quoted attribute values. Control characters a
/// browser would reject become U+FFFD.
pub struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(|c: char| {
            matches!(c, '&' | '<' | '>' | '"' | '\'')
                || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        }) {
            f.write_str(&rest[..at])?;
            let c = rest[at..].chars().next().expect("found a char");
            f.write_str(match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => "\u{FFFD}",
            })?;
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        assert_eq!(
            Esc("<script>alert('x' & \"y\")</script>").to_string(),
            "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;"
        );
        assert_eq!(Esc("Núñez\tline\nnext").to_string(), "Núñez\tline\nnext");
        assert_eq!(Esc("a\u{0}b\u{7f}").to_string(), "a\u{FFFD}b\u{FFFD}");
        assert_eq!(Esc("").to_string(), "");
    }

    #[test]
    fn bar_maps_the_unit_interval_inside_the_insets() {
        let bar = bar_geometry(0.5, 0.0, 1.0);
        assert_eq!(bar.low, BAR_INSET);
        assert_eq!(bar.high, BAR_WIDTH - BAR_INSET);
        assert_eq!(bar.score, BAR_WIDTH / 2.0);
    }

    #[test]
    fn bar_pins_bad_numbers_to_the_ends_and_orders_the_whisker() {
        let bar = bar_geometry(f64::NAN, 1.7, -0.2);
        assert_eq!(bar.score, bar_x(0.0));
        assert_eq!((bar.low, bar.high), (bar_x(0.0), bar_x(1.0)));
        let swapped = bar_geometry(0.5, 0.8, 0.2);
        assert!(swapped.low < swapped.high);
    }

    #[test]
    fn interval_bar_svg_draws_fill_whisker_and_caps_where_the_geometry_says() {
        let svg = IntervalBar(bar_geometry(0.75, 0.5, 1.0)).to_string();
        let fill_width = bar_x(0.75) - bar_x(0.0);
        assert!(svg.contains(&format!("width=\"{fill_width:.1}\"")), "{svg}");
        let (low, high) = (bar_x(0.5), bar_x(1.0));
        assert!(
            svg.contains(&format!(
                "x1=\"{low:.1}\" y1=\"9.0\" x2=\"{high:.1}\" y2=\"9.0\""
            )),
            "{svg}"
        );
        assert_eq!(
            svg.matches("<line").count(),
            4,
            "grid, whisker, two caps: {svg}"
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn trend_chart_puts_high_scores_at_the_top_and_breaks_at_gaps() {
        let (_, top) = chart_point(0, 3, 1.0);
        let (_, bottom) = chart_point(0, 3, 0.0);
        assert_eq!(top, CHART_TOP);
        assert_eq!(bottom, CHART_HEIGHT - CHART_BOTTOM);
        assert_eq!(chart_point(2, 3, 0.5).0, CHART_WIDTH - CHART_RIGHT);
        let dates: Vec<String> = ["d1", "d2", "d3", "d4", "d5"].map(String::from).to_vec();
        let chart = TrendChart {
            dates: &dates,
            scores: &[Some(0.2), Some(0.4), None, Some(0.6), Some(0.8)],
        }
        .to_string();
        assert_eq!(chart.matches("<polyline").count(), 2, "{chart}");
        assert_eq!(chart.matches("<circle").count(), 4, "{chart}");
    }

    #[test]
    fn a_single_run_is_a_point_in_the_middle() {
        let dates = vec!["<2026>".to_string()];
        let chart = TrendChart {
            dates: &dates,
            scores: &[Some(0.5)],
        }
        .to_string();
        assert!(!chart.contains("<polyline"), "{chart}");
        assert!(chart.contains("&lt;2026&gt;"), "{chart}");
        assert_eq!(
            chart_point(0, 1, 0.5).0,
            CHART_LEFT + (CHART_WIDTH - CHART_LEFT - CHART_RIGHT) / 2.0
        );
    }
}
