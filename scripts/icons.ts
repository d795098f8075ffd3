/**
 * Renders resources/icon.svg into the icons electron-builder packs (`npm run icons`; the outputs are committed, so
 * packaging needs neither this script nor a browser):
 * - resources/icons/<n>x<n>.png, n = 16 … 512: the Linux set (AppImage, deb: hicolor theme sizes);
 * - resources/icon.png (512): the window and taskbar icon at run time (src-main/app/desktop.ts);
 * - resources/icon.ico: Windows (the exe, installer, taskbar), entries 16 … 256 stored as PNG (Vista and later read
 *   PNG entries; electron-builder requires the 256 one). The ICO container is written here (ICONDIR + ICONDIRENTRY).
 * Drawing uses Debian's Chromium through playwright-core (no ImageMagick or librsvg needed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RES = path.join(ROOT, 'resources');
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

/** An ICO file of PNG images (each a square PNG of the size it claims). */
export function icoOf(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  const entries = Buffer.alloc(16 * images.length);
  let offset = 6 + entries.length;
  images.forEach(({ size, png }, i) => {
    const e = i * 16;
    entries.writeUInt8(size >= 256 ? 0 : size, e); // 0 means 256
    entries.writeUInt8(size >= 256 ? 0 : size, e + 1);
    entries.writeUInt8(0, e + 2); // no palette
    entries.writeUInt8(0, e + 3); // reserved
    entries.writeUInt16LE(1, e + 4); // colour planes
    entries.writeUInt16LE(32, e + 6); // bits per pixel
    entries.writeUInt32LE(png.length, e + 8);
    entries.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, entries, ...images.map((x) => x.png)]);
}

async function main(): Promise<void> {
  const svg = fs.readFileSync(path.join(RES, 'icon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: process.env.FERRY_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const pngs = new Map<number, Buffer>();
    for (const size of [...new Set([...LINUX_SIZES, ...ICO_SIZES])].sort((a, b) => a - b)) {
      await page.setViewportSize({ width: size, height: size });
      const src = 'data:image/svg+xml;base64,' + Buffer.from(svg).toString('base64');
      await page.setContent(`<html><body style="margin:0;background:transparent"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`);
      await page.waitForFunction(() => document.images[0]?.complete === true);
      pngs.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    }
    fs.mkdirSync(path.join(RES, 'icons'), { recursive: true });
    for (const n of LINUX_SIZES) fs.writeFileSync(path.join(RES, 'icons', `${n}x${n}.png`), pngs.get(n)!);
    fs.writeFileSync(path.join(RES, 'icon.png'), pngs.get(512)!);
    fs.writeFileSync(path.join(RES, 'icon.ico'), icoOf(ICO_SIZES.map((size) => ({ size, png: pngs.get(size)! }))));
    console.log(`icons: ${LINUX_SIZES.length} PNGs in resources/icons, resources/icon.png, resources/icon.ico (${ICO_SIZES.join(', ')})`);
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
