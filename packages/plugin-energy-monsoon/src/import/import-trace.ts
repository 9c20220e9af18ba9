import { readFile } from 'node:fs/promises';
import { GaugeError } from '@gaugenn/core';
import { parseGenericCsv } from './generic-csv.js';
import type { ImportedTrace } from './imported-trace.js';
import { parsePowerToolCsv } from './powertool-csv.js';

/** Which importer reads this text: PowerTool headers look like `Time (ms),Main Avg Current (mA),…`. */
export function detectFormat(text: string): 'powertool' | 'csv' {
  const header = text.slice(0, 2000).split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return /^\s*Time \((ms|s|us|µs)\)/i.test(header) ? 'powertool' : 'csv';
}

/** Read a recorded trace: a PowerTool CSV export or a generic `time_s,current_a,voltage_v` CSV. */
export async function importTrace(path: string, format?: 'powertool' | 'csv'): Promise<ImportedTrace> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new GaugeError('INPUT_NOT_FOUND', `${path} cannot be read (${(e as Error).message}). Check the path.`, { subject: path, cause: e });
  }
  const f = format ?? detectFormat(text);
  return f === 'powertool' ? parsePowerToolCsv(text, path) : parseGenericCsv(text, path);
}
