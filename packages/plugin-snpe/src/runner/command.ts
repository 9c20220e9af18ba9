/**
 * The command lines of one SNPE job, as pure data (so tests can state them exactly): which tool, which flags per
 * backend, which environment. Flag facts: snpe-net-run 2.x runs on the CPU by default (no `--use_cpu`) and takes
 * `--use_gpu` (`--gpu_mode float16` for fp16), `--use_dsp`, `--use_aip`; snpe-throughput-net-run takes
 * `--use_cpu|--use_gpu|--use_gpu_fp16|--use_dsp|--use_aip`, `--duration` and one `--perf_profile` per instance.
 * `ADSP_LIBRARY_PATH` is ';'-separated and must keep the system DSP folders.
 */

/** The backends SNPE offers, as gaugeNN names them. */
export const SNPE_BACKENDS = ['cpu', 'gpu', 'gpu_fp16', 'dsp', 'aip'] as const;
export type SnpeBackend = (typeof SNPE_BACKENDS)[number];

/** `--perf_profile` values the tools accept. */
export const PERF_PROFILES = ['low_balanced', 'balanced', 'default', 'high_performance', 'sustained_high_performance', 'burst', 'low_power_saver', 'power_saver', 'high_power_saver', 'extreme_power_saver', 'system_settings'] as const;
export const PROFILING_LEVELS = ['off', 'basic', 'moderate', 'detailed', 'linting'] as const;

/** The system folders the DSP loader needs besides ours (dsp_runtime docs: "MUST be included"). */
export const ADSP_SYSTEM_DIRS = ['/system/lib/rfsa/adsp', '/system/vendor/lib/rfsa/adsp', '/dsp'];

export function netRunBackendFlags(backend: SnpeBackend): string[] {
  switch (backend) {
    case 'cpu':
      return [];
    case 'gpu':
      return ['--use_gpu'];
    case 'gpu_fp16':
      return ['--use_gpu', '--gpu_mode', 'float16'];
    case 'dsp':
      return ['--use_dsp'];
    case 'aip':
      return ['--use_aip'];
  }
}

export function throughputBackendFlag(backend: SnpeBackend): string {
  return { cpu: '--use_cpu', gpu: '--use_gpu', gpu_fp16: '--use_gpu_fp16', dsp: '--use_dsp', aip: '--use_aip' }[backend];
}

export interface NetRunArgs {
  container: string;
  inputList: string;
  outputDir: string;
  backend: SnpeBackend;
  perfProfile: string;
  profilingLevel: string;
  cpuFallback: boolean;
}

export function netRunArgs(a: NetRunArgs): string[] {
  return [
    '--container', a.container,
    '--input_list', a.inputList,
    '--output_dir', a.outputDir,
    ...netRunBackendFlags(a.backend),
    '--perf_profile', a.perfProfile,
    '--profiling_level', a.profilingLevel,
    ...(a.cpuFallback && a.backend !== 'cpu' ? ['--enable_cpu_fallback'] : []),
  ];
}

export interface ThroughputArgs {
  container: string;
  inputRaws: string[];
  backend: SnpeBackend;
  perfProfile: string;
  durationS: number;
}

export function throughputArgs(a: ThroughputArgs): string[] {
  return ['--container', a.container, '--input_raw', a.inputRaws.join(','), throughputBackendFlag(a.backend), '--perf_profile', a.perfProfile, '--duration', String(a.durationS)];
}

/** The environment of a run: our libraries first; DSP skels, then the system DSP folders. */
export function runEnv(libDir: string, dspDir: string | undefined): Record<string, string> {
  return {
    LD_LIBRARY_PATH: libDir,
    ...(dspDir ? { ADSP_LIBRARY_PATH: [dspDir, ...ADSP_SYSTEM_DIRS].join(';') } : {}),
  };
}
