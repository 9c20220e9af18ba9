import { GaugeError } from '@gaugenn/core';

/**
 * The one way manifest code reports damage: a MANIFEST_INVALID GaugeError whose message says what is wrong and
 * that the rest of the app is still analysed, so a broken manifest never reads as a failed app.
 */
export function manifestInvalid(detail: string, subject?: string): GaugeError {
  return new GaugeError(
    'MANIFEST_INVALID',
    `AndroidManifest.xml is malformed (${detail}); the app's package name and versions are not recorded, but the app's other findings are still reported.`,
    { plugin: 'android', subject },
  );
}
