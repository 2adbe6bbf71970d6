/** A multi-vector from `embed`, decoded: `tokens` rows of `dim` numbers, row after row. */
export interface DecodedMultiVector {
  tokens: number;
  dim: number;
  data: Float32Array;
}

/** Decode one `embed` result (little-endian float16, row-major, base64) to float32. */
export function decodeMultiVector(vector: { tokens: number; dim: number; base64: string }): DecodedMultiVector {
  const binary = atob(vector.base64);
  const view = new DataView(Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer);
  const data = new Float32Array(vector.tokens * vector.dim);
  for (let i = 0; i < data.length; i++) data[i] = halfToFloat(view.getUint16(2 * i, true));
  return { tokens: vector.tokens, dim: vector.dim, data };
}

/** One IEEE 754 half-precision number (its 16 bits) as a JavaScript number. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
