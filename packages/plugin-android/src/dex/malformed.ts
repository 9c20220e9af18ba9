import { GaugeError } from '@gaugenn/core';

/**
 * The one way DEX code reports damage: an ARCHIVE_CORRUPT GaugeError that names the entry, says what is wrong,
 * and says the rest of the app is still analysed, so one broken `classes2.dex` never reads as a failed app.
 */
export function dexMalformed(path: string, detail: string): GaugeError {
  return new GaugeError(
    'ARCHIVE_CORRUPT',
    `${path} is malformed: ${detail}; its code is not searched for ML APIs, but other findings of the app are still reported.`,
    { plugin: 'android', subject: path },
  );
}
