#!/usr/bin/env node
// The gaugenn command: oclif finds the commands in dist/commands (built by `npm ci` via the root prepare script)
// through oclif.manifest.json, so start-up imports only the command that runs (see manifest.js).
import { manifestIsCurrent, writeManifest } from './manifest.js';

// A stale or missing manifest (commands rebuilt since) is rewritten; where the install is read-only, oclif
// falls back to importing every command, which is slower but correct.
if (!manifestIsCurrent()) await writeManifest().catch(() => {});
const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
