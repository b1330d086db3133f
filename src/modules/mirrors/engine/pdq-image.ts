import sharp from 'sharp';
import { pdqFromPixels, PdqResult } from './pdq';

/** The reference hashers work on images no larger than 512 pixels a side. */
export const MAX_SIDE = 512;
/** Larger pictures are refused before decoding: no avatar needs them, and a small file can claim billions of pixels. */
export const MAX_INPUT_PIXELS = 4096 * 4096;

/** Decodes an image (file path or bytes) with sharp and hashes it with PDQ. */
export async function pdqFromImage(input: string | Buffer): Promise<PdqResult> {
  const image = sharp(input, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS });
  const { width = 0, height = 0 } = await image.metadata();
  const resized = width > MAX_SIDE || height > MAX_SIDE ? image.resize(MAX_SIDE, MAX_SIDE, { fit: 'inside' }) : image;
  const { data, info } = await resized.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return pdqFromPixels(new Uint8Array(data.buffer, data.byteOffset, data.length), info.width, info.height, info.channels);
}
