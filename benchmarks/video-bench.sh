#!/usr/bin/env bash
# Video throughput, end to end (docs/VIDEO.md): encoder and decoder alone, then `segment clip.mp4` with the overlay
# output for each model, printing frames/s and the per-stage ms/frame from --json.
# usage: benchmarks/video-bench.sh [FRAMES=300] [WIDTHxHEIGHT=640x360]   (JAVA_HOME picks the JDK)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
frames="${1:-300}"
size="${2:-640x360}"
w="${size%x*}"; h="${size#*x}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
cd "$here"
./segmenter --help >/dev/null   # builds the CLI first if sources changed
cp="cli/target/segmenter-cli-0.1.0-SNAPSHOT.jar:cli/target/lib/*"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "# $(date -u +%F) $("$java" -version 2>&1 | head -1); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for ext in mp4 webm avi; do
  "$java" -cp "$cp" benchmarks/video/VideoClip.java make "$work/clip.$ext" "$w" "$h" "$frames" 25
done
for ext in mp4 webm avi; do
  "$java" -cp "$cp" benchmarks/video/VideoClip.java decode "$work/clip.$ext"
done
for model in models/shipped/enet-streets models/testnets/tiny-nchw; do
  for ext in mp4 webm; do
    line="$(./segmenter segment "$work/clip.$ext" --model "$model" --out "$work/out" --json -q)"
    echo "segment clip.$ext --model $(basename "$model"): $line" | sed -E 's/"(video|backend|output|width|height)":"?[^,]*"?,//g'
  done
done
