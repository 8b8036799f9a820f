-- tests/fuzz/spec_debug.lua — what the spec target makes of an input: runs
-- tests/fuzz/spec.lua on a file's bytes, printing what world{}, overseer{}
-- and train{} said (not sandboxed: for inputs you are looking at).
--   oversim run tests/fuzz/spec_debug.lua file=tests/fuzz/corpus/spec/mlp
--   oversim run tests/fuzz/spec_debug.lua file=tests/fuzz/corpus/episodes/wide mode=episodes
local f = assert(io.open(assert(oversim.args.file, "file=PATH"), "rb"))
local data = f:read("a")
f:close()
FUZZ_SPEC_DEBUG = true
assert(loadfile("tests/fuzz/spec.lua", "t"))(oversim, data, oversim.args.mode)
