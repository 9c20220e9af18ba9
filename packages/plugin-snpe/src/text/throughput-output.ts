/**
 * snpe-throughput-net-run's summary. No verbatim capture was available: the one fact relied on is the
 * `Total throughput: <float>` figure that Olive's SNPE tooling reads (inferences per second), so the parse says
 * plainly when it is absent rather than guessing other lines.
 */
export interface ThroughputOutput {
  /** Inferences per second over the whole duration. */
  totalThroughput?: number;
}

export function parseThroughputOutput(text: string): ThroughputOutput {
  const m = /Total throughput:\s*([0-9]*\.?[0-9]+(?:[eE][-+]?\d+)?)/.exec(text);
  return m ? { totalThroughput: Number(m[1]) } : {};
}
