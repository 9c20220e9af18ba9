/**
 * adbkit's and the adb server's failures as GaugeErrors that say what to check. While resolving devices a missing
 * device is DEVICE_UNAVAILABLE; once a command is under way anything that breaks the link is DEVICE_LOST, so core
 * can retry the attempt when the device returns.
 */
import { GaugeError } from '@gaugenn/core';

/** The "adb binary" adbkit is given when it must not start a server (see adb-server.ts). */
export const NO_START_BIN = 'gaugenn-does-not-start-adb-servers';

export interface FaultContext {
  server: string;
  serial?: string;
  /** `resolve`/`connect`: finding the device; `command`: a command or transfer on a device that was there. */
  phase: 'resolve' | 'connect' | 'command';
  /** What was being done, for the message (`shell`, `push model.tflite`). */
  what?: string;
}

const WHERE = { plugin: 'android', hook: 'device:adb' } as const;

function text(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Turn an adbkit/adb-server error into a GaugeError (a GaugeError passes through unchanged). */
export function adbFault(e: unknown, ctx: FaultContext): GaugeError {
  if (e instanceof GaugeError) return e;
  const msg = text(e);
  const code = (e as { code?: string })?.code;
  const dev = ctx.serial ? `device ${ctx.serial}` : 'the device';
  const doing = ctx.what ? ` during ${ctx.what}` : '';
  const opts = { ...WHERE, subject: ctx.serial ?? ctx.server, cause: e };
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND' || code === 'ETIMEDOUT') {
    return new GaugeError(ctx.phase === 'command' ? 'DEVICE_LOST' : 'DEVICE_UNAVAILABLE', `The adb server at ${ctx.server} is not reachable (${code})${doing}. Check that it runs (\`adb -P PORT start-server\`) and that the device spec's server address is right.`, opts);
  }
  if (code === 'ENOENT' && /spawn/.test(msg)) {
    // adbkit tried to start a server because the connection was refused (see adb-server.ts).
    const why = msg.includes(NO_START_BIN)
      ? `No adb server answers at ${ctx.server}${doing} (gaugeNN starts only local servers, and only with plugins.android.startAdbServer on). Start it: \`adb -P PORT start-server\`.`
      : `No adb server answers at ${ctx.server}${doing} and the adb binary to start one was not found. Install adb (platform-tools) or start a server yourself.`;
    return new GaugeError(ctx.phase === 'command' ? 'DEVICE_LOST' : 'DEVICE_UNAVAILABLE', why, opts);
  }
  if (/device (?:'[^']*' )?not found|no devices|device still (?:authorizing|connecting)/i.test(msg)) {
    return ctx.phase === 'command'
      ? new GaugeError('DEVICE_LOST', `${cap(dev)} left the adb server at ${ctx.server}${doing} (unplugged, rebooted or disconnected). Check the cable or \`adb devices\`; the attempt can run again when it returns.`, opts)
      : new GaugeError('DEVICE_UNAVAILABLE', `${cap(dev)} is not on the adb server at ${ctx.server}. Check \`adb -P ${ctx.server.split(':').pop()} devices\` and the serial in the device spec.`, opts);
  }
  if (/unauthori[sz]ed/i.test(msg)) {
    return new GaugeError('DEVICE_UNAVAILABLE', `${cap(dev)} is unauthorized: accept the USB debugging prompt on the device (or add this host's adb key), then run again.`, opts);
  }
  if (/offline/i.test(msg)) {
    return new GaugeError(ctx.phase === 'command' ? 'DEVICE_LOST' : 'DEVICE_UNAVAILABLE', `${cap(dev)} is offline on the adb server at ${ctx.server}${doing}. Replug it or run \`adb reconnect\`.`, opts);
  }
  if (ctx.phase === 'connect') {
    return new GaugeError('DEVICE_UNAVAILABLE', `adb could not connect to ${ctx.serial}: ${msg}. Check that the device listens for adb over TCP (\`adb tcpip 5555\`) and that the address is right.`, opts);
  }
  if (ctx.phase === 'command' && (/premature end|connection closed|socket|EPIPE|ECONNRESET|closed/i.test(msg) || code === 'ECONNRESET' || code === 'EPIPE')) {
    return new GaugeError('DEVICE_LOST', `The link to ${dev} broke${doing} (${msg}). Check the cable or \`adb devices\`; the attempt can run again when it returns.`, opts);
  }
  return new GaugeError(ctx.phase === 'command' ? 'DEVICE_LOST' : 'DEVICE_UNAVAILABLE', `adb failed for ${dev} on ${ctx.server}${doing}: ${msg}`, opts);
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
