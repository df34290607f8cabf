#!/usr/bin/env node
// One-shot build step: converts docs/*.md into site/*.html. `node build-docs.js [outDir]`
const fs = require('node:fs');
const path = require('node:path');
const { marked } = require('marked');

const outDir = process.argv[2] || 'site';
const template = fs.readFileSync(path.join(__dirname, 'template.html'), 'utf8');

fs.mkdirSync(outDir, { recursive: true });
for (const file of fs.readdirSync('docs').filter((name) => name.endsWith('.md'))) {
  const markdown = fs.readFileSync(path.join('docs', file), 'utf8');
  const title = /^#\s+(.+)$/m.exec(markdown)?.[1] ?? file;
  const html = template.replace('{{title}}', title).replace('{{content}}', marked.parse(markdown));
  fs.writeFileSync(path.join(outDir, file.replace(/\.md$/, '.html')), html);
  console.log(`built ${file}`);
}
