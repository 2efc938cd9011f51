#!/usr/bin/env bash
# Builds promlet's benchmarks from the library sources, runs every benchmark (promlet and client_java 1.x in the same
# JMH run, at 1 and 2 threads, with -prof gc), drives the servlet filter with wrk, and writes the results table into
# ../BENCHMARKS.md (between the results markers) and target/results/results.md.
#
#   benchmarks/run.sh                 # full run, about 20 minutes
#   benchmarks/run.sh --quick         # smoke run, a few minutes; numbers are only indicative
#   benchmarks/run.sh --wait-quiet 45 # first wait up to 45 minutes for a quiet machine: a 1-minute load average
#                                     # below 0.5 and under 3% of the CPU stolen by other guests of the host
#
# JMH_OPTS overrides the iteration settings, FILTER_OPTS the wrk rounds (see FilterLoad), PROMLET_SOURCES the
# library sources measured (default ../src/main/java).
set -euo pipefail
cd "$(dirname "$0")"

quick=false
wait_minutes=0
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=true ;;
        --wait-quiet) wait_minutes="$2"; shift ;;
        *) echo "usage: $0 [--quick] [--wait-quiet MINUTES]" >&2; exit 2 ;;
    esac
    shift
done

if $quick; then
    jmh_opts=${JMH_OPTS:-"-f 1 -wi 1 -i 1 -w 1s -r 1s"}
    filter_opts=${FILTER_OPTS:-"--rounds 2 --seconds 3 --warmup 2"}
else
    jmh_opts=${JMH_OPTS:-"-f 1 -wi 3 -i 5 -w 2s -r 2s"}
    filter_opts=${FILTER_OPTS:-"--rounds 24 --seconds 5 --warmup 10"}
fi

[ -x /usr/bin/wrk ] || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x /usr/bin/python3 ] || { echo "/usr/bin/python3 is missing" >&2; exit 1; }

mvn -B -q -f pom.xml package -DskipTests ${PROMLET_SOURCES:+"-Dpromlet.sources=$PROMLET_SOURCES"}

# Percent of CPU time the hypervisor gives to other guests while both cores here are busy for 5 s: an idle guest
# sees no steal however busy the host is, so the probe has to ask for the CPU.
steal_under_load() {
    local before after pids=()
    before=$(head -1 /proc/stat)
    for _ in $(seq "$(nproc)"); do timeout 5 sh -c 'while :; do :; done' & pids+=($!); done
    wait "${pids[@]}" || true
    after=$(head -1 /proc/stat)
    echo "$before" "$after" | awk '{ for (i = 2; i <= 9; i++) total += $(i + 11) - $i; print int(100 * ($20 - $9) / total) }'
}

if [ "$wait_minutes" -gt 0 ]; then
    deadline=$(( $(date +%s) + wait_minutes * 60 ))
    until awk '{ exit !($1 < 0.5) }' /proc/loadavg && [ "$(steal_under_load)" -lt 3 ]; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "machine still busy after $wait_minutes minutes (load $(cut -d' ' -f1-3 /proc/loadavg), steal under load $(steal_under_load)%); running anyway"
            break
        fi
        sleep 20
    done
fi

out=target/results
rm -rf "$out"
mkdir -p "$out"
jar=target/benchmarks.jar
client_java=$(sed -n 's:.*<client-java.version>\(.*\)</client-java.version>.*:\1:p' pom.xml)

{
    echo "{"
    echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
    echo "  \"commit\": \"$(git rev-parse --short HEAD 2>/dev/null || echo unknown)\","
    echo "  \"nproc\": $(nproc),"
    echo "  \"cpu\": \"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)\","
    echo "  \"jdk\": \"$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')\","
    echo "  \"clientJava\": \"$client_java\","
    echo "  \"jmhOptions\": \"$jmh_opts\","
    echo "  \"filterOptions\": \"$filter_opts\","
    echo "  \"loadBefore\": \"$(cut -d' ' -f1-3 /proc/loadavg)\","
} > "$out/meta.part"

# The 1-minute load average every 10 s, to show how busy the machine was (the benchmark itself adds 1 or 2).
( while sleep 10; do cut -d' ' -f1 /proc/loadavg; done ) > "$out/load.txt" &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT

hot='io.promlet.benchmarks.(Counter|Gauge|Histogram|NativeHistogram|Summary|MultiProcess)Benchmark'
for t in 1 2; do
    # shellcheck disable=SC2086
    java -jar "$jar" "$hot" -t "$t" -prof gc $jmh_opts -rf json -rff "$out/hot-t$t.json" | tee "$out/hot-t$t.log"
done
# Automatic exemplars: off and on without OpenTelemetry (the class path of every other benchmark), then on with the
# OpenTelemetry agent's jar on the class path (its relocated API, as the agent puts it on the boot class path), with
# and without a sampled span current.
agent_version=$(sed -n '/<artifactId>opentelemetry-javaagent<\/artifactId>/{n;s:.*<version>\(.*\)</version>.*:\1:p}' pom.xml)
agent_jar=$HOME/.m2/repository/io/opentelemetry/javaagent/opentelemetry-javaagent/$agent_version/opentelemetry-javaagent-$agent_version.jar
exemplar_rows='io.promlet.(benchmarks.Exemplar|servlet.FilterExemplar)Benchmark'
# shellcheck disable=SC2086
java -jar "$jar" "$exemplar_rows" -p mode=off,noSpan,traceparent -t 1 -prof gc $jmh_opts -rf json \
    -rff "$out/exemplars.json" | tee "$out/exemplars.log"
# shellcheck disable=SC2086
java -cp "$jar:$agent_jar" org.openjdk.jmh.Main "$exemplar_rows" -p mode=noSpan,span -t 1 -prof gc $jmh_opts -rf json \
    -rff "$out/exemplars-agent.json" | tee "$out/exemplars-agent.log"
# shellcheck disable=SC2086
java -jar "$jar" 'io.promlet.benchmarks.ExpositionBenchmark' -t 1 -prof gc $jmh_opts -rf json -rff "$out/exposition.json" \
    | tee "$out/exposition.log"
# Two scraping threads, as its @Threads says.
# shellcheck disable=SC2086
java -jar "$jar" 'io.promlet.benchmarks.ProtobufBenchmark' -prof gc $jmh_opts -rf json -rff "$out/protobuf.json" \
    | tee "$out/protobuf.log"
# shellcheck disable=SC2086
java -jar "$jar" 'io.promlet.benchmarks.ScalingBenchmark' -t 1 -prof gc $jmh_opts -rf json -rff "$out/scaling.json" \
    | tee "$out/scaling.log"
# The serial collector, so that the heap in use after a full collection is exactly what is reachable.
java -XX:+UseSerialGC -Xms2g -Xmx2g -cp "$jar" io.promlet.benchmarks.MemoryPerSeries --out "$out/memory.json" \
    | tee "$out/memory.log"
# shellcheck disable=SC2086
java -Xms1g -Xmx1g -cp "$jar" io.promlet.benchmarks.FilterLoad $filter_opts --out "$out/filter.json" | tee "$out/filter.log"

{
    cat "$out/meta.part"
    echo "  \"loadAfter\": \"$(cut -d' ' -f1-3 /proc/loadavg)\""
    echo "}"
} > "$out/meta.json"
rm "$out/meta.part"

/usr/bin/python3 render.py "$out" ../BENCHMARKS.md
echo "results: benchmarks/$out/results.md, BENCHMARKS.md"
