import { Command, Flags, type Interfaces } from '@oclif/core';
import { GaugeError, Store, createGauge, setGaugeRecipe, type Gauge, type GaugePlugin } from '@gaugenn/core';
import { join, relative, resolve, sep } from 'node:path';

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

  /** Print warn/error lines of the log hook on stderr (commands that show them their own way set this false). */
  protected showWarnings = true;

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
    // Warnings (a plugin that failed on one app or job, a hot device, a lost device) go to stderr, so --json's stdout
    // stays one document. Commands that show these lines their own way turn this off.
    if (this.showWarnings) {
      gauge.hooks.log.tap('cli', (level, message) => {
        if (level === 'warn' || level === 'error') process.stderr.write(`${level === 'warn' ? 'Warning' : 'Error'}: ${message}\n`);
      });
    }
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

  /**
   * Errors become one clear message and exit code 2 (GaugeErrors), or oclif's own code. With `--json`, stdout
   * gets exactly one document for every exit code: the command's result, or here `{ error }`, never both.
   */
  protected override async catch(err: Error & { exitCode?: number; code?: string; oclif?: { exit?: number } }): Promise<any> {
    if (this.jsonEnabled()) {
      // `this.exit(n)` after the command already printed its result: only the code is left to set.
      if (err.code === 'EEXIT') {
        process.exitCode = err.oclif?.exit ?? 1;
        return;
      }
      process.exitCode = err instanceof GaugeError ? 2 : (err.oclif?.exit ?? 1);
      // oclif's own errors (parse, validation) carry `oclif.exit`: the command line is wrong.
      const code = err.oclif ? 'USAGE' : (err.code ?? 'UNEXPECTED');
      this.logJson({ error: err instanceof GaugeError ? err.toJSON() : { code, message: err.message } });
      return;
    }
    if (err instanceof GaugeError) {
      const where = [err.plugin && `plugin ${err.plugin}`, err.hook && `hook ${err.hook}`].filter(Boolean).join(', ');
      this.error(`${err.message}${where ? ` (${where})` : ''}`, { code: err.code, exit: 2 });
    }
    return super.catch(err);
  }

  /**
   * Paths as the user typed them: `resolved` (absolute, as sources hand them over) mapped back to the argument it
   * came from, or to the argument's folder joined with the path below it; anything else unchanged.
   */
  protected asGiven(args: readonly string[]): (resolved: string) => string {
    const given = args.map((a) => ({ a, abs: resolve(a) }));
    return (p: string) => {
      for (const { a, abs } of given) {
        if (p === abs) return a;
        if (p.startsWith(abs + sep)) return join(a, relative(abs, p));
      }
      return p;
    };
  }

  protected override async finally(err: Error | undefined): Promise<any> {
    for (const s of this.openStores) s.close();
    return super.finally(err);
  }
}
