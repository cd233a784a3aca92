#!/usr/bin/env bash
# Data-parallel training over MPI, end to end with the convolve CLI on this machine, the ranks
# talking over TCP (--mca btl self,tcp), not shared memory. Installs Open MPI if it is missing.
#  1. The same --batch-size and --shards give bit-identical checkpoints in one process (no MPI) and
#     on 2 and 4 ranks: fashion-cnn, and vgg-small (BatchNorm and dropout).
#  2. A rank killed mid-run stops the others within a bounded time, with a message; the last
#     checkpoint loads, and resuming it on another number of ranks ends as the uninterrupted run.
#  3. A rank that hangs (SIGSTOP) makes the others stop after --comm-timeout, with a message.
#  4. Ranks started with different --seed, or shards the ranks cannot share, are refused at start.
#  5. A failure on one rank alone (its data missing) is said by that rank and ends the job.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v mpirun > /dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openmpi-bin libopenmpi-dev > /dev/null
fi
cli=(dotnet "$PWD/src/Convolve.Cli/bin/Release/net10.0/Convolve.Cli.dll")
mpi=(mpirun --allow-run-as-root --oversubscribe --mca btl self,tcp)
sample="$PWD/data/fashion-mnist-sample"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }
same() { python3 tools/distributed/same_run.py "$1" "$2" || fail "$3"; }
checks=0

# Waits for the first checkpoint of the run writing into $1, then prints the PID of its rank 1.
rank1_after_checkpoint() {
  for _ in $(seq 600); do [ -f "$1/last.safetensors" ] && break; sleep 0.1; done
  [ -f "$1/last.safetensors" ] || fail "no checkpoint in $1 after a minute"
  for pid in $(pgrep -f "Convolve.Cli.dll train.*$1"); do
    if tr '\0' '\n' < "/proc/$pid/environ" 2> /dev/null | grep -qx OMPI_COMM_WORLD_RANK=1; then echo "$pid"; return; fi
  done
  fail "rank 1 of the run in $1 not found"
}

echo "== 1. one process, 2 and 4 ranks: the same weights"
for model in fashion-cnn vgg-small; do
  recipe=(train --model "$model" --data "$sample" --epochs 1 --limit 512 --batch-size 64 --shards 4 --seed 3)
  "${cli[@]}" "${recipe[@]}" --threads 1 --output "$work/$model-1" > "$work/$model-1.log"
  for ranks in 2 4; do
    "${mpi[@]}" -np "$ranks" "${cli[@]}" "${recipe[@]}" --distributed --output "$work/$model-$ranks" > "$work/$model-$ranks.log"
    grep -q "^data-parallel: $ranks ranks over Open MPI" "$work/$model-$ranks.log" || fail "$model on $ranks ranks did not say it ran on $ranks ranks"
    echo -n "$model, 1 process against $ranks ranks: "
    same "$work/$model-1/last.safetensors" "$work/$model-$ranks/last.safetensors" "$model on $ranks ranks differs from one process"
    checks=$((checks + 1))
  done
done

echo "== 2. a rank killed in the middle of a run"
run=(train --model fashion-cnn --data "$sample" --epochs 4 --limit 2000 --shards 4 --seed 5)
"${cli[@]}" "${run[@]}" --threads 1 --output "$work/whole" > /dev/null
"${mpi[@]}" -np 2 "${cli[@]}" "${run[@]}" --distributed --output "$work/killed" > "$work/killed.log" 2> "$work/killed.err" &
launcher=$!
victim=$(rank1_after_checkpoint "$work/killed")
killed_at=$(date +%s%N)
kill -9 "$victim"
status=0
wait "$launcher" || status=$?
seconds=$(( ($(date +%s%N) - killed_at) / 1000000 ))
echo "mpirun exited with $status, ${seconds} ms after rank 1 was killed; the messages:"
grep -E "^convolve:|noticed that process rank" "$work/killed.err" | sed 's/^/  /'
[ "$status" -ne 0 ] || fail "the job succeeded although a rank was killed"
[ "$seconds" -lt 30000 ] || fail "the other rank took ${seconds} ms to stop"
grep -q "convolve: rank 0 of 2: stopped by mpirun: another rank ended" "$work/killed.err" \
  || grep -q "convolve: rank 0 of 2: .*failed with MPI error" "$work/killed.err" || fail "rank 0 said nothing"
"${cli[@]}" inspect "$work/killed/last.safetensors" > /dev/null || fail "the last checkpoint does not load"
echo "the last checkpoint loads; resuming it on 4 ranks:"
"${mpi[@]}" -np 4 "${cli[@]}" train --resume "$work/killed" --distributed > "$work/resumed.log"
grep "^resuming after" "$work/resumed.log" | sed 's/^/  /'
echo -n "killed, resumed on 4 ranks against uninterrupted in one process: "
same "$work/whole/last.safetensors" "$work/killed/last.safetensors" "the resumed run differs from the uninterrupted one"
checks=$((checks + 2))

echo "== 3. a rank that hangs"
"${mpi[@]}" -np 2 "${cli[@]}" "${run[@]}" --distributed --comm-timeout 5 --output "$work/hung" > /dev/null 2> "$work/hung.err" &
launcher=$!
victim=$(rank1_after_checkpoint "$work/hung")
stopped_at=$(date +%s%N)
kill -STOP "$victim"
status=0
wait "$launcher" || status=$?
seconds=$(( ($(date +%s%N) - stopped_at) / 1000000 ))
echo "mpirun exited with $status, ${seconds} ms after rank 1 was stopped; rank 0 said:"
grep "^convolve: rank 0" "$work/hung.err" | sed 's/^/  /'
grep -q "convolve: rank 0 of 2: MPI_Allgather of .* bytes did not complete within 5 s: another rank has died or hangs" "$work/hung.err" || fail "no timeout message"
[ "$seconds" -lt 30000 ] || fail "the job took ${seconds} ms to stop"
checks=$((checks + 1))

echo "== 4. ranks not started alike"
status=0
"${mpi[@]}" -np 1 "${cli[@]}" train --model lenet5 --data "$sample" --limit 256 --epochs 1 --seed 1 --distributed --output "$work/mismatch" \
  : -np 1 "${cli[@]}" train --model lenet5 --data "$sample" --limit 256 --epochs 1 --seed 2 --distributed --output "$work/mismatch" \
  > /dev/null 2> "$work/mismatch.err" || status=$?
grep "^convolve:" "$work/mismatch.err" | sed 's/^/  /'
[ "$status" -ne 0 ] || fail "ranks with different seeds were accepted"
grep -q "^convolve: the ranks were not started alike: rank 1 has --seed 2 (rank 0: 1)" "$work/mismatch.err" || fail "no mismatch message"
[ "$(grep -c '^convolve:' "$work/mismatch.err")" -eq 1 ] || fail "the mismatch was reported more than once"
[ ! -e "$work/mismatch/last.safetensors" ] || fail "a checkpoint was written"
status=0
"${mpi[@]}" -np 4 "${cli[@]}" train --model lenet5 --data "$sample" --limit 256 --epochs 1 --shards 2 --distributed --output "$work/unshared" \
  > /dev/null 2> "$work/unshared.err" || status=$?
grep "^convolve:" "$work/unshared.err" | sed 's/^/  /'
grep -q "^convolve: --shards 2 cannot be shared by 4 ranks" "$work/unshared.err" || fail "no message for shards the ranks cannot share"
checks=$((checks + 2))

echo "== 5. a failure on one rank alone"
status=0
"${mpi[@]}" -np 1 "${cli[@]}" train --model lenet5 --data "$sample" --limit 256 --epochs 1 --distributed --output "$work/alone" \
  : -np 1 "${cli[@]}" train --model lenet5 --data "$work/no-such-data" --limit 256 --epochs 1 --distributed --output "$work/alone" \
  > /dev/null 2> "$work/alone.err" || status=$?
grep "^convolve:" "$work/alone.err" | sed 's/^/  /'
[ "$status" -eq 2 ] || fail "mpirun exited with $status, not the failing rank's 2"
grep -q "^convolve: rank 1 of 2: the data directory $work/no-such-data (given with --data) does not exist.*; stopping every rank" "$work/alone.err" \
  || fail "rank 1 did not say what failed"
[ ! -e "$work/alone" ] || fail "an output folder was left behind"
checks=$((checks + 1))
echo "distributed checks: $checks passed"
