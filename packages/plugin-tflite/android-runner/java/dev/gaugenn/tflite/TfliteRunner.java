package dev.gaugenn.tflite;

import java.io.File;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.tensorflow.lite.DataType;
import org.tensorflow.lite.Delegate;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;
import org.tensorflow.lite.TensorFlowLite;
import org.tensorflow.lite.gpu.GpuDelegate;
import org.tensorflow.lite.nnapi.NnApiDelegate;

/**
 * gaugeNN's on-device TFLite runner, started from `adb shell` with app_process:
 *
 * <pre>
 * CLASSPATH=gaugenn-tflite-runner.dex LD_LIBRARY_PATH=LIBS app_process -Djava.library.path=LIBS /system/bin \
 *   dev.gaugenn.tflite.TfliteRunner --model M.tflite --backend cpu|gpu|nnapi --threads N --warmup N --runs N \
 *   [--xnnpack true|false] [--libs LIBS] [--nnapi-accelerator NAME] [--allow-fp16 true|false]
 * </pre>
 *
 * It prints ONE JSON document on stdout, gaugeNN's runner protocol: {"engine","samplesMs","warmupMs","extra"}, or
 * {"error":{"code","message"}} with exit status 1 (3 when the runtime itself is missing). Every warm-up and timed
 * sample is kept: System.nanoTime() around each interpreter run. What the runtime did with a delegate is not
 * guessed here: TFLite logs it under tag "tflite", and gaugeNN reads those lines from logcat after the run.
 */
public final class TfliteRunner {
  static final int EXIT_FAILED = 1;
  static final int EXIT_MISSING = 3;
  static final long SEED = 20240101L;

  /** A failure with its gaugeNN error code. */
  static final class Failure extends Exception {
    final String code;
    final int status;

    Failure(String code, String message, int status) {
      super(message);
      this.code = code;
      this.status = status;
    }
  }

  private TfliteRunner() {}

  public static void main(String[] argv) {
    // Keep the real stdout for the one document; anything else printed from Java goes to stderr.
    PrintStream out = System.out;
    System.setOut(System.err);
    int status = 0;
    try {
      Map<String, String> args = parseArgs(argv);
      out.println(run(args));
    } catch (Failure f) {
      out.println(errorDoc(f.code, f.getMessage()));
      status = f.status;
    } catch (Throwable t) {
      // Anything unforeseen still ends as one error document.
      out.println(errorDoc("RUNNER_FAILED", t.getClass().getSimpleName() + ": " + t.getMessage()));
      status = EXIT_FAILED;
    }
    out.flush();
    System.exit(status);
  }

  static Map<String, String> parseArgs(String[] argv) throws Failure {
    Map<String, String> a = new HashMap<>();
    a.put("backend", "cpu");
    a.put("threads", "1");
    a.put("warmup", "1");
    a.put("runs", "10");
    a.put("xnnpack", "true");
    a.put("allow-fp16", "false");
    for (int i = 0; i < argv.length; i++) {
      String k = argv[i];
      if (!k.startsWith("--") || i + 1 >= argv.length) throw new Failure("RUNNER_FAILED", "bad argument " + k + " (expected --name value)", EXIT_FAILED);
      a.put(k.substring(2), argv[++i]);
    }
    if (!a.containsKey("model")) throw new Failure("RUNNER_FAILED", "--model is required", EXIT_FAILED);
    String b = a.get("backend");
    if (!b.equals("cpu") && !b.equals("gpu") && !b.equals("nnapi")) {
      throw new Failure("RUNNER_FAILED", "backend " + b + " is not one of cpu, gpu, nnapi", EXIT_FAILED);
    }
    for (String k : new String[] {"threads", "warmup", "runs"}) {
      try {
        if (Integer.parseInt(a.get(k)) < 0) throw new NumberFormatException();
      } catch (NumberFormatException e) {
        throw new Failure("RUNNER_FAILED", "--" + k + " must be a whole number >= 0, not " + a.get(k), EXIT_FAILED);
      }
    }
    return a;
  }

  /** Load a native library by absolute path, so the runtime's own loadLibrary finds it already there. */
  static void loadNative(String libs, String name) throws Failure {
    if (libs == null) return;
    File f = new File(libs, "lib" + name + ".so");
    if (!f.isFile()) throw new Failure("RUNNER_MISSING", "native library " + f + " is missing: push the runner's libraries for this ABI", EXIT_MISSING);
    try {
      System.load(f.getAbsolutePath());
    } catch (UnsatisfiedLinkError e) {
      throw new Failure("RUNNER_MISSING", "cannot load " + f + ": " + e.getMessage(), EXIT_MISSING);
    }
  }

  static String run(Map<String, String> a) throws Failure {
    String model = a.get("model");
    String backend = a.get("backend");
    int threads = Integer.parseInt(a.get("threads"));
    int warmup = Integer.parseInt(a.get("warmup"));
    int runs = Integer.parseInt(a.get("runs"));
    boolean xnnpack = Boolean.parseBoolean(a.get("xnnpack"));
    if (!new File(model).isFile()) throw new Failure("RUNNER_FAILED", "model file not found: " + model, EXIT_FAILED);

    String libs = a.get("libs");
    loadNative(libs, "tensorflowlite_jni");
    if (backend.equals("gpu")) loadNative(libs, "tensorflowlite_gpu_jni");

    Interpreter.Options options = new Interpreter.Options();
    if (threads > 0) options.setNumThreads(threads);
    options.setUseXNNPACK(xnnpack);
    Delegate delegate = null;
    Map<String, Object> extra = new HashMap<>();
    try {
      if (backend.equals("gpu")) {
        delegate = new GpuDelegate();
      } else if (backend.equals("nnapi")) {
        NnApiDelegate.Options o = new NnApiDelegate.Options();
        // As benchmark_model does by default (disable_nnapi_cpu=true): NNAPI's own CPU reference is not an accelerator.
        o.setUseNnapiCpu(false);
        o.setAllowFp16(Boolean.parseBoolean(a.get("allow-fp16")));
        if (a.containsKey("nnapi-accelerator")) o.setAcceleratorName(a.get("nnapi-accelerator"));
        delegate = new NnApiDelegate(o);
        Map<String, Object> nn = new HashMap<>();
        nn.put("accelerator", a.get("nnapi-accelerator"));
        nn.put("useNnapiCpu", false);
        extra.put("nnapi", nn);
      }
    } catch (UnsatisfiedLinkError e) {
      throw new Failure("RUNNER_MISSING", "the " + backend + " delegate's native library could not be loaded: " + e.getMessage(), EXIT_MISSING);
    } catch (RuntimeException e) {
      throw new Failure("RUNNER_FAILED", "the " + backend + " delegate could not be created: " + e.getMessage(), EXIT_FAILED);
    }
    if (delegate != null) options.addDelegate(delegate);

    long t0 = System.nanoTime();
    Interpreter interpreter;
    try {
      interpreter = new Interpreter(new File(model), options);
    } catch (UnsatisfiedLinkError e) {
      throw new Failure("RUNNER_MISSING", "the TFLite runtime's native library could not be loaded: " + e.getMessage(), EXIT_MISSING);
    } catch (RuntimeException e) {
      // Delegate application failures land here ("Internal error: Failed to apply delegate: …").
      throw new Failure("RUNNER_FAILED", "loading the model failed: " + e.getMessage(), EXIT_FAILED);
    }
    double initMs = (System.nanoTime() - t0) / 1e6;

    Random rng = new Random(SEED);
    Object[] inputs = new Object[interpreter.getInputTensorCount()];
    List<Object> inputInfo = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = interpreter.getInputTensor(i);
      inputs[i] = fill(t, rng);
      Map<String, Object> info = new HashMap<>();
      info.put("name", t.name());
      info.put("shape", t.shape());
      info.put("dtype", t.dataType().toString().toLowerCase(Locale.ROOT));
      inputInfo.add(info);
    }
    Map<Integer, Object> outputs = new HashMap<>();
    for (int i = 0; i < interpreter.getOutputTensorCount(); i++) {
      outputs.put(i, ByteBuffer.allocateDirect(Math.max(1, interpreter.getOutputTensor(i).numBytes())).order(ByteOrder.nativeOrder()));
    }

    double[] warm = new double[warmup];
    double[] samples = new double[runs];
    double[] nativeMs = new double[runs];
    boolean haveNative = true;
    try {
      for (int i = 0; i < warmup; i++) warm[i] = timedRun(interpreter, inputs, outputs);
      for (int i = 0; i < runs; i++) {
        samples[i] = timedRun(interpreter, inputs, outputs);
        Long ns = interpreter.getLastNativeInferenceDurationNanoseconds();
        if (ns == null) haveNative = false;
        else nativeMs[i] = ns / 1e6;
      }
    } catch (RuntimeException e) {
      throw new Failure("RUNNER_FAILED", "invoke failed: " + e.getMessage(), EXIT_FAILED);
    } finally {
      interpreter.close();
      if (delegate instanceof GpuDelegate) ((GpuDelegate) delegate).close();
      if (delegate instanceof NnApiDelegate) ((NnApiDelegate) delegate).close();
    }

    String version = TensorFlowLite.runtimeVersion();
    extra.put("runner", "gaugenn-tflite-runner");
    extra.put("process", "app_process");
    extra.put("pid", pid());
    extra.put("initMs", initMs);
    extra.put("inputs", inputInfo);
    extra.put("threads", threads);
    extra.put("backend", backend);
    extra.put("xnnpack", xnnpack);
    extra.put("runtimeVersion", version);
    extra.put("schemaVersion", TensorFlowLite.schemaVersion());
    if (haveNative) extra.put("nativeSamplesMs", nativeMs);

    Map<String, Object> doc = new HashMap<>();
    doc.put("engine", "tensorflow-lite " + version);
    doc.put("samplesMs", samples);
    doc.put("warmupMs", warm);
    doc.put("extra", extra);
    return Json.write(doc);
  }

  /** This process's id (logcat lines carry it), from /proc/self; -1 where that is unreadable. */
  static int pid() {
    try {
      return Integer.parseInt(new File("/proc/self").getCanonicalFile().getName());
    } catch (Exception e) {
      return -1;
    }
  }

  /** One run, timed: the buffers are rewound outside the timed region. */
  static double timedRun(Interpreter interpreter, Object[] inputs, Map<Integer, Object> outputs) {
    for (Object o : inputs) ((ByteBuffer) o).rewind();
    for (Object o : outputs.values()) ((ByteBuffer) o).rewind();
    long s = System.nanoTime();
    interpreter.runForMultipleInputsOutputs(inputs, outputs);
    return (System.nanoTime() - s) / 1e6;
  }

  /** A deterministic input for the tensor's shape and type: floats in [0,1), small integers, booleans. */
  static ByteBuffer fill(Tensor t, Random rng) throws Failure {
    DataType type = t.dataType();
    int n = t.numElements();
    ByteBuffer b = ByteBuffer.allocateDirect(Math.max(1, t.numBytes())).order(ByteOrder.nativeOrder());
    switch (type) {
      case FLOAT32:
        for (int i = 0; i < n; i++) b.putFloat((float) rng.nextDouble());
        break;
      case INT32:
        for (int i = 0; i < n; i++) b.putInt(rng.nextInt(256));
        break;
      case INT64:
        for (int i = 0; i < n; i++) b.putLong(rng.nextInt(256));
        break;
      case INT16:
        for (int i = 0; i < n; i++) b.putShort((short) (rng.nextInt(65536) - 32768));
        break;
      case UINT8:
      case INT8:
        for (int i = 0; i < n; i++) b.put((byte) rng.nextInt(256));
        break;
      case BOOL:
        for (int i = 0; i < n; i++) b.put((byte) rng.nextInt(2));
        break;
      default:
        throw new Failure("RUNNER_FAILED", "input " + t.name() + " has type " + type + ", which this runner cannot fill", EXIT_FAILED);
    }
    b.rewind();
    return b;
  }

  static String errorDoc(String code, String message) {
    Map<String, Object> e = new HashMap<>();
    e.put("code", code);
    e.put("message", message == null ? "no message" : message);
    Map<String, Object> doc = new HashMap<>();
    doc.put("error", e);
    return Json.write(doc);
  }

  /** A seeded generator (SplitMix64): the same inputs on every device and every run. */
  static final class Random {
    private long state;

    Random(long seed) {
      state = seed;
    }

    long nextLong() {
      long z = (state += 0x9E3779B97F4A7C15L);
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    double nextDouble() {
      return (nextLong() >>> 11) * 0x1.0p-53;
    }

    int nextInt(int bound) {
      return (int) ((nextLong() >>> 33) % bound);
    }
  }
}
