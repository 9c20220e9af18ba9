/**
 * The report's input: a plain snapshot of the store, already joined and flattened.
 * Reports are pure functions of this object (DESIGN.md "Store and outputs"), so a report can be
 * re-rendered without re-measuring, and tests can build one by hand.
 */

/** One app package as the report shows it. */
export interface ReportApp {
  id: string;
  /** The package file (or first split) the app came from. */
  file: string;
  package?: string;
  versionName?: string;
  versionCode?: number;
  /** Frameworks found in the app (from models and code findings). */
  frameworks: string[];
  /** Model occurrences in this app. */
  models: number;
  /** Delegates the app's code calls (GPU, NNAPI, Hexagon, …; `use` not `bundled`), as finding ids. Default none. */
  delegates?: string[];
  /** Delegates that only ship inside a bundled library (`use: bundled`), as finding ids. Default none. */
  bundledDelegates?: string[];
  /** Cloud ML APIs the code calls (not those only bundled inside an SDK), as `service (evidence)`. Default none. */
  cloudApis?: string[];
  /** Native libraries fingerprinted as an ML runtime, as `name (framework, abi)`. Default none. */
  mlLibs?: string[];
  /** Files that look like encrypted or obfuscated models (never counted as models). Default 0. */
  suspectedEncrypted?: number;
  /** Recorded failures (bad archive, unparsable model, …); a bad input never kills a campaign. */
  errors: { code: string; message: string; subject?: string }[];
  /** Snapshot this row belongs to; an app seen in two snapshots has a row in each. */
  snapshot?: string;
  /** App category (from the source), e.g. `photography`. */
  category?: string;
  /** Content hashes of the models it ships, for per-snapshot counts. */
  modelShas?: string[];
}

/** One unique model (by content hash) as the report shows it. */
export interface ReportModel {
  sha256: string;
  /** First path seen inside an app. Comes from a hostile APK: always escape it. */
  name: string;
  framework: string;
  /** Occurrences across the corpus (a model shipped by three apps counts 3). */
  apps: number;
  bytes: number;
  /** Multiply-accumulates of MAC-category layers. */
  macs: number;
  /** 2 × MACs + one per output element of other arithmetic layers. */
  flops: number;
  params: number;
  weightBytes: number;
  layerCount: number;
  modality: string;
  quantization: string;
  /** Category → layer count. */
  categories: Record<string, number>;
  /** Category → MACs. */
  categoryMacs: Record<string, number>;
  /** Input signature for tables, e.g. `1x224x224x3 uint8`. */
  inputs: string;
  /** False when parsing failed; `error` then says why. */
  analysed: boolean;
  error?: string;
  /** Output signature, e.g. `1x1001 float32`. */
  outputs?: string;
  /** What the input says the model takes in, and why. */
  modalityEvidence?: string;
  /** Task hint (detection, segmentation, landmarks, classification, ocr, super-resolution, speech, embedding, unknown). */
  task?: string;
  /** The facts that decided `task`. */
  taskEvidence?: string[];
}

/** One measurement job: (device, model, backend, threads) and every timed sample. */
export interface ReportMeasurement {
  jobId: number;
  device: string;
  deviceKind: string;
  /** Model sha256. */
  model: string;
  modelName: string;
  framework: string;
  backend: string;
  threads: number;
  status: 'done' | 'failed' | 'pending' | 'running';
  /** Every timed sample, warm-up excluded, in run order. */
  samplesMs: number[];
  /** Summary statistics as stored; the report recomputes them from `samplesMs` when samples exist. */
  median?: number;
  p90?: number;
  mean?: number;
  std?: number;
  min?: number;
  /** Runtime and version that ran the job, e.g. `ai-edge-litert 2.3.0`. */
  engine?: string;
  macs: number;
  error?: string;
  tempBeforeC?: number;
  tempAfterC?: number;
  /** Named campaign the job belongs to. Default `default`. */
  campaign?: string;
  /** `aggregate`: the runtime printed only summary statistics (`aggregate`), never samples. Default `all`. */
  samplesKind?: 'all' | 'aggregate';
  aggregate?: { count: number; mean: number | null; std: number | null; min: number | null; max: number | null; median: number | null; p5: number | null; p95: number | null };
  /** What the runtime did with the delegate (backend truth). */
  delegation?: { delegate: string; applied: boolean; nodesDelegated: number | null; nodesTotal: number | null; partitions: number | null; verdict?: string };
  warnings?: { code: string; message: string }[];
}

/** Energy of one job. */
export interface ReportEnergy {
  jobId: number;
  device: string;
  model: string;
  backend: string;
  meter: string;
  perInferenceJ?: number;
  powerW?: number;
  idleW?: number;
  /** MACs per joule, from the model's MACs and the energy per inference. */
  macsPerJ?: number;
}

/** One lineage pair, as `gaugenn lineage --json` gives it. */
export interface ReportLineagePair {
  a: { name: string; sha256: string };
  b: { name: string; sha256: string };
  sharedTensors: number;
  aTensors: number;
  bTensors: number;
  relation: 'identical' | 'fine-tuned' | 'related';
}

/** One snapshot diff, as `gaugenn diff --json` gives it. */
export interface ReportDiff {
  a: string;
  b: string;
  apps: { added: string[]; removed: string[]; updated: { package: string; modelsAdded: { sha256: string; path: string }[]; modelsRemoved: { sha256: string; path: string }[]; modelsKept: { sha256: string; path: string }[] }[]; kept: string[] };
  totals: Record<string, number>;
}

/** One device; `info` is a {@link DeviceInfo}-like record as the store kept it. */
export interface ReportDevice {
  id: string;
  kind: string;
  info: Record<string, unknown>;
}

/** Everything a report needs. */
export interface ReportData {
  title: string;
  /** ISO 8601 time the data was read from the store. */
  generatedAt: string;
  storePath: string;
  apps: ReportApp[];
  models: ReportModel[];
  measurements: ReportMeasurement[];
  devices: ReportDevice[];
  /** Extra sections from report plugins; `html` is inserted as given (plugins are trusted, data is not). */
  sections: { id: string; title: string; html: string }[];
  /** Energy per job, where an energy source measured it. Default none. */
  energy?: ReportEnergy[];
  /** Identical, fine-tuned and related model pairs over the whole store. Default none. */
  lineage?: ReportLineagePair[];
  /** Snapshots in the order recorded. Default none. */
  snapshots?: { name: string; apps: number; models: number }[];
  /** Diffs of consecutive snapshots. Default none. */
  diffs?: ReportDiff[];
}
