import sharp from 'sharp';
import { pdqFromPixels, PDQ_MIN_QUALITY, PdqResult } from './pdq';
import { MAX_INPUT_PIXELS, MAX_SIDE, pdqFromImage } from './pdq-image';

/**
 * PAX-internal hashes that let an avatar be found again after the edits people make when they
 * re-upload a removed account's picture. PDQ tolerates re-encoding and scaling but not a crop or a
 * border: a 5% crop per side already moves a logo's hash past the match radius. So both sides hash
 * normalised forms of the picture besides the plain PDQ (which stays as Meta computes it, for export):
 *
 * - the canonical form: the image resized to 64×64 before hashing. PDQ's own box filter and
 *   decimation are not symmetric, so on flat-coloured logos a rotated copy lands 30–40 bits away
 *   from the rotation computed in the DCT domain; at 64×64 both are the identity and the eight
 *   rotations and flips are exact. It is also turned grey the way sharp does it, so a picture
 *   someone greyed with a tool that weighs the channels unlike PDQ's luminance lands where it should.
 * - the trimmed form: uniform borders cut off (sharp `trim`), which undoes padding, and also cuts a
 *   logo's own plain background so a padded copy and the original meet in the middle.
 * - one crop: the index keeps the central 70% of the picture, and a screening crops its own picture
 *   so as to land on that window whatever the edit was: its central 78% (after a 10% crop), 88%
 *   (after a 20% crop) and 70% (what a caption band leaves alone), and its four corner windows of
 *   82% (an 85% window taken at one corner of the original, cropped at the opposite corner, is the
 *   original's central 70%). Crops cost the index one hash and the screening seven; a screening is
 *   cheap beside the million removed avatars the index must hold (issue 10's memory budget).
 *
 * The figures behind these choices are in docs/avatars.md (`npm run eval:mirrors`).
 */

const CANONICAL_SIDE = 64;
/** Per channel, how far from the corner's colour a pixel may be and still count as border (JPEG noise). */
const TRIM_THRESHOLD = 40;
/** A trim that keeps less than this share of either side cut into the picture itself; it is not used. */
const MIN_TRIMMED_SHARE = 0.3;
/**
 * PDQ's quality floor (50) is calibrated on photographs blurred down to 64×64; a sharp 64×64 logo of
 * two shapes on a plain ground scores 20–50 there and is still distinctive. Below this floor a form
 * is too flat to tell logos apart.
 */
const FORM_MIN_QUALITY = 20;
const INDEXED_CROP = 0.3;
const PROBE_CENTRED_CROPS = [1 - 0.7 / 0.9, 1 - 0.7 / 0.8, INDEXED_CROP];
const PROBE_CORNER_CROP = 1 - 0.7 / 0.85;

interface Raster {
  data: Buffer;
  width: number;
  height: number;
}

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface AvatarHashes extends PdqResult {
  /** For the index of removed accounts: hashes of the normalised forms, deduplicated, none of low quality. */
  variants: string[];
  /** For a screening: the normalised forms of this picture to look up, canonical rotations and flips included. */
  probes: string[];
}

/** The plain PDQ of an image (Meta-compatible) and the PAX-internal hashes of its normalised forms. */
export async function avatarHashes(input: string | Buffer): Promise<AvatarHashes> {
  const pdq = await pdqFromImage(input);
  const raster = await flattened(input);
  const whole = { left: 0, top: 0, width: raster.width, height: raster.height };
  const canonical = await canonicalHash(raster, whole);
  const trimmed = await trimmedRegion(raster);
  const trimmedHash = trimmed && (await canonicalHash(raster, trimmed));
  const variants = [canonical, trimmedHash, await canonicalHash(raster, centred(whole, INDEXED_CROP))];
  const probes: (PdqResult | null)[] = [trimmedHash];
  for (const fraction of PROBE_CENTRED_CROPS) probes.push(await canonicalHash(raster, centred(whole, fraction)));
  for (let corner = 0; corner < 4; corner++) probes.push(await canonicalHash(raster, cornerWindow(whole, PROBE_CORNER_CROP, corner)));
  return {
    ...pdq,
    variants: usable(variants.map((v) => v && v.hex !== pdq.hex ? v : null)),
    probes: usable([canonical, ...probes]).concat(canonical.quality >= FORM_MIN_QUALITY ? Object.values(canonical.dihedral).slice(1) : []),
  };
}

/**
 * A screening subject's avatar fields from an uploaded picture: the plain PDQ first, then its
 * rotations and flips, then the normalised forms. A flat logo often has a plain PDQ below quality 50
 * (PDQ blurs it first) but sharp canonical forms: then only those are sent, each already filtered,
 * and there is no plain quality left to gate them.
 */
export function screeningAvatar(hashes: AvatarHashes): { avatarPdq: string[]; avatarQuality: number | null } {
  if (hashes.quality < PDQ_MIN_QUALITY) return { avatarPdq: hashes.probes, avatarQuality: hashes.probes.length ? null : hashes.quality };
  return { avatarPdq: [...new Set([hashes.hex, ...Object.values(hashes.dihedral), ...hashes.probes])], avatarQuality: hashes.quality };
}

function usable(results: (PdqResult | null)[]): string[] {
  return [...new Set(results.filter((r): r is PdqResult => !!r && r.quality >= FORM_MIN_QUALITY).map((r) => r.hex))];
}

/**
 * Transparent pixels become white, as a platform shows a transparent avatar on a light page. The
 * forms are 64×64, so nothing is lost at 512 a side, and a small file that decodes to a huge
 * picture (a decompression bomb) never becomes a raw buffer of hundreds of megabytes.
 */
async function flattened(input: string | Buffer): Promise<Raster> {
  const { data, info } = await sharp(input, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS })
    .resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

async function canonicalHash(raster: Raster, region: Region): Promise<PdqResult> {
  const { data } = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } })
    .extract(region)
    .resize(CANONICAL_SIDE, CANONICAL_SIDE, { fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return pdqFromPixels(new Uint8Array(data.buffer, data.byteOffset, data.length), CANONICAL_SIDE, CANONICAL_SIDE, 1);
}

/** The picture inside its uniform border, or null when there is no border or trimming would eat the picture. */
async function trimmedRegion(raster: Raster): Promise<Region | null> {
  const result = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } })
    .trim({ threshold: TRIM_THRESHOLD })
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch(() => null);
  if (!result) return null;
  const { width, height, trimOffsetLeft = 0, trimOffsetTop = 0 } = result.info;
  if (width === raster.width && height === raster.height) return null;
  if (width < raster.width * MIN_TRIMMED_SHARE || height < raster.height * MIN_TRIMMED_SHARE) return null;
  return { left: -trimOffsetLeft, top: -trimOffsetTop, width, height };
}

function centred(region: Region, fraction: number): Region {
  const width = Math.max(1, Math.round(region.width * (1 - fraction)));
  const height = Math.max(1, Math.round(region.height * (1 - fraction)));
  return { left: region.left + Math.round((region.width - width) / 2), top: region.top + Math.round((region.height - height) / 2), width, height };
}

/** The window keeping `1 - fraction` of each side, anchored at corner 0 (top left), 1 (top right), 2 (bottom left) or 3. */
function cornerWindow(region: Region, fraction: number, corner: number): Region {
  const width = Math.max(1, Math.round(region.width * (1 - fraction)));
  const height = Math.max(1, Math.round(region.height * (1 - fraction)));
  return { left: region.left + (corner & 1 ? region.width - width : 0), top: region.top + (corner & 2 ? region.height - height : 0), width, height };
}
