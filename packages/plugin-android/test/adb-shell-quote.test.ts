/**
 * Shell quoting and the exit-code markers, checked against a real POSIX sh (the host's; the device's mksh/toybox
 * sh follows the same quoting rules), and the device-facts parsers on text shaped as real devices print it.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandLine, quote, shellPrefix } from '../src/device/shell-quote.js';
import { unwrapOutput, wrapCommand } from '../src/device/marked-shell.js';
import { clustersOf, gateZones, parseBattery, parseCpuFreqs, parseFacts, parseThermal } from '../src/device/device-facts.js';
import { parseCpuState } from '../src/device/hygiene.js';

const sh = (line: string) => execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' });

describe('quoting for sh', () => {
  it('any argument list reaches the program unchanged (property, real sh)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }).map((s) => s.replace(/\0/g, '')), { maxLength: 5 }), (args) => {
        const out = sh(`${commandLine('printf', ['%s\\001', ...args])}`);
        expect(out).toBe(args.map((a) => `${a}\x01`).join('') || '\x01');
      }),
      { numRuns: 150 },
    );
  });

  it('leaves plain words bare, quotes the rest, and prefixes cwd and env', () => {
    expect(quote('/data/local/tmp/x.tflite')).toBe('/data/local/tmp/x.tflite');
    expect(quote('--num_threads=4')).toBe('--num_threads=4');
    expect(quote('')).toBe("''");
    expect(quote("it's")).toBe(`'it'\\''s'`);
    expect(shellPrefix('/tmp', { A: 'x y', B: '$z' })).toBe("cd /tmp && export A='x y' B='$z' && ");
    expect(sh(`${shellPrefix('/', { A: "a'b", B: '`x`' })}printf '%s|%s|%s' "$A" "$B" "$PWD"`)).toBe("a'b|`x`|/");
    expect(() => shellPrefix(undefined, { 'A-B': '1' })).toThrow(/not a valid environment variable name/);
  });
});

describe('exit-code markers', () => {
  it('recover the exit code and the exact output, with or without a final newline', () => {
    for (const [body, out, code] of [['printf abc', 'abc', 0], ['echo abc; (exit 5)', 'abc\n', 5], ['true', '', 0], ['printf "a\\n\\n"; false', 'a\n\n', 1]] as const) {
      const raw = sh(wrapCommand(body, 'f00d'));
      expect(unwrapOutput(raw, 'f00d')).toMatchObject({ output: out, exitCode: code });
    }
  });

  it('a missing end marker means no exit code (the stream was cut), and pty CRLFs become LF', () => {
    expect(unwrapOutput('__GNabS12\npartial out', 'ab')).toEqual({ output: 'partial out', exitCode: undefined, pid: 12 });
    expect(unwrapOutput('__GNabS12\r\nline1\r\nline2\r\n\r\n__GNabE0\r\n', 'ab')).toEqual({ output: 'line1\nline2\n', exitCode: 0, pid: 12 });
    // Output that merely contains the marker text of another token is output.
    expect(unwrapOutput('__GNabS1\n__GNcdE0\n\n__GNabE3\n', 'ab')).toMatchObject({ output: '__GNcdE0\n', exitCode: 3 });
  });
});

describe('device facts parsers', () => {
  it('per-core max MHz from kHz, an offline core filled from its policy, clusters slowest first', () => {
    const cpu = ['0|1804800|0 1 2 3 4 5', '1||', '2|1804800|0 1 2 3 4 5', '3|1804800|0 1 2 3 4 5', '4|1804800|0 1 2 3 4 5', '5|1804800|0 1 2 3 4 5', '6|2304000|6 7', '7||'].join('\n');
    expect(parseCpuFreqs(cpu, '0-7')).toEqual({ cores: 8, maxFreqsMHz: [1805, 1805, 1805, 1805, 1805, 1805, 2304, 2304] });
    expect(parseCpuFreqs('0||\n1||', '0-1')).toEqual({ cores: 2 });
    expect(clustersOf([1805, 1805, 2304, 3000, 2304])).toEqual([{ cores: [0, 1], maxFreqMHz: 1805 }, { cores: [2, 4], maxFreqMHz: 2304 }, { cores: [3], maxFreqMHz: 3000 }]);
  });

  it('thermal zones: m°C to °C, whole-°C drivers, unreadable and absurd readings left out, number order', () => {
    expect(parseThermal('thermal_zone10|gpu|41000\nthermal_zone2|cpu-1-0-usr|45500\nthermal_zone3|battery|31\nthermal_zone4|tsens|\nthermal_zone5|bogus|-273000')).toEqual([
      { zone: 'thermal_zone2', type: 'cpu-1-0-usr', tempC: 45.5 },
      { zone: 'thermal_zone3', type: 'battery', tempC: 31 },
      { zone: 'thermal_zone10', type: 'gpu', tempC: 41 },
    ]);
    const zones = parseThermal('thermal_zone0|BIG|50000\nthermal_zone1|LITTLE|44000\nthermal_zone2|G3D|61000');
    expect(gateZones(zones).zones.map((z) => z.type)).toEqual(['BIG', 'LITTLE']);
    expect(gateZones(zones, ['g3d']).zones.map((z) => z.type)).toEqual(['G3D']);
    expect(gateZones(parseThermal('thermal_zone0|soc|40000'))).toEqual({ zones: [{ zone: 'thermal_zone0', type: 'soc', tempC: 40 }], unmatched: false });
  });

  it('battery from power_supply (tenths of °C), else from dumpsys battery', () => {
    expect(parseBattery('battery/type=Battery\nbattery/capacity=73\nbattery/temp=315\nusb/type=USB\nusb/online=0\nac/type=Mains\nac/online=1')).toEqual({ levelPct: 73, tempC: 31.5, usbPowered: false });
    const dumpsys = 'Current Battery Service state:\n  AC powered: false\n  USB powered: true\n  Wireless powered: false\n  status: 2\n  level: 44\n  scale: 100\n  voltage: 4012\n  temperature: 287\n';
    expect(parseBattery(dumpsys)).toEqual({ levelPct: 44, tempC: 28.7, usbPowered: true });
    expect(parseBattery('')).toBeUndefined();
  });

  it('the whole facts text: getprop, SoC fallbacks, RAM, ABIs, GPU from the GL renderer props when sysfs has none', () => {
    const text = [
      '@@props', '[ro.product.model]: [Pixel 4]', '[ro.product.manufacturer]: [Google]', '[ro.hardware]: [flame]',
      '[ro.build.version.release]: [10]', '[ro.build.version.sdk]: [29]', '[ro.product.cpu.abilist]: [arm64-v8a,armeabi-v7a]', '[ro.hardware.egl]: [adreno]',
      '@@possible', '0-3', '@@cpu', '0|1785600|0 1', '1|1785600|0 1', '2|2841600|2 3', '3|2841600|2 3',
      '@@cpuinfo', 'processor\t: 0', 'Hardware\t: Qualcomm Technologies, Inc SM8150', '@@meminfo', 'MemTotal:        5727588 kB',
      '@@gpu', '@@battery', '@@thermal', 'thermal_zone0|cpu0|40000', '@@end',
    ].join('\n');
    const f = parseFacts(text);
    expect(f.info).toEqual({
      model: 'Pixel 4', manufacturer: 'Google', soc: 'flame',
      cpu: { cores: 4, maxFreqsMHz: [1786, 1786, 2842, 2842], clusters: [{ cores: [0, 1], maxFreqMHz: 1786 }, { cores: [2, 3], maxFreqMHz: 2842 }], name: 'Qualcomm Technologies, Inc SM8150' },
      gpu: 'adreno', ramBytes: 5727588 * 1024, os: 'Android 10 (API 29)', androidVersion: '10', apiLevel: 29, abi: 'arm64-v8a', abis: ['arm64-v8a', 'armeabi-v7a'],
    });
    expect(f.thermal).toEqual([{ zone: 'thermal_zone0', type: 'cpu0', tempC: 40 }]);
    expect(f.battery).toBeUndefined();
  });

  it('CPU state: governors and current MHz per core, offline cores named', () => {
    expect(parseCpuState('1|schedutil|1804800\n0|schedutil|300000\n2||')).toEqual({ governors: ['schedutil', 'schedutil', 'offline'], curFreqsMHz: [300, 1805, 0] });
    expect(parseCpuState('0||\n1||')).toEqual({});
  });
});
