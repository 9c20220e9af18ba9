import { stat, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createHostDevice } from '../device/host-device.js';
import { GaugeError } from '../errors/gauge-error.js';
import type { AppRef } from '../extract/types.js';
import { definePlugin } from '../plugin/types.js';
import { tapCoreEnergySources } from '../energy/core-sources.js';
import { fetchList, listApps } from '../fetch/list-source.js';

/** Walk a directory for app files; hidden entries are skipped, order is stable for reproducible campaigns. */
async function listFiles(root: string, recursive: boolean, skip: (p: string) => boolean = () => false): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    const ents = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of ents) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (skip(p)) continue;
      if (e.isFile()) out.push(p);
      else if (e.isDirectory() && recursive) await walk(p);
    }
  };
  await walk(root);
  return out;
}

async function mustExist(p: string): Promise<import('node:fs').Stats> {
  try {
    return await stat(p);
  } catch {
    throw new GaugeError('INPUT_NOT_FOUND', `${p} does not exist. Check the path in the command or the config's sources.`, { subject: p });
  }
}

/** A folder as one app: every file in it is an entry, named by its path in the folder. */
async function folderApp(root: string, source: string, own: (p: string) => boolean, snapshot?: string): Promise<AppRef> {
  return { id: root, root, files: await listFiles(root, true, own), source, ...(snapshot ? { snapshot } : {}) };
}

/**
 * What core provides itself: the `host` device (the embedded default) and the `dir`, `files` and `pkgdir` sources.
 * - `dir` (`{ type: 'dir', path, recursive?, appPerDir? }`): every file is one app; the extract stage decides
 *   whether it is an archive or a loose model. With `appPerDir: true`, every folder directly under `path` is one
 *   app instead (an unpacked app, an npm package of models), its files walked as entries.
 * - `files` (`{ type: 'files', paths }`): the files named, each one app (folders are listed).
 * - `pkgdir` (`{ type: 'pkgdir', path }` or `{ paths }`): each folder named is one app, its files its entries.
 * - `list` (`{ type: 'list', path, dest?, snapshot?, category? }`): a CSV or JSON list of apps by file or URL.
 */
export const corePlugin = definePlugin({
  name: 'core',
  apply(gauge) {
    // The store, its WAL files and the model cache may sit inside a scanned directory: never treat them as apps.
    const own = (p: string) => p.startsWith(gauge.config.store) || (gauge.config.modelCache !== undefined && p.startsWith(gauge.config.modelCache));
    gauge.hooks.device.for('host').tapPromise('core', async (spec) => createHostDevice(spec.id ?? 'host'));
    tapCoreEnergySources(gauge);
    gauge.hooks.source.for('list').tapPromise('core', (spec) => listApps(spec));
    gauge.hooks.fetch.for('list').tapPromise('core', (spec, ctx) => fetchList(spec, ctx));
    gauge.hooks.source.for('dir').tapPromise('core', async (spec) => {
      const root = resolve(String(spec.path ?? '.'));
      await mustExist(root);
      const snapshot = spec.snapshot as string | undefined;
      if (spec.appPerDir === true) {
        const dirs = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => join(root, e.name));
        return Promise.all(dirs.filter((d) => !own(d)).sort().map((d) => folderApp(d, 'dir', own, snapshot)));
      }
      const files = await listFiles(root, spec.recursive !== false, own);
      return files.map((f): AppRef => ({ id: f, files: [f], source: 'dir', snapshot: spec.snapshot as string | undefined }));
    });
    gauge.hooks.source.for('pkgdir').tapPromise('core', async (spec) => {
      const paths = spec.paths !== undefined ? (spec.paths as string[]) : [String(spec.path ?? '.')];
      const apps: AppRef[] = [];
      for (const p of paths.map((x) => resolve(x))) {
        if (!(await mustExist(p)).isDirectory()) {
          throw new GaugeError('INPUT_NOT_FOUND', `${p} is not a folder; a pkgdir source takes folders (use the files source for single files).`, { subject: p });
        }
        apps.push(await folderApp(p, 'pkgdir', own, spec.snapshot as string | undefined));
      }
      return apps;
    });
    gauge.hooks.source.for('files').tapPromise('core', async (spec) => {
      const paths = (spec.paths as string[] | undefined) ?? [];
      const apps: AppRef[] = [];
      for (const p of paths.map((x) => resolve(x))) {
        const s = await mustExist(p);
        if (s.isDirectory()) {
          for (const f of await listFiles(p, true, own)) apps.push({ id: f, files: [f], source: 'files' });
        } else apps.push({ id: p, files: [p], source: 'files' });
      }
      return apps;
    });
  },
});
