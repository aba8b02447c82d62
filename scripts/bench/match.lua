-- wrk script: POST /api/v1/match with a clinical note.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"note": "58-year-old woman with type 2 diabetes mellitus and hypertension on metformin. HbA1c 8.1%. eGFR 62. No history of cancer. Not pregnant.", "limit": 10}]]
