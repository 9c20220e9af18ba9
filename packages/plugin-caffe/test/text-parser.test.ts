/** The protobuf text reader: the syntax Caffe files use, and errors that name the line. */
import { describe, expect, it } from 'vitest';
import { GaugeError } from '@gaugenn/core';
import { NetParameter, parseText } from '../src/index.js';

const parse = (s: string) => parseText(s, NetParameter, 'test.prototxt');
function error(s: string): GaugeError {
  try {
    parse(s);
  } catch (e) {
    expect(e).toBeInstanceOf(GaugeError);
    expect((e as GaugeError).code).toBe('MODEL_MALFORMED');
    return e as GaugeError;
  }
  throw new Error(`no error for ${s}`);
}

describe('text format', () => {
  it('reads the spellings Caffe files use', () => {
    const { message, unknownFields } = parse(`# comment
      name: 'a' "b"   # adjacent strings concatenate
      input: "data"; input_dim: [1, 3, 0x10, 020]
      layer < name: "c" type: "Convolution" convolution_param: { num_output: 4 kernel_size: 3 weight_filler { type: "xavier" std: 1e-2 } } >
      layer { name: "e\\x41\\101\\n" type: "Eltwise" eltwise_param { operation: 1 coeff: -inf coeff: 2.5f } }
      layer { name: "p" type: "Pooling" pooling_param { pool: AVE global_pooling: t } my_fork_param { x: 1 y { z: "q" } } }
      made_up_top_level: [1, 2]`);
    expect(message.name).toBe('ab');
    expect(message.input_dim).toEqual([1, 3, 16, 16]);
    const layers = message.layer as Record<string, any>[];
    expect(layers[0]!.convolution_param).toEqual({ num_output: 4, kernel_size: [3], weight_filler: { type: 'xavier', std: 0.01 } });
    expect(layers[1]!.name).toBe('eAA\n');
    expect(layers[1]!.eltwise_param).toEqual({ operation: 'SUM', coeff: [-Infinity, 2.5] });
    expect(layers[2]!.pooling_param).toEqual({ pool: 'AVE', global_pooling: true });
    expect(unknownFields).toEqual(['NetParameter.LayerParameter.my_fork_param', 'NetParameter.made_up_top_level'].map((s) => s.replace('NetParameter.LayerParameter', 'NetParameter.layer')));
  });

  it('errors name the line and what is wrong', () => {
    expect(error('name: "x"\nlayer {\n  name: "c"\n').message).toMatch(/ends inside NetParameter.layer/);
    expect(error('name: "x"\nlayer { name: c }').message).toMatch(/line 2.*quoted string/);
    expect(error('layer { type: "X" pooling_param { pool: BIGGEST } }').message).toMatch(/MAX, AVE, STOCHASTIC/);
    expect(error('input_dim: 1.5').message).toMatch(/integer/);
    expect(error('input_dim: -1e99').message).toMatch(/integer/);
    expect(error('name: "unterminated').message).toMatch(/not closed/);
    expect(error('name "x"').message).toMatch(/expected ":"/);
    expect(error('layer { convolution_param: 3 }').message).toMatch(/is a message/);
    expect(error('} name: "x"').message).toMatch(/field name/);
    expect(error('name: "x" @').message).toMatch(/unexpected character/);
    expect(error('layer { '.repeat(40) + '}'.repeat(40)).message).toMatch(/deeper|ends inside|field name/);
    expect(error('x { '.repeat(100)).message).toMatch(/deeper/);
  });
});
