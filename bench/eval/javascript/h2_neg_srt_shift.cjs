#!/usr/bin/env node
// One-shot CLI: shifts every timestamp in an .srt subtitle file by a number of seconds.
//   node h2_neg_srt_shift.cjs <file.srt|https://...> <+/-seconds> [out.srt]
// Reads its input once (a local file or a URL), writes the shifted file (or stdout) and exits.
'use strict';
const fs = require('node:fs/promises');

const TIMESTAMP = /(\d{2}):(\d{2}):(\d{2}),(\d{3})/g;

function toMs(h, m, s, ms) {
  return ((h * 60 + m) * 60 + s) * 1000 + ms;
}

function fromMs(total) {
  const pad = (n, width = 2) => String(n).padStart(width, '0');
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)},${pad(total % 1000, 3)}`;
}

function shift(srt, offsetMs) {
  return srt.replace(TIMESTAMP, (_, h, m, s, ms) => fromMs(Math.max(0, toMs(+h, +m, +s, +ms) + offsetMs)));
}

async function readInput(source) {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`download failed: HTTP ${res.status}`);
    return res.text();
  }
  return fs.readFile(source, 'utf8');
}

async function main(argv) {
  const [source, offset, out] = argv;
  if (!source || !offset || Number.isNaN(Number(offset))) {
    console.error('usage: srt-shift <file.srt|url> <+/-seconds> [out.srt]');
    return 2;
  }
  const shifted = shift(await readInput(source), Math.round(Number(offset) * 1000));
  if (out) await fs.writeFile(out, shifted);
  else process.stdout.write(shifted);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err.message);
    process.exitCode = 1;
  },
);
