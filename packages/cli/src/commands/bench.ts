import { Args, Flags } from '@oclif/core';
import { benchJSON, deviceSpecFromFlag, planBench, runBench, withProgress, type BenchPlan } from '@gaugenn/core';
import { BaseCommand } from '../base-command.js';
import { ms, table } from '../format.js';

export default class Bench extends BaseCommand<typeof Bench> {
  static override summary = 'Measure the analysed models on the configured devices and backends.';
  static override description = `One job per (device, model, backend, threads). Each job waits for the device to cool
below the thermal threshold, runs the warm-up, then keeps every timed sample. Jobs already in the store are not
measured again; jobs a killed campaign left unfinished run again. A model that fails is recorded as a failed job with
its cause and the campaign goes on (exit code 0; failures are data). Settings come from \`bench\` in the config.`;
  static override examples = [
    '<%= config.bin %> bench',
    '<%= config.bin %> bench --runs 50 --threads 1 --threads 4 --json',
    '<%= config.bin %> bench --device adb --backend cpu --backend gpu --backend nnapi',
    '<%= config.bin %> bench --campaign replicate-2 --device adb:R58M123ABC',
  ];
  static override strict = false;
  static override args = { models: Args.string({ description: 'sha256 prefixes or paths of stored models (default: all analysed)', required: false }) };
  static override flags = {
    runs: Flags.integer({ description: 'timed runs per job', min: 1 }),
    warmup: Flags.integer({ description: 'warm-up runs per job', min: 0 }),
    threads: Flags.integer({ description: 'CPU threads (repeat for several)', multiple: true, min: 1 }),
    backend: Flags.string({ description: 'backend (repeat for several): cpu, gpu, nnapi, dsp, …', multiple: true }),
    'retry-failed': Flags.boolean({ description: 'measure failed jobs again' }),
    campaign: Flags.string({ description: 'campaign name: a job is unique per (campaign, device, model, backend, threads), so a new name measures again', default: 'default' }),
    device: Flags.string({ description: 'device to use instead of the config\'s: host, adb (every online device), adb:SERIAL (repeat for several)', multiple: true }),
  };

  async run(): Promise<unknown> {
    const { argv } = await this.parse(Bench);
    const gauge = await this.gauge();
    const b = gauge.config.bench;
    if (this.flags.runs) b.runs = this.flags.runs;
    if (this.flags.warmup !== undefined) b.warmup = this.flags.warmup;
    if (this.flags.threads?.length) b.threads = this.flags.threads;
    if (this.flags.backend?.length) b.backends = this.flags.backend;
    const store = this.openStore(gauge);
    if (this.flags['retry-failed']) store.retryFailed(this.flags.campaign);
    const devices = this.flags.device?.map(deviceSpecFromFlag);

    const ac = new AbortController();
    const stop = () => ac.abort(new Error('interrupted'));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const ctx = { plan: undefined as BenchPlan | undefined };
    await withProgress(
      [
        { title: 'Planning jobs', task: async (c, task) => {
          c.plan = await planBench(gauge, store, { models: argv as string[], campaign: this.flags.campaign, devices });
          task.title = `Planned campaign "${c.plan.campaign}": ${c.plan.added} new job(s), ${c.plan.pending.length} to run on ${c.plan.devices.map((d) => d.id).join(', ') || 'no device'}`;
        } },
        { title: 'Measuring', skip: (c) => !c.plan?.pending.length && 'nothing left to measure', task: async (c, task) => {
          await runBench(gauge, store, c.plan!, (j, i, n) => { task.output = `${i + 1}/${n} ${j.deviceId} ${j.model.slice(0, 12)} ${j.backend}x${j.threads}: ${j.status}`; }, ac.signal);
        } },
      ],
      this.quiet,
      ctx,
    );
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    const plan = ctx.plan!;
    const json = benchJSON(store, plan.devices.map((d) => d.id), plan.campaign);
    if (!this.jsonEnabled()) {
      if (plan.devices.length === 0) this.log('No device to measure on: none of the configured devices is reachable (see the lines above).');
      this.log(table(['model', 'device', 'backend', 'threads', 'status', 'n', 'median ms', 'p90 ms', 'notes'], json.jobs.map((j) => [
        j.model, j.device, j.backend, j.threads, j.status, j.samplesKind === 'aggregate' ? `${j.stats.count} (aggregate)` : j.samplesMs.length, ms(j.median), ms(j.p90),
        [j.error ? `${j.error.code}: ${j.error.message.split('\n')[0]!.slice(0, 80)}` : '', ...j.warnings.map((w) => w.code), j.attempts > 1 ? `${j.attempts} attempts` : ''].filter(Boolean).join('; '),
      ])));
      for (const s of plan.skipped) this.warn(`skipped ${s.model} on ${s.device}: ${s.reason}`);
      for (const u of plan.unreachable) this.warn(`unreachable ${JSON.stringify(u.spec)}: ${u.reason}`);
      this.log(`\nStore: ${store.path}`);
    }
    return json;
  }
}
