/**
 * What an Android device is, read from the device in one shell round trip: a script prints tagged sections
 * (`@@props`, `@@cpu`, …) and this module parses them. Units follow the kernel's documents: cpufreq in kHz,
 * thermal zones in m°C, power_supply `temp` in tenths of °C (android-benchmarking-facts §3).
 */
import type { BatteryState, CpuCluster, DeviceInfo, ThermalZone } from '@gaugenn/core';

const PS = '/sys/class/power_supply';

/** Thermal zones: one `zone|type|m°C` line each. */
export const THERMAL_SCRIPT = `for z in /sys/class/thermal/thermal_zone*; do [ -d "$z" ] || continue; echo "\${z##*/}|$(cat "$z/type" 2>/dev/null)|$(cat "$z/temp" 2>/dev/null)"; done`;

/** Battery and chargers: `supply/file=value` lines from sysfs, and `dumpsys battery` only where sysfs has no battery. */
export const BATTERY_SCRIPT = `for d in ${PS}/*; do [ -d "$d" ] || continue; n=\${d##*/}; for f in type online capacity temp status present; do v=$(cat "$d/$f" 2>/dev/null) && echo "$n/$f=$v"; done; done
[ -e ${PS}/battery/capacity ] || dumpsys battery 2>/dev/null`;

/** The whole facts script: every section is one tag line followed by its text. */
export const FACTS_SCRIPT = [
  'echo @@props; getprop',
  'echo @@possible; cat /sys/devices/system/cpu/possible 2>/dev/null',
  // Per core: `index|max kHz|related cpus of its policy`.
  'echo @@cpu; for c in /sys/devices/system/cpu/cpu[0-9]*; do i=${c##*/cpu}; echo "$i|$(cat "$c/cpufreq/cpuinfo_max_freq" 2>/dev/null)|$(cat "$c/cpufreq/related_cpus" 2>/dev/null)"; done',
  'echo @@cpuinfo; cat /proc/cpuinfo 2>/dev/null',
  'echo @@meminfo; grep -i "^MemTotal" /proc/meminfo 2>/dev/null',
  'echo @@gpu; cat /sys/class/kgsl/kgsl-3d0/gpu_model 2>/dev/null; cat /sys/class/misc/mali0/device/gpuinfo 2>/dev/null',
  `echo @@battery; ${BATTERY_SCRIPT}`,
  `echo @@thermal; ${THERMAL_SCRIPT}`,
  'echo @@end',
].join('\n');

/** Split script output into its tagged sections. */
export function sections(out: string): Record<string, string> {
  const res: Record<string, string> = {};
  let cur: string | undefined;
  let buf: string[] = [];
  for (const line of out.split('\n')) {
    const m = /^@@([a-z]+)\s*$/.exec(line);
    if (m) {
      if (cur) res[cur] = buf.join('\n');
      cur = m[1];
      buf = [];
    } else if (cur) {
      buf.push(line);
    }
  }
  if (cur) res[cur] = buf.join('\n');
  return res;
}

/** `getprop` output (`[key]: [value]` lines) as a map. */
export function parseGetprop(text: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const m of text.matchAll(/^\[([^\]]+)\]:\s*\[([^\]]*)\]/gm)) props[m[1]!] = m[2]!;
  return props;
}

/** `0-7` / `0-3,6` → [0..7] / [0,1,2,3,6]. */
export function parseCpuList(s: string | undefined): number[] {
  const out: number[] = [];
  for (const part of (s ?? '').trim().split(/[,\s]+/).filter(Boolean)) {
    const [a, b] = part.split('-').map(Number);
    if (!Number.isInteger(a)) continue;
    for (let i = a!; i <= (Number.isInteger(b) ? b! : a!); i++) out.push(i);
  }
  return out;
}

/**
 * Max frequency per core in MHz, from each core's cpufreq (kHz) or, for a core without its own (offline), from the
 * policy that lists it in `related_cpus`. Undefined when some core has no readable frequency at all.
 */
export function parseCpuFreqs(cpuSection: string, possible?: string): { cores: number; maxFreqsMHz?: number[] } {
  const rows = cpuSection.split('\n').map((l) => l.split('|')).filter((r) => r.length >= 2 && /^\d+$/.test(r[0]!));
  const byCore = new Map<number, number>();
  for (const [i, khz, related] of rows) {
    const f = Number(khz);
    if (!khz || !Number.isFinite(f) || f <= 0) continue;
    byCore.set(Number(i), Math.round(f / 1000));
    for (const c of parseCpuList(related)) if (!byCore.has(c)) byCore.set(c, Math.round(f / 1000));
  }
  const listed = parseCpuList(possible);
  const cores = Math.max(listed.length, rows.length, byCore.size);
  if (!cores) return { cores: 0 };
  const freqs: number[] = [];
  for (let i = 0; i < cores; i++) {
    const f = byCore.get(i);
    if (f === undefined) return { cores };
    freqs.push(f);
  }
  return { cores, maxFreqsMHz: freqs };
}

/** Cores grouped by max frequency, slowest cluster first (the last one is the big cluster). */
export function clustersOf(maxFreqsMHz: number[]): CpuCluster[] {
  const by = new Map<number, number[]>();
  maxFreqsMHz.forEach((f, i) => by.set(f, [...(by.get(f) ?? []), i]));
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([maxFreqMHz, cores]) => ({ cores, maxFreqMHz }));
}

/** Thermal zone lines (`zone|type|m°C`) → zones in °C; unreadable or absurd readings are left out. */
export function parseThermal(text: string): ThermalZone[] {
  const out: ThermalZone[] = [];
  for (const line of text.split('\n')) {
    const [zone, type, milli] = line.trim().split('|');
    if (!zone || milli === undefined || milli.trim() === '') continue;
    const v = Number(milli);
    if (!Number.isFinite(v)) continue;
    // Most kernels report m°C; a few old drivers report whole °C (values under 200 cannot be m°C of a live device).
    const c = Math.abs(v) >= 200 ? v / 1000 : v;
    if (c < -40 || c > 200) continue;
    out.push({ zone, type: (type ?? '').trim(), tempC: Math.round(c * 10) / 10 });
  }
  // The shell globs zones in name order (thermal_zone10 before thermal_zone2): put them in number order.
  const n = (z: ThermalZone) => Number(/(\d+)$/.exec(z.zone)?.[1] ?? Infinity);
  return out.sort((a, b) => n(a) - n(b) || a.zone.localeCompare(b.zone));
}

/** Battery from power_supply lines (`supply/file=value`), falling back to `dumpsys battery` text. */
export function parseBattery(text: string): BatteryState | undefined {
  const supplies = new Map<string, Record<string, string>>();
  for (const m of text.matchAll(/^([^/\s]+)\/(type|online|capacity|temp|status|present)=(.*)$/gm)) {
    const s = supplies.get(m[1]!) ?? {};
    s[m[2]!] = m[3]!.trim();
    supplies.set(m[1]!, s);
  }
  const num = (v: string | undefined) => (v === undefined || v === '' || !Number.isFinite(Number(v)) ? null : Number(v));
  const battery = supplies.get('battery') ?? [...supplies.values()].find((s) => /^battery$/i.test(s.type ?? ''));
  if (battery && battery.capacity !== undefined) {
    const usb = [...supplies.entries()].filter(([n, s]) => /^usb/i.test(s.type ?? '') || /^usb/i.test(n));
    const online = usb.map(([, s]) => num(s.online)).filter((v): v is number => v !== null);
    return {
      levelPct: num(battery.capacity),
      tempC: num(battery.temp) === null ? null : num(battery.temp)! / 10,
      usbPowered: online.length ? online.some((v) => v > 0) : null,
    };
  }
  // `dumpsys battery`: "  level: 87", "  temperature: 301" (tenths of °C), "  USB powered: true".
  const level = /^\s*level:\s*(-?\d+)/m.exec(text);
  if (!level) return undefined;
  const scale = Number(/^\s*scale:\s*(\d+)/m.exec(text)?.[1] ?? 100) || 100;
  const temp = /^\s*temperature:\s*(-?\d+)/m.exec(text);
  const usb = /^\s*USB powered:\s*(true|false)/m.exec(text);
  return {
    levelPct: Math.round((Number(level[1]) * 100) / scale),
    tempC: temp ? Number(temp[1]) / 10 : null,
    usbPowered: usb ? usb[1] === 'true' : null,
  };
}

function gpuOf(text: string | undefined, props: Record<string, string>): string | undefined {
  const lines = (text ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines[0]) return lines[0];
  return props['ro.hardware.vulkan'] || props['ro.hardware.egl'] || undefined;
}

/** Every fact of the facts script's output: what the device is, its battery and its thermal zones. */
export function parseFacts(out: string): { info: DeviceInfo; battery?: BatteryState; thermal: ThermalZone[]; props: Record<string, string> } {
  const s = sections(out);
  const p = parseGetprop(s.props ?? '');
  const { cores: freqCores, maxFreqsMHz } = parseCpuFreqs(s.cpu ?? '', s.possible);
  const cpuinfo = s.cpuinfo ?? '';
  const processors = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
  const cpuName = /^(?:Hardware|model name|Processor)\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
  const memKb = Number(/MemTotal:\s*(\d+)/i.exec(s.meminfo ?? '')?.[1]);
  const abis = (p['ro.product.cpu.abilist'] || p['ro.product.cpu.abi'] || '').split(',').map((a) => a.trim()).filter(Boolean);
  const sdk = Number(p['ro.build.version.sdk']);
  const release = p['ro.build.version.release'];
  const info: DeviceInfo = {
    model: p['ro.product.model'] || undefined,
    manufacturer: p['ro.product.manufacturer'] || undefined,
    soc: p['ro.soc.model'] || p['ro.board.platform'] || p['ro.hardware'] || undefined,
    cpu: {
      cores: freqCores || processors,
      ...(maxFreqsMHz ? { maxFreqsMHz, clusters: clustersOf(maxFreqsMHz) } : {}),
      ...(cpuName ? { name: cpuName } : {}),
    },
    gpu: gpuOf(s.gpu, p),
    ramBytes: Number.isFinite(memKb) && memKb > 0 ? memKb * 1024 : undefined,
    os: release ? `Android ${release}${Number.isFinite(sdk) && sdk > 0 ? ` (API ${sdk})` : ''}` : 'Android',
    androidVersion: release || undefined,
    apiLevel: Number.isFinite(sdk) && sdk > 0 ? sdk : undefined,
    abi: abis[0] ?? 'unknown',
    abis,
  };
  for (const k of Object.keys(info) as (keyof DeviceInfo)[]) if (info[k] === undefined) delete info[k];
  return { info, battery: parseBattery(s.battery ?? ''), thermal: parseThermal(s.thermal ?? ''), props: p };
}

/** CPU zones by type as vendors name them (Qualcomm `cpu-1-0-usr`, `cpuss-0`; Exynos `BIG`/`LITTLE`; MediaTek `mtktscpu`). */
const CPU_ZONE = /cpu|big|little|mid|cluster/i;

/** Whether a zone matches a configured pattern: its sysfs name or type, exactly or as a `*` glob (case-insensitive). */
export function zoneMatches(z: ThermalZone, pattern: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(z.zone) || re.test(z.type);
}

/**
 * The zones the thermal gate watches: those matching the configured patterns; without patterns (or when none
 * matches, `unmatched` is then true) the CPU zones, or every zone where no type says CPU.
 */
export function gateZones(zones: ThermalZone[], patterns?: string[]): { zones: ThermalZone[]; unmatched: boolean } {
  if (patterns?.length) {
    const chosen = zones.filter((z) => patterns.some((p) => zoneMatches(z, p)));
    if (chosen.length) return { zones: chosen, unmatched: false };
  }
  const cpu = zones.filter((z) => CPU_ZONE.test(z.type));
  return { zones: cpu.length ? cpu : zones, unmatched: Boolean(patterns?.length) };
}

/** The hottest of the gate's zones in °C; undefined when the device exposes none. */
export function pickTemperature(zones: ThermalZone[], patterns?: string[]): number | undefined {
  const pool = gateZones(zones, patterns).zones;
  return pool.length ? Math.max(...pool.map((z) => z.tempC)) : undefined;
}
