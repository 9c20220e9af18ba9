/**
 * A real-architecture ncnn model for the demo corpus, written from scratch: SqueezeNet v1.1 at 224×224 with
 * deterministic pseudo-random fp32 weights in ncnn's `.bin` layout (flag word 0 + fp32 kernel, raw fp32 bias,
 * per layer in param order). It parses, and it runs in ncnn; its outputs mean nothing.
 */

/** The demo model's files and what it is. */
export interface DemoNcnnModel {
  files: { name: string; data: Buffer }[];
  description: string;
}

interface Conv {
  name: string;
  input: string;
  output: string;
  out: number;
  inC: number;
  k: number;
  stride?: number;
  pad?: number;
}

/** mulberry32: a tiny seeded PRNG, so the demo's bytes are the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Build SqueezeNet v1.1 (224×224×3 → 1000 classes) as `squeezenet_demo.param` + `squeezenet_demo.bin`. */
export async function buildDemoNcnnModel(): Promise<DemoNcnnModel> {
  const lines: string[] = [];
  const convs: Conv[] = [];
  let blobs = 0;
  const layer = (type: string, name: string, ins: string[], outs: string[], params: string) => {
    lines.push(`${type.padEnd(24)} ${name.padEnd(24)} ${ins.length} ${outs.length} ${[...ins, ...outs].join(' ')}${params ? ` ${params}` : ''}`);
    blobs += outs.length;
  };
  const conv = (c: Conv) => {
    convs.push(c);
    const p = [`0=${c.out}`, `1=${c.k}`, c.stride && c.stride > 1 ? `3=${c.stride}` : '', c.pad ? `4=${c.pad}` : '', '5=1', `6=${c.out * c.inC * c.k * c.k}`, '9=1'];
    layer('Convolution', c.name, [c.input], [c.output], p.filter(Boolean).join(' '));
  };

  layer('Input', 'data', [], ['data'], '0=224 1=224 2=3');
  conv({ name: 'conv1', input: 'data', output: 'conv1', out: 64, inC: 3, k: 3, stride: 2 });
  layer('Pooling', 'pool1', ['conv1'], ['pool1'], '0=0 1=3 2=2');
  let x = 'pool1';
  let c = 64;
  const fire = (n: number, squeeze: number, expand: number) => {
    const s = `fire${n}/squeeze1x1`;
    conv({ name: s, input: x, output: s, out: squeeze, inC: c, k: 1 });
    layer('Split', `fire${n}/split`, [s], [`${s}_0`, `${s}_1`], '');
    conv({ name: `fire${n}/expand1x1`, input: `${s}_0`, output: `fire${n}/expand1x1`, out: expand, inC: squeeze, k: 1 });
    conv({ name: `fire${n}/expand3x3`, input: `${s}_1`, output: `fire${n}/expand3x3`, out: expand, inC: squeeze, k: 3, pad: 1 });
    layer('Concat', `fire${n}/concat`, [`fire${n}/expand1x1`, `fire${n}/expand3x3`], [`fire${n}/concat`], '0=0');
    x = `fire${n}/concat`;
    c = 2 * expand;
  };
  fire(2, 16, 64);
  fire(3, 16, 64);
  layer('Pooling', 'pool3', [x], ['pool3'], '0=0 1=3 2=2');
  x = 'pool3';
  fire(4, 32, 128);
  fire(5, 32, 128);
  layer('Pooling', 'pool5', [x], ['pool5'], '0=0 1=3 2=2');
  x = 'pool5';
  fire(6, 48, 192);
  fire(7, 48, 192);
  fire(8, 64, 256);
  fire(9, 64, 256);
  conv({ name: 'conv10', input: x, output: 'conv10', out: 1000, inC: c, k: 1 });
  layer('Pooling', 'pool10', ['conv10'], ['pool10'], '0=1 4=1');
  layer('Softmax', 'prob', ['pool10'], ['prob'], '0=0');

  const param = ['7767517', `${lines.length} ${blobs}`, ...lines, ''].join('\n');

  const rand = prng(20240101);
  const floats = convs.reduce((s, v) => s + v.out * v.inC * v.k * v.k + v.out, 0);
  const bin = Buffer.alloc(convs.length * 4 + floats * 4);
  let pos = 0;
  for (const v of convs) {
    bin.writeUInt32LE(0, pos); // storage flag 0: plain fp32
    pos += 4;
    const fanIn = v.inC * v.k * v.k;
    const scale = Math.sqrt(6 / fanIn); // He-uniform range, so activations stay finite through 26 convs
    for (let i = 0; i < v.out * fanIn; i++, pos += 4) bin.writeFloatLE((rand() * 2 - 1) * scale, pos);
    for (let i = 0; i < v.out; i++, pos += 4) bin.writeFloatLE((rand() * 2 - 1) * 0.01, pos);
  }
  return {
    files: [
      { name: 'squeezenet_demo.param', data: Buffer.from(param, 'utf8') },
      { name: 'squeezenet_demo.bin', data: bin },
    ],
    description:
      'SqueezeNet v1.1 (224×224×3 → 1000) in ncnn format, written by @gaugenn/plugin-ncnn with deterministic pseudo-random fp32 weights: a real architecture (about 0.35 GMACs, 1.24 M params) whose outputs mean nothing.',
  };
}
