#!/usr/bin/env bash
# tests/slurm/run.sh — oversim on a real Slurm: start a single-node cluster
# from Debian's packages (munged, slurmctld, slurmd; a generated slurm.conf in
# a temporary folder; root, ProctrackType=proctrack/linuxproc,
# TaskPlugin=task/none), submit a shipped sweep with cluster/submit.sh as a job
# array of 3 shards plus the dependent merge, wait, and compare the merged
# CSVs byte for byte with a single-process run. The daemons this test started
# are stopped by their pids, whatever happens.
#
#   tests/slurm/run.sh [OVERSIM]      (default: build/oversim; run as root)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=$(readlink -f "${1:-build/oversim}")
[ -x "$BIN" ] || { echo "slurm test: no oversim binary at $BIN" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "slurm test: run as root (it starts slurmctld and slurmd)" >&2; exit 1; }
for t in munged slurmctld slurmd sbatch squeue sinfo; do
  command -v "$t" >/dev/null || { echo "slurm test: $t missing (apt-get install slurm-wlm munge)" >&2; exit 1; }
done

T=$(mktemp -d /tmp/oversim-slurm.XXXXXX)
chmod 755 "$T"
PIDS=()
cleanup() {
  local st=$?
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  if [ $st -ne 0 ]; then
    echo "slurm test: failed; the daemons' logs:" >&2
    tail -n 20 "$T"/*.log "$T"/munge/*.log >&2 2>/dev/null || true
    tail -n 20 "$T"/work/*.out >&2 2>/dev/null || true
  fi
  rm -rf "$T"
  exit $st
}
trap cleanup EXIT

# munge: our own daemon on our own socket, with a fresh key
mkdir -p "$T/munge"
chown munge:munge "$T/munge" 2>/dev/null || true
dd if=/dev/urandom of="$T/munge/munge.key" bs=1 count=1024 status=none
chown munge:munge "$T/munge/munge.key" 2>/dev/null || true
chmod 400 "$T/munge/munge.key"
runuser -u munge -- munged --key-file="$T/munge/munge.key" --socket="$T/munge/socket" \
  --pid-file="$T/munge/munged.pid" --log-file="$T/munge/munged.log" --seed-file="$T/munge/seed" \
  --force
for _ in $(seq 50); do [ -s "$T/munge/munged.pid" ] && break; sleep 0.1; done
PIDS+=("$(cat "$T/munge/munged.pid")")

# slurm: one node (this machine), one partition, ports picked from the pid
HOST=$(hostname -s)
CPUS=$(nproc)
PORT=$((20000 + $$ % 20000))
mkdir -p "$T/state" "$T/spool" "$T/work"
cat > "$T/slurm.conf" <<EOC
ClusterName=oversimtest
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge/socket
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=$HOST CPUs=$CPUS State=UNKNOWN
PartitionName=test Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOC
export SLURM_CONF=$T/slurm.conf
slurmctld -f "$SLURM_CONF"
for _ in $(seq 50); do [ -s "$T/slurmctld.pid" ] && break; sleep 0.1; done
PIDS+=("$(cat "$T/slurmctld.pid")")
slurmd -f "$SLURM_CONF"
for _ in $(seq 50); do [ -s "$T/slurmd.pid" ] && break; sleep 0.1; done
PIDS+=("$(cat "$T/slurmd.pid")")
state=""
for _ in $(seq 100); do
  state=$(sinfo -h -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.2
done
[ "$state" = idle ] || { echo "slurm test: the node is '$state', not idle" >&2; exit 1; }
echo "slurm test: slurmctld and slurmd up (node $HOST, $CPUS CPUs)" >&2

# the sweep: one process, then 3 shards and the merge on Slurm
SCRIPT=$ROOT/scripts/examples/compare_overseers.lua
ARGS=(seeds=3 rounds=8)
cd "$T/work"
"$BIN" run "$SCRIPT" "${ARGS[@]}" out=one/c.csv --quiet >/dev/null
ids=$(OVERSIM=$BIN "$ROOT/cluster/submit.sh" 3 "$SCRIPT" "${ARGS[@]}" out=slurm/c.csv)
echo "slurm test: submitted $ids" >&2
read -r _ array _ merge <<<"$ids"
for _ in $(seq 600); do
  left=$(squeue -h -j "$array,$merge" 2>/dev/null | wc -l || true)
  [ "$left" -eq 0 ] && break
  sleep 0.2
done
[ "$left" -eq 0 ] || { echo "slurm test: jobs still queued after 2 minutes" >&2; squeue >&2; exit 1; }
for f in c.csv c_policy.csv; do
  [ -f "slurm/$f" ] || { echo "slurm test: the merge wrote no slurm/$f" >&2; ls -R >&2; exit 1; }
  cmp "one/$f" "slurm/$f" || { echo "slurm test: slurm/$f differs from one process's" >&2; exit 1; }
done
shards=$(ls oversim-parts/*/ | grep -c 'sweep1\.[123]of3\.part$')
[ "$shards" -eq 3 ] || { echo "slurm test: $shards parts, not 3" >&2; exit 1; }
echo "slurm test: a job array of 3 shards and its merge wrote the bytes of one process" >&2
