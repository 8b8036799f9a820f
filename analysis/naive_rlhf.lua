-- analysis/naive_rlhf.lua — the figures of scripts/naive_rlhf.lua: the
-- standard per-round figures (analysis/standard.lua: values, deception,
-- estimation), one line per overseer. Listing them here makes them required:
-- a naive_rlhf CSV without a column they need is an error, not a figure fewer.
local P = ...
return P.standard.rounds
