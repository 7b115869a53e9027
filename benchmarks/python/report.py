"""Writes benchmarks/results/backends/<date>-jdk<N>.md from compare.sh's outputs (see compare.sh).

    /usr/bin/python3 benchmarks/python/report.py --work DIR --models NAME... [--jmh FILE...] --out FILE.md

Reads DIR/<model>/ours.jsonl (our pipeline, one line per backend), DIR/<model>/python.json (classic pipeline),
the class-id PNGs of the first image, and JMH JSON results (later files win for the same benchmark + params).
"""
import argparse
import datetime
import json
import math
import os
import platform
import subprocess

TARGET_SAME_BACKEND = 1.3
TARGET_FASTEST = 1.5
TARGET_OVERHEAD = {"onnxruntime": 0.05, "opencv": 0.10, "pytorch": 0.10}
TARGET_POST_SHARE = 0.03
SHARE_MODEL = "lraspp-mobilenet-v3-large"
SHARE_SIZE = "512x512"


def cpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = line.split(":", 1)[1].split()
                    return " ".join(x for x in ("avx2", "avx512f", "avx512bw", "avx512vl", "avx512_vbmi") if x in flags)
    except OSError:
        pass
    return "unknown"


def java_version(java):
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.strip().splitlines()
        return " / ".join(out[:2]) if out else "unknown"
    except OSError:
        return "unknown"


def agreement(a_path, b_path):
    try:
        import cv2
        import numpy as np
        a = cv2.imread(a_path, cv2.IMREAD_UNCHANGED)
        b = cv2.imread(b_path, cv2.IMREAD_UNCHANGED)
        if a is None or b is None or a.shape != b.shape:
            return None
        return float(np.mean(a == b))
    except ImportError:
        return None


def verdict(value, target, higher_is_better):
    if value is None:
        return "not measured"
    if higher_is_better:
        if value >= target:
            return f"**met** (by {value / target - 1:+.0%} over)"
        return f"**missed** (by {1 - value / target:.0%})"
    if value <= target:
        return f"**met** ({(target - value) * 100:.1f} points under)"
    return f"**missed** (by {(value - target) * 100:.1f} points)"


def load_jmh(files):
    rows = {}
    meta = {}
    for path in files or []:
        with open(path) as f:
            data = json.load(f)
        for r in data:
            name = r["benchmark"].rsplit(".", 1)[1]
            p = r.get("params", {})
            model = os.path.basename(os.path.normpath(p["model"])) if p.get("model") else None
            key = (name, p.get("backend"), model, p.get("imageSize"), p.get("threads"))
            m = r["primaryMetric"]
            raw = [x for fork in m.get("rawData", []) for x in fork]
            rows[key] = {"score": m["score"], "error": m["scoreError"], "unit": m["scoreUnit"], "forks": r["forks"],
                         "n": len(raw), "file": os.path.basename(path)}
            meta = {"jdk": r.get("jdkVersion"), "vm": r.get("vmName"), "vmVersion": r.get("vmVersion"),
                    "jvmArgs": " ".join(r.get("jvmArgs", [])), "jmh": r.get("jmhVersion"),
                    "warmup": f"{r.get('warmupIterations')} x {r.get('warmupTime')}",
                    "measurement": f"{r.get('measurementIterations')} x {r.get('measurementTime')}"}
    return rows, meta


def err(e):
    return e if isinstance(e, (int, float)) and math.isfinite(e) else float("nan")


def ratio(a, b):
    """a/b with the relative errors added in quadrature."""
    r = a["score"] / b["score"]
    ea, eb = err(a["error"]) / a["score"], err(b["error"]) / b["score"]
    return r, r * math.sqrt(ea * ea + eb * eb)


def fmt_pm(v, e, digits=2):
    if math.isnan(e):
        return f"{v:.{digits}f} ± ?"
    return f"{v:.{digits}f} ± {e:.{digits}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--models", nargs="+", required=True)
    ap.add_argument("--jmh", nargs="*")
    ap.add_argument("--java", default="java")
    ap.add_argument("--load-before", default="?")
    ap.add_argument("--load-after", default="?")
    ap.add_argument("--note", action="append", default=[], help="a line added under 'Notes'")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    L = []
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    jmh, meta = load_jmh(a.jmh)
    ours_any = None
    per_model = {}
    for m in a.models:
        w = os.path.join(a.work, m)
        ours = []
        if os.path.exists(os.path.join(w, "ours.jsonl")):
            with open(os.path.join(w, "ours.jsonl")) as f:
                ours = [json.loads(line) for line in f if line.strip()]
        py = None
        if os.path.exists(os.path.join(w, "python.json")):
            with open(os.path.join(w, "python.json")) as f:
                py = json.loads(f.read())
        per_model[m] = (ours, py)
        ours_any = ours_any or (ours[0] if ours else None)

    L.append(f"# Backends against the classic Python pipeline ({now})")
    L.append("")
    L.append("Made by `benchmarks/python/compare.sh` (our pipeline per backend via `BackendBenchSupport`, the classic "
             "pipeline via `benchmarks/python/classic_pipeline.py`, then JMH `BackendBenchmark`).")
    L.append("")
    L.append(f"- Machine: {cpu_model()}, {os.cpu_count()} cores visible ({cpu_flags()}), "
             f"{platform.system()} {platform.release()}")
    L.append(f"- Load average (1/5/15 min) before: {a.load_before}; after: {a.load_after} "
             f"({os.cpu_count()} cores; other people's jobs run on this machine)")
    load_file = os.path.join(a.work, "load.txt")
    if os.path.exists(load_file):
        with open(load_file) as f:
            steps = [line.strip() for line in f if line.strip()]
        if steps:
            L.append("- Load by step:")
            L.extend(f"  - {x}" for x in steps)
    L.append(f"- JDK: {java_version(a.java)}")
    if ours_any:
        L.append(f"- Our kernels: {ours_any.get('kernels')}; threads {ours_any.get('threads')} (runtime and post-processing)")
    for m, (ours, py) in per_model.items():
        if py:
            L.append(f"- Classic pipeline: Python {py.get('python')}, OpenCV {py.get('version')} (Debian python3-opencv), "
                     f"numpy {py.get('numpy')}, cv2.setNumThreads({py.get('threads')})")
            break
    if ours_any:
        versions = {}
        for ours, _ in per_model.values():
            for o in ours:
                versions[o["backend"]] = o.get("version")
        L.append("- Our runtimes: " + ", ".join(f"{b} {v}" for b, v in versions.items())
                 + " (opencv = org.openpnp 4.9 Java bindings, so 'same backend' is OpenCV DNN 4.9 against 4.6)")
    if meta:
        L.append(f"- JMH {meta.get('jmh')}: {meta.get('vm')} {meta.get('vmVersion')} (JDK {meta.get('jdk')}), "
                 f"fork args `{meta.get('jvmArgs')}`, warm-up {meta.get('warmup')}, measurement {meta.get('measurement')}")
    for n in a.note:
        L.append(f"- {n}")
    L.append("")

    L.append("## Whole pipeline: frames/s on the same model and images")
    L.append("")
    L.append("Per frame, both sides: preprocess (resize + blob), forward, argmax, class map / colors to image size "
             "(nearest), palette colors, 50% blend with the image. Images decoded before timing. "
             "frames/s = frames / sum of per-frame times; stage times are medians.")
    L.append("")
    for m, (ours, py) in per_model.items():
        if not ours and not py:
            continue
        img = (py or ours[0])["image"]
        frames = (py or ours[0])["frames"]
        warm = (py or ours[0])["warmup"]
        L.append(f"### {m} ({img} images, {frames} frames after {warm} warm-up)")
        L.append("")
        L.append("| pipeline | frames/s | vs Python | preprocess ms | forward ms | argmax (+ resize) ms | colors ms | resize ms | blend ms | total ms | class map = Python's |")
        L.append("|---|---|---|---|---|---|---|---|---|---|---|")
        pf = py["fps"] if py else None
        if py:
            s = py["median_ms"]
            L.append(f"| Python cv2 {py['version']} + numpy | {py['fps']:.2f} | 1.00 | {s['preprocess']:.2f} | "
                     f"{s['forward']:.2f} | {s['argmax']:.2f} | {s['color']:.2f} | {s['resize']:.2f} | {s['blend']:.2f} | "
                     f"{s['total']:.2f} | - |")
        for o in ours:
            s = o["median_ms"]
            agree = agreement(os.path.join(a.work, m, f"{o['backend']}-classes.png"),
                              os.path.join(a.work, m, "python-classes.png"))
            L.append(f"| ours, {o['backend']} {o['version']} | {o['fps']:.2f} | "
                     f"{(o['fps'] / pf) if pf else float('nan'):.2f} | {s['preprocess']:.2f} | {s['forward']:.2f} | "
                     f"{s['postprocess']:.2f} | {s['color']:.2f} | (in argmax) | {s['blend']:.2f} | {s['total']:.2f} | "
                     f"{'-' if agree is None else f'{agree:.2%}'} |")
        L.append("")
        if py and py.get("onnx_fixup"):
            L.append(f"- Python: {py['onnx_fixup']}.")
        if py and ours:
            same = next((o for o in ours if o["backend"] == "opencv"), None)
            best = max(ours, key=lambda o: o["fps"])
            r_same = same["fps"] / pf if same else None
            r_best = best["fps"] / pf
            L.append(f"- Target: ours on opencv >= {TARGET_SAME_BACKEND}x Python: "
                     + (f"{r_same:.2f}x, {verdict(r_same, TARGET_SAME_BACKEND, True)}" if same else "not measured"))
            L.append(f"- Target: our fastest backend ({best['backend']}) >= {TARGET_FASTEST}x Python: {r_best:.2f}x, "
                     f"{verdict(r_best, TARGET_FASTEST, True)}")
            L.append("")

    if jmh:
        L.append("## JMH BackendBenchmark (ms/op, score ± 99.9% error)")
        L.append("")
        L.append("`raw` = the runtime's own call on a prepared input; `forward` = our adapter (`BackendSession.forward`); "
                 "`postprocessOnly` = `Postprocessor.decode` of a captured output to a class map at image size; "
                 "`endToEnd` = `Segmenter.segment` on a prepared image (preprocess + forward + postprocess).")
        L.append("")
        L.append("| benchmark | backend | model | image | ms/op | forks x iterations |")
        L.append("|---|---|---|---|---|---|")
        order = {"raw": 0, "forward": 1, "postprocessOnly": 2, "endToEnd": 3}
        for key in sorted(jmh, key=lambda k: (k[2] or "", order.get(k[0], 9), k[1] or "", k[3] or "")):
            r = jmh[key]
            L.append(f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | {fmt_pm(r['score'], err(r['error']), 3)} | "
                     f"{r['forks']} x {r['n'] // max(1, r['forks'])} |")
        L.append("")
        L.append("### Adapter overhead = forward / raw - 1")
        L.append("")
        L.append("| backend | model | raw ms | forward ms | overhead | target | verdict |")
        L.append("|---|---|---|---|---|---|---|")
        for key in sorted(jmh):
            if key[0] != "forward":
                continue
            raw = jmh.get(("raw",) + key[1:])
            if not raw:
                continue
            f = jmh[key]
            r, e = ratio(f, raw)
            t = TARGET_OVERHEAD.get(key[1], 0.10)
            L.append(f"| {key[1]} | {key[2]} | {fmt_pm(raw['score'], err(raw['error']))} | "
                     f"{fmt_pm(f['score'], err(f['error']))} | {(r - 1) * 100:+.1f}% ± {e * 100:.1f} | <= {t:.0%} | "
                     f"{verdict(r - 1, t, False)} |")
        L.append("")
        L.append(f"### Post-processing share of the forward (target <= {TARGET_POST_SHARE:.0%} for {SHARE_MODEL} at {SHARE_SIZE})")
        L.append("")
        L.append("postprocessOnly does not depend on the backend (the same tensor is decoded); it is divided by each "
                 "backend's forward of the same model (the forward does not depend on the image size).")
        L.append("")
        L.append("| model | image | postprocessOnly ms | backend | forward ms | share | verdict |")
        L.append("|---|---|---|---|---|---|---|")
        posts = [k for k in jmh if k[0] == "postprocessOnly"]
        for model, size in sorted({(k[2], k[3]) for k in posts}):
            by_backend = {k[1]: k for k in posts if k[2] == model and k[3] == size}
            for fk in sorted(k for k in jmh if k[0] == "forward" and k[2] == model):
                pk = by_backend.get(fk[1]) or by_backend[sorted(by_backend)[0]]
                p, f = jmh[pk], jmh[fk]
                r, e = ratio(p, f)
                is_target = model == SHARE_MODEL and size == SHARE_SIZE
                L.append(f"| {model} | {size} | {fmt_pm(p['score'], err(p['error']), 3)} ({pk[1]} run) | {fk[1]} | "
                         f"{fmt_pm(f['score'], err(f['error']))} | {r * 100:.2f}% ± {e * 100:.2f} | "
                         f"{verdict(r, TARGET_POST_SHARE, False) if is_target else '(for information)'} |")
        L.append("")

    with open(a.out, "w") as f:
        f.write("\n".join(L))
    print(a.out)


if __name__ == "__main__":
    main()
