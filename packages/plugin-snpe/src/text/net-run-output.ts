/**
 * snpe-net-run's console output (verified on SNPE 2.14.2 host and Android captures and a 2.22.6 host capture):
 * a banner with `SNPE v<version>`, `Processing graph : <name>` (2.22+), one `Processing DNN input(s):` per input
 * line, and `Successfully executed!` / `Successfully executed graph <name>` at the end. Failures print
 * `error_code=<n>; error_message=<text>; error_component=<c>; …`.
 */

export interface NetRunError {
  code: number;
  message: string;
  component?: string;
}

export interface NetRunOutput {
  sdkVersion?: string;
  graph?: string;
  /** How many `Processing DNN input(s):` blocks were printed (one per input-list line and run). */
  inputsProcessed: number;
  success: boolean;
  errors: NetRunError[];
}

export function parseNetRunOutput(text: string): NetRunOutput {
  const out: NetRunOutput = { inputsProcessed: 0, success: false, errors: [] };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^SNPE v(\S+)/.exec(line))) out.sdkVersion = m[1]!;
    else if ((m = /^Processing graph\s*:\s*(.+)$/.exec(line))) out.graph = m[1]!.trim();
    else if (line.startsWith('Processing DNN input(s)')) out.inputsProcessed++;
    else if (/^Successfully executed\b/.test(line)) out.success = true;
    else if ((m = /error_code=(\d+);\s*error_message=([^;]*(?:;(?!\s*error_component=)[^;]*)*);?\s*(?:error_component=([^;]*))?/.exec(line))) {
      out.errors.push({ code: Number(m[1]), message: m[2]!.trim(), ...(m[3] ? { component: m[3].trim() } : {}) });
    }
  }
  return out;
}
