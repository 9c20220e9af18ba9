/** Sleep that an AbortSignal cuts short (rejecting with the signal's reason). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((res, rej) => {
    if (signal?.aborted) return rej(signal.reason);
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); res(); }, ms);
    const onAbort = () => { clearTimeout(t); rej(signal!.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
