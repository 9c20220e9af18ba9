// oclif's command manifest (oclif.manifest.json): with it, `--version`, `--help` and command lookup read one JSON
// file instead of importing every command (and through them core and every plugin). Written by the build
// (`node packages/cli/bin/manifest.js`) and rewritten by bin/run.js whenever the built commands are newer.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const MANIFEST = join(root, 'oclif.manifest.json');

/** Newest modification time of the built command files (0 when there are none). */
function newestCommand(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestCommand(p));
    else if (e.name.endsWith('.js')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether the manifest exists, names this package's version, and is no older than any built command. */
export function manifestIsCurrent() {
  try {
    const m = statSync(MANIFEST).mtimeMs;
    if (m < newestCommand(join(root, 'dist', 'commands'))) return false;
    const { version } = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    return version === JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  } catch {
    return false;
  }
}

/** Build the manifest from the commands themselves, as oclif's own `oclif manifest` does. */
export async function writeManifest() {
  const { Plugin } = await import('@oclif/core');
  const plugin = new Plugin({ root, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true });
  await plugin.load();
  writeFileSync(MANIFEST, JSON.stringify(plugin.manifest, null, 1) + '\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await writeManifest();
