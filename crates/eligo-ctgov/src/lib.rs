//! ClinicalTrials.gov sources: API v2 JSON (file, page, JSON Lines, bulk ZIP), legacy XML, and the live API sync client.
