/**
 * The ADB transport message codec (device side). Written by hand: the npm ADB libraries (adbkit and friends) speak
 * the *client* side of the adb server protocol; none implements the device end of the transport well enough for
 * the real adb server to talk to it, and that end is small (a 24-byte header and a payload).
 */

/** Command words as little-endian uint32 (the four ASCII letters read as an integer). */
export const A_CNXN = 0x4e584e43;
export const A_AUTH = 0x48545541;
export const A_OPEN = 0x4e45504f;
export const A_OKAY = 0x59414b4f;
export const A_CLSE = 0x45534c43;
export const A_WRTE = 0x45545257;
export const A_STLS = 0x534c5453;

/** The protocol version the adb server 1.0.41 sends and accepts (skips checksums on receive). */
export const A_VERSION = 0x01000001;
export const HEADER_SIZE = 24;

export interface AdbMessage {
  command: number;
  arg0: number;
  arg1: number;
  data: Buffer;
}

/** Readable name of a command word, for logs and errors. */
export function commandName(command: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(command >>> 0);
  return b.toString('latin1');
}

function checksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i]!;
  return sum >>> 0;
}

/**
 * One message on the wire: header (command, arg0, arg1, length, data sum, magic) then the data. Peers of version
 * 0x01000001 and later skip the checksum, so it is left 0 for them (as newer adbds do, to our knowledge), saving a pass over the data.
 */
export function encodeMessage(command: number, arg0: number, arg1: number, data: Buffer = Buffer.alloc(0), withChecksum = true): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeUInt32LE(command >>> 0, 0);
  header.writeUInt32LE(arg0 >>> 0, 4);
  header.writeUInt32LE(arg1 >>> 0, 8);
  header.writeUInt32LE(data.length, 12);
  header.writeUInt32LE(withChecksum ? checksum(data) : 0, 16);
  header.writeUInt32LE((command ^ 0xffffffff) >>> 0, 20);
  return data.length ? Buffer.concat([header, data]) : header;
}

/**
 * Incremental decoder: feed socket chunks, get whole messages. Throws on a bad magic or an oversized payload so
 * the connection can be dropped.
 */
export class MessageDecoder {
  private pending: Buffer[] = [];

  constructor(private readonly maxData: () => number) {}

  push(chunk: Buffer): AdbMessage[] {
    this.pending.push(chunk);
    const out: AdbMessage[] = [];
    let buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    let off = 0;
    while (buf.length - off >= HEADER_SIZE) {
      const command = buf.readUInt32LE(off);
      const magic = buf.readUInt32LE(off + 20);
      if (((command ^ 0xffffffff) >>> 0) !== magic) throw new Error(`bad ADB message magic for ${commandName(command)}`);
      const length = buf.readUInt32LE(off + 12);
      // The handshake may carry up to the protocol's own 1 MiB cap before max payload is agreed.
      if (length > Math.max(this.maxData(), 1 << 20)) throw new Error(`ADB message of ${length} bytes exceeds the max payload`);
      if (buf.length - off < HEADER_SIZE + length) break;
      out.push({
        command,
        arg0: buf.readUInt32LE(off + 4),
        arg1: buf.readUInt32LE(off + 8),
        data: Buffer.from(buf.subarray(off + HEADER_SIZE, off + HEADER_SIZE + length)),
      });
      off += HEADER_SIZE + length;
    }
    buf = buf.subarray(off);
    this.pending = buf.length ? [buf] : [];
    return out;
  }
}
