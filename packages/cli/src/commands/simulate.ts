import { Args, Command, Flags } from '@oclif/core';
import { execFile } from 'node:child_process';
import { AdbDeviceSimulator, SIM_PROFILES } from '@gaugenn/plugin-android';

/**
 * Try gaugeNN without a phone: start simulated ADB devices (loopback adbds running commands in a sandbox on this
 * machine) and keep them up until Ctrl-C. Not a device: results measured on it describe this host.
 */
export default class Simulate extends Command {
  static override summary = 'Start a simulated Android device that the real adb server can connect to (for trying gaugeNN without a phone).';
  static override description = 'Prints the address to `adb connect`; runs until Ctrl-C. The simulator runs shell commands on this host inside a sandbox folder that looks like a phone (getprop, /proc/cpuinfo, cpufreq, thermal zones, battery).';
  static override examples = [
    '<%= config.bin %> simulate adb',
    '<%= config.bin %> simulate adb --profile sm7125 --port 5601 --connect',
    '<%= config.bin %> simulate adb --count 2 --json',
  ];

  static override args = { kind: Args.string({ description: 'what to simulate', options: ['adb'], default: 'adb' }) };

  static override flags = {
    port: Flags.integer({ description: 'TCP port on 127.0.0.1 (default: a free one); with --count, the first of consecutive ports' }),
    serial: Flags.string({ description: 'ro.serialno of the device (with --count, a -N suffix is added)' }),
    profile: Flags.string({ description: 'device profile', options: Object.keys(SIM_PROFILES), default: 'sm8450' }),
    dir: Flags.string({ description: 'sandbox folder (kept afterwards; default a temp folder, removed on exit)' }),
    count: Flags.integer({ description: 'how many devices', default: 1, min: 1, max: 16 }),
    connect: Flags.boolean({ description: 'also run `adb connect` for each device' }),
    'adb-port': Flags.integer({ description: 'adb server port for --connect (default 5037)' }),
    control: Flags.boolean({ description: 'also serve an HTTP control port per device (curl …/unplug, /replug, /heat?zone=all&c=45, /battery?levelPct=10, /state)' }),
    json: Flags.boolean({ description: 'print one JSON document describing the devices once they listen' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Simulate);
    const sims: AdbDeviceSimulator[] = [];
    const stop = async () => {
      for (const s of sims) await s.close();
    };
    try {
      for (let i = 0; i < flags.count; i++) {
        sims.push(await AdbDeviceSimulator.start({
          port: flags.port !== undefined ? flags.port + i : 0,
          serial: flags.serial && flags.count > 1 ? `${flags.serial}-${i + 1}` : flags.serial,
          profile: flags.profile,
          dir: flags.dir && flags.count > 1 ? `${flags.dir}/${i + 1}` : flags.dir,
          control: flags.control,
        }));
      }
    } catch (err) {
      await stop();
      this.error(`could not start the simulator: ${(err as Error).message} (is the port in use? try another --port)`, { exit: 1 });
    }
    const connected: Record<string, string> = {};
    if (flags.connect) {
      for (const s of sims) connected[s.address] = await adbConnect(s.address, flags['adb-port']);
    }
    const devices = sims.map((s) => ({ address: s.address, serial: s.serial, profile: s.profile.id, model: s.profile.props['ro.product.model'], dir: s.sandbox.dir, ...(s.controlUrl ? { control: s.controlUrl } : {}), ...(flags.connect ? { connect: connected[s.address] } : {}) }));
    if (flags.json) this.log(JSON.stringify({ devices }));
    else {
      for (const d of devices) this.log(`simulated ${d.model} (${d.profile}, serial ${d.serial}) listening on ${d.address}${d.control ? `, control ${d.control}` : ''}${d.connect ? ` — ${d.connect}` : ''}`);
      if (!flags.connect) this.log(`connect with: ${sims.map((s) => `adb connect ${s.address}`).join('; ')}`);
      this.log('This is a simulator: commands run on this host in a sandbox. Ctrl-C to stop.');
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await stop();
  }
}

/** `adb connect`, asynchronously: the simulator in this process must keep answering during the handshake. */
function adbConnect(address: string, port?: number): Promise<string> {
  const args = [...(port ? ['-P', String(port)] : []), 'connect', address];
  return new Promise((resolve) => execFile('adb', args, { timeout: 30_000 }, (err, stdout, stderr) => resolve((err && !stdout ? `adb connect failed: ${err.message}` : `${stdout}${stderr}`).trim())));
}
