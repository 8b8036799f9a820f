-- scripts/page.lua — the teaching page: how oversight fails, in the browser.
--
--   oversim demo --html DIR        (or: oversim run scripts/page.lua out=DIR)
--       [seeds=3] [rounds=30] [scenario=hidden_bug]
--       [kinds=human,assisted,recursive] [competence=0,1,2,3]
--       [unsure=coin,skip,looks] [recall=0.5,1] [honesty=0.5,1] [depth=1,2]
--       [labels=16,64] [kl=0.1,0.5] [realism=0,0.5,0.9,1] [cue=1,3]
--       [budget=0,8,32]
--
-- Writes DIR/index.html, one self-contained file (its style and script inline;
-- no server, no network, no external script or font), and beside it the
-- tables it shows, as oversim CSVs with manifests: oversight.csv (per
-- configuration and round: mean, min and max over seeds of true, perceived
-- and proxy value and the deception rate), oversight_policy.csv (per
-- configuration and context: the final policy's mass on deceptive answers)
-- and catastrophe.csv (per red-team setting and round: the real and the red
-- team's catastrophe risk left, and the chance of at least one catastrophe in
-- 10,000 deployed requests). The page embeds those files' text verbatim and
-- only looks numbers up in it: it computes nothing it could get wrong.
--
-- The grid: every combination of the lists above (an assistant's recall and
-- honesty only for `assisted`, depth only for `recursive`), `seeds` runs of
-- each, on `scenario` (any world: the page makes its own overseers, beta 5).
-- The catastrophe chapter runs scenarios/opportunity.lua under an oracle, with
-- a red team at each realism, cue and budget (budget 0: none).
-- Checked by tests/test_page.c (the embedded data equals the CSVs; names are
-- escaped; headless Chromium moves a slider and reads the page's numbers).
local o = oversim
local opt = o.options{ out = "results/page", seeds = 3, rounds = 30, scenario = "hidden_bug",
                       kinds = "human,assisted,recursive", competence = "0,1,2,3",
                       unsure = "coin,skip,looks", recall = "0.5,1", honesty = "0.5,1",
                       depth = "1,2", labels = "16,64", kl = "0.1,0.5",
                       realism = "0,0.5,0.9,1", cue = "1,3", budget = "0,8,32" }
local started = os.clock()

-- a comma-separated option as a list (numbers where the option is numeric)
local function list(name, numeric, allowed)
  local out = {}
  for item in tostring(opt[name]):gmatch("[^,]+") do
    local v = item:match("^%s*(.-)%s*$")
    if numeric then
      local n = tonumber(v)
      if not n or n ~= n or math.abs(n) == math.huge then
        error(("option '%s': '%s' is not a finite number"):format(name, v), 0)
      end
      v = n
    elseif allowed and not allowed[v] then
      local names = {}
      for k in pairs(allowed) do names[#names + 1] = k end
      table.sort(names)
      error(("option '%s': unknown value '%s' (one of %s)"):format(name, v,
            table.concat(names, ", ")), 0)
    end
    out[#out + 1] = v
  end
  if #out == 0 then error(("option '%s' is empty"):format(name), 0) end
  return out
end
local KINDS = list("kinds", false, { human = true, assisted = true, recursive = true })
local COMPETENCE = list("competence", true)
local UNSURE = list("unsure", false, { coin = true, skip = true, looks = true })
local RECALL, HONESTY, DEPTH = list("recall", true), list("honesty", true), list("depth", true)
local LABELS, KL = list("labels", true), list("kl", true)
local REALISM, CUE, BUDGET = list("realism", true), list("cue", true), list("budget", true)

local dir = opt.out:gsub("/+$", "")
local page_path = dir .. "/index.html"
o.check_output(page_path) -- before any work

-- --- chapter 1: the overseer -------------------------------------------------
local scenario = o.scenario(opt.scenario)
local configs = {}
local function overseer(c)
  local t = { name = c.name, kind = c.kind, competence = c.competence, beta = 5,
              when_unsure = c.when_unsure }
  if c.kind ~= "human" then t.verify_gain, t.critique_cost = 1, 0.2 end
  if c.kind == "assisted" then
    t.assistant = { recall = c.recall, honesty = c.honesty, false_alarm = 0, reach = 3 }
  elseif c.kind == "recursive" then
    t.depth, t.critic = c.depth, { rounds = 20, labels_per_round = 64 }
  end
  return o.overseer(t)
end
for _, kind in ipairs(KINDS) do
  for _, c in ipairs(COMPETENCE) do
    for _, u in ipairs(UNSURE) do
      for _, r in ipairs(kind == "assisted" and RECALL or { false }) do
        for _, h in ipairs(kind == "assisted" and HONESTY or { false }) do
          for _, d in ipairs(kind == "recursive" and DEPTH or { false }) do
            for _, l in ipairs(LABELS) do
              for _, k in ipairs(KL) do
                local cfg = { kind = kind, competence = c, when_unsure = u,
                              recall = r or nil, honesty = h or nil, depth = d or nil,
                              labels_per_round = l, kl = k }
                cfg.name = ("%s c=%g %s%s%s%s"):format(kind, c, u,
                  r and (" recall=%g"):format(r) or "", h and (" honesty=%g"):format(h) or "",
                  d and (" depth=%d"):format(d) or "")
                cfg.id = #configs + 1
                configs[#configs + 1] = cfg
              end
            end
          end
        end
      end
    end
  end
end
local made = {} -- one overseer object per distinct overseer
local runs = {}
for _, cfg in ipairs(configs) do
  made[cfg.name] = made[cfg.name] or overseer(cfg)
  for seed = 1, opt.seeds do
    runs[#runs + 1] = { world = scenario.world, overseer = made[cfg.name], seed = seed,
                        rounds = opt.rounds, labels_per_round = cfg.labels_per_round,
                        policy = { kl = cfg.kl }, params = { config = cfg.id } }
  end
end
local rows, policy = o.sweep{ runs = runs }

-- mean, min and max of a list
local function stats(xs)
  local s, lo, hi = 0, math.huge, -math.huge
  for _, x in ipairs(xs) do s, lo, hi = s + x, math.min(lo, x), math.max(hi, x) end
  return s / #xs, lo, hi
end
-- rows (a list of tables) grouped by key(row), in order of appearance
local function group(list, key)
  local out, at = {}, {}
  for _, r in ipairs(list) do
    local k = key(r)
    if not at[k] then at[k] = { key = k, rows = {} }; out[#out + 1] = at[k] end
    table.insert(at[k].rows, r)
  end
  return out
end
local function settings(cfg, t)
  t.kind, t.competence, t.when_unsure = cfg.kind, cfg.competence, cfg.when_unsure
  t.recall, t.honesty, t.depth = cfg.recall, cfg.honesty, cfg.depth
  t.labels_per_round, t.kl = cfg.labels_per_round, cfg.kl
  return t
end

local METRICS = { "true_value", "perceived_value", "proxy_value", "deception_rate" }
local oversight = {}
for _, g in ipairs(group(rows, function(r) return r.config .. "/" .. r.round end)) do
  local cfg = configs[g.rows[1].config]
  local t = settings(cfg, { t = g.rows[1].round, seeds = #g.rows })
  for _, m in ipairs(METRICS) do
    local xs = {}
    for _, r in ipairs(g.rows) do xs[#xs + 1] = r[m] end
    t[m], t[m .. "_lo"], t[m .. "_hi"] = stats(xs)
  end
  oversight[#oversight + 1] = t
end
local oversight_policy = {}
for _, g in ipairs(group(policy, function(p) return p.config .. "/" .. p.context end)) do
  local cfg = configs[g.rows[1].config]
  local by_run = group(g.rows, function(p) return p.run end)
  local dec, tv = {}, {}
  for _, run in ipairs(by_run) do
    local d, v = 0, 0
    for _, p in ipairs(run.rows) do
      if p.deceptive then d = d + p.probability end
      v = v + p.probability * p.true_value
    end
    dec[#dec + 1], tv[#tv + 1] = d, v
  end
  local t = settings(cfg, { context = g.rows[1].context, seeds = #by_run })
  t.deceptive_mass, t.deceptive_mass_lo, t.deceptive_mass_hi = stats(dec)
  t.true_value = stats(tv)
  oversight_policy[#oversight_policy + 1] = t
end

-- --- chapter 2: a model that waits -------------------------------------------
local opp = o.scenario("opportunity", {})
local cat_configs, cat_runs = {}, {}
for _, b in ipairs(BUDGET) do
  for _, realism in ipairs(b > 0 and REALISM or { false }) do
    for _, cue in ipairs(b > 0 and CUE or { false }) do
      local cfg = { budget = b, realism = realism or nil, cue = cue or nil, id = #cat_configs + 1 }
      cat_configs[#cat_configs + 1] = cfg
      for seed = 1, opt.seeds do
        cat_runs[#cat_runs + 1] = { world = opp.world, overseer = opp.overseers.oracle,
          seed = seed, rounds = opt.rounds, labels_per_round = 64, params = { config = cfg.id },
          red_team = b > 0 and { realism = realism, cue = cue, budget = b } or nil }
      end
    end
  end
end
local cat_rows = o.sweep{ runs = cat_runs }
local start = {}
for _, r in ipairs(cat_rows) do if r.round == 0 then start[r.run] = r end end
local catastrophe = {}
for _, g in ipairs(group(cat_rows, function(r) return r.config .. "/" .. r.round end)) do
  local cfg = cat_configs[g.rows[1].config]
  local t = { budget = cfg.budget, realism = cfg.realism, cue = cfg.cue, t = g.rows[1].round,
              seeds = #g.rows }
  local dl, rl, any = {}, {}, {}
  for _, r in ipairs(g.rows) do
    dl[#dl + 1] = r.catastrophe_deploy / start[r.run].catastrophe_deploy
    if cfg.budget > 0 then
      rl[#rl + 1] = r.catastrophe_redteam / start[r.run].catastrophe_redteam
    end
    any[#any + 1] = 1 - (1 - r.catastrophe_deploy) ^ 10000
  end
  t.deploy_left, t.deploy_left_lo, t.deploy_left_hi = stats(dl)
  if #rl > 0 then t.redteam_left, t.redteam_left_lo, t.redteam_left_hi = stats(rl) end
  t.any_in_10000 = stats(any)
  catastrophe[#catastrophe + 1] = t
end

-- --- the files ---------------------------------------------------------------
local OV_COLS = { "kind", "competence", "when_unsure", "recall", "honesty", "depth",
                  "labels_per_round", "kl" }
local function cols(first, rest)
  local c = {}
  for _, x in ipairs(first) do c[#c + 1] = x end
  for _, x in ipairs(rest) do c[#c + 1] = x end
  return c
end
local ov_cols = cols(OV_COLS, { "t", "seeds" })
for _, m in ipairs(METRICS) do
  ov_cols[#ov_cols + 1], ov_cols[#ov_cols + 2], ov_cols[#ov_cols + 3] = m, m .. "_lo", m .. "_hi"
end
local tables = {
  { "oversight", oversight, ov_cols },
  { "oversight_policy", oversight_policy, cols(OV_COLS, { "context", "seeds", "deceptive_mass",
    "deceptive_mass_lo", "deceptive_mass_hi", "true_value" }) },
  { "catastrophe", catastrophe, { "budget", "realism", "cue", "t", "seeds", "deploy_left",
    "deploy_left_lo", "deploy_left_hi", "redteam_left", "redteam_left_lo", "redteam_left_hi",
    "any_in_10000" } },
}
if not o.writes() then -- a shard or an MPI worker rank: the merge or rank 0 writes the page
  local shard, shards = o.shard()
  if shard then
    print(("shard %d/%d of the page's runs done; oversim merge writes %s"):format(shard,
          shards, page_path))
  end
  return
end
local texts = {}
for _, tb in ipairs(tables) do
  local path = dir .. "/" .. tb[1] .. ".csv"
  o.write_csv(path, tb[2], { columns = tb[3] })
  local f = assert(io.open(path, "rb"))
  texts[tb[1]] = f:read("a")
  f:close()
end

-- HTML text: & < > " ' escaped (every string from a scenario, a CSV or an
-- option goes through here)
local function esc(s)
  return (tostring(s):gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                                         ['"'] = "&quot;", ["'"] = "&#39;" }))
end
local template = assert(io.open(o.here("page_template.html"), "rb"))
local html = template:read("a")
template:close()
local fill = {
  SCENARIO = esc(scenario.name or scenario.world.name or opt.scenario),
  SEEDS = esc(opt.seeds), ROUNDS = esc(opt.rounds),
  RUNS = esc(#runs + #cat_runs),
  DATA_OVERSIGHT = esc(texts.oversight),
  DATA_POLICY = esc(texts.oversight_policy),
  DATA_CATASTROPHE = esc(texts.catastrophe),
}
html = html:gsub("{{(%u[%u_]*)}}", function(k)
  return assert(fill[k], "page_template.html: no value for {{" .. k .. "}}")
end)
-- written whole, then renamed into place: never half a page
local tmp = page_path .. ".tmp"
local f = assert(io.open(tmp, "wb"))
assert(f:write(html))
assert(f:close())
assert(os.rename(tmp, page_path))
print(("wrote %s (%d configurations x %d seeds, %d runs, %.1f s of CPU) and its data "
       .. "oversight.csv, oversight_policy.csv, catastrophe.csv"):format(page_path,
       #configs + #cat_configs, opt.seeds, #runs + #cat_runs, os.clock() - started))
print("open " .. page_path .. " in a browser (it needs no server and no network)")
