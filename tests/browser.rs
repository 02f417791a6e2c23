//! `make test-browser`: report.html of the fixture run, rendered by headless Chromium.
//!
//! The screenshot must show a page (not a blank or error one) with the interval bars
//! drawn, and the DOM Chromium builds must hold a ranking row for every outlet in
//! outlets.csv, in order. Ignored by plain `cargo test`, since it needs Chromium;
//! without one it passes with a message saying it was skipped. Set
//! `CREDENCE_SCREENSHOT=FILE` to keep the screenshot.

mod util;

use std::ffi::OsString;
use std::fs::File;
use std::path::Path;

use util::{find_program, run_external, Dir};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/news");
const BROWSERS: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 2000;
const BROWSER_SECONDS: u32 = 120;
/// The fill of the interval bars (`#9db8de` in src/html.rs).
const BAR_FILL: [u8; 3] = [0x9d, 0xb8, 0xde];

#[test]
#[ignore = "needs Chromium; run with `make test-browser`"]
fn report_renders_in_chromium_with_every_outlet() {
    let Some(browser) = find_program(BROWSERS) else {
        eprintln!("test-browser: skipped: no Chromium on PATH (tried {BROWSERS:?})");
        return;
    };
    let dir = Dir::new();
    dir.run(["run", FIXTURES, "--out", "out", "--html", "--quiet"])
        .assert_code(0);
    let url = format!("file://{}", dir.join("out/report.html").display());
    let profile = format!("--user-data-dir={}", dir.join("profile").display());
    let common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        profile.as_str(),
    ];
    let args = |extra: &[&str]| -> Vec<OsString> {
        common
            .iter()
            .chain(extra)
            .chain([&url.as_str()])
            .map(OsString::from)
            .collect()
    };

    let png = dir.join("report.png");
    let screenshot = format!("--screenshot={}", png.display());
    let window = format!("--window-size={WIDTH},{HEIGHT}");
    run_external(&browser, &args(&[&screenshot, &window]), BROWSER_SECONDS);
    if let Some(keep) = std::env::var_os("CREDENCE_SCREENSHOT") {
        std::fs::copy(&png, &keep).expect("copy the screenshot");
    }
    assert_rendered(&png);

    let dom = run_external(&browser, &args(&["--dump-dom"]), BROWSER_SECONDS);
    let dom = String::from_utf8(dom.stdout).expect("UTF-8 DOM");
    let start = dom
        .find("<table id=\"ranking\">")
        .expect("ranking table in the DOM");
    let table = &dom[start..start + dom[start..].find("</table>").expect("table closes")];
    let mut last = 0;
    for outlet in util::read_csv(dir.join("out/outlets.csv")) {
        let cell = format!("<td class=\"outlet\">{}</td>", dom_text(&outlet["outlet"]));
        let at = table
            .find(&cell)
            .unwrap_or_else(|| panic!("no ranking row for {} in\n{table}", outlet["outlet"]));
        assert!(at > last, "{} out of order", outlet["outlet"]);
        last = at;
    }
}

/// Text as Chromium serialises it inside an element.
fn dom_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

/// A blank or error page is nearly one colour; the report has text, tinted cards and
/// the bars' own colour.
fn assert_rendered(png: &Path) {
    let mut decoder = png::Decoder::new(File::open(png).expect("screenshot written"));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buffer = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buffer).expect("PNG pixels");
    assert_eq!((frame.width, frame.height), (WIDTH, HEIGHT));
    let channels = frame.color_type.samples();
    assert!(
        channels >= 3,
        "expected a colour screenshot, got {:?}",
        frame.color_type
    );
    let pixels: Vec<[u8; 3]> = buffer[..frame.buffer_size()]
        .chunks_exact(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    let total = pixels.len() as f64;
    let background = pixels.iter().filter(|p| **p == [255, 255, 255]).count() as f64;
    let dark = pixels
        .iter()
        .filter(|p| p.iter().map(|&c| u32::from(c)).sum::<u32>() < 3 * 96)
        .count() as f64;
    let bar = pixels.iter().filter(|p| **p == BAR_FILL).count();
    let mut colours: Vec<[u8; 3]> = pixels.iter().map(|p| p.map(|c| c & 0xf0)).collect();
    colours.sort_unstable();
    colours.dedup();
    eprintln!(
        "test-browser: {:.1}% white, {:.2}% dark (text), {} bar pixels, {} colours",
        100.0 * background / total,
        100.0 * dark / total,
        bar,
        colours.len()
    );
    assert!(background / total > 0.3, "the page background is not white");
    assert!(background / total < 0.98, "the page is blank");
    assert!(dark / total > 0.005, "no text to speak of");
    assert!(bar > 1000, "the interval bars were not drawn");
    assert!(colours.len() > 20, "too few colours for the report");
}
