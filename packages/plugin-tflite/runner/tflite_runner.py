#!/usr/bin/env python3
"""gaugeNN host runner for TFLite models over LiteRT.

Loads a model, fills its inputs with seeded random data, runs warm-up then timed invoke()s, and prints
exactly one JSON document on stdout:
  {"engine": "...", "samplesMs": [...], "warmupMs": [...], "extra": {"inputs": [...], "threads": n, "loadMs": x}}
or, on failure, {"error": {"code": "...", "message": "..."}} with a non-zero exit status.
The runtime's own chatter (XNNPACK INFO lines, native prints) goes to stderr so stdout stays one document.
"""
import argparse
import time

# The runner protocol (stdout holds one JSON document) lives in core: gaugeNN puts it on PYTHONPATH.
from gaugenn_runner import EXIT_FAILED, EXIT_MISSING, emit, fail, serve, timed  # noqa: E402

SEED = 20240101


def load_runtime():
    """The first LiteRT interpreter module available, and the engine name with its version."""
    from importlib import metadata

    candidates = [
        ("ai_edge_litert.interpreter", "ai-edge-litert"),
        ("tflite_runtime.interpreter", "tflite-runtime"),
        ("tensorflow.lite", "tensorflow"),
    ]
    for module, dist in candidates:
        try:
            mod = __import__(module, fromlist=["Interpreter"])
        except ImportError:
            continue
        try:
            version = metadata.version(dist)
        except Exception:  # a source build without dist metadata still runs
            version = "unknown"
        return mod.Interpreter, f"{dist} {version}"
    return None, None


def random_input(np, rng, shape, dtype):
    if np.issubdtype(dtype, np.floating):
        return rng.random(shape, dtype=np.float32).astype(dtype)
    if dtype == np.bool_:
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        # Keep int32/int64 small: they are often token ids or indices.
        hi = min(int(info.max), 255) if info.bits > 16 else int(info.max)
        lo = max(int(info.min), 0) if info.bits > 16 else int(info.min)
        return rng.integers(lo, hi, size=shape, endpoint=True).astype(dtype)
    return np.zeros(shape, dtype=dtype)


def run(args, out):
    Interpreter, engine = load_runtime()
    if Interpreter is None:
        fail(out, "RUNNER_MISSING", "No TFLite runtime for Python: install it with `pip install ai-edge-litert` "
             "(or tflite-runtime / tensorflow).", EXIT_MISSING)
    import numpy as np

    t0 = time.perf_counter_ns()
    try:
        interp = Interpreter(model_path=args.model, num_threads=args.threads)
        interp.allocate_tensors()
    except Exception as e:  # the runtime's own message says which op or file failed
        fail(out, "RUNNER_FAILED", f"loading the model failed: {e}", EXIT_FAILED)
    load_ms = (time.perf_counter_ns() - t0) / 1e6

    rng = np.random.default_rng(SEED)
    inputs = []
    try:
        for d in interp.get_input_details():
            shape = [int(x) for x in d["shape"]]
            interp.set_tensor(d["index"], random_input(np, rng, shape, d["dtype"]))
            inputs.append({"name": d["name"], "shape": shape, "dtype": np.dtype(d["dtype"]).name})
    except Exception as e:
        fail(out, "RUNNER_FAILED", f"setting inputs failed: {e}", EXIT_FAILED)

    try:
        warmup = timed(interp.invoke, args.warmup)
        samples = timed(interp.invoke, args.runs)
    except Exception as e:
        fail(out, "RUNNER_FAILED", f"invoke failed: {e}", EXIT_FAILED)

    emit(out, {
        "engine": engine,
        "samplesMs": samples,
        "warmupMs": warmup,
        "extra": {"inputs": inputs, "threads": args.threads, "loadMs": load_ms, "backend": args.backend},
    })






def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--backend", choices=["cpu"], default="cpu")
    args = p.parse_args()

    serve(lambda out: run(args, out), [args.model])


if __name__ == "__main__":
    main()
