/**
 * Reader of the SDK's binary diagnostic log (`SNPEDiag_<n>.log`, written by snpe-net-run with profiling on).
 * The format is undocumented; these facts were established on two real SNPE 2.21 logs and checked against
 * snpe-diagview's text output for the same runs (load, deserialize, create, init, de-init and the average
 * total inference time all agree to the microsecond):
 *
 * - the file starts with `AD D3 03 00`, then repeats `[u32 LE size][FlatBuffer of that size]`;
 * - record 0 is the header: { 0: f32 time scale (1e-6: µs), 1: u64 epoch timestamp, 2: u64 steady-clock
 *   timestamp, 3: version { 0 major, 1 minor, 2 patch, 3 build string } };
 * - every later record: { 0: stamp { 0: u64 time, 1: u64 sequence }, and one of
 *   1: create statistics { 0 load, 1 deserialize, 2 create } · 4: an inference { 1 total } · 5: de-init { 0 } ·
 *   6: init { 0 } }, where each interval is { 0: { 0: u64 start }, 1: { 0: u64 end } } in time-scale units.
 *
 * Logs written at profiling level `basic` hold no per-layer records (snpe-diagview prints no "Layer Times" for
 * them either); per-layer times of `detailed` logs come from snpe-diagview's text (see text/diagview.ts) where the
 * SDK is on this machine. Records of kinds not listed above are counted, not guessed at.
 */
import { GaugeError } from '@gaugenn/core';
import { FlatBuffer, FlatBufferError, type Table } from '../flatbuffer/table.js';

export const DIAG_MAGIC = [0xad, 0xd3, 0x03, 0x00] as const;

/** What one diagnostic log says, times in microseconds. */
export interface DiagLog {
  sdkVersion?: string;
  /** Seconds per log time unit (1e-6). */
  timeScale: number;
  epochUs?: number;
  loadUs?: number;
  deserializeUs?: number;
  createUs?: number;
  initUs?: number;
  deInitUs?: number;
  /** Every inference's total time, in log order. */
  inferencesUs: number[];
  /** Per-layer times of each inference (empty when the log holds none, as at profiling level basic). */
  layersUs: { name: string; us: number }[][];
  /** Records of kinds this reader does not know. */
  unknownRecords: number;
  /**
   * Fields of inference records beyond the ones read here (a `detailed` log's per-layer data would show up here,
   * its layout unknown): `root field id` or `root.sub field id` → how many records had it.
   */
  unreadFields: Record<string, number>;
  records: number;
}

/** Largest log read (a log of 100k inferences is ~26 MB). */
export const MAX_DIAG_BYTES = 256 * 1024 ** 2;

function diagError(message: string, cause?: unknown): GaugeError {
  return new GaugeError('RUNNER_OUTPUT', `${message}. The SNPEDiag log is truncated or not a diagnostic log; re-run the job.`, { plugin: 'snpe', hook: 'measure', cause });
}

const stamp = (t: Table | undefined) => t?.u64(0);
function interval(t: Table | undefined): number | undefined {
  if (!t) return undefined;
  const s = stamp(t.table(0, 'interval start'));
  const e = stamp(t.table(1, 'interval end'));
  return s !== undefined && e !== undefined && e >= s ? e - s : undefined;
}

/** True when the bytes start like a diagnostic log. */
export function isDiagLog(b: Uint8Array): boolean {
  return b.length >= 4 && DIAG_MAGIC.every((x, i) => b[i] === x);
}

/** Read a `SNPEDiag_*.log`. Throws a GaugeError `RUNNER_OUTPUT` on anything malformed. */
export function readDiagLog(b: Uint8Array): DiagLog {
  if (!isDiagLog(b)) throw diagError(`The log starts ${Buffer.from(b.subarray(0, 4)).toString('hex')}, not ad d30300`);
  if (b.length > MAX_DIAG_BYTES) throw diagError(`The log is ${b.length} bytes, more than the ${MAX_DIAG_BYTES}-byte limit`);
  const out: DiagLog = { timeScale: 1e-6, inferencesUs: [], layersUs: [], unknownRecords: 0, unreadFields: {}, records: 0 };
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let p = 4;
  let scale = 1;
  try {
    while (p < b.length) {
      if (p + 4 > b.length) throw new FlatBufferError(`record size at byte ${p} is cut short`);
      const n = dv.getUint32(p, true);
      if (n < 8 || p + 4 + n > b.length) throw new FlatBufferError(`record at byte ${p} claims ${n} bytes, past the ${b.length}-byte log`);
      const root = new FlatBuffer(b.subarray(p + 4, p + 4 + n)).root(`diag record ${out.records}`);
      if (out.records === 0) {
        // An f32 holds 1e-6 as 9.99999997e-7: keep the digits the tool means.
        out.timeScale = Number(root.f32(0, 1e-6).toPrecision(6));
        const epoch = root.u64(1);
        if (epoch !== undefined) out.epochUs = epoch;
        const v = root.table(3, 'version');
        if (v) out.sdkVersion = `${v.u32(0)}.${v.u32(1)}.${v.u32(2)}${v.string(3) ? `.${v.string(3)}` : ''}`;
        // Times are reported in µs whatever unit the log counts in.
        scale = out.timeScale > 0 && Number.isFinite(out.timeScale) ? out.timeScale / 1e-6 : 1;
      } else {
        const us = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * scale * 1000) / 1000);
        const create = root.table(1, 'create statistics');
        const inference = root.table(4, 'inference');
        const deInit = root.table(5, 'de-init');
        const init = root.table(6, 'init');
        if (create) {
          out.loadUs = us(interval(create.table(0, 'load')));
          out.deserializeUs = us(interval(create.table(1, 'deserialize')));
          out.createUs = us(interval(create.table(2, 'create')));
        }
        if (init) out.initUs = us(interval(init.table(0, 'init')));
        if (deInit) out.deInitUs = us(interval(deInit.table(0, 'de-init')));
        if (inference) {
          const t = us(interval(inference.table(1, 'inference total')));
          if (t === undefined) throw new FlatBufferError(`inference record ${out.records} has no total interval`);
          out.inferencesUs.push(t);
          out.layersUs.push([]);
          // Root fields 0 (stamp), 3 (a per-run interval seen constant across records) and 4 are known; inference 1 too.
          const mark = (k: string) => (out.unreadFields[k] = (out.unreadFields[k] ?? 0) + 1);
          for (let id = 0; id < 16; id++) if (root.has(id) && id !== 0 && id !== 3 && id !== 4) mark(String(id));
          for (let id = 0; id < 16; id++) if (inference.has(id) && id !== 1) mark(`4.${id}`);
        }
        if (!create && !inference && !deInit && !init) out.unknownRecords++;
      }
      out.records++;
      p += 4 + n;
    }
  } catch (e) {
    if (e instanceof FlatBufferError) throw diagError(`SNPEDiag record ${out.records} is malformed: ${e.message}`, e);
    throw e;
  }
  if (out.records === 0) throw diagError('The log holds no records');
  for (const k of ['loadUs', 'deserializeUs', 'createUs', 'initUs', 'deInitUs'] as const) if (out[k] === undefined) delete out[k];
  return out;
}
