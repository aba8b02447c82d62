//! How much a child of a given age can plausibly weigh: the CDC 2000 growth charts' weight-for-age
//! range from z = -3 to z = +3, built by `scripts/build_growth_table.py`.
//!
//! A physician reading "Weight ≥ 5 kg" for a 2-year-old whose chart gives no weight does not call it
//! unknown: no 2-year-old weighs under 5 kg. The matcher settles a weight threshold from age alone
//! only when the threshold lies outside this whole range (0.13th to 99.87th centile), so an
//! inference can be wrong only for a child far outside the charts. The charts stop at 20 years:
//! an adult's weight is never inferred.

use std::sync::OnceLock;

const WEIGHT_FOR_AGE_TSV: &str = include_str!("../data/generated/weight_for_age.tsv");

/// The sex a growth chart is drawn for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartSex {
    Male,
    Female,
}

struct Row {
    sex: ChartSex,
    months: f64,
    low_kg: f64,
    high_kg: f64,
}

fn rows() -> &'static [Row] {
    static ROWS: OnceLock<Vec<Row>> = OnceLock::new();
    ROWS.get_or_init(|| {
        WEIGHT_FOR_AGE_TSV
            .lines()
            .filter(|line| !line.starts_with('#') && !line.starts_with("sex\t"))
            .filter_map(|line| {
                let mut fields = line.split('\t');
                let sex = match fields.next()? {
                    "male" => ChartSex::Male,
                    "female" => ChartSex::Female,
                    _ => return None,
                };
                let mut number = || fields.next()?.parse::<f64>().ok();
                Some(Row { sex, months: number()?, low_kg: number()?, high_kg: number()? })
            })
            .collect()
    })
}

/// The range of weights (kg) of children whose age lies between `from_years` and `to_years`, of
/// the given sex or of either: the lowest z = -3 weight and the highest z = +3 weight over that
/// span of ages. `None` beyond the charts (20 years) or for a reversed span.
pub fn plausible_weight_kg(from_years: f64, to_years: f64, sex: Option<ChartSex>) -> Option<(f64, f64)> {
    let (from, to) = (from_years * 12.0, to_years * 12.0);
    if !(0.0..=to).contains(&from) || to > 240.0 {
        return None;
    }
    let charts = [ChartSex::Male, ChartSex::Female].into_iter().filter(|s| sex.is_none_or(|wanted| wanted == *s));
    let mut range: Option<(f64, f64)> = None;
    for chart in charts {
        let series: Vec<&Row> = rows().iter().filter(|r| r.sex == chart).collect();
        let inside = series.iter().filter(|r| r.months > from && r.months < to).map(|r| (r.low_kg, r.high_kg));
        let ends = [at(&series, from)?, at(&series, to)?];
        for (low, high) in inside.chain(ends) {
            range = Some(match range {
                None => (low, high),
                Some((l, h)) => (l.min(low), h.max(high)),
            });
        }
    }
    range
}

/// The range at one age, interpolated linearly between the two rows around it.
fn at(series: &[&Row], months: f64) -> Option<(f64, f64)> {
    let after = series.iter().position(|r| r.months >= months)?;
    let next = series[after];
    if after == 0 || next.months == months {
        return Some((next.low_kg, next.high_kg));
    }
    let prev = series[after - 1];
    let t = (months - prev.months) / (next.months - prev.months);
    Some((prev.low_kg + t * (next.low_kg - prev.low_kg), prev.high_kg + t * (next.high_kg - prev.high_kg)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toddler_weighs_between_a_few_and_twenty_kilograms() {
        let (low, high) = plausible_weight_kg(2.0, 3.0, None).unwrap();
        assert!(low > 8.0 && low < 10.0, "{low}");
        assert!(high > 15.0 && high < 25.0, "{high}");
    }

    #[test]
    fn one_sex_is_narrower_than_either() {
        let (either_low, either_high) = plausible_weight_kg(15.0, 16.0, None).unwrap();
        let (boy_low, boy_high) = plausible_weight_kg(15.0, 16.0, Some(ChartSex::Male)).unwrap();
        assert!(either_low <= boy_low && either_high >= boy_high);
        assert!(boy_low > 30.0, "{boy_low}");
    }

    #[test]
    fn adults_and_reversed_spans_have_no_chart() {
        assert_eq!(plausible_weight_kg(30.0, 31.0, None), None);
        assert_eq!(plausible_weight_kg(19.5, 20.5, None), None);
        assert_eq!(plausible_weight_kg(5.0, 4.0, None), None);
    }

    #[test]
    fn weights_grow_with_age() {
        let (infant_low, _) = plausible_weight_kg(0.0, 0.1, None).unwrap();
        let (child_low, _) = plausible_weight_kg(8.0, 9.0, None).unwrap();
        assert!(infant_low < child_low);
    }
}
