// Next.js App Router page app/trails/[slug]/page.tsx for the Peak Ramblers club site: trail details from
// Sanity plus a "current conditions" paragraph that GPT-4o writes from the latest member trip reports.
// Server-rendered on every request, because members post reports all day.
import OpenAI from 'openai';
import { notFound } from 'next/navigation';
import { createClient } from '@sanity/client';

export const dynamic = 'force-dynamic';

const sanity = createClient({
  projectId: process.env.SANITY_PROJECT_ID!,
  dataset: 'production',
  apiVersion: '2024-05-01',
  useCdn: true,
});
const openai = new OpenAI();

type Trail = { name: string; distanceKm: number; ascentM: number; grade: string; description: string };
type TripReport = { _id: string; date: string; author: string; body: string; underfoot: 'dry' | 'muddy' | 'snow' | 'ice' };

const TRAIL_QUERY = `*[_type == "trail" && slug.current == $slug][0]{name, distanceKm, ascentM, grade, description}`;
const REPORTS_QUERY = `*[_type == "tripReport" && trail->slug.current == $slug] | order(date desc)[0...12]{
  _id, date, "author": author->name, body, underfoot }`;

async function conditionsSummary(trail: Trail, reports: TripReport[]): Promise<string | null> {
  if (reports.length === 0) return null;
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o',
    temperature: 0,
    max_tokens: 180,
    messages: [
      { role: 'system', content: 'Summarise hikers\' trip reports into current trail conditions in 2-3 sentences. Hazards first. Do not invent details.' },
      { role: 'user', content: `Trail: ${trail.name}\n\n${reports.map((r) => `${r.date} (${r.underfoot}): ${r.body}`).join('\n\n')}` },
    ],
  });
  return completion.choices[0].message.content;
}

export default async function TrailPage({ params }: { params: { slug: string } }) {
  const trail = await sanity.fetch<Trail | null>(TRAIL_QUERY, { slug: params.slug });
  if (!trail) notFound();
  const reports = await sanity.fetch<TripReport[]>(REPORTS_QUERY, { slug: params.slug });
  const summary = await conditionsSummary(trail, reports);

  return (
    <article className="trail">
      <h1>{trail.name}</h1>
      <p className="trail-stats">
        {trail.distanceKm} km · {trail.ascentM} m ascent · {trail.grade}
      </p>
      <section className="conditions">
        <h2>Current conditions</h2>
        <p>{summary ?? 'No trip reports yet. Been out there? Add one!'}</p>
        {reports[0] && <small>Latest report {reports[0].date} by {reports[0].author}</small>}
      </section>
      <section dangerouslySetInnerHTML={{ __html: trail.description }} />
      <ul className="reports">
        {reports.map((r) => (
          <li key={r._id}>
            <strong>{r.date}</strong> — {r.author} ({r.underfoot}): {r.body}
          </li>
        ))}
      </ul>
    </article>
  );
}
