// Staff directory mirror for the Fernhill Housing intranet. Kubernetes CronJob, every 30 minutes:
//   node dist/jobs/mirrorDirectory.js
// BambooHR's directory endpoint returns the whole company (about 180 people) in one response and has
// no "changed since" option. Each run upserts every row into Postgres (unchanged rows are written
// back with the same values, which is cheap) and marks people missing from the directory inactive.
// The intranet reads the table directly; nothing is sent to anyone.
import { Pool } from 'pg';

type Employee = {
  id: string;
  displayName: string;
  jobTitle: string | null;
  workEmail: string | null;
  department: string | null;
  location: string | null;
  photoUrl: string | null;
  supervisor: string | null;
};

const COMPANY = process.env.BAMBOOHR_SUBDOMAIN!;
const AUTH = `Basic ${Buffer.from(`${process.env.BAMBOOHR_API_KEY}:x`).toString('base64')}`;
const MIN_EXPECTED = 50; // a near-empty answer is an API problem, not a mass resignation

async function directory(): Promise<Employee[]> {
  const res = await fetch(`https://api.bamboohr.com/api/gateway.php/${COMPANY}/v1/employees/directory`, {
    headers: { Authorization: AUTH, Accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`BambooHR directory: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { employees: Employee[] }).employees;
}

async function main(): Promise<void> {
  const employees = await directory();
  if (employees.length < MIN_EXPECTED) {
    throw new Error(`directory returned only ${employees.length} people; not deactivating anyone`);
  }

  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  const db = await pool.connect();
  try {
    await db.query('BEGIN');
    for (const e of employees) {
      await db.query(
        `INSERT INTO staff_directory (bamboo_id, name, title, email, department, location, photo_url, manager, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true)
         ON CONFLICT (bamboo_id) DO UPDATE SET name = EXCLUDED.name, title = EXCLUDED.title, email = EXCLUDED.email,
           department = EXCLUDED.department, location = EXCLUDED.location, photo_url = EXCLUDED.photo_url,
           manager = EXCLUDED.manager, active = true`,
        [e.id, e.displayName, e.jobTitle, e.workEmail, e.department, e.location, e.photoUrl, e.supervisor],
      );
    }
    const gone = await db.query(
      'UPDATE staff_directory SET active = false WHERE active AND NOT (bamboo_id = ANY($1::text[]))',
      [employees.map((e) => e.id)],
    );
    await db.query('COMMIT');
    console.log(`mirrored ${employees.length} people, ${gone.rowCount} newly inactive`);
  } catch (err) {
    await db.query('ROLLBACK');
    throw err;
  } finally {
    db.release();
    await pool.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
