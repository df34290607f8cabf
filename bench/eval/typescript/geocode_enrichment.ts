// Nightly enrichment: geocodes customer addresses from the CRM export (Google Geocoding, paid per call).
import axios from 'axios';
import { parse } from 'csv-parse/sync';
import { readFile, writeFile } from 'node:fs/promises';

interface Customer {
  id: string;
  street: string;
  city: string;
  country: string;
}

const GEOCODE_URL = 'https://maps.googleapis.com/maps/api/geocode/json';

async function geocode(address: string): Promise<{ lat: number; lng: number } | null> {
  const { data } = await axios.get(GEOCODE_URL, { params: { address, key: process.env.GOOGLE_MAPS_KEY } });
  return data.results[0]?.geometry.location ?? null;
}

export async function run(): Promise<void> {
  const customers = parse(await readFile('exports/customers.csv'), { columns: true }) as Customer[];
  const enriched = [];
  for (const customer of customers) {
    const location = await geocode(`${customer.street}, ${customer.city}, ${customer.country}`);
    enriched.push({ ...customer, ...location });
  }
  await writeFile('exports/customers-geocoded.json', JSON.stringify(enriched, null, 2));
}

run();
