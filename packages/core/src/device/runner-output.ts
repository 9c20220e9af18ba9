/**
 * Reads the one JSON document a host runner prints (the runner protocol: `{ engine, samplesMs, warmupMs, extra }`
 * or `{ error: { code, message } }`), checking its shape before anyone trusts it. Shared by every framework plugin.
 */
import type { RunResult } from './types.js';

/** The runner's failure document. */
export interface RunnerErrorDoc {
  code: string;
  message: string;
}

export type RunnerDoc = { ok: true; result: RunResult } | { ok: false; error: RunnerErrorDoc } | { ok: 'invalid'; why: string };

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/**
 * Parse the runner's stdout. The script prints one document on one line; if something else slipped onto stdout
 * before it, the last line that parses wins.
 */
export function parseRunnerOutput(stdout: string): RunnerDoc {
  const text = stdout.trim();
  if (text === '') return { ok: 'invalid', why: 'it printed nothing on stdout' };
  let doc: unknown;
  for (const candidate of [text, ...text.split('\n').reverse()]) {
    try {
      doc = JSON.parse(candidate);
      break;
    } catch {
      // try the next line
    }
  }
  if (doc === null || typeof doc !== 'object') return { ok: 'invalid', why: `its stdout is not a JSON object: ${text.slice(0, 200)}` };
  const d = doc as Record<string, unknown>;
  if (d.error && typeof d.error === 'object') {
    const e = d.error as Record<string, unknown>;
    return { ok: false, error: { code: String(e.code ?? 'RUNNER_FAILED'), message: String(e.message ?? 'no message') } };
  }
  if (!isNumberArray(d.samplesMs)) return { ok: 'invalid', why: '`samplesMs` is missing or not a list of numbers' };
  if (typeof d.engine !== 'string') return { ok: 'invalid', why: '`engine` is missing' };
  const result: RunResult = { samplesMs: d.samplesMs, engine: d.engine };
  if (isNumberArray(d.warmupMs)) result.warmupMs = d.warmupMs;
  if (d.extra && typeof d.extra === 'object') result.extra = d.extra as Record<string, unknown>;
  return { ok: true, result };
}
