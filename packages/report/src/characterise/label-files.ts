import type { Scanner } from '@gaugenn/core';

/** Entry names that hold class labels beside a model (`labels.txt`, `labelmap.pbtxt`, `coco.names`, …). */
const LABEL_NAME = /(^|\/)[^/]*(label|labels|labelmap|classes|class_names|coco|imagenet|vocab)[^/]*\.(txt|csv|names|pbtxt|json)$/i;

/** Finding id of a label file; its evidence is `N labels: first, second, …`. */
export const LABEL_FINDING = 'labels';

/** How many labels a label file lists: `item {` blocks of a pbtxt label map, else non-empty lines. */
export function countLabels(text: string): { count: number; first: string[] } {
  const items = text.match(/\bitem\s*\{/g);
  if (items) {
    const names = [...text.matchAll(/display_name\s*:\s*"([^"]*)"/g)].map((m) => m[1]!);
    return { count: items.length, first: names.slice(0, 3) };
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return { count: lines.length, first: lines.slice(0, 3) };
}

/**
 * Records label files as findings, so the report can name the label file beside a model as task evidence
 * (a 1001-line labels.txt beside a model with a 1×1001 output is a classifier). Reads small text entries only.
 */
export const labelFileScanner: Scanner = {
  name: 'report-label-files',
  maxBytes: 4 * 1024 * 1024,
  wants: (path, size) => size > 0 && size <= 4 * 1024 * 1024 && LABEL_NAME.test(path),
  scan(data, path, sink) {
    const { count, first } = countLabels(data.toString('utf8'));
    if (count === 0) return;
    sink.addFinding({ id: LABEL_FINDING, kind: 'other', evidence: `${count} labels: ${first.map((l) => l.slice(0, 40)).join(', ')}`, path });
  },
};
