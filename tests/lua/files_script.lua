-- tests/lua/files_script.lua — run by tests/test_files.c through the oversim
-- command: mode=fail writes a CSV and a save and then fails; mode=save_fails
-- writes a CSV, then a save whose main table fails (its side table removed);
-- mode=big writes one large CSV (to be interrupted mid-write).
local o = oversim
local mode, dir = o.args.mode, o.args.dir
if mode == "big" then
  local cell = string.rep("x", 65536)
  local rows = {}
  for i = 1, 512 do rows[i] = { i = i, s = cell } end
  o.write_csv(dir .. "/big.csv", rows)
  return
end
o.write_csv(dir .. "/a.csv", { { a = 1 } })
if mode == "fail" then
  o.save(dir .. "/b.csv", { { run = 1, round = 0, x = 1 } }, { { context = "c", p = 1 } })
  error("late")
end
o.save(dir .. "/c.csv", { { run = 1, round = 0, x = 0 / 0 } }, { { context = "c", p = 1 } })
