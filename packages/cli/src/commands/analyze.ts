import { Args, Flags } from '@oclif/core';
import { analyzeStoredModel, extractApps, GaugeError, modelGraphJSON, withProgress, type AnalyzeOutcome, type AppRef, type StoredModel } from '@gaugenn/core';
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { BaseCommand } from '../base-command.js';
import { mega, table } from '../format.js';

/** True when a file starts like a zip (APK, XAPK, …): such a file is an app of its own. */
function isZipFile(p: string): boolean {
  const fd = openSync(p, 'r');
  try {
    const b = Buffer.alloc(4);
    readSync(fd, b, 0, 4, 0);
    return b.readUInt32LE(0) === 0x04034b50;
  } finally {
    closeSync(fd);
  }
}

export default class Analyze extends BaseCommand<typeof Analyze> {
  static override summary = 'Characterise models: layers, MACs, FLOPs, parameters, inputs, quantization, modality.';
  static override description = `With files, analyses those models (and records them in the store so \`bench\` can measure them).
With sha256 prefixes, analyses those stored models again. With no arguments, analyses every model in the store
not analysed yet. MACs count multiply-accumulates of conv/FC/matmul/recurrent layers; FLOPs = 2 x MACs + one per
output element of other arithmetic layers. The two are never mixed.`;
  static override examples = ['<%= config.bin %> analyze model.tflite --json', '<%= config.bin %> analyze', '<%= config.bin %> analyze 3fa9c1'];
  static override strict = false;
  static override args = { models: Args.string({ description: 'model files, or sha256 prefixes of stored models', required: false }) };
  static override flags = { layers: Flags.boolean({ description: 'print the layer table of each model' }) };

  async run(): Promise<unknown> {
    const { argv } = await this.parse(Analyze);
    const gauge = await this.gauge();
    const store = this.openStore(gauge);
    const targets: { label: string; model: StoredModel }[] = [];
    const failures: { file: string; error: ReturnType<GaugeError['toJSON']> }[] = [];
    // Loose files given together are one bundle, so a model's parts pair up (`net.param net.bin`,
    // `deploy.prototxt weights.caffemodel`); an archive is its own app.
    const files = (argv as string[]).filter((a) => existsSync(a) && statSync(a).isFile());
    const loose = files.filter((f) => !isZipFile(f));
    const bundles: AppRef[] = [
      ...(loose.length ? [{ id: resolve(loose[0]!), files: loose.map((f) => resolve(f)), source: 'files' }] : []),
      ...files.filter(isZipFile).map((f) => ({ id: resolve(f), files: [resolve(f)], source: 'files' })),
    ];
    // Entries name the files as the user gave them; a model inside an archive given here (an APK, a DLC) is
    // that file when it is the only one, else `file!/entry`.
    const given = this.asGiven(argv as string[]);
    for (const x of await extractApps(gauge, store, bundles)) {
      const claimed = new Set(x.models.flatMap((m) => m.files.map((f) => f.entry)));
      const loneFile = x.app.files.length === 1;
      for (const m of x.models) {
        const file = given(x.app.files[0]!);
        const label = !loneFile ? (x.app.files.map(given).find((f) => basename(f) === m.path) ?? m.path) : x.models.length === 1 ? file : `${file}!/${m.path}`;
        targets.push({ label, model: store.model(m.sha256)! });
      }
      for (const f of x.app.files) {
        if (x.models.length === 0 || (x.app.files.length > 1 && !claimed.has(basename(f)))) {
          const err = x.errors.find((e) => e.subject === f) ?? new GaugeError('MODEL_UNSUPPORTED', `${given(f)} is not a model any loaded plugin recognises. Known frameworks: ${gauge.parseFrameworks().join(', ')}.`, { subject: given(f) }).toJSON();
          failures.push({ file: given(f), error: err });
        }
      }
    }
    for (const a of argv as string[]) {
      if (existsSync(a)) {
        if (statSync(a).isDirectory()) failures.push({ file: a, error: new GaugeError('INPUT_NOT_FOUND', `${a} is a directory; give model files, or use \`gaugenn extract --dir-as-app ${a}\` then \`gaugenn analyze\`.`, { subject: a }).toJSON() });
      } else {
        const found = store.models().filter((m) => m.sha256.startsWith(a));
        if (found.length !== 1) {
          failures.push({ file: a, error: new GaugeError('MODEL_NOT_FOUND', found.length ? `${a} matches ${found.length} stored models; give more of the sha256.` : `${a} is neither a file nor the sha256 prefix of a stored model. Run \`gaugenn extract\` first, or check the path.`, { subject: a }).toJSON() });
          continue;
        }
        targets.push({ label: found[0]!.firstPath, model: found[0]! });
      }
    }
    if ((argv as string[]).length === 0) for (const m of store.models({ pending: true })) targets.push({ label: m.firstPath, model: m });

    const ctx = { outcomes: [] as { label: string; o: AnalyzeOutcome }[] };
    await withProgress(
      [{ title: `Analysing ${targets.length} model(s)`, task: async (c, task) => {
        for (const [i, t] of targets.entries()) {
          task.output = `${i + 1}/${targets.length} ${t.label}`;
          c.outcomes.push({ label: t.label, o: await analyzeStoredModel(gauge, store, t.model) });
        }
      } }],
      this.quiet,
      ctx,
    );
    const out: unknown[] = [];
    for (const { label, o } of ctx.outcomes) {
      if (o.graph) out.push(modelGraphJSON(label, o.model.sha256, o.graph));
      else failures.push({ file: label, error: o.error.toJSON() });
    }
    for (const f of failures) out.push({ file: f.file, error: f.error });
    if (!this.jsonEnabled()) {
      const ok = ctx.outcomes.filter((x) => x.o.graph);
      this.log(table(['model', 'framework', 'MACs (M)', 'params (M)', 'layers', 'quant', 'modality', 'inputs'], ok.map(({ label, o }) => [
        label, o.graph!.framework, mega(o.graph!.totals.macs), mega(o.graph!.totals.params), o.graph!.layers.length, o.graph!.quantization.scheme, o.graph!.modality,
        o.graph!.inputs.map((i) => `${i.shape.join('x')} ${i.dtype}`).join(', '),
      ])));
      if (this.flags.layers) {
        for (const { label, o } of ok) {
          this.log(`\n${label}`);
          this.log(table(['#', 'op', 'category', 'output', 'MACs', 'params'], o.graph!.layers.map((l) => [l.index, l.op, l.category, l.outputShapes.map((s) => s.join('x')).join(' '), l.macs, l.params])));
        }
      }
      for (const f of failures) this.warn(`${f.file}: ${f.error.code}: ${f.error.message}`);
      if (targets.length === 0 && failures.length === 0) this.log('Nothing to analyse: every stored model is analysed. Give files or sha256 prefixes to analyse again.');
    }
    // Exit 1 when some input could not be analysed; with --json the one document printed is `out`.
    if (failures.length) process.exitCode = 1;
    return out;
  }
}
