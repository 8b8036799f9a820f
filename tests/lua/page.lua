-- tests/lua/page.lua — checks of the teaching page (scripts/page.lua) for
-- tests/test_page.c. Each returns a list of what failed (empty: all holds).
local M = {}

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function unescape(s)
  return (s:gsub("&(#?%w+);", { amp = "&", lt = "<", gt = ">", quot = '"', ["#39"] = "'" }))
end

-- The embedded tables are the CSVs, byte for byte; the page asks for nothing
-- over a network and loads nothing from a file.
function M.embedded(dir)
  local bad = {}
  local html = slurp(dir .. "/index.html")
  for _, name in ipairs{ "oversight", "oversight_policy", "catastrophe" } do
    local id = name == "oversight_policy" and "data-policy" or "data-" .. name
    local open = '<pre class="data" id="' .. id .. '">'
    local a = html:find(open, 1, true)
    local b = a and html:find("</pre>", a, true)
    local text = a and b and html:sub(a + #open, b - 1)
    if not text then
      bad[#bad + 1] = "no embedded " .. id
    elseif unescape(text) ~= slurp(dir .. "/" .. name .. ".csv") then
      bad[#bad + 1] = id .. " differs from " .. name .. ".csv"
    end
  end
  -- nothing fetched: no src/href attributes, no CSS url() or @import, and the
  -- only http:// string is the SVG namespace name
  for _, pat in ipairs{ "src%s*=", "href%s*=", "url%(", "@import", "https://", "<link",
                        "XMLHttpRequest", "fetch%(", "<iframe", "<img" } do
    if html:find(pat) then bad[#bad + 1] = "page contains " .. pat end
  end
  local n = 0
  for u in html:gmatch("http://[%w%./]+") do
    if u ~= "http://www.w3.org/2000/svg" then bad[#bad + 1] = "page names " .. u end
    n = n + 1
  end
  if n ~= 1 then bad[#bad + 1] = "expected the SVG namespace once, found " .. n end
  if not html:find("Content-Security-Policy\" content=\"default-src 'none'", 1, true) then
    bad[#bad + 1] = "no content security policy forbidding requests"
  end
  return bad
end

-- Names from the scenario appear only escaped.
function M.names_escaped(dir)
  local bad = {}
  local html = slurp(dir .. "/index.html")
  for _, raw in ipairs{ '<script>alert("scenario")</script>', "<img src=x onerror=alert(1)>",
                        "</pre><b>", "<svg onload=alert(2)>", "good</script>" } do
    if html:find(raw, 1, true) then bad[#bad + 1] = "unescaped: " .. raw end
  end
  for _, esc in ipairs{ "&lt;script&gt;alert(&quot;scenario&quot;)&lt;/script&gt;",
                        "&lt;img src=x onerror=alert(1)&gt;", "a&amp;b" } do
    if not html:find(esc, 1, true) then bad[#bad + 1] = "missing escaped: " .. esc end
  end
  return bad
end

-- What the page must display after the harness moved the competence slider
-- from its first to its last value (the page's defaults otherwise: overseer
-- human, when unsure looks, the first labels and kl): "before;after", each the
-- final round's mean deception rate to 3 decimals, from oversight.csv.
function M.expected_deception(dir)
  local rows = oversim.read_csv(dir .. "/oversight.csv")
  local comp, labels, kl, T = {}, math.huge, math.huge, 0
  for _, r in ipairs(rows) do
    comp[#comp + 1] = r.competence
    labels, kl, T = math.min(labels, r.labels_per_round), math.min(kl, r.kl), math.max(T, r.t)
  end
  table.sort(comp)
  local function at(c)
    for _, r in ipairs(rows) do
      if r.kind == "human" and r.when_unsure == "looks" and r.competence == c
         and r.labels_per_round == labels and r.kl == kl and r.t == T then
        return string.format("%.3f", r.deception_rate)
      end
    end
    error("no row for competence " .. c)
  end
  return at(comp[1]) .. ";" .. at(comp[#comp])
end

return M
