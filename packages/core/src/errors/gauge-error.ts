/**
 * Every failure gaugeNN reports is a GaugeError: a stable `code` scripts can match on, a message that says
 * what happened and what to do, and where it came from (plugin and hook), as Rollup does.
 */

/** Stable error codes. Add new ones here so they stay discoverable. */
export const ERROR_CODES = {
  CONFIG_INVALID: 'Configuration does not match the schema',
  CONFIG_LOAD: 'Configuration file could not be loaded',
  PLUGIN_LOAD: 'A plugin could not be loaded',
  PLUGIN_INVALID: 'A plugin object is malformed',
  PLUGIN_HOOK: 'A plugin hook threw',
  NO_HANDLER: 'No plugin handles this key',
  INPUT_NOT_FOUND: 'An input path does not exist',
  ARCHIVE_CORRUPT: 'An archive is truncated or malformed',
  ARCHIVE_UNSUPPORTED: 'An archive uses a feature gaugeNN does not read',
  ARCHIVE_PATH_TRAVERSAL: 'An archive entry name escapes the extraction root',
  ARCHIVE_BOMB: 'An archive entry expands beyond the safety limits',
  ARCHIVE_CRC: 'An archive entry fails its CRC check',
  ARCHIVE_TOO_MANY_ENTRIES: 'An archive has more entries than the safety limit',
  ARCHIVE_DUPLICATE_ENTRY: 'An archive has two entries with the same name',
  ARCHIVE_SYMLINK: 'An archive entry is a symbolic link',
  ARCHIVE_NESTING: 'Archives are nested deeper than the limit',
  MANIFEST_INVALID: 'The binary AndroidManifest.xml could not be read',
  MODEL_MALFORMED: 'A model file is malformed',
  MODEL_UNSUPPORTED: 'A model uses a feature the parser does not know',
  MODEL_NOT_FOUND: 'A model is not in the store',
  RUNNER_MISSING: 'A runner or its runtime is not installed',
  RUNNER_FAILED: 'A runner exited with an error',
  RUNNER_OUTPUT: 'A runner printed output that could not be read',
  RUNNER_TIMEOUT: 'A runner did not finish in time',
  BACKEND_UNSUPPORTED: 'The backend is not offered for this device and framework',
  DEVICE_UNAVAILABLE: 'A device is not reachable',
  DEVICE_LOST: 'A device went away during a command (unplugged, rebooted, adb server gone)',
  DEVICE_BUSY: 'A device is reserved or used by someone else',
  DELEGATE_PARTIAL: 'A delegate took only part of the graph; the rest ran on the CPU',
  DELEGATE_NOT_APPLIED: 'A delegate was asked for but executed nothing (silent CPU fallback)',
  BATTERY_LOW: 'The device battery stayed under the configured floor',
  THERMAL_GATE: 'The device stayed above the thermal threshold for the whole wait',
  SNPE_SDK_MISSING: 'The Qualcomm SNPE/QAIRT SDK is not configured or not found',
  ENERGY_SOURCE_UNAVAILABLE: 'An energy source cannot be used on this machine or device',
  ENERGY_SOURCE_LOST: 'An energy source stopped delivering samples during a window',
  TRACE_MALFORMED: 'A recorded power trace file could not be read',
  SOURCE_AUTH: 'A source refused the credentials (missing or wrong API key)',
  DOWNLOAD_HASH_MISMATCH: 'A downloaded file does not match its expected hash',
  DOWNLOAD_FAILED: 'A download failed after its retries',
  LIST_MALFORMED: 'An app list could not be read',
  STORE_FULL: 'The disk holding the store is full',
  STORE_READONLY: 'The store cannot be written (read-only file or folder)',
  STORE_LOCKED: 'Another process holds the store locked',
  STORE_CORRUPT: 'The store file is corrupt or not a gaugeNN store',
  STORE_NEWER: 'The store was written by a newer gaugeNN',
  LIMIT_EXCEEDED: 'An input would need more memory or time than the safety limits allow',
  STORE: 'The results store could not be read or written',
  REPORT: 'The report could not be written',
  INTERRUPTED: 'The work was interrupted',
  USAGE: 'The command line is wrong (an unknown flag, a missing argument)',
} as const;

export type GaugeErrorCode = keyof typeof ERROR_CODES;

export interface GaugeErrorOptions {
  /** The plugin that raised it. */
  plugin?: string;
  /** The hook (stage) it was raised in. */
  hook?: string;
  /** The file, entry or model it concerns. */
  subject?: string;
  cause?: unknown;
}

/** The serialisable form kept in the store and in `--json` output. */
export interface GaugeErrorJSON {
  code: GaugeErrorCode;
  message: string;
  plugin?: string;
  hook?: string;
  subject?: string;
}

/** A failure with a stable code and a message that tells the user what to do. */
export class GaugeError extends Error {
  readonly code: GaugeErrorCode;
  plugin?: string;
  hook?: string;
  subject?: string;

  constructor(code: GaugeErrorCode, message: string, options: GaugeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GaugeError';
    this.code = code;
    this.plugin = options.plugin;
    this.hook = options.hook;
    this.subject = options.subject;
  }

  toJSON(): GaugeErrorJSON {
    const j: GaugeErrorJSON = { code: this.code, message: this.message };
    if (this.plugin) j.plugin = this.plugin;
    if (this.hook) j.hook = this.hook;
    if (this.subject) j.subject = this.subject;
    return j;
  }

  /** Wrap anything thrown into a GaugeError, keeping an existing one (and filling in plugin/hook if absent). */
  static from(err: unknown, fallback: GaugeErrorCode, where: GaugeErrorOptions = {}): GaugeError {
    if (err instanceof GaugeError) {
      err.plugin ??= where.plugin;
      err.hook ??= where.hook;
      err.subject ??= where.subject;
      return err;
    }
    const msg = err instanceof Error ? err.message : String(err);
    return new GaugeError(fallback, msg, { ...where, cause: err });
  }
}

/** True for a GaugeError with the given code. */
export function isGaugeError(err: unknown, code?: GaugeErrorCode): err is GaugeError {
  return err instanceof GaugeError && (code === undefined || err.code === code);
}
