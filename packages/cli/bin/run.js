#!/usr/bin/env node
// Former entry, kept for `node_modules/.bin/gaugenn` links made before bin/run.cjs (npm re-links on install).
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./run.cjs');
