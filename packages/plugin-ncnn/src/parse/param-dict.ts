/**
 * One layer's `id=value` parameters. Text params say whether a value is a float (it has `.`/`e`); binary
 * params store 4 raw bytes and leave the type to the layer that reads it, so values keep both readings.
 */

/** Array param ids are stored as -(23300 + id); ids at or below this are arrays. */
export const ARRAY_ID_BASE = -23300;
/** The `-23330` array: output shape hints that ncnnoptimize writes ([dims, w, h, (d,) c] per top blob). */
export const SHAPE_HINT_ID = 30;
/** ncnn's "not set" sentinel for many params (pad -233 = SAME_UPPER, Reshape -233 = absent dim, …). */
export const UNSET = -233;

/** A raw param value: integer and float readings of the same field. */
export interface ParamValue {
  i: number;
  f: number;
}

export class ParamDict {
  private readonly scalars = new Map<number, ParamValue>();
  private readonly arrays = new Map<number, ParamValue[]>();

  setScalar(id: number, v: ParamValue): void {
    this.scalars.set(id, v);
  }

  setArray(id: number, v: ParamValue[]): void {
    this.arrays.set(id, v);
  }

  has(id: number): boolean {
    return this.scalars.has(id) || this.arrays.has(id);
  }

  /** Integer field `id`, or `def`. */
  int(id: number, def: number): number {
    return this.scalars.get(id)?.i ?? def;
  }

  /** Float field `id`, or `def`. */
  float(id: number, def: number): number {
    return this.scalars.get(id)?.f ?? def;
  }

  ints(id: number): number[] | undefined {
    return this.arrays.get(id)?.map((v) => v.i);
  }

  floats(id: number): number[] | undefined {
    return this.arrays.get(id)?.map((v) => v.f);
  }

  /** Every field as plain numbers (floats where the text wrote floats), for `attrs`. */
  toRecord(): Record<string, number | number[]> {
    const r: Record<string, number | number[]> = {};
    for (const [id, v] of this.scalars) r[String(id)] = v.f;
    for (const [id, v] of this.arrays) if (id !== SHAPE_HINT_ID) r[String(ARRAY_ID_BASE - id)] = v.map((x) => x.f);
    return r;
  }
}
