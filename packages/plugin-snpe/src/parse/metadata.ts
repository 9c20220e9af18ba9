/**
 * `dlc.metadata`: UTF-8 `key=value` lines (`converter-command`, `converter-version`, `model-version`,
 * `model-copyright`, `quantizer-command`). Newer QAIRT releases reportedly write JSON (`dlc.metadata2.x.y`) instead;
 * that form is read where it parses, without relying on it (no such file was available to check).
 */

export interface DlcMetadata {
  /** Every key as written. */
  entries: Record<string, string>;
  converterVersion?: string;
  converterCommand?: string;
  quantizerCommand?: string;
  /** The converter tool (`snpe-onnx-to-dlc`). */
  converter?: string;
  /** The framework the model was converted from, read off the converter's name. */
  sourceFramework?: string;
}

const SOURCES: [RegExp, string][] = [
  [/tflite/, 'tflite'],
  [/onnx/, 'onnx'],
  [/caffe2/, 'caffe2'],
  [/caffe/, 'caffe'],
  [/(tensorflow|tf)-to-dlc|tensorflow/, 'tensorflow'],
  [/pytorch/, 'pytorch'],
];

/** The source framework a converter tool name stands for (`snpe-onnx-to-dlc` → `onnx`). */
export function sourceFrameworkOf(converter: string): string | undefined {
  const c = converter.toLowerCase();
  return SOURCES.find(([re]) => re.test(c))?.[1];
}

function jsonMetadata(text: string): Record<string, string> | undefined {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const out: Record<string, string> = {};
    const gen = (j.dlcGenerationInfo as { converterCommand?: { converterVersion?: unknown; command?: unknown } }[] | undefined)?.[0];
    const cc = gen?.converterCommand;
    if (cc && typeof cc.converterVersion === 'string') out['converter-version'] = cc.converterVersion;
    if (cc && typeof cc.command === 'string') out['converter-command'] = cc.command;
    return out;
  } catch {
    return undefined;
  }
}

export function parseDlcMetadata(text: string): DlcMetadata {
  const trimmed = text.trimStart();
  let entries: Record<string, string> = {};
  if (trimmed.startsWith('{')) entries = jsonMetadata(trimmed) ?? {};
  else {
    for (const line of text.split(/\r?\n/)) {
      const i = line.indexOf('=');
      if (i <= 0) continue;
      entries[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
  }
  const md: DlcMetadata = { entries };
  const v = entries['converter-version'];
  if (v) md.converterVersion = v;
  const cmd = entries['converter-command'];
  if (cmd) {
    md.converterCommand = cmd;
    const tool = cmd.split(/\s+/)[0]!;
    md.converter = tool;
    const src = sourceFrameworkOf(tool);
    if (src) md.sourceFramework = src;
  }
  const q = entries['quantizer-command'];
  if (q && q !== 'N/A') md.quantizerCommand = q;
  return md;
}

/** The release part of a converter version (`1.42.2.2266` → `1.42.2`, `2.19.2.240209155149_76529` → `2.19.2`). */
export function releaseOf(version: string): string {
  const m = /^(\d+\.\d+\.\d+)/.exec(version);
  return m ? m[1]! : version;
}
