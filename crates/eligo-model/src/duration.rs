//! Typed durations: ages ("18 Years"), time windows ("within 6 months").
//!
//! Durations keep the unit they were written in (a criterion says "3 months",
//! not "91.3 days") and convert on demand with calendar-average factors, which
//! is what registry ages and criterion windows mean in practice.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    Minutes,
    Hours,
    Days,
    Weeks,
    Months,
    Years,
}

impl TimeUnit {
    /// Length of one unit in days (months and years are calendar averages).
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Minutes => 1.0 / 1440.0,
            TimeUnit::Hours => 1.0 / 24.0,
            TimeUnit::Days => 1.0,
            TimeUnit::Weeks => 7.0,
            TimeUnit::Months => 365.25 / 12.0,
            TimeUnit::Years => 365.25,
        }
    }

    /// Accepts singular, plural and common abbreviations ("yrs", "wk", "mo", "d").
    pub fn parse(raw: &str) -> Option<TimeUnit> {
        let word = raw.trim().trim_end_matches('.').to_ascii_lowercase();
        let unit = match word.as_str() {
            "minute" | "minutes" | "min" | "mins" => TimeUnit::Minutes,
            "hour" | "hours" | "hr" | "hrs" | "h" => TimeUnit::Hours,
            "day" | "days" | "d" => TimeUnit::Days,
            "week" | "weeks" | "wk" | "wks" | "w" => TimeUnit::Weeks,
            "month" | "months" | "mo" | "mos" | "mth" | "mths" | "m" => TimeUnit::Months,
            "year" | "years" | "yr" | "yrs" | "y" | "yo" => TimeUnit::Years,
            _ => return None,
        };
        Some(unit)
    }

    fn label(self, plural: bool) -> &'static str {
        match (self, plural) {
            (TimeUnit::Minutes, false) => "Minute",
            (TimeUnit::Minutes, true) => "Minutes",
            (TimeUnit::Hours, false) => "Hour",
            (TimeUnit::Hours, true) => "Hours",
            (TimeUnit::Days, false) => "Day",
            (TimeUnit::Days, true) => "Days",
            (TimeUnit::Weeks, false) => "Week",
            (TimeUnit::Weeks, true) => "Weeks",
            (TimeUnit::Months, false) => "Month",
            (TimeUnit::Months, true) => "Months",
            (TimeUnit::Years, false) => "Year",
            (TimeUnit::Years, true) => "Years",
        }
    }
}

/// A length of time in the unit it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Duration {
    pub value: f64,
    pub unit: TimeUnit,
}

impl Duration {
    pub fn new(value: f64, unit: TimeUnit) -> Self {
        Duration { value, unit }
    }

    pub fn years(value: f64) -> Self {
        Duration::new(value, TimeUnit::Years)
    }

    pub fn as_days(&self) -> f64 {
        self.value * self.unit.days()
    }

    pub fn as_years(&self) -> f64 {
        self.as_days() / TimeUnit::Years.days()
    }

    /// Parses a registry age or a plain duration: "18 Years", "6 months",
    /// "2 wks", "65". A bare number is read as years, as registry ages are.
    /// "N/A", "None", "" and anything unreadable give `None` (no limit).
    pub fn parse_age(raw: &str) -> Option<Duration> {
        let text = raw.trim();
        let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
        let (number, rest) = text.split_at(split);
        let value: f64 = number.parse().ok()?;
        if !value.is_finite() || value < 0.0 {
            return None;
        }
        let rest = rest.trim();
        if rest.is_empty() {
            return Some(Duration::years(value));
        }
        let unit = TimeUnit::parse(rest.split_whitespace().next()?)?;
        Some(Duration::new(value, unit))
    }
}

impl PartialOrd for Duration {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.as_days().partial_cmp(&other.as_days())
    }
}

impl fmt::Display for Duration {
    /// Registry spelling: "18 Years", "1 Month".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = (self.value - 1.0).abs() > f64::EPSILON;
        if self.value.fract() == 0.0 {
            write!(f, "{} {}", self.value as i64, self.unit.label(plural))
        } else {
            write!(f, "{} {}", self.value, self.unit.label(plural))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn registry_ages_parse() {
        assert_eq!(Duration::parse_age("18 Years"), Some(Duration::years(18.0)));
        assert_eq!(Duration::parse_age("6 Months"), Some(Duration::new(6.0, TimeUnit::Months)));
        assert_eq!(Duration::parse_age("N/A"), None);
        assert_eq!(Duration::parse_age(""), None);
        assert_eq!(Duration::parse_age("65"), Some(Duration::years(65.0)));
        assert_eq!(Duration::parse_age("12 furlongs"), None);
    }

    #[test]
    fn conversions_are_consistent() {
        let three_months = Duration::new(3.0, TimeUnit::Months);
        let twelve_weeks = Duration::new(12.0, TimeUnit::Weeks);
        assert!(three_months > twelve_weeks);
        assert!((Duration::new(24.0, TimeUnit::Months).as_years() - 2.0).abs() < 1e-9);
        assert_eq!(Duration::years(18.0).to_string(), "18 Years");
        assert_eq!(Duration::new(1.0, TimeUnit::Months).to_string(), "1 Month");
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(value in 0u32..200, unit_index in 2usize..6) {
            let units = [TimeUnit::Minutes, TimeUnit::Hours, TimeUnit::Days, TimeUnit::Weeks, TimeUnit::Months, TimeUnit::Years];
            let duration = Duration::new(value as f64, units[unit_index]);
            prop_assert_eq!(Duration::parse_age(&duration.to_string()), Some(duration));
        }

        #[test]
        fn parse_never_panics(text in ".{0,40}") {
            let _ = Duration::parse_age(&text);
        }
    }
}
