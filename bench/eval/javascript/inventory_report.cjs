// Nightly (cron 02:00): emails purchasing the list of products that are out of stock.
const axios = require('axios');
const sgMail = require('@sendgrid/mail');

sgMail.setApiKey(process.env.SENDGRID_API_KEY);
const api = axios.create({
  baseURL: `https://${process.env.WOO_HOST}/wp-json/wc/v3`,
  auth: { username: process.env.WOO_KEY, password: process.env.WOO_SECRET },
});

async function main() {
  const { data: products } = await api.get('/products', { params: { stock_status: 'outofstock', per_page: 100 } });
  const rows = products.map((p) => `<tr><td>${p.sku}</td><td>${p.name}</td><td>${p.date_modified}</td></tr>`).join('');
  await sgMail.send({
    to: 'purchasing@acme-bikes.dev',
    from: 'reports@acme-bikes.dev',
    subject: `Out of stock: ${products.length} products`,
    html: `<table><tr><th>SKU</th><th>Name</th><th>Since</th></tr>${rows}</table>`,
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
