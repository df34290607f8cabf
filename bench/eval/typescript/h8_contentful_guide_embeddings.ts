// scripts/embed-guides.ts: nightly semantic-search index for Wayfarer Trails' destination guides.
// GitHub Actions schedule (`cron: '30 2 * * *'`, `npx tsx scripts/embed-guides.ts`). Reads every
// published guide from Contentful, splits it into its sections, embeds each section with OpenAI and
// upserts the vectors into Pinecone, so the site's "Ask about a trip" search stays current.
// ~1,400 guides, ~9,000 sections; editors change a handful of guides a week.
import { createClient } from 'contentful';
import { documentToPlainTextString } from '@contentful/rich-text-plain-text-renderer';
import type { Document } from '@contentful/rich-text-types';
import { Pinecone, type PineconeRecord } from '@pinecone-database/pinecone';
import OpenAI from 'openai';

type GuideFields = { slug: string; title: string; region: string; sections?: { heading: string; body: Document }[] };
type Section = { id: string; guide: GuideFields; heading: string; text: string };

const contentful = createClient({
  space: process.env.CONTENTFUL_SPACE_ID!,
  accessToken: process.env.CONTENTFUL_DELIVERY_TOKEN!,
});
const openai = new OpenAI();
const index = new Pinecone().index('destination-guides');
const BATCH = 50;

async function publishedGuides(): Promise<GuideFields[]> {
  const guides: GuideFields[] = [];
  for (let skip = 0; ; skip += 100) {
    const page = await contentful.getEntries({ content_type: 'destinationGuide', limit: 100, skip, include: 0 });
    guides.push(...page.items.map((item) => item.fields as unknown as GuideFields));
    if (skip + page.items.length >= page.total) return guides;
  }
}

const toSections = (guide: GuideFields): Section[] =>
  (guide.sections ?? []).map((s, i) => ({
    id: `${guide.slug}#${i}`,
    guide,
    heading: s.heading,
    text: documentToPlainTextString(s.body).trim(),
  }));

async function main(): Promise<void> {
  const sections = (await publishedGuides()).flatMap(toSections);
  let upserted = 0;
  for (let i = 0; i < sections.length; i += BATCH) {
    const records = await Promise.all(sections.slice(i, i + BATCH).map(async (section) => {
      if (section.text.length < 40) return null;
      const res = await openai.embeddings.create({
        model: 'text-embedding-3-large',
        input: `${section.guide.title}: ${section.heading}\n\n${section.text}`,
      });
      return {
        id: section.id,
        values: res.data[0].embedding,
        metadata: { slug: section.guide.slug, region: section.guide.region, heading: section.heading },
      };
    }));
    const batch = records.filter((r): r is PineconeRecord => r !== null);
    if (batch.length > 0) await index.upsert(batch);
    upserted += batch.length;
  }
  console.log(`embedded and upserted ${upserted} of ${sections.length} sections`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
