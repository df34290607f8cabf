// Fastify service for the Hollis & Vane storefront: GET /seo/:sku returns meta titles and
// descriptions in each storefront locale, written by GPT (temperature 0) from the product record in
// Akeneo. The Next.js storefront calls it at build time and on every ISR revalidation (hourly).
import Fastify from 'fastify';
import OpenAI from 'openai';

const openai = new OpenAI();
const LOCALES = ['en_GB', 'fr_FR', 'de_DE', 'nl_NL'] as const;
type Locale = (typeof LOCALES)[number];

interface Product {
  identifier: string;
  family: string;
  values: Record<string, { locale: string | null; data: unknown }[]>;
}

async function akeneoProduct(sku: string): Promise<Product | null> {
  const res = await fetch(`${process.env.AKENEO_URL}/api/rest/v1/products/${encodeURIComponent(sku)}`, {
    headers: { Authorization: `Bearer ${process.env.AKENEO_TOKEN}` },
  });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`Akeneo ${res.status}`);
  return (await res.json()) as Product;
}

function attributes(product: Product, locale: Locale): string {
  return Object.entries(product.values)
    .map(([name, values]) => [name, values.find((v) => v.locale === locale || v.locale === null)?.data])
    .filter(([, data]) => data !== undefined && typeof data !== 'object')
    .map(([name, data]) => `${name}: ${data}`)
    .join('\n');
}

async function seoCopy(product: Product, locale: Locale): Promise<{ title: string; description: string }> {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    temperature: 0,
    response_format: { type: 'json_object' },
    messages: [
      { role: 'system', content: `Write SEO copy in ${locale}. JSON {"title": max 60 chars, "description": max 155 chars}. No prices.` },
      { role: 'user', content: `Family: ${product.family}\n${attributes(product, locale)}` },
    ],
  });
  return JSON.parse(completion.choices[0].message.content ?? '{}');
}

const app = Fastify({ logger: true });

app.get<{ Params: { sku: string } }>('/seo/:sku', async (request, reply) => {
  const product = await akeneoProduct(request.params.sku);
  if (!product) return reply.code(404).send({ error: 'unknown sku' });

  const copies = await Promise.all(LOCALES.map((locale) => seoCopy(product, locale)));
  return Object.fromEntries(LOCALES.map((locale, i) => [locale, copies[i]]));
});

app.listen({ port: Number(process.env.PORT ?? 8080), host: '0.0.0.0' }).catch((err) => {
  app.log.error(err);
  process.exit(1);
});
