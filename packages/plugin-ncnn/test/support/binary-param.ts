/**
 * Test helper: writes a text param in ncnn's binary `.param.bin` form (what ncnn2mem produces), so the binary
 * reader can be checked against the same network. Type indexes come from the plugin's ops.json table; the real
 * runtime loading the result (host-runner test) is what proves that table right.
 */
import ops from '../../src/parse/ops.json' with { type: 'json' };

export function toBinaryParam(text: string): Buffer {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const [layerCount, blobCount] = lines[1]!.split(/\s+/).map(Number) as [number, number];
  const words: number[] = [];
  const f32 = new DataView(new ArrayBuffer(4));
  const word = (v: string) => {
    if (/^[-+]?\d+$/.test(v)) return Number(v) | 0;
    f32.setFloat32(0, Number(v), true);
    return f32.getInt32(0, true);
  };
  words.push(7767517, layerCount, blobCount);
  const blobs = new Map<string, number>();
  for (const line of lines.slice(2)) {
    const t = line.split(/\s+/);
    const [type, , nb, nt] = [t[0]!, t[1]!, Number(t[2]), Number(t[3])];
    const index = ops.binaryTypeIndex.indexOf(type);
    if (index < 0) throw new Error(`no binary type index for ${type}`);
    words.push(index, nb, nt);
    for (let i = 0; i < nb; i++) words.push(blobs.get(t[4 + i]!)!);
    for (let i = 0; i < nt; i++) {
      blobs.set(t[4 + nb + i]!, blobs.size);
      words.push(blobs.size - 1);
    }
    for (const kv of t.slice(4 + nb + nt)) {
      const [k, v] = kv.split('=') as [string, string];
      const id = Number(k);
      words.push(id);
      if (id <= -23300) {
        const parts = v.split(',');
        words.push(Number(parts[0]));
        for (const p of parts.slice(1)) words.push(word(p));
      } else words.push(word(v));
    }
    words.push(-233);
  }
  const buf = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => buf.writeInt32LE(w, i * 4));
  return buf;
}
