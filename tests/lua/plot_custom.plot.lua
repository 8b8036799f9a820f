-- tests/lua/plot_custom.plot.lua — a figure module found beside its script
-- (tests/test_plot.c writes a CSV whose manifest names tests/lua/plot_custom.lua):
-- `oversim plot` must use it without any change to analysis/.
local P = ...
assert(type(P.band) == "function", "a module is called with P")
return {
  {
    name = "custom",
    what = "true value per round, from the module beside the script",
    needs = { "round", "true_value" },
    draw = function(P, rows)
      local pts = P.band(function() return true end, nil, "round", "true_value")
      return table.concat({
        P.block("a", pts),
        "set title " .. P.q("custom figure from plot_custom.plot.lua"),
        "set xlabel " .. P.q("round"),
        "set ylabel " .. P.q("true value (value units)"),
        "plot " .. P.band_plot("a", P.color(1), "every run"),
      }, "\n"), 600, 400
    end,
  },
}
