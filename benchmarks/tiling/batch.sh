#!/usr/bin/env bash
# A tiled batch: a folder of N scenes of SIZE through `segmenter segment DIR --tile TILE` (the batch job's default
# throughput plan: cores inferences x 1 runtime thread), timed with GNU time: images/s and peak resident memory.
# Usage: benchmarks/tiling/batch.sh [WORKDIR] [BACKEND] [LABEL]   (from the repository root)
# Environment: N [8], SIZE [2048x1024], TILE [512x256], OVERLAP [0.25], SEGMENTER [./segmenter] (the command that
# runs the CLI, e.g. a java -cp line for an older build, to measure before and after a change).
# Appends one line to benchmarks/results/tiling/batch.txt.
set -euo pipefail
work=${1:-/tmp/segmenter-tiling-batch}
backend=${2:-onnxruntime}
label=${3:-$(git rev-parse --short HEAD)}
N=${N:-8}
SIZE=${SIZE:-2048x1024}
TILE=${TILE:-512x256}
OVERLAP=${OVERLAP:-0.25}
read -r -a seg <<< "${SEGMENTER:-./segmenter}"
out=benchmarks/results/tiling
mkdir -p "$work" "$out"
images="$work/images-$SIZE-$N"
if [ ! -f "$images/$(printf %04d $((N - 1))).png" ]; then
  rm -rf "$images"
  "${seg[@]}" scenes --count "$N" --size "$SIZE" --seed 1000000 -o "$images" -q
  rm -f "$images"/*.labels.png
fi
rm -rf "$work/out"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/time -f "%e %M" -o "$work/time" "${seg[@]}" segment "$images" -b "$backend" --tile "$TILE" \
  --overlap "$OVERLAP" --outputs classes -o "$work/out" -q
read -r wall rss < "$work/time"
files=$(find "$work/out" -name '*.classes.png' | wc -l)
line=$(printf '%s | %s | %s | %d x %s, tile %s overlap %s | %s s | %.3f images/s | peak RSS %d MB | %d files | load before %s, after %s' \
  "$(date -u +%FT%H:%MZ)" "$label" "$backend" "$N" "$SIZE" "$TILE" "$OVERLAP" "$wall" \
  "$(awk -v n="$N" -v w="$wall" 'BEGIN {print n / w}')" $((rss / 1024)) "$files" "$load_before" \
  "$(cut -d' ' -f1-3 /proc/loadavg)")
echo "$line" | tee -a "$out/batch.txt"
