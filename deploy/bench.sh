#!/usr/bin/env bash
# ./vigil bench [--quick] [--only NAME]: the benchmarks of BENCHMARKS.md on this machine, on the
# embedded broker; prints each row as it is measured and, after a full run, rewrites the measured
# part of BENCHMARKS.md.
#   --quick       small sizes and one repetition: checks the harness, not a result to publish
#   --only NAME   one of: pipeline, heap, restore, large-service, jmh, latency (BENCHMARKS.md is left alone);
#                 pipeline is the ceiling, the aggregator and its Kafka Streams peer (KafkaStreamsPeer) on the same events
# ./vigil bench --run CLASS [ARGS...]: any main class of the bench module, deploy/bench/src/main/java
#   (io.vigil.bench.*, e.g. io.vigil.bench.EventFileGenerator), or org.openjdk.jmh.Main with JMH's own
#   arguments, on the bench module's runtime class path.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

usage="usage: ./vigil bench [--quick] [--only pipeline|heap|restore|large-service|jmh|latency] | ./vigil bench --run CLASS [ARGS...]"
quick=false
only=""
run=()
while (( $# > 0 )); do
  case "$1" in
    --quick) quick=true ;;
    --only) only="${2:-}"; shift
      [[ "$only" =~ ^(pipeline|heap|restore|large-service|jmh|latency)$ ]] || { echo "$usage" >&2; exit 2; } ;;
    --run) shift; (( $# > 0 )) || { echo "$usage" >&2; exit 2; }; run=("$@"); break ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done
if $quick; then
  events=100000 dataplanes=2000 fleet=10000 big_fleet=100000 large=2500 reps=1 forks=1 seconds=5
else
  events=300000 dataplanes=10000 fleet=100000 big_fleet=1000000 large=12500 reps=3 forks=3 seconds=20
fi

echo "bench: building the benchmarks..." >&2
# test-compile, not compile: the bench module uses the aggregator's test-jar (its pipeline harness and
# fleet), which the reactor resolves to aggregator/target/test-classes.
./mvnw -q -B -pl deploy/bench -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/runtime.classpath -Dmdep.includeScope=runtime >/dev/null
cp="deploy/bench/target/classes:$(cat deploy/bench/target/runtime.classpath)"
if (( ${#run[@]} > 0 )); then
  exec java -cp "$cp" "${run[@]}"
fi

work=$(mktemp -d /tmp/vigil-bench.XXXXXX)
rows="$work/rows.tsv"
trap 'rm -rf "$work"' EXIT
bench() { java -Dbench.out="$rows" -cp "$cp" "$@" 2> >(grep -v -e '^SLF4J' -e 'INFO' -e '^[A-Z][a-z][a-z] [0-9]' >&2); }
wanted() { [[ -z "$only" || "$only" == "$1" ]]; }

if wanted pipeline; then
  echo "bench: ceiling, aggregator and Kafka Streams peer throughput ($events events)..." >&2
  bench -XX:StartFlightRecording=filename="$work/aggregator.jfr",settings=profile \
    io.vigil.bench.PipelineBenchmark "$events" "$dataplanes" "$reps"
  # The aggregator's profile: where its stage threads spent CPU and where they waited.
  java -cp "$cp" io.vigil.bench.ProfileSummary "$work/aggregator.jfr" 5 | tee "$work/profile.txt"
fi
if wanted heap; then
  echo "bench: heap per inbound ($fleet dataplanes, then $big_fleet once)..." >&2
  bench -Xmx8g io.vigil.bench.StateHeapBenchmark "$fleet,$big_fleet" "$reps"
fi
if wanted restore; then
  echo "bench: restore after SIGKILL ($fleet dataplanes)..." >&2
  bench io.vigil.bench.RestoreAfterKillBenchmark "$fleet" "$reps"
fi
if wanted large-service; then
  echo "bench: one service of $((large * 4)) endpoints..." >&2
  bench io.vigil.bench.LargeServiceBenchmark "$large" "$reps"
fi
if wanted jmh; then
  echo "bench: JMH fold ($forks forks)..." >&2
  bench io.vigil.bench.FoldBenchmarkRunner "$forks"
fi
if wanted latency; then
  echo "bench: end-to-end latency through vigil serve..." >&2
  if $quick; then rates=1000,5000; else rates=1000,10000,20000,40000; fi
  bench io.vigil.bench.EndToEndLatencyBenchmark "$root/vigil" "$rates" "$seconds"
fi

if [[ -z "$only" ]]; then
  java -cp "$cp" io.vigil.bench.BenchReport "$rows" "$work/profile.txt" "$root/BENCHMARKS.md" \
    "./vigil bench$($quick && echo ' --quick' || true)"
  echo "bench: wrote BENCHMARKS.md" >&2
fi
