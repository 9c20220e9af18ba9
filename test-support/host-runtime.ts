/**
 * The host runtimes (LiteRT, ncnn, OpenCV DNN) as the runners see them: in gaugeNN's own venv (core's
 * `hostPython()`), which `npm test` fills with `gaugenn setup` when it lacks them (scripts/test.mjs). A test that
 * still finds one missing skips with a message naming the interpreter and the fix.
 */
import { execFileSync } from 'node:child_process';
import { hostPython } from '@gaugenn/core';

export { hostPython };

/** Skip reason when `hostPython()` cannot run `code` (e.g. `import ncnn`), else undefined. */
export function runtimeMissing(code: string, what: string): string | undefined {
  try {
    execFileSync(hostPython(), ['-c', code], { stdio: 'ignore', timeout: 120_000 });
    return undefined;
  } catch {
    const why = `${hostPython()} cannot ${code.split(';')[0]} (${what}): run \`npx gaugenn setup\``;
    process.stderr.write(`[skip] ${why}\n`);
    return why;
  }
}
