import { AsyncSeriesBailHook, AsyncSeriesHook, HookMap, SyncHook } from 'tapable';
import type { Hook } from 'tapable';
import { GaugeError } from './errors/gauge-error.js';
import type { AppRef, ExtractedApp, Scanner, Sniffer } from './extract/types.js';
import type { CodeSignature, NativeLibSignature } from './extract/signatures.js';
import type { Device, DeviceSpec, Runner } from './device/types.js';
import type { ModelFile, ModelGraph } from './ir/model-graph.js';
import type { GaugeConfig } from './config/schema.js';
import type { EnergySource, EnergySourceRequest, EnergySourceSpec } from './energy/types.js';
import type { FetchContext, FetchReport } from './fetch/types.js';
import type { Store } from './store/store.js';

/** A source spec from config: `{ type: 'dir', path: 'apps/' }`. */
export interface SourceSpec {
  type: string;
  [key: string]: unknown;
}

/** A model handed to a parser: its framework and its files on disk, main file first. */
export interface ModelArtifact {
  framework: string;
  files: (ModelFile & { entry?: string })[];
}

/** Log levels the `log` hook carries. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A finished measurement, as the `measure` hook sees it. */
export interface MeasureEvent {
  jobId: number;
  device: string;
  model: string;
  framework: string;
  backend: string;
  threads: number;
  status: 'done' | 'failed';
  samplesMs: number[];
  error?: string;
}

/** A section a report plugin adds to the HTML report; `html` is inserted as given (plugins are trusted, data is not). */
export interface ReportSection {
  id: string;
  title: string;
  html: string;
}

/**
 * What report plugins receive. Taps at the default stage add sections; a renderer taps at stage
 * {@link REPORT_RENDER_STAGE} or later, so it sees every section, and records each file it writes with `addOutput`.
 */
export interface ReportContext {
  /** The open store: reports are pure functions of it. */
  store: Store;
  storePath: string;
  outDir: string;
  title: string;
  addSection(section: ReportSection): void;
  /** Sections added so far, in order. */
  readonly sections: readonly ReportSection[];
  /** Record a file written into `outDir` (`kind` e.g. `html`, `csv`, `json`, `svg`). */
  addOutput(kind: string, path: string): void;
  readonly outputs: readonly { kind: string; path: string }[];
}

/** Tapable stage at which report renderers tap the `report` hook: after every plugin that only adds sections. */
export const REPORT_RENDER_STAGE = 100;

function makeHooks() {
  return Object.freeze({
    /** Source types → app refs. `gauge.hooks.source.for('dir')`. */
    source: new HookMap(() => new AsyncSeriesBailHook<[SourceSpec], AppRef[] | undefined>(['spec'])),
    /**
     * Source types that download apps (AndroZoo, URL lists, apkeep) → fetch them, verified, or report their status.
     * `gauge.hooks.fetch.for('androzoo')`. The `source` hook of the same type then lists only verified files.
     */
    fetch: new HookMap(() => new AsyncSeriesBailHook<[SourceSpec, FetchContext], FetchReport | undefined>(['spec', 'context'])),
    /** Called after each app is extracted, before it is stored. Taps may add findings. */
    extract: new AsyncSeriesHook<[ExtractedApp]>(['app']),
    /** Framework → parser. `gauge.hooks.parse.for('tflite')`. */
    parse: new HookMap(() => new AsyncSeriesBailHook<[ModelArtifact], ModelGraph | undefined>(['artifact'])),
    /**
     * Device kind → device(s). `gauge.hooks.device.for('adb')`. A spec may stand for several devices (an adb server
     * with no serial means every online device on it), so a tap may return a list; an empty list means "none there".
     */
    device: new HookMap(() => new AsyncSeriesBailHook<[DeviceSpec], Device | Device[] | undefined>(['spec'])),
    /** Framework → runner for a device (the deploy stage). `gauge.hooks.deploy.for('tflite')`. */
    deploy: new HookMap(() => new AsyncSeriesBailHook<[Device], Runner | undefined>(['device'])),
    /**
     * Energy source type → a source for a device. `gauge.hooks.energy.for('monsoon')`. A tap returns undefined for
     * devices it cannot measure, and throws `ENERGY_SOURCE_UNAVAILABLE` saying what to check when it should but cannot.
     */
    energy: new HookMap(() => new AsyncSeriesBailHook<[EnergySourceRequest], EnergySource | undefined>(['request'])),
    /** After each measurement job ends. */
    measure: new AsyncSeriesHook<[MeasureEvent]>(['event']),
    /** While the report is built: add sections. */
    report: new AsyncSeriesHook<[ReportContext]>(['context']),
    /** Cross-cutting log lines. */
    log: new SyncHook<[LogLevel, string]>(['level', 'message']),
  });
}

/** The hooks of a Gauge, one per pipeline stage (see DESIGN.md). */
export type GaugeHooks = ReturnType<typeof makeHooks>;

/**
 * Wrap every tap so a throw becomes a GaugeError naming the plugin (the tap's name) and the hook,
 * as Rollup's PluginDriver does. Interceptors run at tap time, so this costs nothing per call.
 */
function wrapTaps(hook: Hook<any, any>, hookName: string): void {
  hook.intercept({
    register(tap: any) {
      const fn = tap.fn;
      const plugin = tap.name;
      const wrapErr = (e: unknown) => GaugeError.from(e, 'PLUGIN_HOOK', { plugin, hook: hookName });
      if (tap.type === 'promise') {
        tap.fn = (...args: unknown[]) => Promise.resolve().then(() => fn(...args)).catch((e: unknown) => { throw wrapErr(e); });
      } else if (tap.type === 'sync') {
        tap.fn = (...args: unknown[]) => {
          try { return fn(...args); } catch (e) { throw wrapErr(e); }
        };
      }
      return tap;
    },
  });
}

/**
 * The Gauge: one object whose hooks are the pipeline's stages. Plugins tap them; core calls them.
 * Create it with {@link createGauge} (which loads plugins and config), or directly in tests.
 */
export class Gauge {
  readonly hooks: GaugeHooks = makeHooks();
  readonly sniffers: Sniffer[] = [];
  readonly scanners: Scanner[] = [];
  /** Code evidence catalogue (framework APIs, delegates, cloud ML APIs) that DEX scanners match. */
  readonly codeSignatures: CodeSignature[] = [];
  /** Native-library fingerprints that `.so` scanners match. */
  readonly nativeLibSignatures: NativeLibSignature[] = [];
  /** Keys of each keyed stage that some plugin asked for (tapable keeps its own map private). */
  private readonly keyed = new Map<string, Map<string, Hook<any, any>>>();
  /** Plugins applied, in order. */
  readonly plugins: { name: string; frameworks: string[]; hostRequirements: string[] }[] = [];

  constructor(readonly config: GaugeConfig) {
    for (const [name, h] of Object.entries(this.hooks)) {
      if (h instanceof HookMap) {
        const keys = new Map<string, Hook<any, any>>();
        this.keyed.set(name, keys);
        h.intercept({ factory: (key: unknown, hook: Hook<any, any>) => { wrapTaps(hook, `${name}:${String(key)}`); keys.set(String(key), hook); return hook; } } as any);
      } else {
        wrapTaps(h as Hook<any, any>, name);
      }
    }
  }

  /** Register a content sniffer for the extract stage. */
  addSniffer(s: Sniffer): void {
    this.sniffers.push(s);
  }

  /** Register an entry scanner (manifest, DEX, native libraries) for the extract stage. */
  addScanner(s: Scanner): void {
    this.scanners.push(s);
  }

  /** Add entries to the code evidence catalogue (framework APIs, delegates, cloud ML APIs). */
  addCodeSignatures(sigs: readonly CodeSignature[]): void {
    this.codeSignatures.push(...sigs);
  }

  /** Add native-library fingerprints of ML runtimes. */
  addNativeLibSignatures(sigs: readonly NativeLibSignature[]): void {
    this.nativeLibSignatures.push(...sigs);
  }

  /** Emit a log line to whoever taps `hooks.log`. */
  log(level: LogLevel, message: string): void {
    this.hooks.log.call(level, message);
  }

  /** Frameworks that some plugin parses. */
  parseFrameworks(): string[] {
    return this.handled('parse');
  }

  /** Keys of a keyed stage (`parse`, `device`, …) that some plugin handles. */
  handled(stage: 'source' | 'fetch' | 'parse' | 'device' | 'deploy' | 'energy'): string[] {
    return [...(this.keyed.get(stage) ?? new Map<string, Hook<any, any>>())].filter(([, h]) => h.isUsed()).map(([k]) => k).sort();
  }

  /** Run the parser that the framework's plugin tapped. */
  async parse(artifact: ModelArtifact): Promise<ModelGraph> {
    const hook = this.hooks.parse.get(artifact.framework);
    if (!hook || !hook.isUsed()) {
      throw new GaugeError('NO_HANDLER', `No plugin parses ${artifact.framework} models. Install one with \`gaugenn plugins install <plugin>\` or add it to \`use\` in gaugenn.config.`, { hook: 'parse', subject: artifact.files[0]?.entry ?? artifact.files[0]?.path });
    }
    const g = await hook.promise(artifact);
    if (!g) throw new GaugeError('NO_HANDLER', `The ${artifact.framework} parser returned nothing for this model.`, { hook: 'parse' });
    return g;
  }

  /** Resolve a device spec into its connected devices (possibly none, e.g. an adb server with nothing attached). */
  async devices(spec: DeviceSpec): Promise<Device[]> {
    const hook = this.hooks.device.get(spec.kind);
    const d = hook && hook.isUsed() ? await hook.promise(spec) : undefined;
    if (!d) throw new GaugeError('NO_HANDLER', `No plugin provides devices of kind "${spec.kind}". Known kinds: ${this.handled('device').join(', ')}.`, { hook: 'device' });
    return Array.isArray(d) ? d : [d];
  }

  /** Resolve a device spec that names exactly one device. */
  async device(spec: DeviceSpec): Promise<Device> {
    const all = await this.devices(spec);
    if (all.length !== 1) throw new GaugeError('DEVICE_UNAVAILABLE', `The device spec ${JSON.stringify(spec)} matched ${all.length} devices; name one (e.g. its serial).`, { hook: 'device' });
    return all[0]!;
  }

  /** The runner for a framework on a device, or undefined if no plugin offers one. */
  async runner(framework: string, device: Device): Promise<Runner | undefined> {
    const hook = this.hooks.deploy.get(framework);
    return hook && hook.isUsed() ? hook.promise(device) : undefined;
  }

  /** The energy source a spec names, bound to a device (`energy: [{ source: 'monsoon' }]` in config). */
  async energySource(spec: EnergySourceSpec, device: Device): Promise<EnergySource> {
    const hook = this.hooks.energy.get(spec.source);
    const s = hook && hook.isUsed() ? await hook.promise({ spec, device }) : undefined;
    if (!hook || !hook.isUsed()) throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `No plugin provides the energy source "${spec.source}". Known sources: ${this.handled('energy').join(', ')}.`, { hook: 'energy' });
    if (!s) throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `The energy source "${spec.source}" does not measure ${device.kind} devices (${device.id}). Limit it with \`devices\` in its config entry.`, { hook: `energy:${spec.source}` });
    return s;
  }

  /** True when some plugin downloads apps for this source type (so `gaugenn sources fetch` and `run` fetch it first). */
  fetches(type: string): boolean {
    return this.hooks.fetch.get(type)?.isUsed() ?? false;
  }

  /** Fetch (or, with `mode: 'status'`, only count) the apps of a downloading source. */
  async fetch(spec: SourceSpec, context: FetchContext): Promise<FetchReport> {
    const hook = this.hooks.fetch.get(spec.type);
    const r = hook && hook.isUsed() ? await hook.promise(spec, context) : undefined;
    if (!r) throw new GaugeError('NO_HANDLER', `No plugin downloads apps for sources of type "${spec.type}"; it needs no fetching.`, { hook: 'fetch' });
    return r;
  }

  /** List apps for a source spec. */
  async source(spec: SourceSpec): Promise<AppRef[]> {
    const hook = this.hooks.source.get(spec.type);
    const apps = hook && hook.isUsed() ? await hook.promise(spec) : undefined;
    if (!apps) throw new GaugeError('NO_HANDLER', `No plugin provides sources of type "${spec.type}".`, { hook: 'source' });
    // `snapshot` and `category` may sit on any source spec: every app it lists belongs to them unless the source
    // knew better (a store listing names each app's category).
    const snapshot = typeof spec.snapshot === 'string' ? spec.snapshot : undefined;
    const category = typeof spec.category === 'string' ? spec.category : undefined;
    return apps.map((a) => ({ ...a, ...(snapshot && !a.snapshot ? { snapshot } : {}), ...(category && !a.category ? { category } : {}) }));
  }
}
