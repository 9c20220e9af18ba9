"""STAND-IN for Android's `app_process` running gaugeNN's Java TFLite runner, for tests on a host without a phone.

It implements the Java runner's command-line contract (dev.gaugenn.tflite.TfliteRunner) over the real LiteRT
Python runtime, so the samples are real timings of a real interpreter:
  CLASSPATH=<dex> app_process -Djava.library.path=<libs> /system/bin dev.gaugenn.tflite.TfliteRunner \
      --model M --backend cpu|gpu|nnapi --threads N --warmup N --runs N --xnnpack B --libs DIR [--nnapi-accelerator A]
It checks what a device would need (the pushed DEX by its magic, the pushed libtensorflowlite_jni.so), prints one
JSON document on stdout, and writes the runtime's log lines, as Android's TFLite does, to stderr and to the
stand-in logcat buffer ($STANDIN_LOGCAT, read by the `logcat` stand-in). A host has no GPU or NNAPI delegate: for
those backends the run is on the CPU and the log lines a device would print come from $STANDIN_DELEGATE_LOG, if set.
"""
import os
import sys
import tempfile
import time

from gaugenn_runner import EXIT_FAILED, EXIT_MISSING, emit, fail, serve, timed

RUNNER_CLASS = "dev.gaugenn.tflite.TfliteRunner"


def logcat_buffer():
    """The stand-in logcat's buffer, or the ADB device simulator's own log (its `logcat` shim reads that)."""
    if os.environ.get("STANDIN_LOGCAT"):
        return os.environ["STANDIN_LOGCAT"]
    if os.environ.get("GAUGENN_SIM_STATE"):
        return os.path.join(os.environ["GAUGENN_SIM_STATE"], "logcat")
    return None


def logcat(lines):
    """Append lines to the logcat buffer in `logcat -v threadtime` layout, tag tflite, this pid."""
    buf = logcat_buffer()
    if not buf:
        return
    pid = os.getpid()
    stamp = time.strftime("%m-%d %H:%M:%S")
    with open(buf, "a") as f:
        for level, msg in lines:
            f.write(f"{stamp}.000 {pid:5d} {pid:5d} {level} tflite  : {msg}\n")


def parse_args(argv):
    if RUNNER_CLASS not in argv:
        return None, f"no main class {RUNNER_CLASS} in {argv}"
    i = argv.index(RUNNER_CLASS)
    vm, rest = argv[:i], argv[i + 1:]
    # The simulator maps Android paths into its sandbox, so the parent dir may arrive as <sandbox>/system/bin.
    if not any(v.endswith("/system/bin") for v in vm):
        return None, "app_process needs its parent dir (/system/bin) before the class"
    a = {"backend": "cpu", "threads": "1", "warmup": "1", "runs": "10", "xnnpack": "true"}
    for k, v in zip(rest[::2], rest[1::2]):
        if not k.startswith("--"):
            return None, f"bad argument {k}"
        a[k[2:]] = v
    a["vm"] = vm
    return a, None


def run(a, out):
    dex = os.environ.get("CLASSPATH", "")
    if not os.path.isfile(dex) or open(dex, "rb").read(4) != b"dex\n":
        fail(out, "RUNNER_MISSING", f"CLASSPATH {dex!r} is not a DEX file", EXIT_MISSING)
    libs = a.get("libs")
    if not libs or not os.path.isfile(os.path.join(libs, "libtensorflowlite_jni.so")):
        fail(out, "RUNNER_MISSING", f"native library {libs}/libtensorflowlite_jni.so is missing: push the runner's libraries for this ABI", EXIT_MISSING)
    if not any(v == f"-Djava.library.path={libs}" for v in a["vm"]):
        fail(out, "RUNNER_MISSING", "java.library.path does not name the pushed libraries", EXIT_MISSING)
    if a["backend"] not in ("cpu", "gpu", "nnapi"):
        fail(out, "RUNNER_FAILED", f"backend {a['backend']} is not one of cpu, gpu, nnapi")
    model = a.get("model")
    if not model or not os.path.isfile(model):
        fail(out, "RUNNER_FAILED", f"model file not found: {model}")

    sys.path.insert(0, os.environ["STANDIN_TFLITE_RUNNER_DIR"])
    from tflite_runner import load_runtime, random_input  # the plugin's own host runner helpers
    import numpy as np

    Interpreter, engine = load_runtime()
    if Interpreter is None:
        fail(out, "RUNNER_MISSING", "no LiteRT runtime in this Python", EXIT_MISSING)
    kwargs = {"model_path": model, "num_threads": int(a["threads"])}
    if a["xnnpack"] == "false":
        from ai_edge_litert.interpreter import OpResolverType
        kwargs["experimental_op_resolver_type"] = OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES

    # The runtime's own lines go to fd 2 from native code: catch them to replay into the stand-in logcat.
    saved = os.dup(2)
    fd, cap = tempfile.mkstemp(prefix="app_process-standin-stderr-")
    os.dup2(fd, 2)
    t0 = time.perf_counter_ns()
    try:
        interp = Interpreter(**kwargs)
        interp.allocate_tensors()
        err = None
    except Exception as e:  # the runtime's message says which op failed
        err = e
    finally:
        os.dup2(saved, 2)
        os.close(fd)
    init_ms = (time.perf_counter_ns() - t0) / 1e6
    runtime_lines = []
    for line in open(cap, errors="replace").read().splitlines():
        sys.stderr.write(line + "\n")
        level, _, msg = line.partition(": ")
        runtime_lines.append(({"INFO": "I", "WARNING": "W", "ERROR": "E", "VERBOSE": "V"}.get(level, "I"), msg if msg else line))
    os.unlink(cap)
    if a["backend"] != "cpu" and os.environ.get("STANDIN_DELEGATE_LOG"):
        for line in open(os.environ["STANDIN_DELEGATE_LOG"]).read().splitlines():
            if line.strip():
                runtime_lines.append(("I", line))
                sys.stderr.write(f"INFO: {line}\n")
    logcat(runtime_lines)
    if err is not None:
        fail(out, "RUNNER_FAILED", f"loading the model failed: {err}")

    rng = np.random.default_rng(20240101)
    inputs = []
    for d in interp.get_input_details():
        shape = [int(x) for x in d["shape"]]
        interp.set_tensor(d["index"], random_input(np, rng, shape, d["dtype"]))
        inputs.append({"name": d["name"], "shape": shape, "dtype": np.dtype(d["dtype"]).name})
    warm = timed(interp.invoke, int(a["warmup"]))
    samples = timed(interp.invoke, int(a["runs"]))
    emit(out, {
        "engine": f"{engine} (host stand-in for app_process)",
        "samplesMs": samples,
        "warmupMs": warm,
        "extra": {"runner": "gaugenn-tflite-runner", "process": "app_process", "standIn": True, "pid": os.getpid(),
                  "initMs": init_ms, "inputs": inputs, "threads": int(a["threads"]), "backend": a["backend"],
                  "xnnpack": a["xnnpack"] == "true"},
    })


def main():
    a, why = parse_args(sys.argv[1:])
    if a is None:
        sys.stderr.write(f"app_process stand-in: {why}\n")
        sys.exit(EXIT_FAILED)
    serve(lambda out: run(a, out))


if __name__ == "__main__":
    main()
