//! Readers for the values listing pages print: ages, counts, dates, yes/no.

use eligo_model::{Duration, TimeUnit};

/// Every whole number in `text`, in order.
pub fn numbers(text: &str) -> Vec<f64> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|part| part.trim_matches('.'))
        .filter_map(|part| part.parse::<f64>().ok())
        .collect()
}

/// The first whole number in `text` ("110 estimated patients" → 110).
pub fn first_count(text: &str) -> Option<u32> {
    let digits: String =
        text.chars().skip_while(|c| !c.is_ascii_digit()).take_while(|c| c.is_ascii_digit() || *c == ',').collect();
    digits.replace(',', "").parse().ok()
}

/// An age range as listing pages print it: "Ages 5-18", "18 to 65 years
/// old", "18 Years and older", "up to 6 months", "aged 18-80".
pub fn age_range(text: &str) -> Option<(Option<Duration>, Option<Duration>)> {
    let lower = text.to_lowercase();
    let unit = lower.split(|c: char| !c.is_alphabetic()).find_map(TimeUnit::parse).unwrap_or(TimeUnit::Years);
    let found = numbers(&lower);
    let age = |value: f64| Some(Duration::new(value, unit));
    let open_above = ["older", "and over", "or over", "+", "at least", "minimum"].iter().any(|w| lower.contains(w));
    let open_below = ["up to", "under", "younger", "or less", "maximum", "below"].iter().any(|w| lower.contains(w));
    match found.as_slice() {
        [min, max, ..] if min <= max => Some((age(*min), age(*max))),
        [value] if open_below => Some((None, age(*value))),
        [value] if open_above => Some((age(*value), None)),
        _ => None,
    }
}

/// "No Healthy Volunteers", "Accepts Healthy Volunteers", "Yes", "No".
pub fn yes_no(text: &str) -> Option<bool> {
    let lower = text.trim().to_lowercase();
    if lower.starts_with("no") || lower.contains("not accept") {
        Some(false)
    } else if lower.starts_with("yes") || lower.starts_with("accepts") {
        Some(true)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn years(min: Option<f64>, max: Option<f64>) -> Option<(Option<Duration>, Option<Duration>)> {
        Some((min.map(Duration::years), max.map(Duration::years)))
    }

    #[test]
    fn listing_age_spellings_parse() {
        assert_eq!(age_range("Ages 5-18"), years(Some(5.0), Some(18.0)));
        assert_eq!(age_range("18 to 65 years old"), years(Some(18.0), Some(65.0)));
        assert_eq!(age_range("18 Years and older"), years(Some(18.0), None));
        assert_eq!(age_range("up to 6 months"), Some((None, Some(Duration::new(6.0, TimeUnit::Months)))));
        assert_eq!(age_range("All Genders"), None);
    }

    #[test]
    fn counts_and_flags_parse() {
        assert_eq!(first_count("110 estimated patients"), Some(110));
        assert_eq!(first_count("1,200 participants"), Some(1200));
        assert_eq!(first_count("none"), None);
        assert_eq!(yes_no("No Healthy Volunteers"), Some(false));
        assert_eq!(yes_no("Accepts Healthy Volunteers"), Some(true));
        assert_eq!(yes_no("maybe"), None);
    }
}
