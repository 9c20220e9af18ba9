/** The typed errors of the DLC readers: every structural fault is a GaugeError naming the file and what to do. */
import { GaugeError, type GaugeErrorCode } from '@gaugenn/core';

export function dlcError(code: GaugeErrorCode, message: string, subject?: string, cause?: unknown): GaugeError {
  return new GaugeError(code, message, { plugin: 'snpe', hook: 'parse', subject, cause });
}

/** A damaged record: what was wrong, and the advice every such message ends with. */
export function malformed(what: string, subject?: string, cause?: unknown): GaugeError {
  return dlcError('MODEL_MALFORMED', `${what}. The DLC is truncated or damaged; re-extract it, or re-convert the source model with the SNPE/QAIRT converter.`, subject, cause);
}
