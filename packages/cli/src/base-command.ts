import { Command, Flags, type Interfaces } from '@oclif/core';
import { GaugeError, Store, createGauge, setGaugeRecipe, type Gauge, type GaugePlugin } from '@gaugenn/core';
import { resolve } from 'node:path';

/**
 * Plugins that ship with the CLI, by module specifier: the one list of them. Each is imported when a command
 * builds its Gauge, not at start-up (so `--help` and `--version` load none), and extraction workers load them
 * by the same specifiers (functions cannot cross threads). Others come from `gaugenn plugins install` or the
 * config's `use`.
 */
export const BUNDLED_PLUGINS = [
  '@gaugenn/plugin-tflite',
  '@gaugenn/plugin-ncnn',
  '@gaugenn/plugin-caffe',
  '@gaugenn/plugin-android',
  '@gaugenn/plugin-snpe',
  '@gaugenn/plugin-formats',
  '@gaugenn/plugin-energy-monsoon',
  '@gaugenn/report',
] as const;

/** Import the bundled plugins (in parallel; each module once per process). */
export async function loadBundledPlugins(): Promise<GaugePlugin<any>[]> {
  return Promise.all(BUNDLED_PLUGINS.map(async (s) => ((await import(s)) as { default: GaugePlugin<any> }).default));
}

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/**
 * Shared flags and plumbing: `--store`, `--config`, `--json` (oclif's own), a Gauge built from config and plugins,
 * and GaugeErrors turned into a clear message and a non-zero exit code.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    store: Flags.string({ description: 'SQLite results store (default: ./gaugenn.db, or `store` in the config)', helpGroup: 'GLOBAL' }),
    config: Flags.string({ char: 'c', description: 'config file (default: search for gaugenn.config.* or a "gaugenn" key in package.json)', helpGroup: 'GLOBAL' }),
  };

  protected flags!: BaseFlags<T>;
  protected args!: BaseArgs<T>;
  private openStores: Store[] = [];

  public override async init(): Promise<void> {
    await super.init();
    const { flags, args } = await this.parse({ flags: this.ctor.flags, baseFlags: (super.ctor as typeof BaseCommand).baseFlags, enableJsonFlag: this.ctor.enableJsonFlag, args: this.ctor.args, strict: this.ctor.strict });
    this.flags = flags as BaseFlags<T>;
    this.args = args as BaseArgs<T>;
  }

  /** Build the Gauge: config + bundled plugins + installed oclif plugins that declare a gaugeNN plugin. */
  protected async gauge(overrides: { store?: string; reportDir?: string } = {}): Promise<Gauge> {
    const roots = [...this.config.plugins.values()].filter((p) => p.type !== 'core').map((p) => p.root);
    const store = overrides.store ?? (this.flags.store ? resolve(this.flags.store) : undefined);
    const gauge = await createGauge({ configPath: this.flags.config, builtins: await loadBundledPlugins(), pluginRoots: roots, overrides: { store, reportDir: overrides.reportDir } });
    // How a worker thread rebuilds this Gauge for parallel extraction.
    setGaugeRecipe(gauge, { builtins: BUNDLED_PLUGINS.map((s) => import.meta.resolve(s)), cwd: process.cwd(), configPath: this.flags.config, pluginRoots: roots });
    return gauge;
  }

  protected openStore(gauge: Gauge): Store {
    const s = new Store(gauge.config.store);
    this.openStores.push(s);
    return s;
  }

  /** Progress is drawn only for people: not with --json, so stdout stays one JSON document. */
  protected get quiet(): boolean {
    return this.jsonEnabled();
  }

  protected override async catch(err: Error & { exitCode?: number }): Promise<any> {
    if (err instanceof GaugeError) {
      const where = [err.plugin && `plugin ${err.plugin}`, err.hook && `hook ${err.hook}`].filter(Boolean).join(', ');
      if (this.jsonEnabled()) {
        this.logJson({ error: err.toJSON() });
        this.exit(2);
      }
      this.error(`${err.message}${where ? ` (${where})` : ''}`, { code: err.code, exit: 2 });
    }
    return super.catch(err);
  }

  protected override async finally(err: Error | undefined): Promise<any> {
    for (const s of this.openStores) s.close();
    return super.finally(err);
  }
}
