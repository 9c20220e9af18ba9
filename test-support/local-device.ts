/**
 * A host Device for runner tests, on core's own host transport (execa), with a chosen `kind`: runners are offered
 * per device kind, so tests of Android runners use this with kind 'adb' and a device simulator script as the binary.
 */
import { cpus } from 'node:os';
import { HostTransport, type Device, type Transport } from '@gaugenn/core';

const host = new HostTransport();
/** A plain object (tests spread it to override one method, e.g. `workDir`). */
export const localTransport: Transport = {
  push: (l, r) => host.push(l, r),
  pull: (r, l) => host.pull(r, l),
  exec: (c, a, o) => host.exec(c, a, o),
  readFile: (r) => host.readFile(r),
  workDir: () => host.workDir(),
};

export function localDevice(kind = 'host'): Device {
  return {
    id: `test-${kind}`,
    kind,
    info: { cpu: { cores: cpus().length }, os: process.platform, abi: process.arch },
    transport: localTransport,
    temperature: async () => undefined,
  };
}
