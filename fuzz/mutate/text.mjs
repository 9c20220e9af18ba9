/**
 * Mutations of text formats (ncnn .param, Caffe prototxt, runner output) that keep them looking like the format:
 * numbers set to edge values, lines deleted, duplicated, swapped or repeated many times, punctuation swapped.
 */
const EDGE_NUMBERS = ['0', '-1', '1', '-0', '2147483647', '-2147483648', '4294967296', '99999999999', '1e309', '-1e309', 'NaN', '1e-320', '65536', '-233', '0.5', '3.4e38'];

const lines = (b) => b.toString('latin1').split('\n');
const join = (ls) => Buffer.from(ls.join('\n'), 'latin1');

export const textMutators = {
  number(b, r) {
    const s = b.toString('latin1');
    const nums = [...s.matchAll(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi)];
    const m = nums[r.int(nums.length)];
    if (!m) return b;
    return Buffer.from(s.slice(0, m.index) + r.pick(EDGE_NUMBERS) + s.slice(m.index + m[0].length), 'latin1');
  },
  deleteLine(b, r) {
    const ls = lines(b);
    ls.splice(r.int(ls.length), 1);
    return join(ls);
  },
  duplicateLine(b, r) {
    const ls = lines(b);
    const i = r.int(ls.length);
    ls.splice(i, 0, ls[i] ?? '');
    return join(ls);
  },
  swapLines(b, r) {
    const ls = lines(b);
    const i = r.int(ls.length);
    const j = r.int(ls.length);
    [ls[i], ls[j]] = [ls[j], ls[i]];
    return join(ls);
  },
  /** One line many times: cost must stay linear in the input. */
  repeatLine(b, r) {
    const ls = lines(b);
    const i = r.int(ls.length);
    ls.splice(i, 0, ...Array(1 + r.int(2000)).fill(ls[i] ?? ''));
    return join(ls);
  },
  punctuation(b, r) {
    if (!b.length) return b;
    b[r.int(b.length)] = '{}:"<>[]#=,\n\t '.charCodeAt(r.int(14));
    return b;
  },
  deleteToken(b, r) {
    const t = b.toString('latin1').split(' ');
    t.splice(r.int(t.length), 1);
    return Buffer.from(t.join(' '), 'latin1');
  },
};
