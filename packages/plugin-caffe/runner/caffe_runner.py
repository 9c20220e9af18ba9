#!/usr/bin/env python3
"""gaugeNN host runner for Caffe models over OpenCV DNN (cv2.dnn.readNetFromCaffe).

Loads a prototxt (+ caffemodel), fills the inputs with seeded random data, runs warm-up then timed forward
passes on the OpenCV backend / CPU target, and prints exactly one JSON document on stdout:
  {"engine": "opencv-dnn <ver>", "samplesMs": [...], "warmupMs": [...],
   "extra": {"backend": "OPENCV", "target": "CPU", "threads": n, "inputs": [...], "weights": "...", "loadMs": x}}
or, on failure, {"error": {"code": "...", "message": "..."}} with a non-zero exit status.
Prototxt-only models arrive with a temporary caffemodel of seeded random weights written by gaugeNN;
--weights-source says which, and is echoed in extra.weights.
"""
import argparse
import time

# The runner protocol (stdout holds one JSON document) lives in core: gaugeNN puts it on PYTHONPATH.
from gaugenn_runner import EXIT_FAILED, EXIT_MISSING, emit, fail, serve, timed  # noqa: E402

SEED = 20240101


def parse_shape(spec):
    """name:1,3,12,12 -> (name, [1, 3, 12, 12])."""
    name, _, dims = spec.rpartition(":")
    return name, [int(d) for d in dims.split(",") if d]


def run(args, out):
    try:
        import cv2
        import numpy as np
    except ImportError as e:
        fail(out, "RUNNER_MISSING", f"OpenCV for Python is missing ({e}): install it with "
             "`pip install opencv-python-headless==4.12.0.88` (OpenCV 4.x reads Caffe models).", EXIT_MISSING)
    if not hasattr(cv2, "dnn") or not hasattr(cv2.dnn, "readNetFromCaffe"):
        fail(out, "RUNNER_MISSING", f"OpenCV {cv2.__version__} has no cv2.dnn.readNetFromCaffe: install "
             "`opencv-python-headless==4.12.0.88`.", EXIT_MISSING)

    cv2.setNumThreads(args.threads)
    t0 = time.perf_counter_ns()
    try:
        net = cv2.dnn.readNetFromCaffe(args.prototxt, args.caffemodel) if args.caffemodel else cv2.dnn.readNetFromCaffe(args.prototxt)
        net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
    except Exception as e:  # OpenCV's message names the layer or field it could not read
        fail(out, "RUNNER_FAILED", f"loading the model failed: {e}", EXIT_FAILED)
    load_ms = (time.perf_counter_ns() - t0) / 1e6

    rng = np.random.default_rng(SEED)
    inputs = []
    try:
        for spec in args.input:
            name, shape = parse_shape(spec)
            net.setInput(rng.random(shape, dtype=np.float32), name)
            inputs.append({"name": name, "shape": shape, "dtype": "float32"})
        outs = net.getUnconnectedOutLayersNames()
    except Exception as e:
        fail(out, "RUNNER_FAILED", f"setting inputs failed: {e}", EXIT_FAILED)

    def forward():
        net.forward(outs)

    try:
        warmup = timed(forward, args.warmup)
        samples = timed(forward, args.runs)
    except Exception as e:
        fail(out, "RUNNER_FAILED", f"forward failed: {e}", EXIT_FAILED)

    emit(out, {
        "engine": f"opencv-dnn {cv2.__version__}",
        "samplesMs": samples,
        "warmupMs": warmup,
        "extra": {"backend": "OPENCV", "target": "CPU", "threads": args.threads, "inputs": inputs,
                  "weights": args.weights_source, "loadMs": load_ms},
    })






def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--prototxt", required=True)
    p.add_argument("--caffemodel")
    p.add_argument("--input", action="append", default=[], help="name:d0,d1,... (repeatable)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--weights-source", default="caffemodel")
    args = p.parse_args()

    serve(lambda out: run(args, out), [args.prototxt, args.caffemodel])


if __name__ == "__main__":
    main()
