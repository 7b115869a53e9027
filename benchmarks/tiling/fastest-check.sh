#!/usr/bin/env bash
# Does `--backend fastest` pick the backend that the batch benchmark measures as fastest? RUNS times: clear the
# fastest cache, let `segmenter segment DIR -b fastest -v` choose for a batch (the throughput plan), then time the
# batch benchmark's own command (benchmarks/batch.sh step 2: `segmenter segment DIR -m MODEL -b B -o OUT -q`, three
# files per image) for each backend, in an order rotated per run, and compare.
# Usage: benchmarks/tiling/fastest-check.sh [WORKDIR]   (from the repository root; build first)
# Environment: RUNS [5], N [200], SIZE [1024x512], MODEL [enet-streets], BACKENDS [onnxruntime opencv pytorch],
#   SEGMENTER [./segmenter] (the command that runs the CLI: a java -cp line keeps a build fixed while sources change).
# Writes benchmarks/results/tiling/fastest-check.jsonl (one line per run) and prints a summary.
set -euo pipefail
work=${1:-/tmp/segmenter-fastest-check}
RUNS=${RUNS:-5}
N=${N:-200}
SIZE=${SIZE:-1024x512}
MODEL=${MODEL:-enet-streets}
read -r -a backends <<< "${BACKENDS:-onnxruntime opencv pytorch}"
read -r -a seg <<< "${SEGMENTER:-./segmenter}"
out=benchmarks/results/tiling
mkdir -p "$work" "$out"
images="$work/images-$SIZE-$N"
if [ ! -f "$images/$(printf %04d $((N - 1))).png" ]; then
  rm -rf "$images"
  "${seg[@]}" scenes --count "$N" --size "$SIZE" --seed 1000000 -o "$images" -q
  rm -f "$images"/*.labels.png
fi
# the choice needs a batch (more than one image) to take the batch plan; two images are enough to see it
pair="$work/pair"
mkdir -p "$pair"
cp -f "$images/0000.png" "$images/0001.png" "$pair/"
results="$out/fastest-check.jsonl"
for run in $(seq 1 "$RUNS"); do
  rm -rf "$work/cache"
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  XDG_CACHE_HOME="$work/cache" "${seg[@]}" segment "$pair" -m "$MODEL" -b fastest -v \
    -o "$work/out-fastest" > /dev/null 2> "$work/fastest-$run.err" || { tail -5 "$work/fastest-$run.err"; exit 1; }
  line=$(grep -m1 'backend fastest chose' "$work/fastest-$run.err" | sed 's/.*backend fastest chose/backend fastest chose/')
  chosen=$(echo "$line" | awk '{print $4}')
  rates=()
  n=${#backends[@]}
  for k in $(seq 0 $((n - 1))); do
    b=${backends[$(((k + run - 1) % n))]}
    rm -rf "$work/out-$b"
    /usr/bin/time -f "%e" -o "$work/time-$b" "${seg[@]}" segment "$images" -m "$MODEL" -b "$b" -o "$work/out-$b" -q
    wall=$(tail -1 "$work/time-$b")
    rates+=("\"$b\": $(awk -v n="$N" -v w="$wall" 'BEGIN {printf "%.3f", n / w}')")
  done
  json="{\"run\": $run, \"date\": \"$(date -u +%FT%TZ)\", \"load_before\": \"$load\", \"load_after\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"images\": \"$N x $SIZE\", \"chosen\": \"$chosen\", \"choice\": \"${line//\"/\\\"}\", \"batch_images_per_s\": {$(IFS=,; echo "${rates[*]}")}}"
  echo "$json" >> "$results"
  echo "$json"
done
/usr/bin/python3 - "$results" "$RUNS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()][-int(sys.argv[2]):]
agree = 0
for r in rows:
    rates = r["batch_images_per_s"]
    best = max(rates, key=rates.get)
    ranked = sorted(rates.items(), key=lambda kv: -kv[1])
    gap = (ranked[0][1] - ranked[1][1]) / ranked[1][1] * 100 if len(ranked) > 1 else 0
    agree += r["chosen"] == best
    print(f"run {r['run']} (load {r['load_before']}): chose {r['chosen']}; batch: "
          + ", ".join(f"{b} {v:.2f}" for b, v in ranked) + f" images/s (best by {gap:.0f}%)"
          + (" AGREE" if r["chosen"] == best else " DISAGREE"))
print(f"fastest agreed with the batch benchmark in {agree} of {len(rows)} runs")
PY
