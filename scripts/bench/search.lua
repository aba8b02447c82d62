-- wrk script: GET /api/v1/search, replaying a query log (one request path per line),
-- by default bench-out/search-log.txt written by scripts/bench/search_log.py: thousands of
-- distinct searches with Zipf popularity, so that a cache is exercised the way real traffic
-- exercises it. SEARCH_LOG=path picks another log; SEARCH_LOG_SKIP=n starts at its line n + 1
-- (to go on where an earlier run stopped instead of replaying what the cache has seen).
local path = os.getenv("SEARCH_LOG") or "bench-out/search-log.txt"
local skip = tonumber(os.getenv("SEARCH_LOG_SKIP") or "0")
local requests = {}
local file = assert(io.open(path, "r"), "no query log at " .. path .. " (run scripts/bench/search_log.py)")
for line in file:lines() do
  if #line > 0 then
    requests[#requests + 1] = line
  end
end
file:close()
assert(#requests > 0, "the query log " .. path .. " is empty")

local i = skip
request = function()
  i = i + 1
  return wrk.format("GET", requests[((i - 1) % #requests) + 1])
end
