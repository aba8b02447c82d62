//! Where the patient lives: `Patient.address` with the standard `geolocation` extension (Synthea
//! and many EHR exports geocode the home address), so that "sites within N km" can be answered
//! from the record itself. An address without coordinates places nobody here: turning a city
//! into a point needs the gazetteer, which the surfaces hold.

use eligo_model::{GeoPoint, Noted};
use serde::Deserialize;

use super::evidence;
use crate::ParsedPatient;

const GEOLOCATION: &str = "http://hl7.org/fhir/StructureDefinition/geolocation";

#[derive(Deserialize)]
pub(super) struct Address {
    #[serde(default)]
    extension: Vec<Extension>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Extension {
    url: Option<String>,
    #[serde(default)]
    extension: Vec<Extension>,
    value_decimal: Option<f64>,
}

impl Address {
    fn point(&self) -> Option<Result<GeoPoint, String>> {
        let geo = self.extension.iter().find(|e| e.url.as_deref() == Some(GEOLOCATION))?;
        let part = |name: &str| geo.extension.iter().find(|e| e.url.as_deref() == Some(name))?.value_decimal;
        let point = match (part("latitude"), part("longitude")) {
            (Some(lat), Some(lon)) => GeoPoint { lat, lon },
            _ => return Some(Err("geolocation without latitude and longitude".into())),
        };
        Some(if point.is_valid() {
            Ok(point)
        } else {
            Err(format!("geolocation {lat},{lon} is not on Earth", lat = point.lat, lon = point.lon))
        })
    }
}

/// The first address with valid coordinates becomes the patient's location; an invalid one is a
/// problem of the Patient entry.
pub(super) fn read_location(addresses: &[Address], path: &str, out: &mut ParsedPatient) -> Result<(), String> {
    for (i, address) in addresses.iter().enumerate() {
        match address.point() {
            Some(Ok(point)) => {
                let text = format!("{:.4},{:.4}", point.lat, point.lon);
                let evidence = evidence(&format!("{path}.address[{i}]"), &text);
                out.patient.location = Some(Noted { value: point, evidence });
                return Ok(());
            }
            Some(Err(reason)) => return Err(format!("address[{i}]: {reason}")),
            None => {}
        }
    }
    Ok(())
}
