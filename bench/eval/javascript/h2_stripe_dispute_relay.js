// Stripe webhook (Express, POST /stripe/webhook): relays dispute events to the #payments-risk
// Discord channel with the customer and amount. Stripe retries a delivery until it gets a 2xx.
const express = require('express');
const Stripe = require('stripe');
const axios = require('axios');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const DISCORD_WEBHOOK = process.env.DISCORD_RISK_WEBHOOK_URL;
const RELAYED = new Set(['charge.dispute.created', 'charge.dispute.updated', 'charge.dispute.closed']);

const app = express();

function formatAmount(amount, currency) {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(amount / 100);
}

async function describeDispute(dispute) {
  const charge = await stripe.charges.retrieve(dispute.charge, { expand: ['customer'] });
  const customer = charge.customer && typeof charge.customer === 'object' ? charge.customer.email : charge.billing_details.email;
  const due = dispute.evidence_details && dispute.evidence_details.due_by;
  return {
    title: `Dispute ${dispute.status.replace(/_/g, ' ')}: ${formatAmount(dispute.amount, dispute.currency)}`,
    url: `https://dashboard.stripe.com/disputes/${dispute.id}`,
    fields: [
      { name: 'Customer', value: customer || 'unknown', inline: true },
      { name: 'Reason', value: dispute.reason, inline: true },
      { name: 'Evidence due', value: due ? new Date(due * 1000).toDateString() : 'n/a', inline: true },
    ],
    color: dispute.status === 'lost' ? 0xd93025 : 0xf9ab00,
  };
}

app.post('/stripe/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }
  if (!RELAYED.has(event.type)) return res.sendStatus(204);

  try {
    const embed = await describeDispute(event.data.object);
    await axios.post(DISCORD_WEBHOOK, { username: 'Stripe disputes', embeds: [embed] });
    res.sendStatus(200);
  } catch (err) {
    console.error(`relay of ${event.id} failed`, err.message);
    res.sendStatus(500);
  }
});

app.listen(process.env.PORT || 4242, () => console.log('dispute relay listening'));
