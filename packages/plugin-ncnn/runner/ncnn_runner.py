#!/usr/bin/env python3
"""gaugeNN host runner for ncnn models over the official `ncnn` Python package.

Loads a param (text or binary) with its .bin, or with generated all-zero weights when there is none (as
ncnn's benchncnn does), feeds seeded random inputs of the given shapes, and times a fresh Extractor per run
extracting every output blob. Prints exactly one JSON document on stdout:
  {"engine": "ncnn <version>", "samplesMs": [...], "warmupMs": [...], "extra": {"threads": n, "vulkan": bool, ...}}
or, on failure, {"error": {"code": "...", "message": "..."}} with a non-zero exit status.
"""
import argparse
import time

# The runner protocol (stdout holds one JSON document) lives in core: gaugeNN puts it on PYTHONPATH.
from gaugenn_runner import EXIT_FAILED, EXIT_MISSING, emit, fail, serve  # noqa: E402

SEED = 20240101


def parse_input(spec):
    """`name=c,h,w` (ncnn dims, outermost first) -> (name, [dims])."""
    name, _, dims = spec.rpartition("=")
    return name, [int(d) for d in dims.split(",") if d]


def run(args, out):
    try:
        import ncnn
        import numpy as np
    except ImportError as e:
        fail(out, "RUNNER_MISSING", f"the ncnn Python package is not installed ({e}): pip install ncnn==1.0.20261020", EXIT_MISSING)
    version = getattr(ncnn, "__version__", "unknown")
    gpus = ncnn.get_gpu_count() if hasattr(ncnn, "get_gpu_count") else 0
    use_vulkan = args.backend == "vulkan"
    if use_vulkan and gpus < 1:
        fail(out, "BACKEND_UNSUPPORTED", "ncnn reports no Vulkan GPU on this machine; use backend cpu", EXIT_FAILED)

    net = ncnn.Net()
    net.opt.num_threads = args.threads
    net.opt.use_vulkan_compute = use_vulkan
    t0 = time.perf_counter_ns()
    rc = net.load_param_bin(args.param) if args.binary_param else net.load_param(args.param)
    if rc != 0:
        fail(out, "RUNNER_FAILED", f"ncnn could not load the param {args.param} (load_param returned {rc})", EXIT_FAILED)
    if args.bin:
        rc = net.load_model(args.bin)
    else:
        # Param-only model: zero weights from an empty reader, exactly as benchncnn runs its networks.
        rc = net.load_model(ncnn.DataReaderFromEmpty())
    if rc != 0:
        fail(out, "RUNNER_FAILED", f"ncnn could not load the weights {args.bin or '(generated)'} (load_model returned {rc})", EXIT_FAILED)
    load_ms = (time.perf_counter_ns() - t0) / 1e6

    rng = np.random.default_rng(SEED)
    inputs = []
    for spec in args.input:
        name, dims = parse_input(spec)
        key = int(name[4:]) if args.binary_param and name.startswith("blob") else name
        data = rng.random(dims, dtype=np.float32)
        inputs.append((key, ncnn.Mat(data).clone(), name, dims))
    outputs = list(net.output_indexes())
    if not outputs:
        fail(out, "RUNNER_FAILED", "the model has no output blobs", EXIT_FAILED)

    def once():
        s = time.perf_counter_ns()
        ex = net.create_extractor()
        for key, mat, _, _ in inputs:
            if ex.input(key, mat) != 0:
                raise RuntimeError(f"input blob {key} was not accepted")
        for o in outputs:
            ret, _ = ex.extract(o)
            if ret != 0:
                raise RuntimeError(f"extracting output blob {o} failed ({ret})")
        return (time.perf_counter_ns() - s) / 1e6

    try:
        warmup = [once() for _ in range(args.warmup)]
        samples = [once() for _ in range(args.runs)]
    except Exception as e:
        fail(out, "RUNNER_FAILED", f"inference failed: {e}", EXIT_FAILED)

    emit(out, {
        "engine": f"ncnn {version}",
        "samplesMs": samples,
        "warmupMs": warmup,
        "extra": {
            "threads": args.threads,
            "vulkan": use_vulkan,
            "gpuCount": gpus,
            "loadMs": load_ms,
            "weights": "file" if args.bin else "generated-zeros",
            "inputs": [{"name": n, "shape": d} for _, _, n, d in inputs],
            "outputs": len(outputs),
        },
    })






def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--param", required=True)
    p.add_argument("--bin")
    p.add_argument("--binary-param", action="store_true")
    p.add_argument("--input", action="append", default=[], help="name=c,h,w (repeatable)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--backend", choices=["cpu", "vulkan"], default="cpu")
    args = p.parse_args()

    serve(lambda out: run(args, out), [args.param, args.bin])


if __name__ == "__main__":
    main()
