import { GaugeError } from '../errors/gauge-error.js';
import type { Gauge, ReportContext, ReportSection } from '../gauge.js';
import type { Store } from '../store/store.js';

/** What {@link writeReport} produced: every file the report plugins wrote. */
export interface WrittenReport {
  outDir: string;
  outputs: { kind: string; path: string }[];
  /** The main HTML file, when a renderer wrote one. */
  html?: string;
}

/**
 * Run the `report` hook: plugins add sections, then the renderers (the built-in `@gaugenn/report` and any other)
 * write their files into `outDir`. Core draws nothing itself (DESIGN.md); with no renderer loaded this fails
 * with a message that says which plugin to add.
 */
export async function writeReport(gauge: Gauge, store: Store, outDir: string, title = 'gaugeNN report'): Promise<WrittenReport> {
  const sections: ReportSection[] = [];
  const outputs: { kind: string; path: string }[] = [];
  const ctx: ReportContext = {
    store,
    storePath: store.path,
    outDir,
    title,
    addSection: (s) => sections.push(s),
    sections,
    addOutput: (kind, path) => outputs.push({ kind, path }),
    outputs,
  };
  await gauge.hooks.report.promise(ctx);
  if (outputs.length === 0) {
    throw new GaugeError('NO_HANDLER', 'No report plugin wrote anything. The CLI bundles @gaugenn/report; when you build a Gauge yourself, add it to `use` or to the builtins.', { hook: 'report' });
  }
  return { outDir, outputs, html: outputs.find((o) => o.kind === 'html')?.path };
}
