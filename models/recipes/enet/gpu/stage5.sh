#!/usr/bin/env bash
# Stage 5 of enet-streets: one call on a one-GPU machine (README.md, "Stage 5 on a GPU").
#
#   OUT=DIR TOTAL=540 bash models/recipes/enet/gpu/stage5.sh        (from the repository root)
#
# Draws the validation scenes (seeds 900000..900039, data/calib's first 40) and SCENES training scenes
# (seeds 1..SCENES; the first 6000 are data/train's) as RawScenes files with 4 JVMs, checks the training
# script for 10 s on the GPU meanwhile, then trains two runs from the stage-4 checkpoint side by side on
# the one GPU until TOTAL seconds after the start, less 30 for the last validation and the copies.
# Results: OUT/{a,b}/{last.pth,best.pth,log.txt,files.tar (loss.csv, val.csv, run.json, loss.png)}.
# A follow-up run (stage 6): INIT=.gpu/stage5.pth LR=3e-4 BRANCH=0 SMOKE=0 SCENES=16000 TOTAL=200.
#
# Needs python3 with torch (CUDA) and OpenCV; Java 17+ as JAVA, or .gpu/jre.tgz (a jlinked java.base +
# java.desktop runtime, unpacked here); CP holding the generator classes and RawScenes.class:
#   javac --release 17 -cp scenes/target/classes -d .gpu/classes models/recipes/enet/gpu/RawScenes.java
#   cp -r scenes/target/classes/dev .gpu/classes/
set -uo pipefail
T0=$(date +%s)
TOTAL=${TOTAL:-540}
SCENES=${SCENES:-32000}
OUT=${OUT:-/tmp/stage5-out}
WORK=${WORK:-/tmp/stage5}
CP=${CP:-.gpu/classes}
INIT=${INIT:-.gpu/init-h.pth}
PY=${PY:-python3}
DEVICE=${DEVICE:-cuda}
LR=${LR:-1e-3}       # run a's learning rate; run b (BRANCH=1) uses 3e-4
BRANCH=${BRANCH:-1}
SMOKE=${SMOKE:-1}    # 0 skips the 10-second check (for a setup already known to work)
ROOT=$(pwd)
mkdir -p "$OUT" "$WORK"
log() { echo "[$(($(date +%s) - T0))s] $*"; }

if [ -z "${JAVA:-}" ]; then
  tar xzf .gpu/jre.tgz -C "$WORK" || exit 2
  JAVA=$WORK/jre/bin/java
fi
GEN="$JAVA -Djava.awt.headless=true -cp $CP RawScenes --size 512x256"
nvidia-smi -L 2>/dev/null
$PY -c 'import torch, cv2; c = torch.cuda.is_available(); print("torch", torch.__version__, "cuda", c,
  torch.cuda.get_device_name(0) if c else "-", "opencv", cv2.__version__)' || exit 2
$GEN --count 40 --seed 900000 --threads 4 --out "$WORK/val.bin" || exit 3
log "validation scenes drawn"

Q=$((SCENES / 4))
pids=()
for k in 0 1 2 3; do
  $GEN --count $Q --seed $((1 + k * Q)) --threads 4 --out "$WORK/train$k.bin" >"$WORK/gen$k.log" 2>&1 &
  pids+=($!)
done
cd models/recipes/enet || exit 2
if [ "$SMOKE" = 1 ] && ! $PY train_gpu.py --train "$WORK/val.bin" --val "$WORK/val.bin" --val-count 8 --out "$WORK/smoke" \
    --init "$ROOT/$INIT" --batch 8 --seconds 10 --eval-seconds 100 --device "$DEVICE" >"$WORK/smoke.log" 2>&1; then
  tail -30 "$WORK/smoke.log"
  kill "${pids[@]}" 2>/dev/null
  exit 4
fi
[ "$SMOKE" = 1 ] && log "smoke test: $(tail -1 "$WORK/smoke.log")"
for p in "${pids[@]}"; do
  wait "$p" || { cat "$WORK"/gen*.log; exit 5; }
done
cat "$WORK"/gen*.log
log "training scenes drawn"

STOP=$((T0 + TOTAL - 30))
TRAIN="$WORK/train0.bin,$WORK/train1.bin,$WORK/train2.bin,$WORK/train3.bin"
run() {
  local name=$1
  shift
  mkdir -p "$OUT/$name"
  $PY train_gpu.py --train "$TRAIN" --val "$WORK/val.bin" --out "$WORK/$name" --init "$ROOT/$INIT" \
    --stop-at $STOP --device "$DEVICE" --data-note "seeds 1..$SCENES drawn by RawScenes; validation seeds 900000..900039" \
    "$@" >"$OUT/$name/log.txt" 2>&1
}
run a --lr "$LR" --seed 51 &
A=$!
runs=a
if [ "$BRANCH" = 1 ]; then
  run b --lr 3e-4 --seed 52 &
  wait $!
  runs="a b"
fi
wait $A
for r in $runs; do
  cp "$WORK/$r/last.pth" "$WORK/$r/best.pth" "$OUT/$r/" 2>/dev/null
  (cd "$WORK/$r" && tar cf "$OUT/$r/files.tar" loss.csv val.csv run.json loss.png 2>/dev/null)
  grep '^val\|^done\|Error\|error' "$OUT/$r/log.txt" | tail -12
  tail -2 "$OUT/$r/log.txt"
done
nvidia-smi --query-gpu=name,memory.used,memory.total --format=csv 2>/dev/null
log "done"
