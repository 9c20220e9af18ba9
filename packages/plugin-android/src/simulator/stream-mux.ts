/**
 * One transport connection from the adb server, and the streams multiplexed over it (device side). Flow control
 * as adbd does it: after each WRTE we wait for the server's OKAY before sending the next one, and we acknowledge
 * each server WRTE with OKAY only once the service has taken the data (that is our backpressure).
 */
import type { Socket } from 'node:net';
import { EventEmitter } from 'node:events';
import { A_CLSE, A_CNXN, A_OKAY, A_OPEN, A_VERSION, A_WRTE, A_AUTH, A_STLS, MessageDecoder, commandName, encodeMessage, type AdbMessage } from './message.js';

/** A service's view of its stream. */
export class DeviceStream extends EventEmitter {
  /** Bytes from the server; the returned promise delays our OKAY (backpressure). */
  onData: (data: Buffer) => void | Promise<void> = () => {};
  private queue: Buffer[] = [];
  private queued = 0;
  private awaitingAck = false;
  private ending = false;
  private _closed = false;

  constructor(
    readonly localId: number,
    readonly remoteId: number,
    readonly service: string,
    private readonly conn: TransportConnection,
  ) {
    super();
  }

  get closed(): boolean {
    return this._closed;
  }

  /** Bytes waiting to be sent (a service pauses its source above some bound). */
  get queuedBytes(): number {
    return this.queued;
  }

  /** Queue bytes for the server; they go out in WRTEs of at most the agreed max payload. */
  write(data: Buffer): void {
    if (this._closed || this.ending || data.length === 0) return;
    this.queue.push(data);
    this.queued += data.length;
    this.pump();
  }

  /** Up to max payload bytes from the front of the queue: small writes made while waiting for OKAY go out together. */
  private take(): Buffer | undefined {
    if (this.queue.length === 0) return undefined;
    const max = this.conn.maxPayload;
    const parts: Buffer[] = [];
    let n = 0;
    while (this.queue.length && n < max) {
      const head = this.queue[0]!;
      const room = max - n;
      if (head.length <= room) {
        parts.push(head);
        n += head.length;
        this.queue.shift();
      } else {
        parts.push(head.subarray(0, room));
        this.queue[0] = head.subarray(room);
        n += room;
      }
    }
    this.queued -= n;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, n);
  }

  /** Close our end once everything queued has been acknowledged. */
  end(): void {
    if (this._closed || this.ending) return;
    this.ending = true;
    this.pump();
  }

  /** The server acknowledged our last WRTE. */
  ack(): void {
    this.awaitingAck = false;
    this.pump();
  }

  /** The server closed the stream, or the transport went away: no CLSE from us. */
  closedByPeer(reason: 'remote' | 'transport'): void {
    if (this._closed) return;
    this._closed = true;
    this.queue = [];
    this.queued = 0;
    this.emit('close', reason);
  }

  private pump(): void {
    if (this._closed || this.awaitingAck) return;
    const next = this.take();
    if (next) {
      this.awaitingAck = true;
      this.conn.send(A_WRTE, this.localId, this.remoteId, next);
      if (this.queue.length === 0) this.emit('drain');
      return;
    }
    if (this.ending) {
      this._closed = true;
      this.conn.send(A_CLSE, this.localId, this.remoteId);
      this.conn.forget(this.localId);
      this.emit('close', 'local');
    }
  }
}

/** Decides whether a service string is served; returns a starter, or undefined to refuse (CLSE with id 0). */
export type ServiceResolver = (service: string) => ((stream: DeviceStream) => void) | undefined;

export interface ConnectionOptions {
  /** The CNXN banner, e.g. `device::ro.product.name=…;…;features=…`. */
  banner: string;
  /** Our max payload; the agreed one is the smaller of ours and the server's. */
  maxPayload: number;
  resolve: ServiceResolver;
  log?: (line: string) => void;
}

export class TransportConnection extends EventEmitter {
  /** Agreed max payload (ours until the server's CNXN arrives). */
  maxPayload: number;
  private readonly decoder: MessageDecoder;
  private readonly streams = new Map<number, DeviceStream>();
  private nextId = 1;
  private online = false;
  /** The server's protocol version from its CNXN (old ones verify data checksums). */
  private peerVersion = 0;
  private dropped = false;

  constructor(
    readonly socket: Socket,
    private readonly opts: ConnectionOptions,
  ) {
    super();
    this.maxPayload = opts.maxPayload;
    this.decoder = new MessageDecoder(() => this.opts.maxPayload);
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      let messages: AdbMessage[];
      try {
        messages = this.decoder.push(chunk);
      } catch (err) {
        this.log(`dropping transport: ${(err as Error).message}`);
        this.drop();
        return;
      }
      for (const m of messages) this.handle(m);
    });
    socket.on('error', () => this.drop());
    socket.on('close', () => this.drop());
  }

  /** Streams now open (tests look at this to see the server's concurrency). */
  get openStreams(): number {
    return this.streams.size;
  }

  send(command: number, arg0: number, arg1: number, data?: Buffer): void {
    if (this.dropped) return;
    this.socket.write(encodeMessage(command, arg0, arg1, data, this.peerVersion < A_VERSION));
  }

  forget(localId: number): void {
    this.streams.delete(localId);
  }

  /** Cut the transport, like pulling the cable: every stream sees 'transport' and the socket is destroyed. */
  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    for (const s of this.streams.values()) s.closedByPeer('transport');
    this.streams.clear();
    this.socket.destroy();
    this.emit('close');
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  private handle(m: AdbMessage): void {
    switch (m.command) {
      case A_CNXN: {
        this.peerVersion = m.arg0;
        this.maxPayload = Math.max(4096, Math.min(this.opts.maxPayload, m.arg1 || this.opts.maxPayload));
        this.online = true;
        this.send(A_CNXN, A_VERSION, this.opts.maxPayload, Buffer.from(`${this.opts.banner}\0`));
        this.emit('online', m.data.toString('latin1').replace(/\0+$/, ''));
        return;
      }
      case A_OPEN: {
        if (!this.online) return;
        const service = m.data.toString('utf8').replace(/\0+$/, '');
        this.log(`OPEN ${JSON.stringify(service)}`);
        const start = this.opts.resolve(service);
        if (!start) {
          this.log(`refused service ${JSON.stringify(service)}`);
          this.send(A_CLSE, 0, m.arg0);
          return;
        }
        const id = this.nextId++;
        const stream = new DeviceStream(id, m.arg0, service, this);
        this.streams.set(id, stream);
        this.send(A_OKAY, id, m.arg0);
        start(stream);
        return;
      }
      case A_OKAY:
        this.streams.get(m.arg1)?.ack();
        return;
      case A_WRTE: {
        const stream = this.streams.get(m.arg1);
        if (!stream) {
          // Unknown stream: tell the server it is gone.
          this.send(A_CLSE, 0, m.arg0);
          return;
        }
        Promise.resolve()
          .then(() => stream.onData(m.data))
          .catch((err) => this.log(`service ${stream.service} failed on data: ${(err as Error).message}`))
          .finally(() => {
            if (!stream.closed) this.send(A_OKAY, stream.localId, stream.remoteId);
          });
        return;
      }
      case A_CLSE: {
        const stream = this.streams.get(m.arg1);
        if (stream) {
          this.streams.delete(m.arg1);
          stream.closedByPeer('remote');
        }
        return;
      }
      case A_AUTH:
      case A_STLS:
        // We never ask for AUTH nor advertise TLS, so a server sending these is confused: ignore.
        this.log(`ignored ${commandName(m.command)}`);
        return;
      default:
        this.log(`unknown command ${commandName(m.command)}`);
    }
  }
}
