import sharp from 'sharp';

/** A logo rendered here, so that image tests need no file from outside the repository. */
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256"><rect width="256" height="256" fill="#f4efe1"/>
  <circle cx="90" cy="100" r="60" fill="#1d5c2e"/><path d="M20 240 L128 150 L236 240 Z" fill="#111"/>
  <rect x="150" y="30" width="80" height="40" fill="#a01818"/><text x="40" y="215" font-size="36" fill="#fff">UMAR</text></svg>`;

export const renderedLogo = (): Promise<Buffer> => sharp(Buffer.from(LOGO_SVG)).blur(3).png().toBuffer();
