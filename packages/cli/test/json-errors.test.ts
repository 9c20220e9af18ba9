/**
 * One JSON document: with `--json`, stdout holds exactly one JSON document for every exit code, failures
 * included, and entries name files as the user gave them. Every command is run on inputs that fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { gaugenn } from './cli.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gaugenn-json-'));
  await writeFile(join(dir, 'bad.tflite'), 'not a model at all');
  await writeFile(join(dir, 'broken.apk'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64, 7)]));
  await mkdir(join(dir, 'bad'));
  await writeFile(join(dir, 'bad', 'gaugenn.config.json'), JSON.stringify({ bench: { runz: 3 } }));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Run in `cwd`, parse stdout as ONE JSON document (JSON.parse fails on two), return it with the exit code. */
async function json(args: string[], cwd = dir): Promise<{ exitCode: number; doc: any }> {
  const r = await gaugenn([...args, '--json'], { cwd });
  let doc: unknown;
  expect(() => (doc = JSON.parse(r.stdout)), `stdout of gaugenn ${args.join(' ')} --json is not one JSON document:\n${r.stdout}`).not.toThrow();
  return { exitCode: r.exitCode, doc };
}

describe('--json gives one document on failure, for every command', () => {
  const store = () => ['--store', join(dir, 'g.db')];

  it('analyze: a file that is no model → its array, exit 1, the file named as given', async () => {
    const { exitCode, doc } = await json(['analyze', 'bad.tflite', ...store()]);
    expect(exitCode).toBe(1);
    expect(doc).toEqual([{ file: 'bad.tflite', error: expect.objectContaining({ code: 'MODEL_UNSUPPORTED' }) }]);
  }, 120_000);

  it('analyze: an unknown sha256 prefix → exit 1 with its entry', async () => {
    const { exitCode, doc } = await json(['analyze', 'deadbeef', ...store()]);
    expect(exitCode).toBe(1);
    expect(doc).toEqual([{ file: 'deadbeef', error: expect.objectContaining({ code: 'MODEL_NOT_FOUND' }) }]);
  }, 120_000);

  const dlcDir = fixture('snpe');
  it.skipIf(missing(join(dlcDir, 'sensifai_Enhancement_SNPE.dlc')))('analyze: a DLC (itself a zip) is named by the path given, not its inner entry', async () => {
    const { exitCode, doc } = await json(['analyze', 'sensifai_Enhancement_SNPE.dlc', '--store', join(dir, 'dlc.db')], dlcDir);
    expect([0, 1]).toContain(exitCode);
    expect(doc.map((e: { file: string }) => e.file)).toEqual(['sensifai_Enhancement_SNPE.dlc']);
  }, 120_000);

  it('extract: a path that does not exist → { error }, exit 2', async () => {
    const { exitCode, doc } = await json(['extract', 'no-such.apk', ...store()]);
    expect(exitCode).toBe(2);
    expect(doc.error.code).toBe('INPUT_NOT_FOUND');
  }, 120_000);

  it('extract: a broken APK is a recorded failure (exit 0), named as given', async () => {
    const { exitCode, doc } = await json(['extract', 'broken.apk', ...store()]);
    expect(exitCode).toBe(0);
    expect(doc).toHaveLength(1);
    expect(doc[0].file).toBe('broken.apk');
    expect(doc[0].errors.length).toBeGreaterThan(0);
  }, 120_000);

  for (const cmd of ['devices', 'bench', 'report', 'run', 'analyze', 'extract']) {
    it(`${cmd}: a config with a misspelt key → { error: CONFIG_INVALID }, exit 2`, async () => {
      const args = cmd === 'extract' ? ['extract', 'bad.tflite'] : [cmd];
      const { exitCode, doc } = await json([...args, '--config', 'bad/gaugenn.config.json', ...store()]);
      expect(exitCode).toBe(2);
      expect(doc.error.code).toBe('CONFIG_INVALID');
      expect(doc.error.message).toContain('runz');
    }, 120_000);
  }

  for (const cmd of ['extract', 'analyze', 'devices', 'bench', 'report', 'run', 'demo', 'setup']) {
    it(`${cmd}: an unknown flag → { error: USAGE }, exit 2`, async () => {
      const { exitCode, doc } = await json([cmd, '--no-such-flag']);
      expect(exitCode).toBe(2);
      expect(doc.error.code).toBe('USAGE');
    }, 120_000);
  }

  it('run with no sources → { error }, exit 2', async () => {
    const { exitCode, doc } = await json(['run', ...store()]);
    expect(exitCode).toBe(2);
    expect(doc.error.code).toBe('CONFIG_INVALID');
  }, 120_000);
});
