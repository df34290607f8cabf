// Every hour: copies Shopify orders into the ERP.
import got from 'got';

const SHOP = `https://${process.env.SHOPIFY_SHOP}.myshopify.com/admin/api/2024-07`;
const SYNC_FROM = '2025-01-01T00:00:00Z';

interface Order {
  id: number;
  name: string;
  total_price: string;
  created_at: string;
}

async function pushToErp(order: Order): Promise<void> {
  await got.post(`${process.env.ERP_URL}/api/sales-orders`, {
    json: { externalId: order.id, number: order.name, total: Number(order.total_price) },
    headers: { authorization: `Bearer ${process.env.ERP_TOKEN}` },
  });
}

export async function syncOrders(): Promise<number> {
  let synced = 0;
  const pages = got.paginate<Order>(`${SHOP}/orders.json`, {
    searchParams: { status: 'any', created_at_min: SYNC_FROM, limit: 250 },
    headers: { 'X-Shopify-Access-Token': process.env.SHOPIFY_TOKEN },
    pagination: { transform: (response) => JSON.parse(response.body as string).orders },
  });
  for await (const order of pages) {
    await pushToErp(order);
    synced++;
  }
  return synced;
}

setInterval(() => void syncOrders(), 60 * 60 * 1000);
void syncOrders();
