/**
 * snpe-platform-validator's output (verified on a passing SM8450 GPU/DSP capture with SNPE 2.14.2 and a failing
 * QRB5165 DSP capture): `Unit Test on the runtime <R>: Passed|Failed.`, `SNPE is [NOT ]supported for runtime <R> on
 * the device.`, `Runtime <R> Prerequisites: Present|Absent.`, `Library Version of the runtime <R>: …`, `Core
 * Version of the runtime <R>: …`, and `PF_VALIDATOR: ERROR: …` lines.
 */

export interface RuntimeVerdict {
  runtime: string;
  unitTest?: 'passed' | 'failed';
  supported?: boolean;
  prerequisites?: boolean;
  libVersion?: string;
  coreVersion?: string;
}

export interface PlatformValidatorReport {
  runtimes: Record<string, RuntimeVerdict>;
  errors: string[];
}

export function parsePlatformValidator(text: string): PlatformValidatorReport {
  const out: PlatformValidatorReport = { runtimes: {}, errors: [] };
  const rt = (name: string) => (out.runtimes[name.toUpperCase()] ??= { runtime: name.toUpperCase() });
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim().replace(/^_+|_+$/g, '');
    let m: RegExpExecArray | null;
    if ((m = /Unit Test on the runtime (\w+):\s*(Passed|Failed)/i.exec(line))) rt(m[1]!).unitTest = m[2]!.toLowerCase() as 'passed' | 'failed';
    else if ((m = /SNPE is (NOT )?supported for runtime (\w+)/i.exec(line))) rt(m[2]!).supported = !m[1];
    else if ((m = /Runtime (\w+) Prerequisites:\s*(Present|Absent|Not Present)/i.exec(line))) rt(m[1]!).prerequisites = /^present$/i.test(m[2]!);
    else if ((m = /Library Version of the runtime (\w+):\s*(.+)$/i.exec(line))) rt(m[1]!).libVersion = m[2]!.trim();
    else if ((m = /Core Version of the runtime (\w+):\s*(.+)$/i.exec(line))) rt(m[1]!).coreVersion = m[2]!.trim();
    else if ((m = /PF_VALIDATOR: ERROR:\s*(.+)$/.exec(line))) out.errors.push(m[1]!.trim());
  }
  return out;
}

/** Whether the validator says the runtime can run: a passed unit test, or support/prerequisites stated present. */
export function runtimeUsable(r: RuntimeVerdict | undefined): boolean | undefined {
  if (!r) return undefined;
  if (r.unitTest === 'failed' || r.supported === false || r.prerequisites === false) return false;
  if (r.unitTest === 'passed' || r.supported === true || r.prerequisites === true) return true;
  return undefined;
}
