"""Validates Eligo's FHIR answers against the FHIR R4 (4.0.1) resource models of the
maintained `fhir.resources` package (6.x is R4): a ResearchStudy read, a ResearchStudy search
Bundle, and a /getClinicalTrial answer. Usage: validate_fhir.py BASE_URL (a running server).
Prints one line per check and exits non-zero on the first invalid resource."""

import json
import sys
import urllib.request
from pathlib import Path

from fhir.resources.bundle import Bundle
from fhir.resources.researchstudy import ResearchStudy

SYNTHEA_FIXTURE = "crates/eligo-patient/tests/fixtures/synthea/carroll471_ohara248.json"


def fetch(url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)


def main(base):
    search = fetch(f"{base}/fhir/ResearchStudy?_count=20")
    Bundle.parse_obj(search)
    entries = search.get("entry", [])
    if not entries:
        sys.exit("no ResearchStudy in the demo corpus to validate")
    for entry in entries:
        ResearchStudy.parse_obj(entry["resource"])
    print(f"valid: ResearchStudy search Bundle with {len(entries)} studies")
    study_id = entries[0]["resource"]["id"]
    ResearchStudy.parse_obj(fetch(f"{base}/fhir/ResearchStudy/{study_id}"))
    print(f"valid: ResearchStudy/{study_id}")
    condition = entries[0]["resource"]["condition"][0]["text"]
    patient = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Parameters", "parameter": [
            {"name": "recruitmentStatus", "valueString": "active"}]}},
        {"resource": {"resourceType": "Patient", "gender": "female", "birthDate": "1970-01-01"}},
        {"resource": {"resourceType": "Condition", "code": {"text": condition}}}]}
    answer = fetch(f"{base}/getClinicalTrial", {"patientData": patient, "count": 10})
    Bundle.parse_obj(answer)
    matches = [e for e in answer.get("entry", []) if e["search"]["mode"] == "match"]
    print(f"valid: /getClinicalTrial searchset Bundle with {len(matches)} scored studies")
    real_patient(base)


def real_patient(base):
    """A real Synthea chart with the app's Parameters gets a valid searchset: scored studies, best first.

    How many depends on the demo corpus; that several come back for this chart is asserted by
    crates/eligo-server/tests/fhir.rs on its own corpus."""
    path = Path(__file__).resolve().parent.parent / SYNTHEA_FIXTURE
    chart = json.loads(path.read_text(encoding="utf-8"))
    chart["entry"].insert(0, {"resource": {"resourceType": "Parameters", "parameter": [
        {"name": "zipCode", "valueString": "01464"}, {"name": "travelRadius", "valueString": "3000"}]}})
    answer = fetch(f"{base}/getClinicalTrial", {"patientData": chart, "count": 10})
    Bundle.parse_obj(answer)
    matches = [e for e in answer.get("entry", []) if e["search"]["mode"] == "match"]
    scores = [e["search"]["score"] for e in matches]
    if not matches or scores != sorted(scores, reverse=True) or not all(0 <= s <= 1 for s in scores):
        sys.exit(f"/getClinicalTrial for {path.name}: {len(matches)} studies, scores {scores}")
    print(f"valid: /getClinicalTrial for a Synthea chart: {len(matches)} studies, scores {scores[0]}..{scores[-1]}")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
