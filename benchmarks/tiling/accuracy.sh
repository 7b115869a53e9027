#!/usr/bin/env bash
# Mean IoU of enet-streets (input 512x256) on evaluation scenes drawn at 2048x1024: the whole image squeezed to
# 512x256, tiled at 512x256 with overlap, and each with --tta flip; then the same on mosaics of 4x4 evaluation
# scenes drawn at 512x256 (2048x1024 images holding 16 scenes at the network's own scale), and tiles on the mosaic's cells.
# Usage: benchmarks/tiling/accuracy.sh [COUNT] [WORKDIR] [BACKEND]   (from the repository root; COUNT default 100)
# Needs Debian's /usr/bin/python3 with python3-opencv for the mosaics.
set -euo pipefail
count=${1:-100}
work=${2:-/tmp/segmenter-tiling-accuracy}
backend=${3:-onnxruntime}
out=benchmarks/results/tiling
mkdir -p "$work" "$out"
scenes="$work/scenes-2048x1024"
if [ "$(ls "$scenes"/*.labels.png 2>/dev/null | wc -l)" -lt "$count" ]; then
  ./segmenter scenes --count "$count" --size 2048x1024 --seed 1000000 -o "$scenes"
fi
mosaics="$work/mosaics-4x4"
if [ "$(ls "$mosaics"/*.labels.png 2>/dev/null | wc -l)" -lt "$count" ]; then
  ./segmenter scenes --count $((count * 16)) --size 512x256 --seed 1000000 -o "$work/scenes-512x256"
  /usr/bin/python3 benchmarks/tiling/make_mosaics.py "$work/scenes-512x256" "$mosaics" "$count"
fi
# the first COUNT images of each set
for set in scenes-2048x1024 mosaics-4x4; do
  sub="$work/$set-first$count"
  mkdir -p "$sub"
  for i in $(seq 0 $((count - 1))); do
    n=$(printf %04d "$i")
    ln -sf "$work/$set/$n.png" "$sub/$n.png"
    ln -sf "$work/$set/$n.labels.png" "$sub/$n.labels.png"
  done
done
meta="$out/accuracy-$count.meta.txt"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "backend: $backend, count: $count"
} > "$meta"
run() { # name set flags...
  local name=$1 set=$2
  shift 2
  local t0=$SECONDS
  [ -s "$out/accuracy-$count-$set-$name.json" ] && return 0 # done before: delete the file to measure again
  ./segmenter eval --images "$work/$set-first$count" -b "$backend" --json -q "$@" > "$out/accuracy-$count-$set-$name.json"
  echo "$set $name: $((SECONDS - t0)) s: ./segmenter eval --images $set -b $backend $*" | tee -a "$meta"
}
run whole scenes-2048x1024
run whole-bilinear scenes-2048x1024 --resize bilinear
run whole-flip scenes-2048x1024 --tta flip
run whole mosaics-4x4
run whole-bilinear mosaics-4x4 --resize bilinear
run tiled mosaics-4x4 --tile 512x256 --overlap 0.25
run tiled-flip mosaics-4x4 --tile 512x256 --overlap 0.25 --tta flip
# tiles on the mosaic's own 512x256 cells: each tile is one scene at the network's scale (checks the tiling itself)
run tiled-aligned mosaics-4x4 --tile 512x256 --overlap 0
run tiled scenes-2048x1024 --tile 512x256 --overlap 0.25
run tiled-flip scenes-2048x1024 --tile 512x256 --overlap 0.25 --tta flip
/usr/bin/python3 benchmarks/tiling/summarize.py "$out" "$count" | tee "$out/accuracy-$count.md"
