import type Database from 'better-sqlite3';
import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { GaugeError } from '../errors/gauge-error.js';

/** Under this much free space, an I/O error while writing is a full disk (SQLite reports ENOSPC as IOERR at times). */
const NEARLY_FULL_BYTES = 1024 * 1024;

/** Whether the store's file (when it exists) and its folder can be written: false on a read-only mount, too. */
function writable(path: string): boolean {
  try {
    if (existsSync(path)) accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function freeBytes(path: string): number | undefined {
  try {
    const s = statfsSync(existsSync(path) ? path : dirname(path));
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

/**
 * The store fault a SQLite or file-system error stands for, with a message that says what to do; undefined for
 * errors that are not faults of the store's file (a bug, a constraint). SQLite rolls back the statement or
 * transaction that failed, so each of these leaves the store as the last commit left it.
 */
export function storeFault(e: unknown, path: string): GaugeError | undefined {
  if (e instanceof GaugeError) return e;
  const code = String((e as { code?: unknown })?.code ?? '');
  const msg = (e as Error)?.message ?? String(e);
  const o = { subject: path, cause: e };
  const full = () => (freeBytes(path) ?? Infinity) < NEARLY_FULL_BYTES;
  const readOnly = () => !writable(path);
  const FULL = () => new GaugeError('STORE_FULL', `The disk holding the store ${path} is full (${msg}). Nothing was half-written: free some space, or move the store with --store, and run the command again.`, o);
  const READONLY = () => new GaugeError('STORE_READONLY', `The store ${path} cannot be written (${msg}). Make the file and its folder writable (SQLite also writes ${path}-wal and -shm beside it), or pick another store with --store.`, o);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return FULL();
  if (/^SQLITE_READONLY/.test(code) || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return READONLY();
  // SQLite reports a file it cannot create (-wal, -shm) or extend as CANTOPEN or IOERR: ask the file system why.
  if (/^SQLITE_(IOERR|CANTOPEN)/.test(code) && readOnly()) return READONLY();
  if (/^SQLITE_(IOERR|CANTOPEN)/.test(code) && full()) return FULL();
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) {
    return new GaugeError('STORE_LOCKED', `Another process kept the store ${path} locked past the busy timeout (${msg}). Wait for the other gaugenn to finish, or use another store with --store.`, o);
  }
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) {
    return new GaugeError('STORE_CORRUPT', `The store ${path} is damaged or not a SQLite file (${msg}). It was left untouched; restore it from a copy, or start a new store with --store.`, o);
  }
  if (/^SQLITE_CANTOPEN/.test(code)) {
    return new GaugeError('STORE', `The store ${path} cannot be opened (${msg}). Check that its folder exists, or pick another store with --store.`, o);
  }
  if (/^SQLITE_IOERR/.test(code)) {
    return new GaugeError('STORE', `Reading or writing the store ${path} failed (${msg}). Check the disk, then run the command again.`, o);
  }
  return undefined;
}

function mapped<A extends unknown[], R>(fn: (...a: A) => R, path: string): (...a: A) => R {
  return (...a: A) => {
    try {
      return fn(...a);
    } catch (e) {
      throw storeFault(e, path) ?? e;
    }
  };
}

function guardStatement<S extends object>(stmt: S, path: string): S {
  const proxy: S = new Proxy(stmt, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      const bound = (v as (...a: unknown[]) => unknown).bind(target);
      // Chaining methods (pluck, raw, expand, bind) return the statement itself: keep returning the guard.
      return mapped((...a: unknown[]) => {
        const r = bound(...a);
        return r === target ? proxy : r;
      }, path);
    },
  });
  return proxy;
}

/**
 * The database with every statement, transaction, `exec` and `pragma` mapping store faults (disk full,
 * read-only, locked, corrupt) to typed GaugeErrors. One wrapper instead of a try in every write method, so
 * methods added later are covered too.
 */
export function guardDatabase(db: Database.Database, path: string): Database.Database {
  return new Proxy(db, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      if (prop === 'prepare') return mapped((sql: string) => guardStatement(target.prepare(sql), path), path);
      if (prop === 'transaction') {
        return (fn: (...a: unknown[]) => unknown) => {
          const tx = target.transaction(fn);
          const g = mapped(tx, path) as typeof tx;
          for (const k of ['deferred', 'immediate', 'exclusive'] as const) (g as any)[k] = mapped(tx[k], path);
          return g;
        };
      }
      return mapped((v as (...a: unknown[]) => unknown).bind(target), path);
    },
  });
}
