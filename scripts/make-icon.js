#!/usr/bin/env node
// Draws media/icon.png (128×128, the Marketplace icon) with no dependency: shapes as distance
// functions, 4×4 supersampling for smooth edges, PNG written with zlib.
// A memory stack (three slabs) on blue, with an amber clock for expiry. Usage: node scripts/make-icon.js
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const SIZE = 128;
const SAMPLES = 4;

const roundedRect = (x, y, cx, cy, halfW, halfH, radius) => {
  const dx = Math.abs(x - cx) - halfW + radius;
  const dy = Math.abs(y - cy) - halfH + radius;
  return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0) - radius;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const segment = (x, y, ax, ay, bx, by, width) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay)) - width / 2;
};

/** Colour of one sample point, painting back to front; null is transparent. */
function shade(x, y) {
  if (roundedRect(x, y, 64, 64, 62, 62, 26) > 0) return null;
  const g = y / SIZE; // background: a vertical blue gradient
  let color = [Math.round(30 + 7 * g), Math.round(64 + 35 * g), Math.round(140 + 95 * g)];
  for (const slabY of [38, 60, 82]) {
    if (roundedRect(x, y, 54, slabY, 34, 8.5, 8.5) <= 0) color = [240, 246, 255];
  }
  if (circle(x, y, 92, 92, 27) <= 0) color = [30, 64, 140]; // ring separating the clock from the stack
  if (circle(x, y, 92, 92, 23) <= 0) color = [245, 158, 11];
  if (segment(x, y, 92, 92, 92, 76, 5) <= 0 || segment(x, y, 92, 92, 103, 98, 5) <= 0) color = [30, 41, 59];
  return color;
}

function render() {
  const rgba = Buffer.alloc(SIZE * SIZE * 4);
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const color = shade(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
          if (!color) continue;
          sum[0] += color[0]; sum[1] += color[1]; sum[2] += color[2]; sum[3] += 1;
        }
      }
      const offset = (py * SIZE + px) * 4;
      if (sum[3] > 0) for (let c = 0; c < 3; c++) rgba[offset + c] = Math.round(sum[c] / sum[3]);
      rgba[offset + 3] = Math.round((255 * sum[3]) / (SAMPLES * SAMPLES));
    }
  }
  return rgba;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = [];
  for (let y = 0; y < SIZE; y++) rows.push(Buffer.from([0]), rgba.subarray(y * SIZE * 4, (y + 1) * SIZE * 4));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const target = path.resolve(__dirname, '..', 'media', 'icon.png');
fs.writeFileSync(target, encodePng(render()));
console.log(`Wrote ${target}`);
