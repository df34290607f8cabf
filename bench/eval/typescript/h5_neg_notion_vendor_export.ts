// One-off export for the annual data-protection audit: dumps every row of the "Vendor register"
// Notion database to a CSV that goes to the auditors. Run by hand, once a year:
//   npx tsx scripts/export-vendor-register.ts <database-id> vendors-2024.csv
import { APIErrorCode, Client, isFullPage, isNotionClientError } from '@notionhq/client';
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const notion = new Client({ auth: process.env.NOTION_TOKEN });
const ownerNames = new Map<string, string>();

async function withRetry<T>(call: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (err) {
      if (i >= attempts || !isNotionClientError(err) || err.code !== APIErrorCode.RateLimited) throw err;
      await sleep(1000 * 2 ** i);
    }
  }
}

async function* rows(databaseId: string) {
  let cursor: string | undefined;
  do {
    const page = await withRetry(() => notion.databases.query({ database_id: databaseId, start_cursor: cursor, page_size: 100 }));
    yield* page.results.filter(isFullPage);
    cursor = page.has_more ? page.next_cursor ?? undefined : undefined;
  } while (cursor);
}

async function ownerName(userId: string): Promise<string> {
  const known = ownerNames.get(userId);
  if (known) return known;
  const user = await withRetry(() => notion.users.retrieve({ user_id: userId }));
  const name = user.name ?? user.id;
  ownerNames.set(userId, name);
  return name;
}

function text(prop: any): string {
  switch (prop?.type) {
    case 'title': return prop.title.map((t: any) => t.plain_text).join('');
    case 'rich_text': return prop.rich_text.map((t: any) => t.plain_text).join('');
    case 'select': return prop.select?.name ?? '';
    case 'multi_select': return prop.multi_select.map((s: any) => s.name).join('; ');
    case 'date': return prop.date?.start ?? '';
    case 'checkbox': return prop.checkbox ? 'yes' : 'no';
    default: return '';
  }
}

const csvCell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

async function main(): Promise<void> {
  const [databaseId, outFile] = process.argv.slice(2);
  if (!databaseId || !outFile) {
    console.error('usage: export-vendor-register <database-id> <out.csv>');
    process.exit(2);
  }
  const lines = ['Vendor,Category,Personal data,DPA signed,Review date,Owner'];
  for await (const row of rows(databaseId)) {
    const p = row.properties;
    const people = p['Owner']?.type === 'people' ? p['Owner'].people : [];
    const owners = await Promise.all(people.map((person) => ownerName(person.id)));
    const cells = [text(p['Vendor']), text(p['Category']), text(p['Personal data']), text(p['DPA signed']), text(p['Review date'])];
    lines.push([...cells, owners.join('; ')].map(csvCell).join(','));
  }
  writeFileSync(outFile, lines.join('\n') + '\n');
  console.log(`wrote ${lines.length - 1} vendors to ${outFile}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
