/**
 * The framework-neutral IR every parser produces. See DESIGN.md "The IR".
 * A plugin fills a `ModelGraph`; core stores, compares and reports it without knowing the format.
 */

/** The closed layer taxonomy shared by all frameworks. */
export const CATEGORIES = [
  'conv',
  'depthwise_conv',
  'transposed_conv',
  'fully_connected',
  'matmul',
  'pooling',
  'activation',
  'normalization',
  'elementwise',
  'reshape',
  'concat_split',
  'resize',
  'recurrent',
  'attention',
  'embedding',
  'quantize',
  'custom',
  'other',
] as const;

/** One of {@link CATEGORIES}. */
export type Category = (typeof CATEGORIES)[number];

/** Categories whose multiply-accumulates count as MACs (DESIGN.md). */
export const MAC_CATEGORIES: ReadonlySet<Category> = new Set<Category>([
  'conv',
  'depthwise_conv',
  'transposed_conv',
  'fully_connected',
  'matmul',
  'recurrent',
  'attention',
]);

/** Element types, named as numpy does so host runners can use them directly. */
export type DType =
  | 'float32'
  | 'float16'
  | 'bfloat16'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool'
  | 'string'
  | 'complex64'
  | 'int4'
  | 'unknown';

/** A graph input or output. `shape` uses -1 for a dimension the file leaves open. */
export interface TensorInfo {
  name: string;
  shape: number[];
  dtype: DType;
}

/** One constant weight tensor of a layer. */
export interface WeightInfo {
  /** Tensor name where the format has one. */
  name?: string;
  shape: number[];
  dtype: DType;
  /** Bytes as stored in the file. */
  bytes: number;
  /** sha256 (hex) of the tensor's stored bytes; absent when the file holds no data for it. */
  digest?: string;
  /** True when the tensor is too small or too plain (all zeros, scalars) to say anything about lineage. */
  trivial?: boolean;
}

/** One layer (operator) of a model. */
export interface Layer {
  index: number;
  name: string;
  /** The framework's own op name, e.g. `CONV_2D`, `Convolution`. */
  op: string;
  category: Category;
  inputShapes: number[][];
  outputShapes: number[][];
  /** Multiply-accumulates (only for MAC categories; 0 otherwise). */
  macs: number;
  /** 2 × MACs for MAC categories; one per output element for other arithmetic layers; 0 for data movement. */
  flops: number;
  /** Elements of constant weight tensors used by this layer. */
  params: number;
  weights: WeightInfo[];
  /** Format-specific extras (stride, padding, fused activation, custom-op code, …). */
  attrs?: Record<string, unknown>;
}

/** What the model takes in, guessed from its inputs (and metadata where present). */
export type Modality = 'image' | 'audio' | 'text' | 'sensor' | 'video' | 'tabular' | 'unknown';

/** How the weights and activations are stored. */
export interface QuantizationInfo {
  /** Short label for tables: `fp32`, `fp16`, `int8`, `uint8`, `mixed`, `dynamic-range`, … */
  scheme: string;
  /** Element type of the weights that hold most of the parameters. */
  weightDtype: DType;
  /** Element type of the model's first input. */
  activationDtype: DType;
  /** Weight dtype → parameter count. */
  weightDtypes: Partial<Record<DType, number>>;
}

/** A file that makes up the model (ncnn and Caffe models span two). */
export interface ModelFile {
  path: string;
  sha256: string;
  bytes: number;
  role?: string;
}

/** Totals over the whole model. */
export interface ModelTotals {
  macs: number;
  flops: number;
  params: number;
  weightBytes: number;
}

/** The IR: one parsed model. */
export interface ModelGraph {
  framework: string;
  formatVersion?: string;
  files: ModelFile[];
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  layers: Layer[];
  totals: ModelTotals;
  modality: Modality;
  quantization: QuantizationInfo;
  /** Name, description, author, … as the file states them. */
  metadata: Record<string, unknown>;
  /** Things the parser wants a reader to know (shape inference gave up on a layer, weights absent, …). */
  notes?: string[];
}
