// oclif's command manifest (oclif.manifest.json): with it, `--help` and command lookup read one JSON file instead
// of importing every command (and through them core and every plugin). Written by the build
// (`node packages/cli/bin/manifest.cjs`) and rewritten by bin/run.cjs whenever the built commands are newer.
// CommonJS, like oclif itself: start-up pays for no ESM loader before oclif runs.
'use strict';
const { readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const MANIFEST = join(root, 'oclif.manifest.json');

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
function manifestIsCurrent() {
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
async function writeManifest() {
  const { Plugin } = require('@oclif/core');
  const plugin = new Plugin({ root, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true });
  await plugin.load();
  writeFileSync(MANIFEST, JSON.stringify(plugin.manifest, null, 1) + '\n');
}

module.exports = { MANIFEST, manifestIsCurrent, writeManifest };

if (require.main === module) {
  writeManifest().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
