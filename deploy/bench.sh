#!/usr/bin/env bash
# ./vigil bench [--quick]: every benchmark of BENCHMARKS.md on this machine, on the embedded broker;
# prints each row as it is measured and rewrites the measured part of BENCHMARKS.md.
#   --quick   small sizes and one repetition: checks the harness, not a result to publish
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

quick=false
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    *) echo "usage: ./vigil bench [--quick]" >&2; exit 2 ;;
  esac
done
if $quick; then
  events=100000 dataplanes=2000 fleet=10000 reps=1 forks=1 seconds=5
else
  events=1000000 dataplanes=10000 fleet=100000 reps=3 forks=3 seconds=20
fi

work=$(mktemp -d /tmp/vigil-bench.XXXXXX)
rows="$work/rows.tsv"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

echo "bench: building (aggregator benchmarks and the application)..." >&2
./mvnw -q -B -DskipTests package >/dev/null
./mvnw -q -B -pl aggregator -am -Pjmh test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test >/dev/null
cp="aggregator/target/test-classes:aggregator/target/classes:$(cat aggregator/target/test.classpath)"
bench() { java -Dbench.out="$rows" -cp "$cp" "$@" 2> >(grep -v -e '^SLF4J' -e 'INFO' -e '^[A-Z][a-z][a-z] [0-9]' >&2); }

echo "bench: ceiling and aggregator throughput ($events events)..." >&2
bench -XX:StartFlightRecording=filename="$work/aggregator.jfr",settings=profile io.vigil.aggregator.bench.PipelineBenchmark "$events" "$dataplanes" "$reps"
echo "bench: heap per inbound ($fleet dataplanes)..." >&2
bench -Xmx8g io.vigil.aggregator.bench.StateHeapBenchmark "$fleet" "$reps"
echo "bench: restore after SIGKILL ($fleet dataplanes)..." >&2
bench io.vigil.aggregator.bench.RestoreAfterKillBenchmark "$fleet" "$reps"
echo "bench: JMH fold ($forks forks)..." >&2
bench io.vigil.aggregator.bench.FoldBenchmarkRunner "$forks"

echo "bench: end-to-end latency through vigil serve..." >&2
if $quick; then rates=1000,5000; else rates=1000,10000,20000,40000; fi
bench io.vigil.aggregator.bench.EndToEndLatencyBenchmark "$root/vigil" "$rates" "$seconds"

# The aggregator's profile: where its stage threads spent CPU and where they waited.
profile="$work/profile.txt"
java -cp "$cp" io.vigil.aggregator.bench.ProfileSummary "$work/aggregator.jfr" 5 >"$profile"

java -cp "$cp" io.vigil.aggregator.bench.BenchReport "$rows" "$profile" "$root/BENCHMARKS.md" \
  "./vigil bench$($quick && echo ' --quick' || true)"
echo "bench: wrote BENCHMARKS.md" >&2
