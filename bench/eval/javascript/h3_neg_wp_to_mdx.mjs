#!/usr/bin/env node
// scripts/wp-to-mdx.mjs: one-shot migration of the old WordPress blog to the new Astro site.
// Run by hand, once:  node scripts/wp-to-mdx.mjs wp-posts.json src/content/blog [--skip-images]
// Reads the WP REST export saved to disk, writes one index.mdx per post and downloads each
// featured image next to it. Nothing is scheduled; the repo keeps the output.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import TurndownService from 'turndown';

const [exportPath, outDir, ...flags] = process.argv.slice(2);
if (!exportPath || !outDir) {
  console.error('usage: wp-to-mdx.mjs <wp-posts.json> <out-dir> [--skip-images]');
  process.exit(1);
}
const skipImages = flags.includes('--skip-images');
const turndown = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced' });

const stripTags = (html) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
const quote = (s) => JSON.stringify(s);

function frontmatter(post, image) {
  const lines = [
    '---',
    `title: ${quote(stripTags(post.title.rendered))}`,
    `description: ${quote(stripTags(post.excerpt.rendered).slice(0, 160))}`,
    `pubDate: ${post.date_gmt.slice(0, 10)}`,
    `legacyUrl: ${quote(post.link)}`,
  ];
  if (image) lines.push(`heroImage: ${quote(image)}`);
  lines.push('---');
  return lines.join('\n');
}

async function downloadImage(url, dir) {
  const res = await fetch(url);
  if (!res.ok) {
    console.warn(`  skipped image ${url}: HTTP ${res.status}`);
    return null;
  }
  const file = path.basename(new URL(url).pathname);
  await writeFile(path.join(dir, file), Buffer.from(await res.arrayBuffer()));
  return `./${file}`;
}

async function main() {
  const posts = JSON.parse(await readFile(exportPath, 'utf8'));
  let written = 0;
  for (const post of posts) {
    if (post.status !== 'publish') continue;
    const dir = path.join(outDir, post.slug);
    await mkdir(dir, { recursive: true });
    const imageUrl = post.jetpack_featured_media_url;
    const image = !skipImages && imageUrl ? await downloadImage(imageUrl, dir) : null;
    const body = turndown.turndown(post.content.rendered);
    await writeFile(path.join(dir, 'index.mdx'), `${frontmatter(post, image)}\n\n${body}\n`);
    written += 1;
    console.log(`  ${post.slug}`);
  }
  console.log(`wrote ${written} of ${posts.length} posts to ${outDir}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
