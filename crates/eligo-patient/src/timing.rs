//! Where a note puts a fact in time, and whether it tells a treatment as given.
//!
//! A criterion's time window ("myocardial infarction within 6 months", "major surgery within 4
//! weeks", "chemotherapy in the last 3 weeks") can only be decided from a dated fact. Notes date
//! facts in words: "a stroke 5 years ago", "an MI in 2019", "since March 2015", "two years ago she
//! underwent a mastectomy". [`date_near`] reads those phrases from the words right after a mention
//! or from the start of its clause.
//!
//! A treatment told as given ("underwent a mastectomy", "received adjuvant doxorubicin", "was
//! treated with radiation and temozolomide") is a past course, not one running today: without a
//! date it says nothing about "the last 4 weeks", and read as current it would exclude every
//! patient who was ever treated from every trial with a washout. [`told_as_given`] finds the
//! past-tense verbs of giving before a mention and the passive ones after it ("lumpectomy was
//! performed"); the caller decides which treatments that makes past (a chronic drug "treated with
//! lisinopril" is still taken).

use std::sync::OnceLock;

use chrono::{Datelike, Days, Months, NaiveDate};
use eligo_model::TimeUnit;
use regex::Regex;

/// How a date phrase places a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// At a point: "5 years ago", "in 2019", "last month".
    At(NaiveDate),
    /// From a point on: "since 2015", "for 10 years".
    Since(NaiveDate),
}

/// Month names and their common abbreviations, in calendar order.
const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// The number words notes write amounts of time with ("two years ago", "a month ago").
fn amount(word: &str) -> Option<f64> {
    let words =
        ["a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
    match word {
        "an" => Some(1.0),
        _ => words.iter().position(|w| *w == word).map(|i| i.max(1) as f64).or_else(|| word.parse().ok()),
    }
}

/// The date phrases, each with a name for its parts. Lower-case text.
fn date_phrase() -> &'static Regex {
    static PHRASE: OnceLock<Regex> = OnceLock::new();
    regex(
        &PHRASE,
        r"(?x)\b(?:
              (?P<for>for|since|over)\s+(?:the\s+(?:past|last)\s+)?(?P<famount>\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?P<funit>days?|weeks?|months?|years?)\b
            | (?P<amount>\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b
            | (?P<prep>in|since|during|on|from)\s+(?:(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?)?(?P<year>(?:19|20)\d{2})\b
            | last\s+(?P<last>week|month|year)\b
            | (?P<yesterday>yesterday)\b
            )",
    )
}

/// The date a phrase names, relative to `today`; `None` for a date after `today` or out of range.
fn resolve(caps: &regex::Captures, today: NaiveDate) -> Option<Placed> {
    if let (Some(n), Some(unit)) = (caps.name("amount"), caps.name("unit")) {
        return Some(Placed::At(date_before(today, amount(n.as_str())?, TimeUnit::parse(unit.as_str())?)?));
    }
    if let (Some(n), Some(unit)) = (caps.name("famount"), caps.name("funit")) {
        return Some(Placed::Since(date_before(today, amount(n.as_str())?, TimeUnit::parse(unit.as_str())?)?));
    }
    if let Some(year) = caps.name("year") {
        let year: i32 = year.as_str().parse().ok()?;
        // A month names its middle; a bare year its middle too: the point that is wrong by at
        // most half the span either way, for windows on both sides ("within 6 months", "at least
        // a year ago").
        let date = match caps.name("month") {
            Some(month) => {
                let index = MONTHS.iter().position(|m| *m == month.as_str())? as u32;
                NaiveDate::from_ymd_opt(year, index + 1, 15)?
            }
            None => NaiveDate::from_ymd_opt(year, 7, 1)?,
        };
        if date.year() > today.year() {
            return None;
        }
        let date = date.min(today);
        let since = caps.name("prep").is_some_and(|p| matches!(p.as_str(), "since" | "from"));
        return Some(if since { Placed::Since(date) } else { Placed::At(date) });
    }
    if let Some(last) = caps.name("last") {
        return Some(Placed::At(date_before(today, 1.0, TimeUnit::parse(last.as_str())?)?));
    }
    caps.name("yesterday").and_then(|_| today.checked_sub_days(Days::new(1))).map(Placed::At)
}

/// The date phrase that places a mention: the first one in the words right after it (`after`,
/// its own clause up to the next fact), else one that opens its clause (`before`: "Two years ago,
/// she underwent ...", "In 2019 she had ..."). Both lower case.
pub fn date_near(before: &str, after: &str, today: NaiveDate) -> Option<Placed> {
    let phrase = date_phrase();
    if let Some(caps) = phrase.captures(after) {
        return resolve(&caps, today);
    }
    let caps = phrase.captures(before)?;
    let opening = before[..caps.get(0)?.start()].trim_matches(|c: char| !c.is_alphanumeric()).is_empty();
    opening.then(|| resolve(&caps, today)).flatten()
}

/// Whether the words around a treatment tell it as given: a past verb of giving in the words
/// before it ("received", "underwent", "was treated with", "s/p") with nothing between saying it
/// still runs ("now on", "currently"), or a passive one right after it ("was performed").
pub fn told_as_given(before: &str, after: &str) -> bool {
    static GIVEN: OnceLock<Regex> = OnceLock::new();
    static STILL: OnceLock<Regex> = OnceLock::new();
    static DONE: OnceLock<Regex> = OnceLock::new();
    let given = regex(
        &GIVEN,
        r"\b(?:received|underwent|undergone|treated\s+with|was\s+given|were\s+given|had\s+been\s+given|s/p|status\s+post|after|following)\b",
    );
    let still = regex(
        &STILL,
        r"\b(?:now|currently|still|ongoing|continues|continuing|is\s+on|are\s+on|started|is\s+receiving|is\s+being)\b",
    );
    let done = regex(
        &DONE,
        r"^[\s,]*(?:was|were|had\s+been)\s+(?:\w+ly\s+)?(?:performed|done|completed|given|administered|carried\s+out)\b",
    );
    let before_tells = given.find_iter(before).last().is_some_and(|m| !still.is_match(&before[m.end()..]));
    before_tells || done.is_match(after)
}

/// A regex of this crate's literal patterns, compiled once into `cell`.
pub(crate) fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    // The patterns are literals, each covered by its module's tests.
    cell.get_or_init(|| Regex::new(pattern).expect("valid regex literal"))
}

/// `today` minus an amount of time, in calendar months for months and years.
pub fn date_before(today: NaiveDate, amount: f64, unit: TimeUnit) -> Option<NaiveDate> {
    match unit {
        TimeUnit::Months | TimeUnit::Years => {
            let months = if unit == TimeUnit::Years { amount * 12.0 } else { amount };
            today.checked_sub_months(Months::new(months.round().clamp(0.0, 12_000.0) as u32))
        }
        _ => today.checked_sub_days(Days::new((amount * unit.days()).round().clamp(0.0, 1e6) as u64)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 6, 10).unwrap()
    }

    fn after(text: &str) -> Option<Placed> {
        date_near("", text, today())
    }

    #[test]
    fn amounts_ago_in_digits_and_words_are_points_before_today() {
        assert_eq!(after(" 5 years ago"), Some(Placed::At(NaiveDate::from_ymd_opt(2019, 6, 10).unwrap())));
        assert_eq!(after(" two weeks ago"), Some(Placed::At(NaiveDate::from_ymd_opt(2024, 5, 27).unwrap())));
        assert_eq!(after(" a month ago"), Some(Placed::At(NaiveDate::from_ymd_opt(2024, 5, 10).unwrap())));
        assert_eq!(after(" last year"), Some(Placed::At(NaiveDate::from_ymd_opt(2023, 6, 10).unwrap())));
        assert_eq!(after(" several years ago"), None, "an amount the note does not give is no date");
        // An amount past the calendar is clamped, never a panic.
        assert!(after(" 99999999999999999999999 years ago").is_some());
        assert!(after(" 99999999999999999999999 days ago").is_some());
    }

    #[test]
    fn a_year_or_a_month_is_placed_at_its_middle_and_never_after_today() {
        assert_eq!(after(" in 2019"), Some(Placed::At(NaiveDate::from_ymd_opt(2019, 7, 1).unwrap())));
        assert_eq!(after(" in march 2020"), Some(Placed::At(NaiveDate::from_ymd_opt(2020, 3, 15).unwrap())));
        assert_eq!(after(" in 2024"), Some(Placed::At(today())), "the middle of this year is still to come");
        assert_eq!(after(" in 2031"), None);
        assert_eq!(after(" in 12 patients"), None);
    }

    #[test]
    fn since_and_for_place_the_start_of_what_still_goes_on() {
        assert_eq!(after(" since 2015"), Some(Placed::Since(NaiveDate::from_ymd_opt(2015, 7, 1).unwrap())));
        assert_eq!(after(" for 10 years"), Some(Placed::Since(NaiveDate::from_ymd_opt(2014, 6, 10).unwrap())));
        assert_eq!(
            after(" for the past two months"),
            Some(Placed::Since(NaiveDate::from_ymd_opt(2024, 4, 10).unwrap()))
        );
    }

    #[test]
    fn a_date_before_a_fact_counts_only_when_it_opens_the_clause() {
        let placed = date_near("two years ago, she underwent a ", "", today());
        assert_eq!(placed, Some(Placed::At(NaiveDate::from_ymd_opt(2022, 6, 10).unwrap())));
        let placed = date_near("in 2019 she had an ", "", today());
        assert_eq!(placed, Some(Placed::At(NaiveDate::from_ymd_opt(2019, 7, 1).unwrap())));
        assert_eq!(date_near("she moved here in 2019 and has ", "", today()), None);
    }

    #[test]
    fn a_treatment_is_told_as_given_by_a_past_verb_unless_it_still_runs() {
        assert!(told_as_given("she underwent a ", ""));
        assert!(told_as_given("he received adjuvant ", ""));
        assert!(told_as_given("she was treated with radiation and ", ""));
        assert!(told_as_given("s/p ", ""));
        assert!(told_as_given("", " was performed in 2019"));
        assert!(!told_as_given("she received carboplatin and is now on ", ""));
        assert!(!told_as_given("he is currently receiving ", ""));
        assert!(!told_as_given("she takes ", ""));
        assert!(!told_as_given("", " was recommended"));
    }
}
