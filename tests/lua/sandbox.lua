-- tests/lua/sandbox.lua — scenario files run in a sandbox, and oversim loads
-- Lua source only; for tests/test_sandbox.c. Each function raises an error (an
-- assert saying what failed) unless its checks pass. The functions that take
-- `dir` write their scenario files into it (a fresh temporary folder).
local M = {}

local HINT = "(a file you trust can be loaded with oversim.scenario(name, options, "
  .. "{ trusted = true }))"

-- the message for a name the sandbox withholds
local function na(name)
  return "'" .. name .. "' is not available in a sandboxed scenario " .. HINT
end

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- the error message of f(...), which must fail
local function failure(f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error")
  return tostring(err)
end

local function check_msg(got, want)
  if got ~= want then
    error(string.format("error\n  '%s'\nexpected\n  '%s'", got, want), 2)
  end
end

-- A scenario that reaches for what a sandbox withholds fails with one line
-- naming its file and line. Each case: the scenario's source (the offending
-- line is line 2), and the message after "<path>:2: ".
local refused = {
  { "os", "os.exit(3)", na("os") },
  { "io", "io.open('/etc/passwd')", na("io") },
  { "require", "require 'os'", na("require") },
  { "loadlib", "package.loadlib('libc.so.6', 'system')",
    na("package") },
  { "debug", "debug.getinfo(1)", na("debug") },
  { "dofile", "dofile('/etc/passwd')", na("dofile") },
  { "loadfile", "loadfile('x.lua')", na("loadfile") },
  { "gc", "collectgarbage('stop')",
    na("collectgarbage") },
  { "dump", "string.dump(function() end)",
    na("string.dump") },
  { "global_G", "local x = _G.os", na("os") },
  { "write_csv", "oversim.write_csv('x.csv', {})",
    na("oversim.write_csv") },
  { "read_csv", "oversim.read_csv('x.csv')",
    na("oversim.read_csv") },
  { "train", "oversim.train{}", na("oversim.train") },
  { "sleep", "oversim.sleep(100)", na("oversim.sleep") },
  -- a name that exists nowhere: a typo, or code from another Lua
  { "typo", "oversim.wrold{}", "'oversim.wrold' is not defined (did you mean 'oversim.world'?)" },
  { "typo_lib", "local r = math.sqr(4)", "'math.sqr' is not defined (did you mean 'math.sqrt'?)" },
  { "typo_far", "local t = table.frobnicate", "'table.frobnicate' is not defined" },
  { "typo_global", "local p = pars({})", "global 'pars' is not defined (did you mean 'pairs'?)" },
  { "unpack", "local unpack = unpack or table.unpack", "global 'unpack' is not defined" },
  { "global", "x = 1", "a sandboxed scenario cannot set global 'x' (make it local)" },
  { "global_fn", "function helper() end",
    "a sandboxed scenario cannot set global 'helper' (make it local)" },
  { "global_G_set", "_G.oversim = {}",
    "a sandboxed scenario cannot set global 'oversim' (make it local)" },
  { "protected", "setmetatable(_G, nil)", "cannot change a protected metatable" },
  -- a binary chunk handed over by the script, in the options
  { "binary", "return function(opts) return load(opts.chunk) end",
    "load: binary chunks are not allowed (oversim loads Lua source only)", true },
  { "nested_trusted", "oversim.scenario('hidden_bug', nil, { trusted = true })",
    "a sandboxed scenario cannot load another scenario as trusted" },
  { "nested_path", "oversim.scenario('/home/someone/.config/nvim/init.lua')",
    "a sandboxed scenario loads other scenarios by name only (letters, digits, _ and -; "
    .. "got '/home/someone/.config/nvim/init.lua')" },
  { "nested_dots", "oversim.scenario('../../secrets')",
    "a sandboxed scenario loads other scenarios by name only (letters, digits, _ and -; "
    .. "got '../../secrets')" },
}

function M.refused(dir)
  local chunk = string.dump(function() return 1 end)
  for _, case in ipairs(refused) do
    local name, lines, want, takes_options = case[1], case[2], case[3], case[4]
    local path = dir .. "/" .. name .. ".lua"
    if takes_options then
      write(path, "-- a scenario that tries " .. name .. "\n" .. lines .. "\n")
    else
      write(path, "-- a scenario that tries " .. name .. "\n" .. lines .. "\nreturn {}\n")
    end
    local err = failure(oversim.scenario, path, takes_options and { chunk = chunk } or nil)
    check_msg(err, path .. ":2: " .. want)
    assert(not err:find("\n"), "one line")
  end
end

-- Chunks a scenario loads as text see its sandbox, not the script's globals.
function M.load_sees_the_sandbox(dir)
  local path = dir .. "/load_env.lua"
  write(path, "local f = load('return os')\nreturn { os = f() }\n")
  local err = failure(oversim.scenario, path)
  check_msg(err, '[string "return os"]:1: \'os\' is not available in a sandboxed scenario '
            .. HINT)
  write(path, "local f = load('y = 2')\nf()\nreturn {}\n")
  check_msg(failure(oversim.scenario, path),
            '[string "y = 2"]:1: a sandboxed scenario cannot set global \'y\' (make it local)')
  -- with an environment of its own, a chunk sees that
  write(path, "local t = { z = 3 }\nlocal f = load('return z', 'c', 't', t)\n"
        .. "return { z = f() }\n")
  assert(oversim.scenario(path).z == 3)
  -- what the sandbox does allow works
  write(path, [[
local t = {}
for i, v in ipairs({ 3, 1, 2 }) do t[#t + 1] = v end
table.sort(t)
local mt = setmetatable({}, { __index = function(_, k) return k * 2 end })
local ok, e = pcall(error, "caught")
return { sorted = table.concat(t, ","), up = string.upper("a"), len = utf8.len("é"),
         n = select("#", 1, 2), mt = mt[21], caught = not ok and e == "caught",
         int = math.type(3), big = tostring(math.huge), num = tonumber("0x10"),
         meta = getmetatable(mt) ~= nil, strmeta = getmetatable("") == nil,
         ver = _VERSION, g = _G == _ENV, co = coroutine.wrap(function() coroutine.yield(7) end)() }
]])
  local s = oversim.scenario(path)
  assert(s.sorted == "1,2,3" and s.up == "A" and s.len == 1 and s.n == 2 and s.mt == 42)
  assert(s.caught and s.int == "integer" and s.big == "inf" and s.num == 16)
  assert(s.meta and s.strmeta and s.ver == _VERSION and s.g and s.co == 7)
end

-- A scenario cannot change what the script, or another scenario, sees.
function M.isolation(dir)
  local path = dir .. "/vandal.lua"
  write(path, [[
string.upper = nil
table.insert = nil
math.floor = nil
oversim.world = nil
math.randomseed(99)
local mt = getmetatable("")
return { name = "vandal", strmeta = mt == nil }
]])
  math.randomseed(3)
  local a = { math.random(), math.random() }
  math.randomseed(3)
  local s = oversim.scenario(path)
  assert(s.strmeta, "a sandbox reached the string metatable")
  local b = { math.random(), math.random() }
  assert(a[1] == b[1] and a[2] == b[2], "a scenario's randomseed moved the script's stream")
  assert(string.upper("x") == "X" and ("x"):upper() == "X")
  assert(type(table.insert) == "function" and type(math.floor) == "function")
  assert(type(oversim.world) == "function")
  -- the next scenario gets fresh copies
  local other = dir .. "/other.lua"
  write(other, "return { up = string.upper('y'), ins = table.insert ~= nil, "
        .. "fl = math.floor(1.5), w = oversim.world ~= nil }\n")
  local t = oversim.scenario(other)
  assert(t.up == "Y" and t.ins and t.fl == 1 and t.w)
  -- and the script's globals are still its own
  assert(rawget(_G, "x") == nil and rawget(_G, "helper") == nil)
end

-- math.random in a scenario: a generator of its own, seeded as the script's
-- (oversim --seed, 1 here), whatever the script drew before.
function M.scenario_random(dir)
  local path = dir .. "/rand.lua"
  write(path, "return { x = math.random(), y = math.random(1, 100) }\n")
  local s1 = oversim.scenario(path)
  for _ = 1, 10 do math.random() end
  local s2 = oversim.scenario(path)
  assert(s1.x == s2.x and s1.y == s2.y)
  math.randomseed(1)
  assert(math.random() == s1.x and math.random(1, 100) == s1.y)
end

-- deep equality of plain values
local function same(a, b, where)
  if type(a) ~= type(b) then error(where .. ": " .. type(a) .. " vs " .. type(b)) end
  if type(a) ~= "table" then
    if a ~= b and not (a ~= a and b ~= b) then
      error(string.format("%s: %s vs %s", where, tostring(a), tostring(b)))
    end
    return
  end
  for k, v in pairs(a) do same(v, b[k], where .. "." .. tostring(k)) end
  for k in pairs(b) do
    if a[k] == nil then error(where .. "." .. tostring(k) .. " missing") end
  end
end

local function sorted_names(t)
  local names = {}
  for k in pairs(t) do names[#names + 1] = k end
  table.sort(names)
  return names
end

-- The shipped scenarios give the same worlds and overseers sandboxed as
-- trusted (as they were loaded before the sandbox), and the same numbers from
-- a short training run.
function M.same_worlds()
  local cases = {
    { "hidden_bug" }, { "hidden_bug", { ladder = 3 } }, { "hidden_bug", { visible = true } },
    { "hidden_bug", { ladder = 2, visible = true, name = "x" } }, { "clean" },
    { "random_flaws" }, { "random_flaws", { seed = 7, contexts = 2, behaviours = 6 } },
    { "patches" }, { "patches", { levels = 2, name = "p2" } },
    { "scripts/examples/review_world.lua" },
  }
  local checked = 0
  for _, c in ipairs(cases) do
    local name, opts = c[1], c[2]
    local what = name .. (opts and " with options" or "")
    local boxed = oversim.scenario(name, opts)
    local trusted = oversim.scenario(name, opts, { trusted = true })
    assert(boxed.name == trusted.name, what)
    same(boxed.world:info(), trusted.world:info(), what .. " world")
    local names = sorted_names(boxed.overseers)
    same(names, sorted_names(trusted.overseers), what .. " overseers")
    for _, ov in ipairs(names) do
      same(boxed.overseers[ov]:info(), trusted.overseers[ov]:info(), what .. " " .. ov)
      local function run(s)
        local rows, policy = oversim.train{ world = s.world, overseer = s.overseers[ov],
                                            rounds = 3, labels_per_round = 16, seed = 5,
                                            run = 1 }
        return { rows[#rows], policy }
      end
      same(run(boxed), run(trusted), what .. " " .. ov .. " run")
      checked = checked + 1
    end
  end
  return checked
end

-- The opt-out: a trusted scenario has the whole standard library.
function M.trusted(dir)
  local path = dir .. "/trusted.lua"
  write(path, "local home = os.getenv('HOME')\nlocal f = io.open('" .. path .. "')\n"
        .. "f:close()\nreturn { t = os.time(), ok = true }\n")
  local s = oversim.scenario(path, nil, { trusted = true })
  assert(s.ok and math.type(s.t) == "integer")
  assert(failure(oversim.scenario, path):find(":1: 'os' is not available", 1, true))
  -- { trusted = false } is the default
  assert(failure(oversim.scenario, path, nil, { trusted = false }):find("'os' is not", 1, true))
end

-- The script's own load, loadfile, dofile and require take Lua source only.
function M.script_binary(dir)
  local chunk = string.dump(function() return 1 end)
  local path = dir .. "/b.lua"
  write(path, chunk)
  local refused = path .. ": binary chunks are not allowed (oversim loads Lua source only)"
  check_msg(failure(dofile, path), refused)
  check_msg(failure(loadfile, path), refused)
  check_msg(failure(loadfile, path, "b"), refused)
  package.path = dir .. "/?.lua;" .. package.path
  check_msg(failure(require, "b"), "error loading module 'b' from file '" .. path .. "': "
            .. refused)
  -- source still loads, with an environment when given one
  write(path, "return v\n")
  assert(loadfile(path, "t", { v = 4 })() == 4)
  assert(dofile(dir .. "/b.lua") == nil)
  package.loaded.b = nil
  write(path, "return 'module b'\n")
  assert(require("b") == "module b")
  assert(load("return 2")() == 2 and load("return w", "c", "t", { w = 5 })() == 5)
  local pieces = { "return ", "3" }
  assert(load(function() return table.remove(pieces, 1) end)() == 3)
  -- a syntax error is still returned, not raised
  local f, err = load("return +")
  assert(f == nil and err:find("unexpected symbol"))
  f, err = loadfile(dir .. "/none.lua")
  assert(f == nil and err:find("cannot open"))
end

-- Corrupted binary chunks: the i-th one (a fixed sequence) is written to
-- dir/c.lua and fed to every Lua entry point: load, loadfile, dofile, require,
-- oversim.scenario sandboxed and trusted. Each must fail cleanly. Returns 1 if
-- it was refused as binary, 0 if Lua read it as (broken) source text; the C
-- test then runs the file as the CLI does (oversim_lua_run_file).
local bases
local function base_chunks()
  if bases then return bases end
  local up = 5
  local function a() return 1 end
  local function b(x)
    local t = { x, "str", 1.5, up, 2^53 }
    for i = 1, #t do t[i] = tostring(t[i]) end
    return table.concat(t, ",")
  end
  local main = assert(load([[
local o = oversim
return { name = "w", world = o.world{ contexts = { o.context{ name = "c" } },
  behaviours = { o.behaviour{ name = "b", looks = 1 }, o.behaviour{ name = "d", looks = 0 } } },
  overseers = { h = o.overseer{ name = "h", competence = 1 } } }
]]))
  bases = { string.dump(a), string.dump(b), string.dump(b, true), string.dump(main),
            string.dump(main, true) }
  return bases
end

-- splitmix64: the i-th draw's generator
local function generator(seed)
  local state = seed
  return function(n)
    state = state + 0x9E3779B97F4A7C15
    local z = state
    z = (z ~ (z >> 30)) * 0xBF58476D1CE4E5B9
    z = (z ~ (z >> 27)) * 0x94D049BB133111EB
    z = z ~ (z >> 31)
    return (z >> 1) % n
  end
end

local function corrupt(i)
  local bs = base_chunks()
  local s = bs[i % #bs + 1]
  local draw = generator(i)
  local kind = i % 8
  if kind == 0 then -- truncated
    return s:sub(1, 1 + draw(#s - 1))
  elseif kind == 1 then -- a first line Lua skips in files, then the chunk
    return "#!oversim\n" .. s:sub(1, #s - draw(8))
  elseif kind == 2 then -- the first byte changed: read as text
    return string.char(32 + draw(95)) .. s:sub(2)
  end
  local bytes = { s:byte(1, -1) }
  for _ = 1, 1 + draw(8) do -- a few bytes anywhere after the signature's first
    bytes[2 + draw(#bytes - 1)] = draw(256)
  end
  return string.char(table.unpack(bytes))
end

function M.corrupted(dir, i)
  local s = corrupt(i)
  local path = dir .. "/c.lua"
  write(path, s)
  local binary = 0
  local function clean(what, ok, a, b)
    if ok and a ~= nil then error(string.format("chunk %d: %s accepted it", i, what)) end
    local msg = ok and b or a
    assert(type(msg) == "string", what .. ": no message")
    if msg:find("binary chunks are not allowed", 1, true) then binary = 1 end
  end
  clean("load", pcall(load, s))
  clean("loadfile", pcall(loadfile, path))
  clean("dofile", pcall(dofile, path))
  if not package.path:find(dir, 1, true) then package.path = dir .. "/?.lua;" .. package.path end
  package.loaded.c = nil
  clean("require", pcall(require, "c"))
  clean("scenario", pcall(oversim.scenario, path))
  clean("trusted scenario", pcall(oversim.scenario, path, nil, { trusted = true }))
  return binary
end

return M
