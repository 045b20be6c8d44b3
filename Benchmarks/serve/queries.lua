-- wrk: each request is the next query of the benchmark's queries (LANG<TAB>QUERY lines,
-- the file in $PRESSE_QUERIES), as GET /api/search?lang=L&q=QUERY, cycling.
local queries = {}
local next_query = 1

local function encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  for line in io.lines(os.getenv("PRESSE_QUERIES")) do
    local lang, text = line:match("^(%a%a)\t(.+)$")
    if lang then
      queries[#queries + 1] = "/api/search?lang=" .. lang .. "&q=" .. encode(text)
    elseif #line > 0 then
      queries[#queries + 1] = "/api/search?q=" .. encode(line)
    end
  end
  -- Threads start at different places, so they do not ask the same query at once.
  next_query = (math.random(#queries)) 
end

function request()
  local path = queries[next_query]
  next_query = next_query % #queries + 1
  return wrk.format("GET", path)
end
