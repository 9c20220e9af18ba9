// execa is imported on first use, as elsewhere in core (it costs ~70 ms to load).
const loadExeca = async () => (await import('execa')).execa;
import { GaugeError } from '../errors/gauge-error.js';
import type { Device, RunRequest, RunResult, Runner } from '../device/types.js';
import { sleep } from './sleep.js';

/** `bench.unplugged`: host commands that cut and restore the device's USB power, and how long it stays cut. */
export interface UnpluggedOptions {
  powerOff: string;
  powerOn: string;
  windowMs: number;
  settleMs?: number;
}

async function hostCommand(line: string, what: string): Promise<void> {
  const r = await (await loadExeca())(line, { shell: true, reject: false, timeout: 60_000 });
  if (r.exitCode !== 0) {
    throw new GaugeError('DEVICE_UNAVAILABLE', `The ${what} command \`${line}\` exited with ${r.exitCode ?? 'a signal'}: ${String(r.stderr || r.message).slice(0, 400)}. Check bench.unplugged.${what} (ykushcmd, uhubctl, …).`);
  }
}

/**
 * Unplugged mode, as the study ran it: the host deploys the job; the device starts it detached from adb (output to a
 * file); USB power is cut by the configured command, so the phone runs on its battery with no USB current flowing;
 * after the window the host restores power, waits for the device, and collects the output. The runner must offer
 * `prepare()` (one command that measures the whole job) and the transport `spawnDetached`.
 */
export async function runUnplugged(runner: Runner, device: Device, request: RunRequest, u: UnpluggedOptions): Promise<RunResult> {
  const t = device.transport;
  if (!runner.prepare || !t.spawnDetached) {
    throw new GaugeError('BACKEND_UNSUPPORTED', `Unplugged mode needs a runner that measures a job in one command and a device that can start it detached; the ${runner.framework} runner on ${device.id} cannot. Leave bench.unplugged out for this framework.`);
  }
  const inv = await runner.prepare(device, request);
  const dir = (await t.workDir()).replace(/\/+$/, '');
  const tag = `unplugged-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const outFile = `${dir}/${tag}.out`;
  const rcFile = `${dir}/${tag}.rc`;
  await t.spawnDetached(inv.command, inv.args, { cwd: inv.cwd, env: inv.env, outFile, rcFile });
  const deadline = Date.now() + request.timeoutMs;
  try {
    await hostCommand(u.powerOff, 'powerOff');
    await sleep((u.settleMs ?? 0) + u.windowMs, request.signal);
  } finally {
    await hostCommand(u.powerOn, 'powerOn');
  }
  if (device.waitForReturn && !(await device.waitForReturn(Math.max(1000, deadline - Date.now()), request.signal))) {
    throw new GaugeError('DEVICE_LOST', `${device.id} did not come back after USB power was restored. Check the hub and the powerOn command; the job will run again.`);
  }
  // The job may still be running on battery when power returns: wait for its exit code.
  let rc: string | undefined;
  for (;;) {
    rc = await t.readFile(rcFile).then((b) => b.toString('utf8').trim(), () => undefined);
    if (rc !== undefined && rc !== '') break;
    if (Date.now() > deadline) {
      throw new GaugeError('RUNNER_TIMEOUT', `The detached run on ${device.id} did not finish within ${request.timeoutMs} ms. Raise bench.timeoutMs or bench.unplugged.windowMs.`);
    }
    await sleep(500, request.signal);
  }
  const stdout = (await t.readFile(outFile)).toString('utf8');
  const files: Record<string, Buffer> = {};
  for (const f of inv.outputs ?? []) files[f] = await t.readFile(f);
  const result = await inv.parse({ exitCode: Number(rc), stdout, stderr: '', files });
  for (const f of [outFile, rcFile]) await t.remove?.(f).catch(() => undefined);
  return { ...result, extra: { ...(result.extra ?? {}), unplugged: { windowMs: u.windowMs, settleMs: u.settleMs ?? 0 } } };
}
