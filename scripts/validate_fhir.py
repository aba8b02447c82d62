"""Validates Eligo's FHIR answers against the FHIR R4 (4.0.1) resource models of the
maintained `fhir.resources` package (6.x is R4): a ResearchStudy read, a ResearchStudy search
Bundle, and a /getClinicalTrial answer. Usage: validate_fhir.py BASE_URL (a running server).
Prints one line per check and exits non-zero on the first invalid resource."""

import json
import sys
import urllib.request

from fhir.resources.bundle import Bundle
from fhir.resources.researchstudy import ResearchStudy


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


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
