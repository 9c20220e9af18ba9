/**
 * A stand-in SNPE SDK tree for tests: the SDK's folder layout (bin/<arch>/, lib/<arch>/, lib/hexagon-v73/unsigned/,
 * sdk.yaml) with STAND-IN shell scripts in place of Qualcomm's binaries (which no registry carries). Each stand-in
 * prints real captured output of the tool it stands for (../shared/fixtures/snpe/outputs), records the arguments,
 * environment and working directory it was called with, and snpe-net-run copies a real diagnostic log into
 * `--output_dir`. Libraries are placeholder files: only their names and where they are pushed matter here.
 */
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snpeOutput } from './fixtures.js';

export const DIAG_50 = snpeOutput('diaglogs/ISL_2024-05-02_CPU_SNPEDiag_0.log');
export const NET_RUN_CAPTURE = snpeOutput('snpe-net-run_console_v2.14.2_host_and_android.txt');
export const PV_CAPTURE = snpeOutput('snpe-platform-validator_v2.14.2_gpu_dsp_sm8450.txt');
export const PV_FAIL_CAPTURE = snpeOutput('snpe-platform-validator_dsp_FAIL_qrb5165.txt');
export const ERROR_CAPTURE = snpeOutput('snpe_runtime_error_messages_from_issues.txt');

export const ANDROID_LIBS = ['libSNPE.so', 'libSnpeHtpPrepare.so', 'libSnpeHtpV73Stub.so', 'libc++_shared.so'];
export const DSP_LIBS = ['libSnpeHtpV73Skel.so'];

function block(text: string, heading: string): string {
  const i = text.indexOf(`## ${heading}`);
  const body = text.slice(text.indexOf('\n', i) + 1);
  const j = body.indexOf('\n## ');
  return j >= 0 ? body.slice(0, j) : body;
}

export interface StandinSdk {
  root: string;
  /** Where the stand-ins write what they were called with. */
  calls: string;
  /** The last call of a stand-in: its arguments, environment lines and working directory. */
  lastCall(tool: string): Promise<{ args: string[]; env: Record<string, string>; cwd: string }>;
}

/** What the stand-ins do, per tool: `ok` prints the captured success, `fail` the captured failure. */
export interface StandinBehaviour {
  netRun?: 'ok' | 'error311';
  validator?: 'ok' | 'fail';
  /** Also create x86-64 Linux host binaries. */
  host?: boolean;
}

const recorder = (calls: string, tool: string) => `
# STAND-IN for the SDK's ${tool}, written by gaugeNN's tests; not Qualcomm's binary.
printf '%s\\n' "$@" > '${calls}/${tool}.args'
{ echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"; echo "ADSP_LIBRARY_PATH=$ADSP_LIBRARY_PATH"; } > '${calls}/${tool}.env'
pwd > '${calls}/${tool}.cwd'
`;

export async function standinSdk(b: StandinBehaviour = {}): Promise<StandinSdk> {
  const root = await mkdtemp(join(tmpdir(), 'gaugenn-standin-qairt-2.14.2-'));
  const calls = join(root, 'calls');
  await mkdir(calls);
  await writeFile(join(root, 'sdk.yaml'), 'version: 2.14.2.230905\n');
  const captured = await readFile(NET_RUN_CAPTURE, 'utf8');
  const androidOut = block(captured, 'Device');
  const pv = await readFile(PV_CAPTURE, 'utf8');
  const pvFail = (await readFile(PV_FAIL_CAPTURE, 'utf8')).split('## Success form')[0]!.split('\n').filter((l) => !l.startsWith('#') && !l.startsWith('ubuntu@')).join('\n');
  const err311 = block(await readFile(ERROR_CAPTURE, 'utf8'), 'https://github.com/qualcomm/qidk/issues/74 (2025-09-18, SNPE 2.x, --use_dsp)');
  const netRun = (calls: string) => `#!/bin/sh${recorder(calls, 'snpe-net-run')}
out=''; list=''
while [ $# -gt 0 ]; do case "$1" in --output_dir) out="$2"; shift;; --input_list) list="$2"; shift;; esac; shift; done
cp "$list" '${calls}/input_list.txt'
${b.netRun === 'error311' ? `cat <<'EOF'\n${err311.trim()}\nEOF\nexit 1` : `mkdir -p "$out" && cp '${DIAG_50}' "$out/SNPEDiag_0.log"\ncat <<'EOF'\n${androidOut.trim()}\nEOF`}
`;
  const validator = `#!/bin/sh${recorder(calls, 'snpe-platform-validator')}
${b.validator === 'fail' ? `cat <<'EOF'\n${pvFail.trim()}\nEOF` : `case "$2" in gpu) cat <<'EOF'\n${block(pv, '--runtime gpu').trim()}\nEOF\n;; *) cat <<'EOF'\n${block(pv, '--runtime dsp').trim()}\nEOF\n;; esac`}
`;
  const throughput = `#!/bin/sh${recorder(calls, 'snpe-throughput-net-run')}
echo 'Total throughput: 25.5 infs/sec'
`;
  for (const arch of ['aarch64-android', ...(b.host ? ['x86_64-linux-clang'] : [])]) {
    const bin = join(root, 'bin', arch);
    await mkdir(bin, { recursive: true });
    for (const [tool, body] of [['snpe-net-run', netRun(calls)], ['snpe-platform-validator', validator], ['snpe-throughput-net-run', throughput]] as const) {
      await writeFile(join(bin, tool), body);
      await chmod(join(bin, tool), 0o755);
    }
    const lib = join(root, 'lib', arch);
    await mkdir(lib, { recursive: true });
    for (const l of ANDROID_LIBS) await writeFile(join(lib, l), `stand-in ${l}\n`);
  }
  const dsp = join(root, 'lib', 'hexagon-v73', 'unsigned');
  await mkdir(dsp, { recursive: true });
  for (const l of DSP_LIBS) await writeFile(join(dsp, l), `stand-in ${l}\n`);
  return {
    root,
    calls,
    async lastCall(tool) {
      const args = (await readFile(join(calls, `${tool}.args`), 'utf8')).split('\n').slice(0, -1);
      const env = Object.fromEntries((await readFile(join(calls, `${tool}.env`), 'utf8')).trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      return { args, env, cwd: (await readFile(join(calls, `${tool}.cwd`), 'utf8')).trim() };
    },
  };
}
