-- tests/lua/files.lua — what oversim's files promise: a manifest that names
-- its CSV's rows and checksum (the same bytes for the same run), read_csv
-- refusing a CSV its manifest does not describe, save's side tables as one
-- result, check_output, and on_round's errors of any value. Run by
-- tests/test_files.c: each entry is one cmocka test; DIR is a fresh folder.
local o = oversim
local T = {}

local function eq(a, b, what)
  if a ~= b then
    error(string.format("%s:\n  got      %s\n  expected %s", what, tostring(a), tostring(b)), 2)
  end
end

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function spit(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- FNV-1a 64 (Lua's integers wrap like uint64_t), as 16 hex digits
local function fnv(s)
  local h = -3750763034362895579 -- 0xcbf29ce484222325
  for i = 1, #s do h = (h ~ s:byte(i)) * 0x100000001b3 end
  return string.format("%016x", h)
end

-- f() raises a message that ends with tail (the start is a file:line)
local function raises_ending(tail, f, ...)
  local ok, err = pcall(f, ...)
  if ok then error("expected an error ending with: " .. tail, 2) end
  err = type(err) == "string" and err:gsub(", run %d+%)$", ")") or err -- ids grow per state
  if type(err) ~= "string" or err:sub(-#tail) ~= tail then
    error(string.format("error was\n  %s\nexpected it to end with\n  %s", tostring(err), tail), 2)
  end
end

local function tiny()
  return o.world{ name = "tiny", contexts = { o.context{ name = "c" } },
    behaviours = { o.behaviour{ name = "good", looks = 1 },
                   o.behaviour{ name = "bad", looks = 0.5,
                                facts = { o.fact{ name = "f", difficulty = 1, effect = -1 } } } } }
end

-- on_round may raise any value: each gives a readable message, never (null)
function T.on_round_error_values()
  local w = tiny()
  local function train_raising(v)
    return function()
      o.train{ world = w, overseer = o.overseer{ name = "h" }, rounds = 2,
               on_round = function() error(v) end }
    end
  end
  local run = " (overseer 'h', seed 1)"
  for _, case in ipairs{
    { {}, "on_round raised an error that is a table value, not a message (raise a string: "
          .. "error('...'))" .. run },
    { nil, "on_round raised an error that is a nil value, not a message (raise a string: "
           .. "error('...'))" .. run },
    { false, "on_round raised an error that is a boolean value, not a message (raise a "
             .. "string: error('...'))" .. run },
    { 42, " 42" .. run },
    { setmetatable({}, { __tostring = function() return "a table that explains itself" end }),
      " a table that explains itself" .. run },
    { setmetatable({}, { __tostring = function() error("tostring fails too") end }),
      "on_round raised an error that is a table value, not a message (raise a string: "
      .. "error('...'))" .. run },
  } do
    raises_ending(case[2], train_raising(case[1]))
  end
  -- the state is usable afterwards (the stack was left as it was)
  local rows = o.train{ world = w, overseer = o.overseer{ name = "h" }, rounds = 1 }
  eq(#rows, 2, "rows after the errors")
end

-- the manifest: the CSV's rows, then its checksum (FNV-1a 64 of its bytes),
-- the same bytes for the same rows; a command line's newline stays one line
function T.manifest_checksum()
  local path = DIR .. "/m.csv"
  local rows = { { run = 1, seed = 3, round = 0, x = 0.5 }, { run = 1, seed = 3, round = 1, x = 1 } }
  o.command = "oversim run 'x\nrows: 99'"
  o.write_csv(path, rows)
  local csv, man = slurp(path), slurp(path .. ".manifest")
  eq(man:match("\nrows: (%d+)\n"), "2", "rows line")
  eq(man:match("\nchecksum: fnv1a64 (%x+)\n$"), fnv(csv), "checksum line, last")
  eq(man:match("\ncommand: ([^\n]*)\n"), "oversim run 'x\\nrows: 99'", "command on one line")
  o.write_csv(path, rows)
  eq(slurp(path .. ".manifest"), man, "same rows, same manifest")
  eq(slurp(path), csv, "same rows, same CSV")
  local back = o.read_csv(path)
  eq(#back, 2, "read back")
end

-- read_csv refuses a CSV its manifest does not describe (a changed cell, a
-- dropped row, the old CSV beside a new manifest); without a manifest, reads
function T.read_csv_verifies()
  local path = DIR .. "/v.csv"
  o.write_csv(path, { { a = 1 }, { a = 2 } })
  local good = slurp(path)
  local man = slurp(path .. ".manifest")
  local want = man:match("checksum: fnv1a64 (%x+)")
  spit(path, "a\n1\n3\n")
  local ok, err = pcall(o.read_csv, path)
  eq(ok, false, "a changed cell")
  eq(err, path .. " does not match its manifest (checksum fnv1a64 " .. fnv("a\n1\n3\n")
     .. ", the manifest says " .. want .. "): one of them is from another run or the write "
     .. "was interrupted; write it again", "a changed cell's message")
  spit(path, "a\n1\n")
  ok, err = pcall(o.read_csv, path)
  eq(err, path .. " does not match its manifest (1 row, the manifest says 2): one of them "
     .. "is from another run or the write was interrupted; write it again", "a dropped row")
  -- the old CSV beside the new manifest (a kill between the two renames)
  spit(path, good)
  o.write_csv(path, { { a = 1 }, { a = 2 }, { a = 7 } })
  spit(path, good)
  ok, err = pcall(o.read_csv, path)
  eq(ok, false, "old CSV, new manifest")
  eq(err:match("%((%d+ rows, the manifest says %d+)%)"), "2 rows, the manifest says 3",
     "old CSV, new manifest: what differs")
  os.remove(path .. ".manifest")
  eq(#o.read_csv(path), 2, "without a manifest")
end

local function one_run(seed)
  return o.train{ world = tiny(), overseer = o.overseer{ name = "h" }, rounds = 2, seed = seed }
end

-- save: the side tables first, then the main CSV, whose manifest names each
-- side table's checksum or says it wrote none
function T.save_is_one_result()
  local out = DIR .. "/r/s.csv"
  local rows, policy = one_run(1)
  local wrote = o.save(out, rows, policy)
  eq(table.concat(wrote, " "), out .. " " .. DIR .. "/r/s_policy.csv", "paths")
  local man = slurp(out .. ".manifest")
  local ps = DIR .. "/r/s_policy.csv"
  eq(man:match("\n(sibling: [^\n]*\nsibling: [^\n]*\nsibling: [^\n]*\n)checksum: "),
     "sibling: s_critics.csv none\nsibling: s_levels.csv none\nsibling: s_policy.csv fnv1a64 "
     .. fnv(slurp(ps)) .. "\n", "sibling lines")
  eq(#o.read_csv(ps, { beside = out }), #policy, "its own policy")
  -- another run's policy beside it
  local rows2, policy2 = one_run(2)
  o.write_csv(ps, policy2)
  local ok, err = pcall(o.read_csv, ps, { beside = out })
  eq(ok, false, "another run's policy")
  eq(err, ps .. " is not from the same save as " .. out .. " (" .. out .. ".manifest lists "
     .. "s_policy.csv with checksum fnv1a64 " .. man:match("s_policy.csv fnv1a64 (%x+)")
     .. ", the file's is fnv1a64 " .. fnv(slurp(ps)) .. "); write them again with one "
     .. "oversim.save", "another run's policy: message")
  -- a save without policy: an old policy beside it is not its
  o.save(out, rows2)
  ok, err = pcall(o.read_csv, ps, { beside = out })
  eq(err, ps .. " is not from the same save as " .. out .. " (that save wrote no "
     .. "s_policy.csv); write them again with one oversim.save", "a save without policy")
  -- a table save knows nothing of (a script's own _fit.csv) is not checked
  o.write_csv(DIR .. "/r/s_fit.csv", { { a = 1 } })
  eq(#o.read_csv(DIR .. "/r/s_fit.csv", { beside = out }), 1, "a table save did not write")
end

-- check_output: missing folders made, nothing left behind; a folder that is
-- a file is one line at the caller's line naming the path, folder and reason
function T.check_output()
  local out = DIR .. "/new/sub/x.csv"
  eq(o.check_output(out), out, "returns the path")
  local p = io.popen("ls -A '" .. DIR .. "/new/sub'")
  eq(p:read("a"), "", "nothing left in the folder")
  p:close()
  spit(DIR .. "/plain", "x")
  local ok, err = pcall(function() o.check_output(DIR .. "/plain/x.csv") end)
  eq(ok, false, "a file as folder")
  eq(err, "tests/lua/files.lua:" .. (debug.getinfo(1, "l").currentline - 2) .. ": cannot write '"
     .. DIR .. "/plain/x.csv': cannot create a file in folder '" .. DIR .. "/plain': Not a "
     .. "directory", "a file as folder: message")
end

return T
