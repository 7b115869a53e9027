#!/usr/bin/env bash
# The whole job as users feel it, in one go on one folder: a folder of images in, three files per image out
# (classes, color, overlay), every process timed from its start to its last file written.
#   benchmarks/run batch            (or benchmarks/batch.sh)
# Runs, one after the other on the same images:
#   1. the tutorial's pipeline as a plain Python batch script (benchmarks/python/batch_pipeline.py, cv2 + numpy)
#   2. `segmenter segment DIR` with each backend (default settings: the throughput plan)
#   3. DJL's own Predictor on the TorchScript model, writing the same files (dev.segmenter.benchmarks.DjlPeer)
#   4. the forward pass alone per backend at every split of the cores (`segmenter bench --forward-only`): the limit
# and writes benchmarks/results/batch/<date>-jdk<N>/{results.json,results.md,batch.png,run.properties}.
# Environment: N [200] images, SIZE [1024x512], MODEL [enet-streets], BACKENDS [onnxruntime opencv pytorch],
#   WORK [/tmp/segmenter-batch], PYTHON [/usr/bin/python3], MEMORY [0; 1 adds a 2,000-image run for peak memory],
#   SECONDS_PER_SPLIT [10], JAVA_HOME selects the JDK. Build first: mvn -B -q -DskipTests package
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
N="${N:-200}"
SIZE="${SIZE:-1024x512}"
MODEL="${MODEL:-enet-streets}"
BACKENDS="${BACKENDS:-onnxruntime opencv pytorch}"
WORK="${WORK:-/tmp/segmenter-batch}"
PYTHON="${PYTHON:-/usr/bin/python3}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jdk="$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
out="$root/benchmarks/results/batch/$(date -u +%F)-jdk$jdk${RESULTS_SUFFIX:-}"
mkdir -p "$out" "$WORK"
seg=("$root/segmenter")
model_dir="$root/models/shipped/$MODEL"
[ -f "$model_dir/model.yaml" ] || model_dir="$MODEL"
[ -x /usr/bin/time ] || { echo "batch: needs GNU time (apt-get install -y time)" >&2; exit 2; }
[ -f "$root/benchmarks/target/benchmarks.jar" ] || { echo "batch: build first: mvn -B -q -DskipTests package" >&2; exit 2; }

images="$WORK/images-$SIZE-$N"
if [ ! -f "$images/$(printf %04d $((N - 1))).png" ]; then
  rm -rf "$images"
  "${seg[@]}" scenes --count "$N" --size "$SIZE" --seed 1000000 -o "$images" -q
  rm -f "$images"/*.labels.png
fi
palette="$WORK/palette-bgr.txt"
"${seg[@]}" palettes "$(awk '/^palette:/ {print $2}' "$model_dir/model.yaml")" --json 2>/dev/null \
  | "$PYTHON" -c 'import json,sys; p=json.load(sys.stdin); [print(e["rgb"][2], e["rgb"][1], e["rgb"][0]) for e in p]' \
  > "$palette"

{
  echo "date=$(date -u +%FT%TZ)"
  echo "java=$("$java" -version 2>&1 | head -1)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "cores=$(nproc)"
  echo "images=$N of $SIZE ($images)"
  echo "model=$MODEL"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/run.properties"

results="$WORK/results.jsonl"
: > "$results"
# timed NAME CMD...: runs CMD, records wall seconds and peak resident memory of the whole process
timed() {
  local name="$1"; shift
  local o="$WORK/out-$name"
  rm -rf "$o"
  echo "batch: $name ..." >&2
  /usr/bin/time -f "%e %M" -o "$WORK/time-$name" "$@" > "$WORK/stdout-$name" 2> "$WORK/stderr-$name" \
    || { echo "batch: $name failed (see $WORK/stderr-$name)" >&2; tail -5 "$WORK/stderr-$name" >&2; return 0; }
  read -r wall rss < <(tail -1 "$WORK/time-$name")
  local files
  files="$(find "$o" -type f 2>/dev/null | wc -l)"
  echo "{\"name\": \"$name\", \"images\": $N, \"wall_s\": $wall, \"peak_rss_mb\": $((rss / 1024)), \"files\": $files,\
 \"images_per_s\": $(awk -v n="$N" -v w="$wall" 'BEGIN {printf "%.3f", n / w}')}" >> "$results"
  echo "batch: $name: $wall s, $((rss / 1024)) MB, $files files" >&2
}

timed python "$PYTHON" benchmarks/python/batch_pipeline.py --model "$model_dir" --images "$images" \
  --out "$WORK/out-python" --colors "$palette"
for b in $BACKENDS; do
  timed "segment-$b" "${seg[@]}" segment "$images" -m "$MODEL" -b "$b" -o "$WORK/out-segment-$b" -q
done
timed djl-predictor "$java" -Dai.djl.offline=true -cp "$root/benchmarks/target/benchmarks.jar" \
  dev.segmenter.benchmarks.DjlPeer --model "$model_dir" --images "$images" --out "$WORK/out-djl-predictor"
if [ "${MEMORY:-0}" = 1 ]; then
  many="$WORK/images-$SIZE-2000"
  if [ ! -e "$many/1999.png" ]; then
    mkdir -p "$many"
    # hard links: distinct paths (symbolic links to one file count as one input)
    for i in $(seq 0 1999); do ln -f "$images/$(printf %04d $((i % N))).png" "$many/$(printf %04d "$i").png"; done
  fi
  N=2000 timed "segment-onnxruntime-2000" "${seg[@]}" segment "$many" -m "$MODEL" -b onnxruntime \
    -o "$WORK/out-segment-onnxruntime-2000" -q
fi
"${seg[@]}" bench --forward-only --json -m "$MODEL" --seconds "${SECONDS_PER_SPLIT:-10}" --backends "${BACKENDS// /,}" \
  > "$WORK/forward.jsonl" 2> "$WORK/forward.err" || { echo "batch: forward-only failed" >&2; tail -5 "$WORK/forward.err" >&2; }
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/run.properties"

"$PYTHON" - "$results" "$WORK/forward.jsonl" "$out" "$N" "$SIZE" <<'PY'
import json
import sys

results_file, forward_file, out, n, size = sys.argv[1:]
runs = [json.loads(l) for l in open(results_file) if l.strip()]
forward = [json.loads(l) for l in open(forward_file) if l.strip()]
props = dict(l.rstrip("\n").split("=", 1) for l in open(out + "/run.properties") if "=" in l)
by = {r["name"]: r for r in runs}
fwd = {f["backend"]: f for f in forward}
py = by.get("python", {}).get("images_per_s")
json.dump({"runs": runs, "forward_only": forward, "properties": props}, open(out + "/results.json", "w"), indent=1)

lines = [f"# The whole job: {n} images of {size}, three files each (classes, color, overlay)", "",
         f"{props.get('date')} | {props.get('java')} | {props.get('cpu')}, {props.get('cores')} cores | "
         f"load before {props.get('load_before')}, after {props.get('load_after')}", "",
         "Each row is one process timed from its start to its last file written (`/usr/bin/time`).", "",
         "| run | wall s | images/s | x Python script | x forward-only (same backend) | peak RSS MB | files |",
         "|---|---:|---:|---:|---:|---:|---:|"]
for r in runs:
    backend = r["name"].split("-", 1)[1] if r["name"].startswith("segment-") else None
    if backend and backend.endswith("-2000"):
        backend = backend[:-5]
    f = fwd.get(backend, {}).get("best_fps") if backend else None
    ratio_py = f"{r['images_per_s'] / py:.2f}" if py else "-"
    ratio_f = f"{r['images_per_s'] / f:.2f}" if f else "-"
    lines.append(f"| {r['name']} | {r['wall_s']} | {r['images_per_s']:.2f} | {ratio_py} | {ratio_f} | "
                 f"{r['peak_rss_mb']} | {r['files']} |")
lines += ["", "Forward pass alone (`segmenter bench --forward-only`: the runtime's forward on one preprocessed input, "
          "every split of the cores between concurrent inferences and runtime threads):", "",
          "| backend | " + " | ".join(f"{s['concurrency']} x {s['threads']}" for s in (forward[0]["splits"] if forward else []))
          + " | best |", "|---|" + "---:|" * ((len(forward[0]["splits"]) if forward else 0) + 1)]
for f in forward:
    lines.append(f"| {f['backend']} | " + " | ".join(f"{s['fps']:.1f}" for s in f["splits"])
                 + f" | {f['best_split']} {f['best_fps']:.1f} |")
open(out + "/results.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    shown = [r for r in runs if not r["name"].endswith("-2000")]  # the memory run has 10x the images
    names = [r["name"] for r in shown] + [f"forward-only {f['backend']}" for f in forward]
    vals = [r["images_per_s"] for r in shown] + [f["best_fps"] for f in forward]
    colors = ["#888888" if n in ("python", "djl-predictor") else "#3b7dd8" if n.startswith("segment") else "#bbbbbb"
              for n in names]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(names) + 1.2))
    ax.barh(names[::-1], vals[::-1], color=colors[::-1])
    for i, v in enumerate(vals[::-1]):
        ax.text(v, i, f" {v:.1f}", va="center")
    ax.set_xlabel("images per second (whole process; forward-only: the runtime alone)")
    ax.set_title(f"{n} images {size}, {props.get('cores')} cores, {props.get('java', '')[:40]}")
    fig.tight_layout()
    fig.savefig(out + "/batch.png", dpi=110)
except ImportError:
    print("(matplotlib missing: no chart)", file=sys.stderr)
PY
echo "results: $out/results.md"
