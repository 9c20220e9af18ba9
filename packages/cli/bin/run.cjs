#!/usr/bin/env node
// The gaugenn command: oclif finds the commands in dist/commands (built by `npm ci` via the root prepare script)
// through oclif.manifest.json, so start-up imports only the command that runs (see manifest.cjs). CommonJS, like
// oclif: no ESM loader is paid for before oclif runs; the commands themselves are ES modules oclif imports.
'use strict';
const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  // `--version` needs the package's version and nothing else: answered without loading oclif, in oclif's own
  // format (`gaugenn/0.1.0 linux-x64 node-v20.19.0`).
  const { name, version } = require('../package.json');
  const arch = process.arch === 'ia32' ? 'x86' : process.arch;
  process.stdout.write(`${name}/${version} ${process.platform}-${arch} node-${process.version}\n`);
} else {
  (async () => {
    const { manifestIsCurrent, writeManifest } = require('./manifest.cjs');
    // A stale or missing manifest (commands rebuilt since) is rewritten; where the install is read-only, oclif
    // falls back to importing every command, which is slower but correct.
    if (!manifestIsCurrent()) await writeManifest().catch(() => {});
    // The `execute` entry alone, not oclif's whole index (its ux and parser helpers load when a command needs them).
    const { execute } = require('@oclif/core/execute');
    await execute({ dir: __filename });
  })();
}
