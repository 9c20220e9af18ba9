/**
 * Backend truth: what the TFLite runtime said it did with the delegate a job asked for, read from its own lines
 * (partitioning, kernel counts, the benchmark tool's verdict), turned into core's `Delegation` and job warnings.
 * `DELEGATE_PARTIAL`: the delegate took only part of the graph. `DELEGATE_NOT_APPLIED`: it was asked for and ran
 * nothing, the silent CPU fallback users report in tensorflow#49012 and #56301.
 */
import type { AggregateStats, Delegation, JobWarning } from '@gaugenn/core';
import type { BenchmarkModelOutput, BenchmarkStat, PartitionLine } from './benchmark-model-output.js';

/** How each backend's delegate names itself in the runtime's lines. */
const DELEGATES: Record<string, { label: string; tool: RegExp; kernel: RegExp }> = {
  gpu: { label: 'GPU', tool: /^GPU$/i, kernel: /gpu|LITERT_CL/i },
  nnapi: { label: 'NNAPI', tool: /^NNAPI$/i, kernel: /nnapi/i },
  hexagon: { label: 'Hexagon', tool: /^Hexagon$/i, kernel: /hexagon/i },
  xnnpack: { label: 'XNNPACK', tool: /^XNNPACK$/i, kernel: /xnnpack/i },
  npu: { label: 'NPU', tool: /^(NPU|Dispatch|QNN)$/i, kernel: /Dispatch|Qnn|npu/i },
};

/** The delegate a backend asks for, or undefined for plain CPU. */
export function delegateOf(backend: string): string | undefined {
  return backend === 'cpu' ? undefined : DELEGATES[backend] ? backend : undefined;
}

export interface BackendTruth {
  delegation: Delegation | null;
  warnings: JobWarning[];
}

/** Read the delegation of `backend` (cpu → null) from a parsed output, with the warnings it calls for. */
export function backendTruth(out: BenchmarkModelOutput, backend: string): BackendTruth {
  const key = delegateOf(backend);
  if (!key) return { delegation: null, warnings: [] };
  const d = DELEGATES[key]!;
  const lines = out.partitionLines.filter((p) => d.kernel.test(p.delegate));
  const last: PartitionLine | undefined = lines.at(-1);
  const verdict = out.verdicts.filter((v) => d.tool.test(v.delegate)).at(-1);
  const created = out.created.some((c) => d.tool.test(c) || d.kernel.test(c));
  const failed = out.failedToApply.some((f) => d.tool.test(f));
  const unsupported = out.unsupported.some((u) => d.tool.test(u));
  const gpu = key === 'gpu' ? out.gpuUnsupported : null;

  let nodesDelegated = last?.nodesDelegated ?? null;
  let nodesTotal = last?.nodesTotal ?? null;
  if (nodesDelegated === null && gpu?.onGpu != null) nodesDelegated = gpu.onGpu;
  if (nodesTotal === null && gpu?.onGpu != null && gpu.onCpu != null) nodesTotal = gpu.onGpu + gpu.onCpu;
  const kernels = key === 'gpu' ? out.gpuKernels : null;
  // Op profiling of the regular runs names each delegate partition as one node of the delegate's kernel type:
  // evidence of what ran where even when the partition line was not captured (TF 2.4 tails).
  const regular = out.profile.filter((b) => b.phase !== 'init').at(-1);
  const profiled = regular?.byNodeType.filter((r) => d.kernel.test(r.nodeType) || (key === 'gpu' && r.nodeType === 'DELEGATE')) ?? [];
  const profiledKernels = profiled.reduce((n, r) => n + r.count, 0);
  const profiledOthers = (regular?.byNodeType ?? []).filter((r) => !profiled.includes(r)).reduce((n, r) => n + r.count, 0);

  // Evidence against first: each of these means the delegate executed nothing.
  const none =
    failed ||
    unsupported ||
    verdict?.kind === 'none' ||
    kernels === 0 ||
    (last !== undefined && last.nodesDelegated === 0) ||
    (verdict === undefined && last === undefined && (kernels ?? 0) === 0 && gpu?.onGpu == null && profiledKernels === 0);
  const applied =
    !none &&
    (verdict?.kind === 'complete' || verdict?.kind === 'partial' || (last?.nodesDelegated ?? 0) > 0 || (kernels ?? 0) > 0 || (gpu?.onGpu ?? 0) > 0 || profiledKernels > 0);

  const delegation: Delegation = {
    delegate: last?.delegate ?? (profiled[0]?.nodeType !== 'DELEGATE' ? profiled[0]?.nodeType : undefined) ?? verdict?.delegate ?? d.label,
    applied,
    nodesDelegated: none ? (nodesDelegated ?? 0) : nodesDelegated,
    nodesTotal,
    partitions: none ? (last?.partitions ?? 0) : (last?.partitions ?? (profiledKernels > 0 ? profiledKernels : null)),
  };
  const verdictLine = verdict?.line ?? last?.line;
  if (verdictLine) delegation.verdict = verdictLine;

  const warnings: JobWarning[] = [];
  if (!applied) {
    const why = failed
      ? `the runtime printed "Failed to apply ${d.label} delegate."`
      : unsupported
        ? `the runtime said "${d.label} acceleration is unsupported on this platform."`
        : verdict?.kind === 'none'
          ? `the runtime said: "${verdict.line}"`
          : kernels === 0
            ? 'the runtime printed "Created 0 GPU delegate kernels."'
            : last
              ? `the runtime printed "${last.line}"`
              : created
                ? `the ${d.label} delegate was created but no line says it took any node`
                : `no line of the runtime says a ${d.label} delegate was created or took any node`;
    warnings.push({
      code: 'DELEGATE_NOT_APPLIED',
      message: `The ${d.label} delegate executed nothing: ${why}. The whole model ran on the CPU (nodes delegated: ${delegation.nodesDelegated ?? 0}${nodesTotal !== null ? ` of ${nodesTotal}` : ''}).`,
    });
  } else {
    const partialNodes = nodesDelegated !== null && nodesTotal !== null && nodesDelegated < nodesTotal;
    const gpuLeftOps = (gpu?.ops.length ?? 0) > 0 && gpu?.onCpu !== 0;
    const profiledPartial = last === undefined && verdict === undefined && profiledKernels > 0 && profiledOthers > 0;
    if (partialNodes || verdict?.kind === 'partial' || gpuLeftOps || profiledPartial) {
      const counts =
        nodesDelegated !== null && nodesTotal !== null
          ? `took ${nodesDelegated} of ${nodesTotal} nodes${last ? ` in ${last.partitions} partition${last.partitions === 1 ? '' : 's'}` : ''}; the other ${nodesTotal - nodesDelegated} ran on the CPU`
          : verdict?.kind === 'partial'
            ? `was applied with ${verdict.kernels ?? '?'} delegate kernels; the nodes left on the CPU were not counted in the output`
            : profiledPartial
              ? `ran as ${profiledKernels} delegate kernel${profiledKernels === 1 ? '' : 's'} in the op profile, beside ${profiledOthers} nodes on the CPU`
              : `took ${nodesDelegated ?? '?'} operations; the GPU delegate reported ops it cannot run, which stayed on the CPU`;
      const ops = gpu?.ops.length ? ` Unsupported on the GPU: ${gpu.ops.map((o) => o.op).join(', ')}.` : '';
      warnings.push({ code: 'DELEGATE_PARTIAL', message: `The ${d.label} delegate (${delegation.delegate}) ${counts}.${ops}` });
    }
  }
  return { delegation, warnings };
}

/** A stat line in µs as core's aggregate statistics in ms (nulls where the tool printed nothing). */
export function aggregateOf(stat: BenchmarkStat): AggregateStats {
  // Rounded to the nanosecond so µs values print as they were (63743.2 µs → 63.7432 ms).
  const ms = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1e6);
  return { count: stat.count, mean: ms(stat.avg), std: ms(stat.std), min: ms(stat.min), max: ms(stat.max), median: ms(stat.median), p5: ms(stat.p5), p95: ms(stat.p95) };
}
