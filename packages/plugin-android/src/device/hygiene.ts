/**
 * Measurement hygiene on an Android device (android-benchmarking-facts §3): screen off with KEYCODE_SLEEP (223,
 * which does nothing when the screen is already off, unlike POWER), stay awake on USB, Wi-Fi off on request; and
 * the CPU governors and current frequencies read before and after a job. Every step is recorded, done or not.
 */
import type { HygieneReport, HygieneRequest } from '@gaugenn/core';
import type { AdbTransport } from './adb-transport.js';

const STEPS: { key: keyof HygieneRequest; what: string; line: string }[] = [
  { key: 'screenOff', what: 'screen off', line: 'input keyevent 223' },
  { key: 'stayAwake', what: 'stay awake on USB', line: 'svc power stayon usb' },
  { key: 'wifiOff', what: 'Wi-Fi off', line: 'svc wifi disable' },
];

/** Per core: `index|governor|cur kHz`. */
const CPU_STATE_SCRIPT = 'for c in /sys/devices/system/cpu/cpu[0-9]*; do i=${c##*/cpu}; echo "$i|$(cat "$c/cpufreq/scaling_governor" 2>/dev/null)|$(cat "$c/cpufreq/scaling_cur_freq" 2>/dev/null)"; done';

/** Parse the CPU state lines, core order; a core whose cpufreq is unreadable (offline) reads `offline` / 0. */
export function parseCpuState(text: string): Pick<HygieneReport, 'governors' | 'curFreqsMHz'> {
  const rows = text.split('\n').map((l) => l.trim().split('|')).filter((r) => r.length === 3 && /^\d+$/.test(r[0]!)).sort((a, b) => Number(a[0]) - Number(b[0]));
  if (!rows.length || rows.every((r) => !r[1] && !r[2])) return {};
  return {
    governors: rows.map((r) => r[1] || 'offline'),
    curFreqsMHz: rows.map((r) => (Number(r[2]) > 0 ? Math.round(Number(r[2]) / 1000) : 0)),
  };
}

export async function cpuState(t: AdbTransport): Promise<Pick<HygieneReport, 'governors' | 'curFreqsMHz'>> {
  const r = await t.shell(CPU_STATE_SCRIPT, { what: `CPU state of ${t.serial}`, timeoutMs: 30_000 });
  return parseCpuState(r.output);
}

/** Apply each requested step and say what was done and what failed (with the device's own words). */
export async function prepare(t: AdbTransport, request: HygieneRequest): Promise<HygieneReport> {
  const report: HygieneReport = { applied: [], failed: [] };
  for (const s of STEPS) {
    if (!request[s.key]) continue;
    const r = await t.shell(s.line, { what: `${s.what} on ${t.serial}`, timeoutMs: 30_000 });
    // `svc` prints its usage and still exits 0 on some builds when a subcommand is unknown: treat that as failed too.
    const out = r.output.trim();
    if (r.exitCode === 0 && !/usage:|unknown|not found|exception|error/i.test(out)) report.applied.push(s.key);
    else report.failed.push({ what: s.key, why: out.split('\n')[0]?.slice(0, 200) || (r.timedOut ? 'timed out' : `exit ${r.exitCode}`) });
  }
  return { ...report, ...(await cpuState(t)) };
}
