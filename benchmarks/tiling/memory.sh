#!/usr/bin/env bash
# Peak resident memory of tiled segmentation of a 12000x9000 image (108 Mpx, above the default --max-pixels of 100 Mpx,
# so --tile auto tiles it at the network input, 512x256, instead of refusing it), enet-streets.
# Usage: benchmarks/tiling/memory.sh [WORKDIR] [BACKEND] [OVERLAP]   (from the repository root)
# Needs Debian's /usr/bin/python3 with python3-opencv (to write the big PNG) and GNU time (/usr/bin/time).
set -euo pipefail
work=${1:-/tmp/segmenter-tiling-memory}
backend=${2:-onnxruntime}
overlap=${3:-0.25}
out=benchmarks/results/tiling
mkdir -p "$work" "$out"
[ -f "$work/scene/0000.png" ] || ./segmenter scenes --count 1 --size 2048x1024 --seed 1000000 -o "$work/scene"
[ -f "$work/big.png" ] || /usr/bin/python3 benchmarks/tiling/make_big.py "$work/scene/0000.png" "$work/big.png" 12000 9000
export SEGMENTER_JAVA_OPTS="${SEGMENTER_JAVA_OPTS:--Xmx1000m}"
log="$out/memory-12000x9000-$backend.txt"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "SEGMENTER_JAVA_OPTS=$SEGMENTER_JAVA_OPTS"
  echo "command: ./segmenter segment $work/big.png -b $backend --tile auto --overlap $overlap --outputs classes -o $work/out"
} > "$log"
/usr/bin/time -v ./segmenter segment "$work/big.png" -b "$backend" --tile auto --overlap "$overlap" \
  --outputs classes -o "$work/out" 2>&1 | grep -E "Maximum resident|Elapsed|segmenter:|Exit status|rror" | tee -a "$log"
