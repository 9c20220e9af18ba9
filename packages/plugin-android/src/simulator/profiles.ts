/**
 * Device profiles for the ADB device simulator: the facts a real phone shows over `adb shell` (system
 * properties, cpufreq in kHz, thermal zones in m°C, power_supply units), taken from public spec sheets of two
 * Snapdragon phones. They are plausible, not dumps of a real device.
 */

/** One CPU cluster: `cores` identical cores sharing a cpufreq policy. Frequencies in kHz, as sysfs has them. */
export interface SimCpuCluster {
  cores: number;
  minKHz: number;
  maxKHz: number;
  /** ARM "CPU part" for /proc/cpuinfo, e.g. 0xd46 (Cortex-A510). */
  part: string;
  governor?: string;
}

export interface SimThermalZone {
  type: string;
  tempC: number;
}

export interface SimBattery {
  levelPct: number;
  tempC: number;
  voltageUv: number;
  /** µA as the kernel reports it (negative while discharging, the convention of newer drivers). */
  currentUa: number;
  usbPowered: boolean;
}

/** Everything a simulated phone reports about itself. */
export interface SimDeviceProfile {
  id: string;
  /** System properties (`getprop`). The banner's product/model/device come from here. */
  props: Record<string, string>;
  clusters: SimCpuCluster[];
  memTotalKb: number;
  /** `Hardware` line of /proc/cpuinfo. */
  cpuinfoHardware: string;
  /** /sys/class/kgsl/kgsl-3d0/gpu_model, when the GPU is an Adreno. */
  gpuModel?: string;
  gpuMaxHz?: number;
  /** The `GLES:` line of `dumpsys SurfaceFlinger` (vendor, renderer, version), another common way to name the GPU. */
  gles?: string;
  thermal: SimThermalZone[];
  battery: SimBattery;
  kernelVersion: string;
}

const COMMON_PROPS: Record<string, string> = {
  'ro.product.cpu.abi': 'arm64-v8a',
  'ro.product.cpu.abilist': 'arm64-v8a,armeabi-v7a,armeabi',
  'ro.product.cpu.abilist64': 'arm64-v8a',
  'ro.product.cpu.abilist32': 'armeabi-v7a,armeabi',
  'ro.build.type': 'user',
  'ro.build.tags': 'release-keys',
  'ro.debuggable': '0',
  'ro.secure': '1',
  'sys.boot_completed': '1',
  'dev.bootcomplete': '1',
  'init.svc.adbd': 'running',
  'persist.sys.usb.config': 'mtp,adb',
};

/** Snapdragon 8 Gen 1 (SM8450, "taro"): 4× Cortex-A510, 3× A710, 1× X2; Adreno 730; Android 13. */
export const SM8450_PHONE: SimDeviceProfile = {
  id: 'sm8450',
  props: {
    ...COMMON_PROPS,
    'ro.product.manufacturer': 'samsung',
    'ro.product.brand': 'samsung',
    'ro.product.model': 'SM-S901U',
    'ro.product.name': 'r0quew',
    'ro.product.device': 'r0q',
    'ro.product.board': 'taro',
    'ro.board.platform': 'taro',
    'ro.hardware': 'qcom',
    'ro.soc.manufacturer': 'QTI',
    'ro.soc.model': 'SM8450',
    'ro.build.version.release': '13',
    'ro.build.version.sdk': '33',
    'ro.build.version.security_patch': '2023-05-01',
    'ro.build.id': 'TP1A.220624.014',
    'ro.build.display.id': 'TP1A.220624.014.S901USQS2CWE1',
    'ro.build.fingerprint': 'samsung/r0quew/r0q:13/TP1A.220624.014/S901USQS2CWE1:user/release-keys',
    'ro.boot.hardware.sku': 'taro',
  },
  clusters: [
    { cores: 4, minKHz: 307200, maxKHz: 1785600, part: '0xd46', governor: 'walt' },
    { cores: 3, minKHz: 633600, maxKHz: 2496000, part: '0xd47', governor: 'walt' },
    { cores: 1, minKHz: 729600, maxKHz: 2995200, part: '0xd48', governor: 'walt' },
  ],
  memTotalKb: 7_605_836,
  cpuinfoHardware: 'Qualcomm Technologies, Inc TARO',
  gpuModel: 'Adreno730v2',
  gpuMaxHz: 818_000_000,
  gles: 'Qualcomm, Adreno (TM) 730, OpenGL ES 3.2 V@0615.65 (GIT@c2cd3c3, I1a0e6a2b8b, 1661251525) (Date:08/23/22)',
  thermal: [
    { type: 'aoss-0-usr', tempC: 33.1 },
    { type: 'cpu-0-0-usr', tempC: 34.2 },
    { type: 'cpu-0-1-usr', tempC: 34.0 },
    { type: 'cpu-0-2-usr', tempC: 34.4 },
    { type: 'cpu-0-3-usr', tempC: 34.1 },
    { type: 'cpu-1-0-usr', tempC: 35.3 },
    { type: 'cpu-1-1-usr', tempC: 35.6 },
    { type: 'cpu-1-2-usr', tempC: 35.1 },
    { type: 'cpu-1-3-usr', tempC: 35.9 },
    { type: 'gpuss-0-usr', tempC: 33.4 },
    { type: 'gpuss-1-usr', tempC: 33.2 },
    { type: 'battery', tempC: 29.5 },
    { type: 'skin-therm', tempC: 30.2 },
    { type: 'xo-therm', tempC: 31.0 },
  ],
  battery: { levelPct: 87, tempC: 29.5, voltageUv: 4_180_000, currentUa: -210_000, usbPowered: true },
  kernelVersion: 'Linux version 5.10.149-android12-9-27940283-abS901USQS2CWE1 (build@host) (Android (7284624) clang version 14.0.4) #1 SMP PREEMPT Tue Apr 25 09:00:00 KST 2023',
};

/**
 * A mid-tier phone, Snapdragon 720G ("atoll"): 6× Cortex-A55 and 2× A76; Adreno 618; Android 11, so no
 * `ro.soc.*` properties (they arrived with API 31) — the SoC is known only from `ro.board.platform`/`ro.hardware`.
 */
export const SM7125_PHONE: SimDeviceProfile = {
  id: 'sm7125',
  props: {
    ...COMMON_PROPS,
    'ro.product.manufacturer': 'samsung',
    'ro.product.brand': 'samsung',
    'ro.product.model': 'SM-A525F',
    'ro.product.name': 'a52qnsxx',
    'ro.product.device': 'a52q',
    'ro.product.board': 'atoll',
    'ro.board.platform': 'atoll',
    'ro.hardware': 'qcom',
    'ro.build.version.release': '11',
    'ro.build.version.sdk': '30',
    'ro.build.version.security_patch': '2021-10-01',
    'ro.build.id': 'RP1A.200720.012',
    'ro.build.display.id': 'RP1A.200720.012.A525FXXU3AUJ2',
    'ro.build.fingerprint': 'samsung/a52qnsxx/a52q:11/RP1A.200720.012/A525FXXU3AUJ2:user/release-keys',
  },
  clusters: [
    { cores: 6, minKHz: 300000, maxKHz: 1804800, part: '0xd05', governor: 'schedutil' },
    { cores: 2, minKHz: 652800, maxKHz: 2304000, part: '0xd0b', governor: 'schedutil' },
  ],
  memTotalKb: 5_650_428,
  cpuinfoHardware: 'Qualcomm Technologies, Inc ATOLL-AB',
  gpuModel: 'Adreno618v1',
  gpuMaxHz: 750_000_000,
  gles: 'Qualcomm, Adreno (TM) 618, OpenGL ES 3.2 V@0502.0 (GIT@7b6b5a3, I0c2aa4f2f0, 1617086429) (Date:03/30/21)',
  thermal: [
    { type: 'aoss-0-usr', tempC: 31.9 },
    { type: 'cpu-0-0-usr', tempC: 32.8 },
    { type: 'cpu-0-1-usr', tempC: 32.6 },
    { type: 'cpu-0-2-usr', tempC: 32.9 },
    { type: 'cpu-1-0-usr', tempC: 33.7 },
    { type: 'cpu-1-1-usr', tempC: 33.5 },
    { type: 'gpuss-0-usr', tempC: 32.0 },
    { type: 'battery', tempC: 28.4 },
    { type: 'skin-therm', tempC: 29.1 },
  ],
  battery: { levelPct: 64, tempC: 28.4, voltageUv: 3_910_000, currentUa: -340_000, usbPowered: true },
  kernelVersion: 'Linux version 4.14.190-22339542-abA525FXXU3AUJ2 (dpi@SWDH7304) (clang version 10.0.7) #1 SMP PREEMPT Thu Oct 14 12:00:00 KST 2021',
};

export const SIM_PROFILES: Record<string, SimDeviceProfile> = { [SM8450_PHONE.id]: SM8450_PHONE, [SM7125_PHONE.id]: SM7125_PHONE };

/** Core count of a profile. */
export function coreCount(p: SimDeviceProfile): number {
  return p.clusters.reduce((n, c) => n + c.cores, 0);
}
