import { Args, Flags } from '@oclif/core';
import { GaugeError, analyzeTrace } from '@gaugenn/core';
import { importTrace, toPowerTrace } from '@gaugenn/plugin-energy-monsoon';
import { BaseCommand } from '../../base-command.js';

const fmt = (v: number | null, unit: string) => (v === null ? '—' : `${v.toPrecision(6)} ${unit}`);

export default class EnergyAnalyze extends BaseCommand<typeof EnergyAnalyze> {
  static override summary = 'Attribute energy in a power trace recorded before (Monsoon PowerTool CSV, or time_s,current_a,voltage_v CSV).';
  static override description = `Integrates power over a window of the trace (default: all of it) and, given a baseline window,
subtracts the idle power; given --inferences, divides by them (net of the baseline when one is given). Times are
seconds on the trace's own clock. PowerTool exports are read with the units their header states, including
comma-decimal locale exports. --json prints exactly { durationS, energyJ, avgPowerW, baselineW, netEnergyJ,
energyPerInferenceJ }, with null for what the flags leave undefined.`;
  static override examples = [
    '<%= config.bin %> energy analyze capture.csv --from 12.5 --to 42.5 --baseline-from 0 --baseline-to 10 --inferences 300 --json',
    '<%= config.bin %> energy analyze trace.csv --format csv',
  ];
  static override args = { trace: Args.string({ description: 'trace file', required: true }) };
  static override flags = {
    format: Flags.string({ description: 'trace format (default: detected from the header)', options: ['powertool', 'csv'] }),
    from: Flags.string({ description: 'window start, s' }),
    to: Flags.string({ description: 'window end, s' }),
    'baseline-from': Flags.string({ description: 'idle baseline start, s' }),
    'baseline-to': Flags.string({ description: 'idle baseline end, s' }),
    inferences: Flags.integer({ description: 'inferences in the window', min: 1 }),
  };

  private seconds(name: string, v: string | undefined): number | undefined {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new GaugeError('CONFIG_INVALID', `--${name} must be a number of seconds, not "${v}".`);
    return n;
  }

  async run(): Promise<unknown> {
    const f = this.flags;
    const imported = await importTrace(this.args.trace, f.format as 'powertool' | 'csv' | undefined);
    let r;
    try {
      r = analyzeTrace(toPowerTrace(imported), {
        from: this.seconds('from', f.from), to: this.seconds('to', f.to),
        baselineFrom: this.seconds('baseline-from', f['baseline-from']), baselineTo: this.seconds('baseline-to', f['baseline-to']),
        inferences: f.inferences,
      });
    } catch (e) {
      if (e instanceof RangeError) throw new GaugeError('CONFIG_INVALID', `${e.message}: check --from/--to and --baseline-from/--baseline-to against the trace's times.`);
      throw e;
    }
    const out = { durationS: r.durationS, energyJ: r.energyJ, avgPowerW: r.avgPowerW, baselineW: r.baselineW, netEnergyJ: r.netEnergyJ, energyPerInferenceJ: r.energyPerInferenceJ };
    if (!this.jsonEnabled()) {
      this.log(`${this.args.trace} (${imported.format}, ${imported.timesS.length} samples, power from ${imported.from})`);
      this.log(`  duration             ${fmt(out.durationS, 's')}`);
      this.log(`  energy               ${fmt(out.energyJ, 'J')}`);
      this.log(`  average power        ${fmt(out.avgPowerW, 'W')}`);
      this.log(`  baseline power       ${fmt(out.baselineW, 'W')}`);
      this.log(`  net energy           ${fmt(out.netEnergyJ, 'J')}`);
      this.log(`  energy per inference ${fmt(out.energyPerInferenceJ, 'J')}`);
    }
    return out;
  }
}
