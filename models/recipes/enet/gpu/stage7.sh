#!/usr/bin/env bash
# Stage 7 of enet-streets: scale augmentation, one call on a one-GPU machine (README.md, "Stage 7").
#
#   OUT=DIR TOTAL=480 bash models/recipes/enet/gpu/stage7.sh        (from the repository root)
#
# Draws, as RawScenes files with several JVMs: validation scenes (calibration seeds 900000.. at 512x256 and at
# 2048x1024), evaluation scenes (seeds 1000000.. at 512x256 and 2048x1024, for the figures at the end, never for a
# choice), and training scenes: S512 whole scenes at 512x256 (seeds 1..S512), S2048 at 2048x1024 (seeds 100001..)
# and S1024 at 1024x512 (seeds 200001..). Meanwhile a 10-second training run checks the setup on the GPU and
# tiles.py scores the starting checkpoint on the large evaluation scenes. Then two runs fine-tune INIT side by side
# (train_gpu.py --scaled, --frozen-bn) until TOTAL seconds after the start, less END for the last validation,
# tiles.py on both runs' last checkpoints and the copies.
# a: per batch of 32, 16 whole 512x256 scenes, 11 crops of the 2048x1024 scenes, 5 of the 1024x512 ones;
# b: 8 whole, 16 and 8.
# Results: OUT/{a,b}.tar (last.pth, best.pth, log.txt, loss.csv, val.csv, run.json, loss.png), OUT/tiles.json,
# OUT/tiles-init.json, OUT/log.txt is the caller's.
#
# Needs python3 with torch (CUDA) and OpenCV; Java 17+ as JAVA, or .gpu/jre.tgz (jlinked java.base + java.desktop);
# CP holding the generator classes and RawScenes.class (see stage5.sh); RECIPE, the folder of train_gpu.py.
set -uo pipefail
T0=$(date +%s)
TOTAL=${TOTAL:-480}
END=${END:-100}
OUT=${OUT:-/tmp/stage7-out}
WORK=${WORK:-/tmp/stage7}
CP=${CP:-.gpu/classes}
INIT=${INIT:-.gpu/init.pth}
RECIPE=${RECIPE:-models/recipes/enet}
PY=${PY:-python3}
DEVICE=${DEVICE:-cuda}
LR=${LR:-5e-4}
S512=${S512:-16000}
S2048=${S2048:-1600}
S1024=${S1024:-3200}
SMOKE=${SMOKE:-1}
BATCH=${BATCH:-32}
EVAL2048=${EVAL2048:-100}
EVAL512=${EVAL512:-200}
VAL_LARGE=${VAL_LARGE:-16}
ROOT=$(pwd)
mkdir -p "$OUT" "$WORK"
log() { echo "[$(($(date +%s) - T0))s] $*"; }

if [ -z "${JAVA:-}" ]; then
  tar xzf .gpu/jre.tgz -C "$WORK" || exit 2
  JAVA=$WORK/jre/bin/java
fi
GEN="$JAVA -Djava.awt.headless=true -cp $CP RawScenes"
nvidia-smi -L 2>/dev/null
$PY -c 'import torch, cv2; c = torch.cuda.is_available(); print("torch", torch.__version__, "cuda", c,
  torch.cuda.get_device_name(0) if c else "-", "opencv", cv2.__version__)' || exit 2
$GEN --size 512x256 --count 40 --seed 900000 --threads 8 --out "$WORK/val.bin" &
$GEN --size 2048x1024 --count "$VAL_LARGE" --seed 900000 --threads 8 --out "$WORK/val2048.bin" || exit 3
wait $! || exit 3
log "validation scenes drawn"

pids=()
H=$((S512 / 2))
$GEN --size 512x256 --count $H --seed 1 --threads 3 --out "$WORK/t512a.bin" >"$WORK/gen1.log" 2>&1 &
pids+=($!)
$GEN --size 512x256 --count $((S512 - H)) --seed $((1 + H)) --threads 3 --out "$WORK/t512b.bin" >"$WORK/gen2.log" 2>&1 &
pids+=($!)
$GEN --size 2048x1024 --count "$S2048" --seed 100001 --threads 5 --out "$WORK/t2048.bin" >"$WORK/gen3.log" 2>&1 &
pids+=($!)
$GEN --size 1024x512 --count "$S1024" --seed 200001 --threads 3 --out "$WORK/t1024.bin" >"$WORK/gen4.log" 2>&1 &
pids+=($!)
(
  $GEN --size 2048x1024 --count "$EVAL2048" --seed 1000000 --threads 2 --out "$WORK/eval2048.bin" &&
    $GEN --size 512x256 --count "$EVAL512" --seed 1000000 --threads 2 --out "$WORK/eval512.bin"
) >"$WORK/gen5.log" 2>&1 &
EVALGEN=$!
cd "$RECIPE" || exit 2
if [ "$SMOKE" = 1 ] && ! $PY train_gpu.py --train "$WORK/val.bin" --val "$WORK/val.bin" --val-count 8 --out "$WORK/smoke" \
    --init "$ROOT/$INIT" --frozen-bn --scaled "$WORK/val2048.bin:2048x1024:0.5" --val-large "$WORK/val2048.bin:2048x1024" \
    --val-large-count 2 --batch 8 --seconds 10 --eval-seconds 100 --device "$DEVICE" >"$WORK/smoke.log" 2>&1; then
  tail -30 "$WORK/smoke.log"
  kill "${pids[@]}" $EVALGEN 2>/dev/null
  exit 4
fi
[ "$SMOKE" = 1 ] && log "smoke test: $(grep '^val' "$WORK/smoke.log" | tail -1) / $(tail -1 "$WORK/smoke.log")"
wait $EVALGEN || { cat "$WORK/gen5.log"; exit 5; }
log "evaluation scenes drawn"
$PY tiles.py --model "$ROOT/$INIT" --scenes "$WORK/eval2048.bin" --size 2048x1024 --count "$EVAL2048" --device "$DEVICE" \
  --json "$OUT/tiles-init.json" >"$WORK/tiles-init.log" 2>&1 &
TI=$!
for p in "${pids[@]}"; do
  wait "$p" || { cat "$WORK"/gen*.log; exit 5; }
done
cat "$WORK"/gen*.log
log "training scenes drawn"

STOP=$((T0 + TOTAL - END))
run() {
  local name=$1
  shift
  mkdir -p "$WORK/$name"
  $PY train_gpu.py --train "$WORK/t512a.bin,$WORK/t512b.bin" --val "$WORK/val.bin" --out "$WORK/$name" \
    --init "$ROOT/$INIT" --frozen-bn --val-large "$WORK/val2048.bin:2048x1024" --val-large-count "$VAL_LARGE" \
    --stop-at $STOP --device "$DEVICE" --lr "$LR" --batch "$BATCH" --eval-seconds "${EVAL_SECONDS:-60}" \
    --data-note "seeds 1..$S512 at 512x256, $S2048 at 2048x1024 (seeds 100001..), $S1024 at 1024x512 (seeds 200001..), drawn by RawScenes; validation seeds 900000..900039 at 512x256 and 900000..$((900000 + VAL_LARGE - 1)) at 2048x1024" \
    "$@" >"$WORK/$name/log.txt" 2>&1
}
run a --seed 71 --scaled "$WORK/t2048.bin:2048x1024:0.34375" --scaled "$WORK/t1024.bin:1024x512:0.15625" &
A=$!
run b --seed 72 --scaled "$WORK/t2048.bin:2048x1024:0.5" --scaled "$WORK/t1024.bin:1024x512:0.25" &
B=$!
wait $TI
cat "$WORK/tiles-init.log"
log "starting checkpoint scored"
wait $A
wait $B
log "training done"
for r in a b; do
  grep '^val\|^done\|rror' "$WORK/$r/log.txt" | tail -12
  tail -2 "$WORK/$r/log.txt"
  (cd "$WORK/$r" && tar cf "$OUT/$r.tar" last.pth best.pth log.txt loss.csv val.csv run.json loss.png)
done
$PY tiles.py --model "$WORK/a/last.pth,$WORK/b/last.pth" --scenes "$WORK/eval2048.bin" --size 2048x1024 --count "$EVAL2048" \
  --device "$DEVICE" --json "$OUT/tiles.json"
$PY tiles.py --model "$ROOT/$INIT,$WORK/a/last.pth,$WORK/b/last.pth" --scenes "$WORK/eval512.bin" --size 512x256 \
  --count "$EVAL512" --runs whole --device "$DEVICE" --json "$OUT/eval512.json"
nvidia-smi --query-gpu=name,memory.used,memory.total --format=csv 2>/dev/null
log "done"
