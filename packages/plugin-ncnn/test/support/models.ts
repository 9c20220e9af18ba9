/** Where the ncnn test models are (../shared/fixtures/ncnn), and small helpers to read them. */
import { existsSync, readFileSync } from 'node:fs';
import { fixture } from '../../../../test-support/fixtures.js';
import { parseNcnn } from '../../src/index.js';

export const paramPath = (name: string) => fixture(`ncnn/${name}.param`);
export const binPath = (name: string) => fixture(`ncnn/${name}.bin`);

export const BENCH = ['bench_mobilenet', 'bench_resnet18', 'bench_googlenet', 'bench_shufflenet_v2', 'bench_squeezenet', 'bench_mobilenet_ssd', 'bench_mobilenet_int8', 'bench_blazeface'];
export const REAL = ['squeezenet_v1.1', 'mnet.25-opt', 'nanodet_m'];

/** Parse a fixture by name, with its .bin where one exists. */
export function parseFixture(name: string) {
  const bin = existsSync(binPath(name)) ? readFileSync(binPath(name)) : undefined;
  return parseNcnn({ param: readFileSync(paramPath(name)), bin });
}
