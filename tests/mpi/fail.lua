-- tests/mpi/fail.lua — a sweep whose third run diverges (a policy step size
-- out of control), for tests/mpi/run.sh: under mpirun the whole job must fail
-- with that run's message, whichever rank trained it.
local o = oversim
local s = o.scenario("hidden_bug")
local runs = {}
for i = 1, 5 do
  runs[i] = { world = s.world, overseer = s.overseers.oracle, seed = i, rounds = 5,
              policy = { lr = i == 3 and 1e12 or 2 } }
end
o.sweep{ runs = runs }
print("not reached")
