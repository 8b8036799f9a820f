-- tests/fuzz/make_corpus.lua — writes the seed corpus of the fuzz targets
-- (tests/fuzz/corpus/<target>/). Run from the source tree after running the
-- shipped scripts at tiny sizes into a folder DIR (seeds=1 rounds=2 labels=8,
-- label_efficiency budget=16 ensemble=2, overoptimization rounds=3):
--   oversim run tests/fuzz/make_corpus.lua csvs=DIR [out=tests/fuzz/corpus]
--       [crashes=tests/fuzz/crashes]
-- Without csvs= only the hand-written seeds are written. tests/test_fuzz_corpus.c
-- checks that the committed spec and episodes seeds are what this writes.
-- CSVs are cut to their header and first rows, so every seed stays small.
-- The spec seeds are byte strings for tests/fuzz/spec.lua's decoder, spelt
-- with the encoder below (which mirrors the decoder's lists: keep them in
-- step).
local o = oversim
local opt = o.options{ csvs = "", out = "tests/fuzz/corpus", crashes = "tests/fuzz/crashes" }

-- Inputs that crashed oversim when they were written (issue 11's items; the
-- fuzzer's own finds are added by hand, e.g. crashes/spec/item5_3x20000_oom): they
-- go to tests/fuzz/crashes/<target>/ instead, which tests/test_fuzz_regressions.c
-- replays on every ctest run; they are no seeds of ./run.sh fuzz, where a known
-- crash would stop each run at its start. The fuzzer still reaches them: the
-- decoder's SIZES and SPECIAL lists hold every such value.
local CRASHES = {
  spec = { item3_mlp_65536 = true, item3_policy_mlp_65536 = true, item3_rounds_2p32p1 = true,
           item3_labels_2p32p1 = true, item3_rounds_2p53p1 = true, item4_misconception = true, item5_1x20000 = true,
           item5_1x20000_dpo = true, item5_3x20000_oom = true, item5_4x20000_oom = true },
  episodes = { bon_draws_2p32p1 = true },
  scenario = { item4_misconception = true, item5_1x20000 = true },
  plot = { manifest_runs_shipped_code = true },
}

local function write(target, name, bytes)
  local dir = (CRASHES[target] and CRASHES[target][name] and opt.crashes or opt.out)
    .. "/" .. target
  os.execute("mkdir -p '" .. dir .. "'")
  local f = assert(io.open(dir .. "/" .. name, "wb"))
  f:write(bytes)
  f:close()
end

local function head(path, rows)
  local f = io.open(path, "rb")
  if not f then return nil end
  local lines = {}
  for line in f:lines() do
    lines[#lines + 1] = line
    if #lines > rows then break end
  end
  f:close()
  return table.concat(lines, "\n") .. "\n"
end

----------------------------------------------------------------------------
-- read_csv and plot: real CSVs at tiny sizes, and edge cases
local EDGE = {
  empty = "",
  header_only = "a,b,c\n",
  no_newline = "a,b\n1,2",
  crlf = "a,b\r\n1,2\r\n",
  duplicate = "a,a\n1,2\n",
  ragged = "a,b\n1,2,3\n",
  short = "a,b,c\n1\n",
  empty_cells = "a,b,c\n,,\n1,,\n",
  numbers = "x\n1e308\n-1e308\n1e309\n-0\n0x10\nNaN\nnan\ninf\n-inf\n2147483648\n"
         .. "4294967297\n9223372036854775807\n9223372036854775808\n-9223372036854775809\n"
         .. "4.9e-324\n 1\n1 \ntrue\nfalse\nTRUE\n",
  quotes = 'name,v\n"a,b",1\n"say ""hi""",2\n"multi\nline",3\n"",4\n',
  unterminated = 'a,b\n"open,1\n',
  nul = "a,b\n1\0,2\n",
  bom = "\239\187\191a,b\n1,2\n",
  long_cell = "a\n" .. string.rep("x", 70000) .. "\n",
  many_columns = (function()
    local h, r = {}, {}
    for i = 1, 600 do h[i] = "c" .. i; r[i] = tostring(i) end
    return table.concat(h, ",") .. "\n" .. table.concat(r, ",") .. "\n"
  end)(),
  injection = "run,overseer,seed,round,true_value,proxy_value,deception_rate\n"
           .. '1,"human`touch x`",1,0,0.5,0.1,0.2\n'
           .. '2,"a\'b $(id) system(""ls"")",1,0,0.4,0.1,0.2\n'
           .. '3,"new\nline",1,1,0.3,0.2,0.1\n',
}
for name, text in pairs(EDGE) do write("read_csv", name, text) end

-- plot's first byte: the file name (low 3 bits: naive_rlhf, assistance,
-- optimisers, overoptimization, label_efficiency, naive_rlhf_policy, run,
-- assistance_critics), 8: a --by line follows, bits 4-5: the table beside
-- (none, levels, critics, fit) after a line "%%", 64: a manifest's script
-- line follows (after the --by line; @DIR@ is the CSV's folder, which holds a
-- shipped.plot.lua)
local BASE = { naive_rlhf = 0, assistance = 1, optimisers = 2, overoptimization = 3,
               label_efficiency = 4, naive_rlhf_policy = 5, run = 6, assistance_critics = 7 }
local BESIDE = { levels = 1, critics = 2, fit = 3 }
local function plot_seed(base, csv, by, beside, side_csv, script)
  local flags = BASE[base] | (by and 8 or 0) | ((beside and BESIDE[beside] or 0) << 4)
    | (script and 64 or 0)
  return string.char(flags) .. (by and (by .. "\n") or "") .. (script and (script .. "\n") or "")
    .. csv
    .. (beside and ("\n%%\n" .. side_csv) or "")
end

if opt.csvs ~= "" then
  local d = opt.csvs .. "/"
  for _, s in ipairs{ "naive_rlhf", "naive_rlhf_policy", "assistance", "optimisers",
                      "optimisers_matched", "label_efficiency", "label_efficiency_summary",
                      "overoptimization", "overoptimization_fit", "assistance_levels",
                      "assistance_critics" } do
    local text = head(d .. s .. ".csv", 8)
    if text then write("read_csv", s .. ".csv", text) end
  end
  local function cut(s, n) return (assert(head(d .. s .. ".csv", n), s)) end
  write("plot", "naive_rlhf", plot_seed("naive_rlhf", cut("naive_rlhf", 12)))
  write("plot", "naive_rlhf_by", plot_seed("naive_rlhf", cut("naive_rlhf", 12), "overseer,seed"))
  write("plot", "naive_rlhf_by_typo", plot_seed("naive_rlhf", cut("naive_rlhf", 6), "oversear"))
  write("plot", "policy", plot_seed("naive_rlhf_policy", cut("naive_rlhf_policy", 12)))
  write("plot", "optimisers", plot_seed("optimisers", cut("optimisers", 12)))
  write("plot", "label_efficiency", plot_seed("label_efficiency", cut("label_efficiency", 12)))
  write("plot", "overoptimization", plot_seed("overoptimization", cut("overoptimization", 12),
                                              nil, "fit", cut("overoptimization_fit", 4)))
  write("plot", "assistance", plot_seed("assistance", cut("assistance", 12), nil, "levels",
                                        cut("assistance_levels", 12)))
  write("plot", "assistance_critics", plot_seed("assistance", cut("assistance", 8), nil,
                                                "critics", cut("assistance_critics", 12)))
  write("plot", "critics_table", plot_seed("assistance_critics", cut("assistance_critics", 12)))
end
write("plot", "injection", plot_seed("run", EDGE.injection))
write("plot", "injection_by", plot_seed("naive_rlhf", EDGE.injection, "overseer"))
write("plot", "numbers", plot_seed("run", "run,round,true_value,seed\n1,0,1e308,1\n1,1,-1e308,1\n"
  .. "1,2,inf,1\n1,3,,1\n2,0,nan,2\n2,1,-0,2\n"))
write("plot", "manifest_shipped", plot_seed("run", EDGE.injection, nil, nil, nil, "scripts/naive_rlhf.lua"))
write("plot", "manifest_own_module", plot_seed("run", EDGE.injection, nil, nil, nil, "naive_rlhf.lua"))
-- a manifest naming a script whose .plot.lua came with the CSV: plot.lua runs it
write("plot", "manifest_runs_shipped_code", plot_seed("run", EDGE.injection, nil, nil, nil,
                                                       "@DIR@/shipped.lua"))
write("plot", "empty", "")
write("plot", "header_only", plot_seed("run", "run,round,true_value\n"))

----------------------------------------------------------------------------
-- scenarios: the shipped ones, and loader edge cases
for _, s in ipairs{ "scenarios/hidden_bug.lua", "scenarios/clean.lua",
                    "scenarios/random_flaws.lua", "scripts/examples/review_world.lua" } do
  local f = assert(io.open(s, "rb"))
  write("scenario", s:match("([^/]*)%.lua$"), f:read("a"))
  f:close()
end
local SCEN = {
  empty = "",
  returns_nil = "return nil",
  returns_number = "return 1",
  loop = "while true do end",
  recursion = "local function f() return f() + 1 end return f()",
  binary = string.dump(function() return 1 end, true), -- stripped: no line numbers
  bad_syntax = "return {",
  escape = "return { os = os, io = io, x = require, y = load, z = dofile, p = package }",
  memory = "local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 1e6) end",
  huge_string = "return string.rep('x', 2^40)",
  options = "return function(opts) return { world = oversim.scenario('hidden_bug', "
         .. "{ ladder = opts.ladder or 3 }).world, overseers = {} } end",
  clean_via_name = "return oversim.scenario('hidden_bug', { visible = true })",
  traversal = "return oversim.scenario('../../../../etc/passwd')",
  error_table = "error({})",
  error_nil = "error()",
  -- issue 11 item 5: one context x 20000 behaviours (the pair table is
  -- contexts x behaviours^2)
  item5_1x20000 = "local o = oversim\nlocal b = {}\nfor i = 1, 20000 do b[i] = o.behaviour{ "
            .. "name = 'b' .. i, looks = i % 7, prior = 1 } end\n"
            .. "return { world = o.world{ name = 'wide', contexts = { o.context{ name = 'c', "
            .. "weight = 1, difficulty = 0 } }, behaviours = b },\n"
            .. "  overseers = { oracle = o.overseer{ name = 'oracle', kind = 'oracle' } } }\n",
  -- item 5: random_flaws at 1e8 x 1e4 (refused by the cell cap, or the
  -- instruction budget ends it)
  item5_random_flaws = "return oversim.scenario('random_flaws', { contexts = 1e8, "
                    .. "behaviours = 1e4 })",
  -- item 4: a misconception table changed after overseer{} returned
  item4_misconception = "local o = oversim\nlocal s = o.scenario('hidden_bug')\n"
                     .. "local m = { context = 'hard', behaviour = 'bluff', bias = 1 }\n"
                     .. "local h = o.overseer{ name = 'h', competence = 1, misconceptions = { m } }\n"
                     .. "m.behaviour = true\nm.context = nil\n"
                     .. "return { world = s.world, overseers = { h = h } }\n",
  -- item 6: on_round raising a non-string
  item6_on_round = "local s = oversim.scenario('hidden_bug')\n"
                .. "oversim.train{ world = s.world, overseer = s.overseers.oracle, rounds = 2, "
                .. "labels_per_round = 8, on_round = function() error({}) end }\n",
}
for name, text in pairs(SCEN) do write("scenario", name, text) end

----------------------------------------------------------------------------
-- spec: byte strings for tests/fuzz/spec.lua (its lists, in its order)
-- the decoder's own lists (spec.lua in mode "lists"), so that the seeds
-- cannot drift from what it reads: an edit's byte is its place in EDITS
local L = assert(loadfile("tests/fuzz/spec.lua", "t"))(o, "", "lists")
local SPECIAL, SIZES, HIDDEN, NAMES, KEYS = L.SPECIAL, L.SIZES, L.HIDDEN, L.NAMES, L.KEYS
local function positions(list)
  local t = {}
  for i, name in ipairs(list) do t[name] = i - 1 end
  return t
end
local EDITS, EP = positions(L.EDITS), positions(L.EPISODE_EDITS)
local function index(list, v)
  for i, x in ipairs(list) do
    if v ~= v and x ~= x then return i - 1 end
    if x == v and math.type(x) == math.type(v) and (x ~= 0 or 1 / x == 1 / v) then
      return i - 1
    end
  end
  error("not in the list: " .. tostring(v))
end
local function B(...) return string.char(...) end
local function key(what, k) return B(index(KEYS[what], k)) end
-- value encodings (value(): kind byte, then its bytes)
local function vname(s) return B(1, 0, index(NAMES, s)) end
local function vspecial(x) return B(0, 0, index(SPECIAL, x)) end
local function vdouble(x) return B(0, 3) .. string.pack("<d", x) end
local function vsmall(i) return B(0, 1, i + 128) end
-- set(): a count field takes SIZES when its byte % 4 ~= 0
-- the edits of a part pick it first: the first context, the behaviour "bad"
-- (the one with a fact), its first fact
local ITEM = { context = B(0), behaviour = B(1), fact = B(1, 0) }
local function edit(what) return B(EDITS[what]) .. (ITEM[what] or "") end
local function count(what, k, x) return edit(what) .. key(what, k) .. B(1, index(SIZES, x)) end
local function field(what, k, v) return edit(what) .. key(what, k) .. v end
local function model(on_rm, k, v)
  return B(EDITS.model, on_rm and 0 or 1) .. key("model", k) .. v
end

local SPEC = {
  valid = "",
  mlp = model(true, "kind", vname("mlp")),
  -- issue 11 item 3: an MLP of {65536, 65536} (D*h1, h1*h2 as int)
  item3_mlp_65536 = model(true, "kind", vname("mlp"))
                 .. model(true, "hidden", B(1, 0, index(HIDDEN, 65536), index(HIDDEN, 65536))),
  item3_policy_mlp_65536 = field("policy", "method", vname("reinforce"))
                        .. model(false, "kind", vname("mlp"))
                        .. model(false, "hidden", B(1, 0, index(HIDDEN, 65536), index(HIDDEN, 65536))),
  -- item 3: rounds = 2^32 + 1 (truncated to int: one round)
  item3_rounds_2p32p1 = count("train", "rounds", 4294967297),
  item3_labels_2p31 = count("train", "labels_per_round", 2147483648),
  item3_labels_2p32p1 = count("train", "labels_per_round", 4294967297),
  -- found by the fuzzer: rounds = 2^53 + 1, a Lua integer (not a count
  -- from SIZES: a value from SPECIAL, byte 0 choosing value())
  item3_rounds_2p53p1 = field("train", "rounds", B(0) .. vspecial(9007199254740993)),
  item3_labels_maxint = count("train", "labels_per_round", math.maxinteger),
  item3_rounds_2p63 = count("train", "rounds", 2^63),
  item3_ensemble_2p31 = count("rm", "ensemble", 2^31),
  item3_critic_rounds = field("overseer", "kind", vname("recursive"))
                     .. count("critic", "rounds", 4294967297),
  item3_depth = field("overseer", "kind", vname("recursive")) .. count("overseer", "depth", 2^31),
  -- item 5: one context x 20000 behaviours
  item5_1x20000 = B(EDITS.resize, 1, 4),
  item5_1x20000_dpo = B(EDITS.resize, 1, 4) .. field("policy", "method", vname("dpo")),
  -- found by the fuzzer (commit 8d1367e), spelt here since edits were added
  -- before theirs changed what its raw bytes meant: 3 and 4 contexts x 20000
  -- behaviours, whose tables of behaviour pairs would take 4.8 and 6.4 GB
  item5_3x20000_oom = B(EDITS.resize, 3, 4),
  item5_4x20000_oom = B(EDITS.resize, 3, 4, EDITS.context, 3) .. key("context", "weight")
                   .. vsmall(1),
  -- item 4: the misconception table changed after overseer{} returned
  item4_misconception = B(EDITS.misconception, index(NAMES, "hard"), index(NAMES, "bad"), 0, 0,
                          EDITS.mutate_after),
  nan_weight = field("context", "weight", vspecial(0 / 0)),
  inf_beta = field("overseer", "beta", vspecial(math.huge)),
  neg_zero = field("context", "difficulty", vspecial(-0.0)) .. field("overseer", "competence",
                                                                      vspecial(-0.0)),
  huge_effect = field("fact", "effect", vspecial(1e308)),
  tiny = field("behaviour", "looks", vspecial(4.9e-324)),
  double = field("overseer", "competence", vdouble(1.5)),
  small_int = field("overseer", "competence", vsmall(-3)),
  empty_name = field("world", "name", vname("")),
  huge_name = field("world", "name", B(1, 2, 7, 255)),
  unknown_key = field("world", "rationalty", vsmall(1)),
  deep = field("world", "contexts", B(7, 255)),
  function_raises = field("behaviour", "looks", B(4, 1)),
  function_error_table = field("behaviour", "prior", B(4, 2)),
  wrong_userdata = field("train", "params", B(8, 0)),
  kinds = field("overseer", "kind", vname("assisted")) .. field("assistant", "recall", vsmall(1)),
  ppo = field("policy", "method", vname("ppo")) .. count("policy", "steps", 2),
  bon = field("policy", "method", vname("bon")) .. count("policy", "n", 3),
  disagreement = field("train", "query", vname("disagreement")) .. count("train", "candidates", 3)
              .. count("rm", "ensemble", 2),
  empty_world = B(EDITS.resize, 0, 0),
}
for name, bytes in pairs(SPEC) do write("spec", name, bytes) end

-- episodes: the same decoder in its episodes mode; the first byte picks the
-- world (0 the gridworld, 1 the mdp), then the edits of EPISODE_EDITS
local function ep(what, k, v) return B(EP[what]) .. key(what, k) .. v end
local function epcount(what, k, x) return ep(what, k, B(1, index(SIZES, x))) end
local function letter(c) return index(L.LETTERS, c) end
local MAP_SIZES = { 1, 2, 3, 8, 20000 } -- the map_size edit's widths and heights
local EPISODES = {
  grid = B(0),
  mdp = B(1),
  supervisor = B(0) .. ep("grid", "supervisor", vspecial(0.5)),
  features_unknown = B(0) .. ep("grid", "features", vname("looks")),
  wide = B(0, EP.map_size, index(MAP_SIZES, 20000), index(MAP_SIZES, 2)),
  tall = B(0, EP.map_size, index(MAP_SIZES, 3), index(MAP_SIZES, 20000)),
  no_goal = B(0, EP.map_row, 2, 1, 2, letter("#")), -- row 3, its G walled over
  unknown_letter = B(0, EP.map_row, 1, 1, 2, letter("?")),
  nul_letter = B(0, EP.map_row, 1, 1, 3, letter("\0")),
  ragged = B(0, EP.map_row, 1, 0, 0, 1, 7) .. "#A  T #", -- row 2: 7 bytes (str())
  bucket_tile = B(0, EP.tile, letter("T"), 0, 3), -- T: the shorthand 'bucket'
  tile_nan = B(0, EP.tile, letter("G"), 1) .. key("tile", "looks") .. vspecial(0 / 0),
  horizon_2p31 = B(0) .. epcount("grid", "horizon", 2^31),
  horizon_0 = B(1) .. epcount("mdp", "horizon", 0),
  row_sum = B(1, EP.cell_entry, 0, 0, 2, 132), -- next.s = 0.25: the row sums to 0.75
  next_unknown = B(1, EP.cell_entry, 0, 2, 2, 132),
  fact_inf = B(1, EP.cell_entry, 1, 0, 1) .. vspecial(math.huge),
  cell_unknown_state = B(1, EP.cell, 2, 0) .. key("cell", "looks") .. vsmall(1),
  state_twin = B(1, EP.state, 1) .. key("state", "twin") .. vname("a"),
  -- a second review's find: facts made a list of numbers, then a fact edited
  -- (the decoder indexed a number and aborted: a false crash)
  facts_not_tables = "\1\6\0\1\3\5\1\0\0\0\7\1\0\0\0",
  cell_features = B(1, EP.cell, 0, 0) .. key("cell", "features") .. B(5, 2) .. vsmall(1)
               .. vsmall(2), -- s's go only: its stay has none
  cell_features_nan = B(1, EP.cell, 0, 0) .. key("cell", "features") .. B(5, 1)
                   .. vspecial(0 / 0) .. B(EP.cell, 0, 1) .. key("cell", "features")
                   .. B(5, 1) .. vsmall(1),
  reinforce = B(0) .. ep("train_episodes", "method", vname("reinforce")),
  ppo = B(1) .. ep("train_episodes", "method", vname("ppo")),
  pairs_2p32p1 = B(0) .. epcount("train_episodes", "pairs", 4294967297),
  segment_maxint = B(0) .. epcount("train_episodes", "segment", math.maxinteger),
  kl_nan = B(0) .. ep("optimum", "kl", vspecial(0 / 0)),
  bon_n_2p31 = B(1) .. epcount("best_of_n", "n", 2^31),
  -- the fuzzer's first find here: draws = 2^32 + 1 was run (for hours)
  bon_draws_2p32p1 = B(0) .. epcount("best_of_n", "draws", 4294967297),
  assisted = B(0) .. ep("overseer", "kind", vname("assisted"))
          .. B(EP.assistant) .. key("assistant", "recall") .. vsmall(1),
  debate = B(0) .. ep("overseer", "kind", vname("debate")),
  recursive = B(1) .. ep("overseer", "kind", vname("recursive")),
}
for name, bytes in pairs(EPISODES) do write("episodes", name, bytes) end
print("corpus written to " .. opt.out)
