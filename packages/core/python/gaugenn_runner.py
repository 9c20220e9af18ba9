"""The host-runner protocol shared by gaugeNN's framework plugins.

A runner prints exactly one JSON document on stdout:
  {"engine": "<runtime> <version>", "samplesMs": [...], "warmupMs": [...], "extra": {...}}
or, on failure, {"error": {"code": "<GaugeError code>", "message": "..."}} with a non-zero exit status.
`serve` keeps that promise: the runtime's own prints (native code writing to fd 1 included) go to stderr, and any
unforeseen exception still ends as one error document. gaugeNN puts this folder on PYTHONPATH for its runners.
"""
import json
import os
import sys
import time

EXIT_FAILED = 1
EXIT_MISSING = 3


def emit(out, doc):
    """Write the one JSON document."""
    out.write(json.dumps(doc) + "\n")
    out.flush()


def fail(out, code, message, status=EXIT_FAILED):
    """End the run with an error document (code is a GaugeError code: RUNNER_MISSING, RUNNER_FAILED, …)."""
    emit(out, {"error": {"code": code, "message": message}})
    sys.exit(status)


def timed(fn, n):
    """Call fn n times; every wall time in ms, in order (all samples are kept, never summarised here)."""
    samples = []
    for _ in range(n):
        s = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - s) / 1e6)
    return samples


def serve(run, files=()):
    """Run `run(out)` under the protocol: check the model files exist, protect stdout, turn any exception into
    one error document."""
    # Keep the real stdout for the document; point fd 1 at stderr so native code cannot pollute it.
    out = os.fdopen(os.dup(1), "w")
    sys.stdout.flush()
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        for f in files:
            if f and not os.path.isfile(f):
                fail(out, "RUNNER_FAILED", f"model file not found: {f}")
        run(out)
    except SystemExit:
        raise
    except BaseException as e:  # anything unforeseen still ends as one JSON document
        fail(out, "RUNNER_FAILED", f"{type(e).__name__}: {e}")
