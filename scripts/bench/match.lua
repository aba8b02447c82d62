-- wrk script: POST /api/v1/match with a clinical note, rotating through distinct patients (different
-- conditions, ages and sexes, so different candidate trials) rather than one note repeated.
-- The server's trial cache still warms up over a run: scripts/bench_server.sh times each note's
-- first (cold) request separately before wrk starts.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

notes = {
  "58-year-old woman with type 2 diabetes mellitus and hypertension on metformin. HbA1c 8.1%. eGFR 62. No history of cancer. Not pregnant.",
  "34-year-old woman with systemic lupus erythematosus in remission on hydroxychloroquine and prednisone 10 mg daily.",
  "45-year-old man with moderate plaque psoriasis treated with methotrexate for 2 years. Denies smoking.",
  "67-year-old man with chronic obstructive pulmonary disease and atrial fibrillation on warfarin. Former smoker.",
  "29-year-old woman with ulcerative colitis, failed mesalamine, started infliximab 3 months ago.",
  "52-year-old woman with rheumatoid arthritis on adalimumab. Hemoglobin 11.2 g/dL.",
  "71-year-old man with Parkinson's disease and hypertension. No dementia.",
  "40-year-old man with chronic hepatitis C genotype 1, treatment naive. ALT 88 U/L.",
  "63-year-old woman with postmenopausal osteoporosis and a prior vertebral fracture, on alendronate.",
  "24-year-old man with schizophrenia on risperidone. No substance use.",
  "36-year-old woman with migraine, 8 headache days per month, on topiramate.",
  "55-year-old man with Crohn's disease, prior ileal resection, on vedolizumab.",
  "47-year-old woman with obesity, BMI 38, and type 2 diabetes. Not pregnant.",
  "19-year-old man with type 1 diabetes on insulin pump. HbA1c 7.9%.",
  "60-year-old man with non-small cell lung cancer, stage IV, EGFR negative, after two lines of chemotherapy.",
  "33-year-old woman with HIV-1 infection on antiretroviral therapy, viral load undetectable.",
  "74-year-old woman with knee osteoarthritis and hypertension. eGFR 48.",
  "42-year-old man with generalized myasthenia gravis, acetylcholine receptor antibody positive, on pyridostigmine.",
  "12-year-old girl with primary Sjogren syndrome; rituximab 4 months ago.",
  "68-year-old man with idiopathic pulmonary fibrosis on pirfenidone. FVC 62% predicted.",
  "38-year-old woman with atopic dermatitis, moderate to severe, on dupilumab for 1 year.",
  "50-year-old man with sickle cell disease, three pain crises in the last year, on hydroxyurea.",
  "27-year-old woman with asthma, on inhaled corticosteroids; two exacerbations last year. Breastfeeding.",
  "78-year-old man with giant cell arteritis on prednisone 20 mg daily.",
}

counter = 0

request = function()
  counter = counter + 1
  local note = notes[(counter % #notes) + 1]
  return wrk.format(nil, nil, nil, '{"note": "' .. note .. '", "limit": 10}')
end
