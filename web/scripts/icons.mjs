/**
 * The studio's icon, drawn here from a few shapes: an SVG (favicon, "any" size) and PNGs
 * (192, 512, maskable 512) rasterised with 4x4 supersampling and written by a minimal PNG
 * encoder. Nothing is fetched; the same geometry feeds both outputs.
 *
 * Used by vite.config.ts (emitted as build assets); `node scripts/icons.mjs <outDir>` writes them alone.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";

const BG = [0x15, 0x19, 0x23];
const INK = [0xf2, 0xb6, 0x4c];
const SOFT = [0x8f, 0xb3, 0xff];

/** Shapes in a 0..1 square: "chapters" as bars, each ending at a node of the plan graph. */
const bars = [
  { x: 0.22, y: 0.27, w: 0.42, h: 0.1, color: INK },
  { x: 0.22, y: 0.45, w: 0.56, h: 0.1, color: INK },
  { x: 0.22, y: 0.63, w: 0.32, h: 0.1, color: INK },
];
const nodes = [
  { cx: 0.74, cy: 0.32, r: 0.065, color: SOFT },
  { cx: 0.66, cy: 0.68, r: 0.065, color: SOFT },
];

function roundedRectContains(px, py, x, y, w, h, r) {
  const cx = Math.min(Math.max(px, x + r), x + w - r);
  const cy = Math.min(Math.max(py, y + r), y + h - r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= r * r && px >= x && px <= x + w && py >= y && py <= y + h;
}

/** Colour at a point of the unit square, or null outside the icon (transparent corners). */
function colorAt(px, py, maskable) {
  // Maskable icons need a full-bleed background and content inside the 80% safe zone.
  const scale = maskable ? 0.8 : 1;
  const qx = (px - 0.5) / scale + 0.5;
  const qy = (py - 0.5) / scale + 0.5;
  if (!maskable && !roundedRectContains(px, py, 0, 0, 1, 1, 0.22)) return null;
  for (const b of bars) if (roundedRectContains(qx, qy, b.x, b.y, b.w, b.h, b.h / 2)) return b.color;
  for (const n of nodes) if ((qx - n.cx) ** 2 + (qy - n.cy) ** 2 <= n.r ** 2) return n.color;
  return BG;
}

function rasterise(size, maskable) {
  const ss = 4;
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    row[0] = 0; // PNG filter: none
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = colorAt((x + (sx + 0.5) / ss) / size, (y + (sy + 0.5) / ss) / size, maskable);
          if (c) {
            r += c[0]; g += c[1]; b += c[2]; a += 1;
          }
        }
      }
      const o = 1 + x * 4;
      if (a > 0) {
        row[o] = Math.round(r / a); row[o + 1] = Math.round(g / a); row[o + 2] = Math.round(b / a);
      }
      row[o + 3] = Math.round((255 * a) / (ss * ss));
    }
    rows.push(row);
  }
  return encodePng(size, size, Buffer.concat(rows));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function encodePng(width, height, raw) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const hex = (c) => `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;

export function iconSvg() {
  const u = (v) => +(v * 64).toFixed(2);
  const shapes = [
    ...bars.map((b) => `<rect x="${u(b.x)}" y="${u(b.y)}" width="${u(b.w)}" height="${u(b.h)}" rx="${u(b.h / 2)}" fill="${hex(b.color)}"/>`),
    ...nodes.map((n) => `<circle cx="${u(n.cx)}" cy="${u(n.cy)}" r="${u(n.r)}" fill="${hex(n.color)}"/>`),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="${u(0.22)}" fill="${hex(BG)}"/>${shapes.join("")}</svg>\n`;
}

export function iconPngs() {
  return {
    "icon-192.png": rasterise(192, false),
    "icon-512.png": rasterise(512, false),
    "icon-maskable-512.png": rasterise(512, true),
    "apple-touch-icon.png": rasterise(180, true),
  };
}

export function writeIcons(outDir) {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "icon.svg"), iconSvg());
  for (const [name, png] of Object.entries(iconPngs())) writeFileSync(join(outDir, name), png);
}

if (import.meta.url === `file://${process.argv[1]}`) writeIcons(process.argv[2] ?? "icons");
