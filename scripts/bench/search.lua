-- wrk script: GET /api/v1/search with a rotating set of realistic queries
-- (text, facets, age/sex, distance), so the benchmark is not one cached query.
local queries = {
  "q=diabetes", "q=breast+cancer&status=open", "q=lupus&age=45&sex=female",
  "q=heart+failure&phase=3", "q=asthma&std_age=CHILD", "status=recruiting&phase=2",
  "q=sickle+cell", "q=psoriasis&near=Paris%2C+France&radius_km=250", "q=crohn+OR+colitis",
  "q=%22pulmonary+fibrosis%22&status=recruiting", "q=covid&offset=20", "q=leukemia&age=8",
  "q=hypertension&sex=male&age=60", "q=melanoma&country=Germany", "q=depression&sort=updated",
  "q=nintedanib",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/search?" .. queries[(i % #queries) + 1] .. "&limit=10")
end
