-- tests/lua/read_csv.lua — oversim.read_csv for tests, strict about names:
-- reading a column the file does not have raises an error naming the file and
-- the column, instead of giving nil (so a misspelled column can't make a check
-- vacuous: nil == nil, or nil read as 0 by a C test). An empty cell of a real
-- column is still nil. Usage: local read_csv = require 'read_csv'.
return function(path)
  local rows, columns = oversim.read_csv(path)
  local known = {}
  for _, c in ipairs(columns) do known[c] = true end
  local strict = {
    __index = function(_, k)
      if known[k] then return nil end
      error(("%s has no column '%s' (columns: %s)"):format(path, tostring(k),
            table.concat(columns, ', ')), 2)
    end,
  }
  for _, r in ipairs(rows) do setmetatable(r, strict) end
  return rows, columns
end
