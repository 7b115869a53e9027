#!/usr/bin/env bash
# Our pipeline (each backend) against the classic Python pipeline (cv2.dnn + numpy) on the same model and
# the same images, then JMH's BackendBenchmark, then a report in benchmarks/results/backends/.
#
#   benchmarks/python/compare.sh [MODEL ...]        (default: enet-streets lraspp-mobilenet-v3-large)
#
# MODEL is a name under models/shipped, models/timing or models/testnets, or a directory.
# Environment (defaults in brackets):
#   JAVA [java]  JAR [benchmarks/target/benchmarks.jar]  PYTHON [/usr/bin/python3]
#   SIZE [1024x512] image size   FRAMES [50]  WARMUP [20]  THREADS [0 = every core, for us and cv2.setNumThreads]
#   WORK [/tmp/segmenter-compare] scratch (images, class maps, JSON)
#   PIPELINE [1] time the two pipelines (0: reuse the JSON already in WORK)
#   JMH [1] run BackendBenchmark (raw, forward, endToEnd per backend; postprocessOnly once, also at 512x512)
#   JMH_OPTS [-f 3]: more JMH options (e.g. "-f 3 -wi 2 -w 1s -i 5 -r 1s"); E2E_OPTS [JMH_OPTS]: for endToEnd
#   JMH_JSON: report these JMH result files instead of running JMH (space-separated)
#   OUT [benchmarks/results/backends/<date>-jdk<N>.md]   NOTES: lines added to the report's header
# Build first: mvn -B -q -o -pl benchmarks -am package -DskipTests
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
JAVA="${JAVA:-java}"
JAR="${JAR:-$root/benchmarks/target/benchmarks.jar}"
PYTHON="${PYTHON:-/usr/bin/python3}"
SIZE="${SIZE:-1024x512}"
FRAMES="${FRAMES:-50}"
WARMUP="${WARMUP:-20}"
THREADS="${THREADS:-0}"
WORK="${WORK:-/tmp/segmenter-compare}"
JMH="${JMH:-1}"
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(enet-streets lraspp-mobilenet-v3-large)
[ -f "$JAR" ] || { echo "compare.sh: $JAR is missing; build: mvn -B -q -o -pl benchmarks -am package -DskipTests" >&2; exit 2; }
jdk="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
OUT="${OUT:-$root/benchmarks/results/backends/$(date -u +%F)-jdk$jdk.md}"
jopts=(--add-modules jdk.incubator.vector -Dai.djl.offline=true -Dsegmenter.root="$root")
export OPENCV_LOG_LEVEL="${OPENCV_LOG_LEVEL:-ERROR}"

resolve() {
  local m="$1"
  for d in "$m" "models/shipped/$m" "models/timing/$m" "models/testnets/$m"; do
    [ -f "$d/model.yaml" ] && { echo "$d"; return; }
  done
  echo "compare.sh: no model '$m' (looked in models/shipped, models/timing, models/testnets)" >&2
  exit 2
}

mkdir -p "$WORK"
mark() { echo "$1: load $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S) UTC" >> "$WORK/load.txt"; }
if [ "${PIPELINE:-1}" = 1 ]; then : > "$WORK/load.txt"; fi
mark "start"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
images="$WORK/images-$SIZE"
if [ ! -f "$images/0007.png" ]; then
  "$JAVA" -cp "$JAR" dev.segmenter.scenes.SceneWriter --count 8 --seed 1000000 --size "$SIZE" --out "$images" >&2
fi

names=()
dirs=()
for m in "${models[@]}"; do
  dir="$(resolve "$m")"
  name="$(basename "$dir")"
  names+=("$name")
  dirs+=("$dir")
  w="$WORK/$name"
  mkdir -p "$w"
  [ "${PIPELINE:-1}" = 1 ] || continue
  echo "compare.sh: $name: ours (every backend), $FRAMES frames after $WARMUP" >&2
  "$JAVA" "${jopts[@]}" -cp "$JAR" dev.segmenter.benchmarks.BackendBenchSupport --model "$dir" --images "$images" \
    --frames "$FRAMES" --warmup "$WARMUP" --threads "$THREADS" --out "$w" 2> "$w/ours.log" | grep '^{' > "$w/ours.jsonl" \
    || { cat "$w/ours.log" >&2; exit 1; }
  mark "$name: ours done"
  echo "compare.sh: $name: classic Python pipeline" >&2
  "$PYTHON" "$root/benchmarks/python/classic_pipeline.py" --model "$dir" --images "$images" --frames "$FRAMES" \
    --warmup "$WARMUP" --threads "$THREADS" --colors "$w/lut-bgr.txt" --out "$w" > "$w/python.json"
  mark "$name: python done"
done

jmh() { # JMH waits for another JMH run on this machine (it holds /tmp/jmh.lock) instead of failing
  local out="$1"; shift
  while true; do
    "$JAVA" -jar "$JAR" "$@" -rf json -rff "$out" > "$out.log" 2>&1 && return 0
    grep -q "Unable to acquire the JMH lock" "$out.log" || { tail -20 "$out.log" >&2; return 1; }
    echo "compare.sh: another JMH run holds /tmp/jmh.lock; waiting" >&2
    sleep 20
  done
}

jmh_files=()
if [ -n "${JMH_JSON:-}" ]; then
  read -r -a jmh_files <<< "$JMH_JSON"
elif [ "$JMH" = 1 ]; then
  plist="$(IFS=,; echo "${dirs[*]}")" # directories, so that models outside models/ work too
  # shellcheck disable=SC2206
  opts=(${JMH_OPTS:--f 3})
  # the forks find the models from their working directory, the project root
  # shellcheck disable=SC2206
  e2e=(${E2E_OPTS:-${opts[*]}})
  echo "compare.sh: JMH raw, forward (${opts[*]})" >&2
  jmh "$WORK/jmh-backends.json" 'BackendBenchmark.(raw|forward)$' -p model="$plist" -p imageSize="$SIZE" "${opts[@]}"
  mark "JMH raw, forward done"
  echo "compare.sh: JMH postprocessOnly (${opts[*]})" >&2
  jmh "$WORK/jmh-post.json" 'BackendBenchmark.postprocessOnly$' -p backend=onnxruntime -p model="$plist" \
    -p imageSize="$SIZE,512x512" "${opts[@]}"
  mark "JMH postprocessOnly done"
  echo "compare.sh: JMH endToEnd (${e2e[*]})" >&2
  jmh "$WORK/jmh-e2e.json" 'BackendBenchmark.endToEnd$' -p model="$plist" -p imageSize="$SIZE" "${e2e[@]}"
  mark "JMH endToEnd done"
  jmh_files=("$WORK/jmh-backends.json" "$WORK/jmh-post.json" "$WORK/jmh-e2e.json")
fi
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

notes=()
while IFS= read -r line; do [ -n "$line" ] && notes+=(--note "$line"); done <<< "${NOTES:-}"
mkdir -p "$(dirname "$OUT")"
"$PYTHON" "$root/benchmarks/python/report.py" --work "$WORK" --models "${names[@]}" --java "$JAVA" \
  --load-before "$load_before" --load-after "$load_after" --out "$OUT" \
  ${notes[@]:+"${notes[@]}"} ${jmh_files[@]:+--jmh "${jmh_files[@]}"}
echo "compare.sh: wrote $OUT" >&2
