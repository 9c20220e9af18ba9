#!/usr/bin/env node
// The gaugenn command: oclif finds the commands in dist/commands (built by `npm ci` via the root prepare script).
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
