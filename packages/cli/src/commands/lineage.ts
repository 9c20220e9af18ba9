import { lineageJSON } from '@gaugenn/core';
import { BaseCommand } from '../base-command.js';
import { table } from '../format.js';

export default class Lineage extends BaseCommand<typeof Lineage> {
  static override summary = 'Identical, fine-tuned and related models over the whole store, from file and weight-tensor digests.';
  static override description = `identical: the same content in several apps, containers or names (or different files with all the same weights).
fine-tuned: all but a few non-trivial weight tensors shared, the differing ones at the model's head.
related: a shared backbone (some non-trivial tensors shared), more differs.
Trivial tensors (all zeros, scalars, tiny biases) never relate two models. Models must be analysed (gaugenn analyze) first.
--json gives { "pairs": [ { "a": { "name": "app!/path", "sha256" }, "b": {…}, "sharedTensors", "aTensors", "bTensors", "relation" } ] }.`;
  static override examples = ['<%= config.bin %> lineage', '<%= config.bin %> lineage --json --store study.db'];

  async run(): Promise<unknown> {
    const gauge = await this.gauge();
    const store = this.openStore(gauge);
    const out = lineageJSON(store);
    if (!this.jsonEnabled()) {
      if (out.pairs.length === 0) this.log('No two models are identical or share non-trivial weight tensors.');
      else this.log(table(['relation', 'a', 'b', 'shared', 'a tensors', 'b tensors'], out.pairs.map((p) => [p.relation, p.a.name, p.b.name, p.sharedTensors, p.aTensors, p.bTensors])));
    }
    return out;
  }
}
