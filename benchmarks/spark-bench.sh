#!/usr/bin/env bash
# images/s of `segmenter spark` at local[1] and local[2] against the single-process `segmenter segment` on the same
# folder of generated scenes, with the same outputs (classes, color, overlay) and the same cores:
#   segment on 1 core (taskset, 1 x 1 thread)  vs  spark local[1] (one task, spark.task.cpus=1)
#   segment on 2 cores (2 x 1 thread, the batch plan) vs  spark local[2] (two tasks of 1 thread each)
# Usage: benchmarks/spark-bench.sh [COUNT] [WxH]   (default 200 1024x512; env BACKEND, default onnxruntime)
# Prints one line per run and a summary, and writes them to benchmarks/results/spark/DATE-jdkN-COUNTxSIZE.txt.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-200}"
size="${2:-1024x512}"
backend="${BACKEND:-onnxruntime}"
seg="$here/segmenter"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jdk="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
out="$here/benchmarks/results/spark/$(date -u +%Y-%m-%d)-jdk${jdk%%.*}-${count}x${size}.txt"
mkdir -p "$(dirname "$out")"

"$seg" scenes --count "$count" --seed 1000000 --size "$size" --out "$work/in" -q >/dev/null
rm -f "$work"/in/*.labels.png
"$seg" spark --help >/dev/null  # builds the spark module if needed, outside the timings

rate() { sed -n "s|.* \([0-9.]*\) $1.*|\1|p" | tail -1; }
run_segment() { # CORES: single-process batch job; prints frames/s
  local cpus="0"; [ "$1" = 2 ] && cpus="0,1"
  taskset -c "$cpus" "$seg" segment "$work/in" --out "$work/seg$1" --backend "$backend" --concurrency "$1" --threads 1 2>&1 | rate frames/s
}
run_spark() { # CORES: local[CORES]; prints images/s
  taskset -c "$([ "$1" = 2 ] && echo 0,1 || echo 0)" "$seg" spark --input "$work/in" --output "$work/spark$1" \
    --master "local[$1]" --backend "$backend" --outputs classes,color,overlay 2>&1 | rate images/s
}

{
  echo "# segmenter spark benchmark: $count scenes of $size, backend $backend, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "# JDK $jdk; CPU: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  s1="$(run_segment 1)"; echo "segment  1 core : $s1 images/s"
  p1="$(run_spark 1)";   echo "spark local[1]  : $p1 images/s"
  s2="$(run_segment 2)"; echo "segment  2 cores: $s2 images/s"
  p2="$(run_spark 2)";   echo "spark local[2]  : $p2 images/s"
  cmp -s <(cd "$work/seg2" && find . -name '*.png' | sort | xargs cat | md5sum) \
    <(cd "$work/spark2" && find . -name '*.png' -not -path './results.parquet/*' | sort | xargs cat | md5sum) \
    && echo "outputs: spark's files are byte-identical to segment's" || echo "outputs: DIFFER from segment's"
  awk -v s1="$s1" -v p1="$p1" -v s2="$s2" -v p2="$p2" 'BEGIN {
    printf "scaling local[2]/local[1]: %.2fx (target >= 1.6x)\n", p2 / p1
    printf "spark vs segment, 1 core : %.1f%% slower (target <= 15%%)\n", 100 * (1 - p1 / s1)
    printf "spark vs segment, 2 cores: %.1f%% slower (target <= 15%%)\n", 100 * (1 - p2 / s2) }'
  echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
