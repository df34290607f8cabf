// workers/warranty-welcome.ts: welcome emails for Kestrel Bikes e-bike warranty registrations.
// Long-running worker on ECS Fargate (`node dist/workers/warranty-welcome.js`). The registration form
// posts to an API that drops a message on the `warranty-registrations` SQS queue (standard queue, so
// at-least-once: the same registration can arrive twice). Each registration is stored in Postgres
// (serial_number is the primary key) and only the message that inserts the row sends the owner the
// Postmark welcome email with their coverage; duplicates are deleted from the queue without a send.
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { Pool } from 'pg';
import { ServerClient } from 'postmark';

type Registration = {
  serialNumber: string; model: string; purchaseDate: string; dealer: string;
  owner: { email: string; firstName: string };
};

const sqs = new SQSClient({ region: process.env.AWS_REGION ?? 'eu-west-1' });
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const postmark = new ServerClient(process.env.POSTMARK_SERVER_TOKEN!);
const QUEUE_URL = process.env.WARRANTY_QUEUE_URL!;
const COVERAGE_YEARS: Record<string, number> = { 'Kestrel Commute': 2, 'Kestrel Trail': 3, 'Kestrel Cargo': 5 };

async function register(reg: Registration): Promise<boolean> {
  const { rowCount } = await pool.query(
    `INSERT INTO warranty_registrations (serial_number, model, purchase_date, dealer, owner_email)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (serial_number) DO NOTHING`,
    [reg.serialNumber, reg.model, reg.purchaseDate, reg.dealer, reg.owner.email.toLowerCase()],
  );
  return rowCount === 1;
}

async function handle(message: Message): Promise<void> {
  const reg = JSON.parse(message.Body ?? '{}') as Registration;
  if (!(await register(reg))) {
    console.log(`serial ${reg.serialNumber} already registered, no email`);
    return;
  }
  await postmark.sendEmailWithTemplate({
    From: 'Kestrel Bikes <care@kestrelbikes.com>',
    To: reg.owner.email,
    TemplateAlias: 'warranty-welcome',
    TemplateModel: {
      first_name: reg.owner.firstName,
      model: reg.model,
      serial: reg.serialNumber,
      years: COVERAGE_YEARS[reg.model] ?? 2,
    },
    MessageStream: 'outbound',
  });
}

async function main(): Promise<void> {
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: QUEUE_URL, MaxNumberOfMessages: 10, WaitTimeSeconds: 20, VisibilityTimeout: 60,
    }));
    await Promise.all(Messages.map(async (message) => {
      try {
        await handle(message);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: QUEUE_URL, ReceiptHandle: message.ReceiptHandle! }));
      } catch (err) {
        console.error(`message ${message.MessageId} failed, SQS will redeliver it`, err);
      }
    }));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
