/**
 * Dalvik bytecode, read only as far as a "who calls whom" scan needs: each instruction's width (so the walk
 * stays aligned) and the index operand of `invoke-*`, `new-instance` and `const-string`. Instructions are never
 * interpreted. Widths follow the Dalvik instruction formats (12x = 1 code unit, 21c = 2, 35c = 3, 51l = 5, …);
 * the three payload pseudo-instructions (switch tables, array data) are skipped by their stated sizes.
 */

/** Width in 16-bit code units of each opcode (unused opcodes are 1 unit, as the format says). */
const WIDTH = new Uint8Array(256).fill(1);
const set = (from: number, to: number, w: number) => WIDTH.fill(w, from, to + 1);
set(0x02, 0x02, 2); // move/from16
set(0x03, 0x03, 3); // move/16
set(0x05, 0x05, 2);
set(0x06, 0x06, 3);
set(0x08, 0x08, 2);
set(0x09, 0x09, 3);
set(0x13, 0x13, 2); // const/16
set(0x14, 0x14, 3); // const
set(0x15, 0x16, 2); // const/high16, const-wide/16
set(0x17, 0x17, 3); // const-wide/32
set(0x18, 0x18, 5); // const-wide
set(0x19, 0x1a, 2); // const-wide/high16, const-string
set(0x1b, 0x1b, 3); // const-string/jumbo
set(0x1c, 0x1c, 2); // const-class
set(0x1f, 0x20, 2); // check-cast, instance-of
set(0x22, 0x23, 2); // new-instance, new-array
set(0x24, 0x26, 3); // filled-new-array(/range), fill-array-data
set(0x29, 0x29, 2); // goto/16
set(0x2a, 0x2c, 3); // goto/32, packed-switch, sparse-switch
set(0x2d, 0x3d, 2); // cmp*, if-*
set(0x44, 0x6d, 2); // aget/aput, iget/iput, sget/sput
set(0x6e, 0x72, 3); // invoke-virtual … invoke-interface
set(0x74, 0x78, 3); // invoke-*/range
set(0x90, 0xaf, 2); // binop
set(0xd0, 0xe2, 2); // binop/lit16, binop/lit8
set(0xfa, 0xfb, 4); // invoke-polymorphic(/range)
set(0xfc, 0xff, 3); // invoke-custom(/range); const-method-handle, const-method-type are 2
set(0xfe, 0xff, 2);

export const OP = {
  constString: 0x1a,
  constStringJumbo: 0x1b,
  newInstance: 0x22,
} as const;

/** True for opcodes whose second code unit is a method index (invoke-kind, /range, polymorphic). */
export function isInvoke(op: number): boolean {
  return (op >= 0x6e && op <= 0x72) || (op >= 0x74 && op <= 0x78) || op === 0xfa || op === 0xfb;
}

/** What the walk reports: an opcode and its index operand (method, type or string index). */
export type OnReference = (op: number, index: number) => void;

/**
 * Walk `units` code units of instructions starting at byte `off`, calling `each` for every invoke (method
 * index), new-instance (type index) and const-string (string index). Returns false when an instruction or
 * payload runs past the method's code (a malformed code item): what was seen before is kept.
 */
export function walkInstructions(data: Uint8Array, off: number, units: number, each: OnReference): boolean {
  const u16 = (i: number) => data[off + 2 * i]! | (data[off + 2 * i + 1]! << 8);
  let pc = 0;
  while (pc < units) {
    const unit = u16(pc);
    const op = unit & 0xff;
    let width = WIDTH[op]!;
    if (op === 0x00 && unit !== 0x0000) {
      // Payloads sit in the instruction stream behind a nop opcode, told apart by the high byte.
      if (pc + 4 > units) return false;
      if (unit === 0x0100) width = 4 + u16(pc + 1) * 2; // packed-switch: ident, size, first_key(2), targets(2 each)
      else if (unit === 0x0200) width = 2 + u16(pc + 1) * 4; // sparse-switch: ident, size, keys(2 each), targets(2 each)
      else if (unit === 0x0300) {
        const elemWidth = u16(pc + 1);
        const size = u16(pc + 2) + u16(pc + 3) * 0x10000;
        width = 4 + Math.ceil((elemWidth * size) / 2);
      }
    }
    if (pc + width > units) return false;
    if (isInvoke(op) || op === OP.newInstance || op === OP.constString) each(op, u16(pc + 1));
    else if (op === OP.constStringJumbo) each(op, u16(pc + 1) + u16(pc + 2) * 0x10000);
    pc += width;
  }
  return true;
}
