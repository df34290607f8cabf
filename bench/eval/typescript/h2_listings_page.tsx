// Next.js App Router page app/listings/[city]/page.tsx: active listings with a Walk Score badge.
// Rendered on the server on every request; the display-settings form posts to a server action.
import { redirect } from 'next/navigation';

export const dynamic = 'force-dynamic';

type Listing = { id: string; address: string; lat: number; lon: number; price: number; areaSqm: number; photo: string };
type WalkScore = { walkscore: number; description: string };
type Props = { params: { city: string }; searchParams: { units?: string } };

async function walkScore(listing: Listing): Promise<WalkScore | null> {
  const query = new URLSearchParams({
    format: 'json',
    address: listing.address,
    lat: String(listing.lat),
    lon: String(listing.lon),
    wsapikey: process.env.WALKSCORE_API_KEY!,
  });
  const res = await fetch(`https://api.walkscore.com/score?${query}`, { cache: 'no-store' });
  if (!res.ok) return null;
  return (await res.json()) as WalkScore;
}

async function saveDisplaySettings(formData: FormData) {
  'use server';
  const units = formData.get('units') === 'imperial' ? 'imperial' : 'metric';
  redirect(`/listings/${String(formData.get('city'))}?units=${units}`);
}

export default async function ListingsPage({ params, searchParams }: Props) {
  const res = await fetch(`${process.env.LISTINGS_API}/cities/${params.city}/listings?status=active`, { cache: 'no-store' });
  const listings = (await res.json()) as Listing[];
  const scores = await Promise.all(listings.map(walkScore));
  const imperial = searchParams.units === 'imperial';

  return (
    <main className="listings">
      <form action={saveDisplaySettings} className="display-settings">
        <input type="hidden" name="city" value={params.city} />
        <select name="units" defaultValue={imperial ? 'imperial' : 'metric'}>
          <option value="metric">m²</option>
          <option value="imperial">sq ft</option>
        </select>
        <button type="submit">Apply</button>
      </form>
      <ul>
        {listings.map((listing, i) => (
          <li key={listing.id} className="listing-card">
            <img src={listing.photo} alt={listing.address} />
            <h2>{listing.address}</h2>
            <p>
              ${listing.price.toLocaleString()} · {imperial ? `${Math.round(listing.areaSqm * 10.764)} sq ft` : `${listing.areaSqm} m²`}
            </p>
            {scores[i] && <span className="walkscore">Walk Score {scores[i]!.walkscore}: {scores[i]!.description}</span>}
          </li>
        ))}
      </ul>
    </main>
  );
}
