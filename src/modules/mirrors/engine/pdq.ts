/**
 * PDQ, Meta's 256-bit perceptual image hash (the one GIFCT shares), written from the published
 * algorithm: luminance, two passes of a Jarosz box filter, decimation to 64×64, a 16×16 DCT and a
 * median threshold. Decoding is left to the caller (see pdq-image.ts), so this file has no I/O.
 */

export const PDQ_BITS = 256;
/** Distances up to this are treated as the same picture. */
export const PDQ_MATCH_DISTANCE = 31;
/** Below this quality a hash is too featureless to count as evidence. */
export const PDQ_MIN_QUALITY = 50;

export interface PdqHash {
  /** 64 hex digits, in the reference implementation's word order. */
  hex: string;
  /** 0–100: how much gradient the image has. */
  quality: number;
}

const DIM = 64;
const MIN_HASHABLE_DIM = 5;
const JAROSZ_PASSES = 2;

/** DCT-II rows 1..16 (the DC row is skipped), scaled as in the reference. */
const DCT: Float64Array[] = Array.from({ length: 16 }, (_, i) => {
  const row = new Float64Array(DIM);
  const scale = Math.sqrt(2 / DIM);
  for (let j = 0; j < DIM; j++) row[j] = scale * Math.cos((Math.PI / 2 / DIM) * (i + 1) * (2 * j + 1));
  return row;
});

const windowSize = (oldDimension: number, newDimension: number) => Math.floor((oldDimension + 2 * newDimension - 1) / (2 * newDimension));

/** A running mean over `window` samples with shrinking windows at both ends, as the reference has it. */
function box1D(input: Float64Array, output: Float64Array, offset: number, length: number, stride: number, window: number) {
  const half = Math.floor((window + 2) / 2);
  let sum = 0;
  let count = 0;
  let left = offset;
  let right = offset;
  let out = offset;
  for (let i = 0; i < half - 1; i++, right += stride) {
    sum += input[right];
    count++;
  }
  for (let i = 0; i < window - half + 1; i++, right += stride, out += stride) {
    sum += input[right];
    count++;
    output[out] = sum / count;
  }
  for (let i = 0; i < length - window; i++, left += stride, right += stride, out += stride) {
    sum += input[right] - input[left];
    output[out] = sum / count;
  }
  for (let i = 0; i < half - 1; i++, left += stride, out += stride) {
    sum -= input[left];
    count--;
    output[out] = sum / count;
  }
}

function jarosz(luma: Float64Array, rows: number, cols: number): Float64Array {
  const scratch = new Float64Array(luma.length);
  const alongRows = windowSize(cols, DIM);
  const alongCols = windowSize(rows, DIM);
  for (let pass = 0; pass < JAROSZ_PASSES; pass++) {
    for (let r = 0; r < rows; r++) box1D(luma, scratch, r * cols, cols, 1, alongRows);
    for (let c = 0; c < cols; c++) box1D(scratch, luma, c, rows, cols, alongCols);
  }
  return luma;
}

function decimate(filtered: Float64Array, rows: number, cols: number): Float64Array[] {
  return Array.from({ length: DIM }, (_, i) => {
    const row = new Float64Array(DIM);
    const source = Math.floor(((i + 0.5) * rows) / DIM);
    for (let j = 0; j < DIM; j++) row[j] = filtered[source * cols + Math.floor(((j + 0.5) * cols) / DIM)];
    return row;
  });
}

function quality(block: Float64Array[]): number {
  let gradient = 0;
  for (let i = 0; i < DIM - 1; i++) for (let j = 0; j < DIM; j++) gradient += Math.abs(Math.trunc(((block[i][j] - block[i + 1][j]) * 100) / 255));
  for (let i = 0; i < DIM; i++) for (let j = 0; j < DIM - 1; j++) gradient += Math.abs(Math.trunc(((block[i][j] - block[i][j + 1]) * 100) / 255));
  return Math.min(100, Math.floor(gradient / 90));
}

/** B = D · A · Dᵀ, the 16×16 low-frequency block. */
function dct16(block: Float64Array[]): number[][] {
  const partial = DCT.map((d) => {
    const row = new Float64Array(DIM);
    for (let k = 0; k < DIM; k++) {
      const weight = d[k];
      const source = block[k];
      for (let j = 0; j < DIM; j++) row[j] += weight * source[j];
    }
    return row;
  });
  return partial.map((row) => DCT.map((d) => row.reduce((sum, value, k) => sum + value * d[k], 0)));
}

/** Bits set where a coefficient exceeds the median (the 128th smallest), hex in the reference order. */
function toHex(coefficients: number[][]): string {
  const flat = coefficients.flat();
  const median = [...flat].sort((a, b) => a - b)[127];
  const words = new Array<number>(16).fill(0);
  flat.forEach((value, k) => {
    if (value > median) words[k >> 4] |= 1 << (k & 15);
  });
  return words
    .reverse()
    .map((w) => w.toString(16).padStart(4, '0'))
    .join('');
}

/**
 * The eight rotations and flips, computed in the DCT domain: a flip negates the odd-frequency
 * coefficients along its axis, a quarter turn also transposes. Checked against the reference's
 * rotated and flipped copies of bridge-1 (pdq.test.ts).
 */
const DIHEDRAL: Record<string, (c: number[][], i: number, j: number) => number> = {
  original: (c, i, j) => c[i][j],
  rotate90: (c, i, j) => (i & 1 ? c[j][i] : -c[j][i]),
  rotate180: (c, i, j) => ((i + j) & 1 ? -c[i][j] : c[i][j]),
  rotate270: (c, i, j) => (j & 1 ? c[j][i] : -c[j][i]),
  flipX: (c, i, j) => (i & 1 ? c[i][j] : -c[i][j]),
  flipY: (c, i, j) => (j & 1 ? c[i][j] : -c[i][j]),
  flipPlus1: (c, i, j) => c[j][i],
  flipMinus1: (c, i, j) => ((i + j) & 1 ? -c[j][i] : c[j][i]),
};
export type DihedralVariant = keyof typeof DIHEDRAL;

export interface PdqResult extends PdqHash {
  /** The hashes of the image turned and flipped, so a rotated copy still matches. */
  dihedral: Record<DihedralVariant, string>;
}

/**
 * Hashes an image given as interleaved 8-bit channels (1 = grey, 3 = RGB, 4 = RGBA). Images
 * smaller than 5 pixels a side get the zero hash with quality 0, as in the reference.
 */
export function pdqFromPixels(pixels: Uint8Array, width: number, height: number, channels: number): PdqResult {
  if (width < MIN_HASHABLE_DIM || height < MIN_HASHABLE_DIM) {
    const zero = '0'.repeat(64);
    return { hex: zero, quality: 0, dihedral: Object.fromEntries(Object.keys(DIHEDRAL).map((k) => [k, zero])) as PdqResult['dihedral'] };
  }
  const luma = new Float64Array(width * height);
  for (let p = 0, o = 0; p < luma.length; p++, o += channels) {
    luma[p] = channels < 3 ? pixels[o] : 0.299 * pixels[o] + 0.587 * pixels[o + 1] + 0.114 * pixels[o + 2];
  }
  const block = decimate(jarosz(luma, height, width), height, width);
  const coefficients = dct16(block);
  const dihedral = Object.fromEntries(
    Object.entries(DIHEDRAL).map(([name, transform]) => [
      name,
      toHex(coefficients.map((row, i) => row.map((_, j) => transform(coefficients, i, j)))),
    ]),
  ) as PdqResult['dihedral'];
  return { hex: dihedral.original, quality: quality(block), dihedral };
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, n) => n.toString(2).replace(/0/g, '').length);

/** Hamming distance between two 64-digit hex hashes. */
export function pdqDistance(a: string, b: string): number {
  let distance = 0;
  for (let i = 0; i < 64; i += 2) distance += POPCOUNT[parseInt(a.slice(i, i + 2), 16) ^ parseInt(b.slice(i, i + 2), 16)];
  return distance;
}

export const isPdqHex = (value: string) => /^[0-9a-f]{64}$/i.test(value);
