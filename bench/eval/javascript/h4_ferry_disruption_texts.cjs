// Island commuters' ferry alerts: every 15 minutes (crontab `*/15 5-22 * * * node ferry-texts.cjs`)
// reads the operator's service status page and texts each subscriber of a disrupted route.
// Subscribers are kept in subscribers.json next to the script ({ "ARD-BRO": ["+4477..."], ... }).
const path = require('node:path');
const got = require('got');
const cheerio = require('cheerio');
const twilio = require('twilio');

const STATUS_URL = 'https://www.calmac.co.uk/service-status';
const subscribers = require(path.join(__dirname, 'subscribers.json'));
const sms = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN);

function parseDisruptions(html) {
  const $ = cheerio.load(html);
  return $('.service-status__route')
    .filter((_, el) => !$(el).hasClass('service-status__route--normal'))
    .map((_, el) => ({
      route: $(el).attr('data-route-code'),
      name: $(el).find('.service-status__route-name').text().trim(),
      status: $(el).find('.service-status__label').text().trim(),
      detail: $(el).find('.service-status__detail').text().trim().slice(0, 240),
    }))
    .get();
}

async function main() {
  let html;
  try {
    html = await got(STATUS_URL, { timeout: { request: 20000 }, retry: { limit: 2 } }).text();
  } catch (err) {
    console.error('status page unavailable:', err.message);
    return;
  }

  const disruptions = parseDisruptions(html);
  if (disruptions.length === 0) return;

  for (const disruption of disruptions) {
    const phones = subscribers[disruption.route] || [];
    for (const phone of phones) {
      await sms.messages.create({
        from: process.env.TWILIO_FROM,
        to: phone,
        body: `${disruption.name}: ${disruption.status}. ${disruption.detail}`,
      });
    }
    console.log(`${disruption.route}: texted ${phones.length}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
