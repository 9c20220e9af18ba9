import type { Delegation, JobWarning } from '../device/types.js';

/**
 * Warnings that follow from what a runtime said it did with a delegate: nothing executed (the silent CPU fallback
 * of tensorflow#49012, #56301, #61100) or only part of the graph.
 */
export function delegationWarnings(d: Delegation | null | undefined): JobWarning[] {
  if (!d) return [];
  const counts = d.nodesDelegated !== null && d.nodesTotal !== null ? ` (${d.nodesDelegated} of ${d.nodesTotal} nodes)` : '';
  if (!d.applied || d.nodesDelegated === 0) {
    return [{ code: 'DELEGATE_NOT_APPLIED', message: `${d.delegate} was asked for but executed nothing${counts}: the job ran on the CPU.${d.verdict ? ` Runtime: "${d.verdict}"` : ''}` }];
  }
  if (d.nodesDelegated !== null && d.nodesTotal !== null && d.nodesDelegated < d.nodesTotal) {
    const parts = d.partitions !== null ? ` in ${d.partitions} partition(s)` : '';
    return [{ code: 'DELEGATE_PARTIAL', message: `${d.delegate} took ${d.nodesDelegated} of ${d.nodesTotal} nodes${parts}; the rest ran on the CPU.` }];
  }
  return [];
}
