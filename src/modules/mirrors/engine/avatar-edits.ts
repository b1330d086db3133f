import sharp from 'sharp';
import { rng } from './synthetic';

/**
 * Synthetic logos and the edits people make to a profile picture when they re-upload it, for the
 * avatar tests and `eval:mirrors`. Logos rather than photographs because banned groups' avatars are
 * mostly flat emblems on plain backgrounds, the hardest case for PDQ after a crop or a border.
 */

const SIDE = 256;

const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const FONTS = ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono'];

/** A distinct logo per seed: a plain or gradient background, then rings, stripes, crescents, stars and letters. */
export async function renderLogo(seed: number): Promise<Buffer> {
  const r = rng(seed).next;
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)];
  const colour = () => `hsl(${Math.floor(r() * 360)},${40 + Math.floor(r() * 60)}%,${20 + Math.floor(r() * 60)}%)`;
  const at = (margin = 40) => margin + r() * (SIDE - 2 * margin);
  /** A centre `margin` pixels inside the edges, x drawn before y. */
  const centre = (margin: number) => {
    const x = at(margin);
    return { x, y: at(margin) };
  };
  const gradient = r() < 0.5;
  const parts = [
    `<defs><linearGradient id="g" x1="0" y1="0" x2="${r().toFixed(2)}" y2="1"><stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient></defs>`,
    `<rect width="${SIDE}" height="${SIDE}" fill="${gradient ? 'url(#g)' : pick(['#ffffff', '#000000', colour(), colour()])}"/>`,
  ];
  const shapes = 3 + Math.floor(r() * 4);
  for (let s = 0; s < shapes; s++) {
    const fill = colour();
    switch (pick(['ring', 'disc', 'stripes', 'crescent', 'star', 'letters', 'square'] as const)) {
      case 'ring':
        parts.push(`<circle cx="${at()}" cy="${at()}" r="${20 + r() * 70}" fill="none" stroke="${fill}" stroke-width="${6 + r() * 18}"/>`);
        break;
      case 'disc':
        parts.push(`<circle cx="${at()}" cy="${at()}" r="${15 + r() * 50}" fill="${fill}"/>`);
        break;
      case 'stripes': {
        const count = 2 + Math.floor(r() * 4);
        const width = 6 + r() * 14;
        const angle = Math.floor(r() * 180);
        const x = at(60);
        for (let k = 0; k < count; k++) {
          parts.push(`<rect x="${x + k * width * 2}" y="${at(30) - 60}" width="${width}" height="${80 + r() * 100}" fill="${fill}" transform="rotate(${angle} 128 128)"/>`);
        }
        break;
      }
      case 'crescent': {
        const c = centre(70);
        const radius = 30 + r() * 40;
        const shift = radius * (0.3 + r() * 0.4);
        parts.push(`<mask id="m${s}"><rect width="${SIDE}" height="${SIDE}" fill="white"/><circle cx="${c.x + shift}" cy="${c.y - shift / 3}" r="${radius * 0.9}" fill="black"/></mask>`);
        parts.push(`<circle cx="${c.x}" cy="${c.y}" r="${radius}" fill="${fill}" mask="url(#m${s})"/>`);
        break;
      }
      case 'star': {
        const c = centre(60);
        const outer = 25 + r() * 45;
        const inner = outer * (0.35 + r() * 0.2);
        const points = 5 + Math.floor(r() * 4);
        const turn = r() * Math.PI;
        const vertices = Array.from({ length: points * 2 }, (_, k) => {
          const radius = k % 2 ? inner : outer;
          const angle = turn + (k * Math.PI) / points;
          return `${(c.x + radius * Math.cos(angle)).toFixed(1)},${(c.y + radius * Math.sin(angle)).toFixed(1)}`;
        });
        parts.push(`<polygon points="${vertices.join(' ')}" fill="${fill}"/>`);
        break;
      }
      case 'letters': {
        const text = Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick([...LETTERS])).join('');
        parts.push(`<text x="${at(70)}" y="${at(60) + 30}" font-family="${pick(FONTS)}" font-weight="bold" font-size="${40 + r() * 50}" text-anchor="middle" fill="${fill}">${text}</text>`);
        break;
      }
      case 'square':
        parts.push(`<rect x="${at(60) - 30}" y="${at(60) - 30}" width="${30 + r() * 70}" height="${30 + r() * 70}" fill="${fill}" transform="rotate(${Math.floor(r() * 90)} 128 128)"/>`);
        break;
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIDE}" height="${SIDE}">${parts.join('')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

type Edit = (image: Buffer, seed: number) => Promise<Buffer>;

async function sizeOf(image: Buffer): Promise<{ width: number; height: number }> {
  const { width = 0, height = 0 } = await sharp(image).metadata();
  return { width, height };
}

/** Keeps `1 - fraction` of each side; `corner` 0–3 anchors the window at a corner, otherwise it is centred. */
async function crop(image: Buffer, fraction: number, corner?: number): Promise<Buffer> {
  const { width, height } = await sizeOf(image);
  const w = Math.round(width * (1 - fraction));
  const h = Math.round(height * (1 - fraction));
  const left = corner === undefined ? Math.round((width - w) / 2) : corner & 1 ? width - w : 0;
  const top = corner === undefined ? Math.round((height - h) / 2) : corner & 2 ? height - h : 0;
  return sharp(image).extract({ left, top, width: w, height: h }).png().toBuffer();
}

async function border(image: Buffer, fraction: number, background: string): Promise<Buffer> {
  const { width } = await sizeOf(image);
  const pad = Math.round(width * fraction);
  return sharp(image).extend({ top: pad, bottom: pad, left: pad, right: pad, background }).png().toBuffer();
}

async function caption(image: Buffer, seed: number): Promise<Buffer> {
  const { width, height } = await sizeOf(image);
  const words = ['JOIN US', 'NEW ACCOUNT', 'BACKUP', 'FOLLOW', 'OFFICIAL'];
  const band = Math.round(height * 0.14);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect y="${height - band}" width="${width}" height="${band}" fill="black" fill-opacity="0.6"/><text x="${width / 2}" y="${height - band * 0.28}" font-family="DejaVu Sans" font-weight="bold" font-size="${band * 0.7}" text-anchor="middle" fill="white">${words[seed % words.length]}</text></svg>`;
  return sharp(image).composite([{ input: Buffer.from(svg) }]).png().toBuffer();
}

/** Every edit the issue lists, by name. The seed varies what an edit leaves open (which corner, which caption). */
export const AVATAR_EDITS: Record<string, Edit> = {
  'crop 10% centred': (image) => crop(image, 0.1),
  'crop 20% centred': (image) => crop(image, 0.2),
  'crop 15% off-centre': (image, seed) => crop(image, 0.15, seed % 4),
  'border 15% white': (image) => border(image, 0.15, '#ffffff'),
  'border 15% coloured': (image, seed) => border(image, 0.15, ['#1d4ed8', '#dc2626', '#16a34a', '#000000'][seed % 4]),
  'downscale 96 px': (image) => sharp(image).resize(96, 96, { fit: 'inside' }).png().toBuffer(),
  'downscale 128 px': (image) => sharp(image).resize(128, 128, { fit: 'inside' }).png().toBuffer(),
  'JPEG quality 20': (image) => sharp(image).jpeg({ quality: 20 }).toBuffer(),
  greyscale: (image) => sharp(image).greyscale().png().toBuffer(),
  'colour shift': (image, seed) => sharp(image).modulate({ hue: 60 + (seed % 4) * 60, saturation: 1.3, brightness: 1.1 }).png().toBuffer(),
  caption,
  'flip horizontal': (image) => sharp(image).flop().png().toBuffer(),
  'flip vertical': (image) => sharp(image).flip().png().toBuffer(),
  'rotate 90°': (image) => sharp(image).rotate(90).png().toBuffer(),
  'rotate 180°': (image) => sharp(image).rotate(180).png().toBuffer(),
  'rotate 270°': (image) => sharp(image).rotate(270).png().toBuffer(),
};

export type AvatarEdit = keyof typeof AVATAR_EDITS;
