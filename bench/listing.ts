// `npm run bench:listing`: does the memory browser stay responsive on a namespace of 100,000 keys
// inside a 1,000,000-key database (issue "Scale")? Starts a throw-away redis-server, fills 900,000
// keys outside the namespace (DEBUG POPULATE) and 100,000 inside it shaped ns:<workflow>:<purpose>:<id>
// (20 workflows × 5 purposes × 1,000 ids; hashes, JSON strings, keys with expiry), then lists
// levels through LevelListing — the tree's own, vscode-free code path — with the default settings
// (scan.count 1000, view.pageSize 200, delimiter ":") and prints:
//   - time to the first page of the namespace's top level, of a workflow group, and to a full page
//     (page cap, metadata included) of a purpose group of 1,000 keys; time to walk a level fully;
//   - the metadata pipeline for one page of 200 keys; countPrefix for the namespace;
//   - per step the longest single Redis command (SLOWLOG with slowlog-log-slower-than 0, reset
//     before each step) and the PING round trip of a second client in its own process (p99, max);
//   - that KEYS was never called (INFO commandstats).
// A measurement, not a test: it prints figures and exits 0 (1 only when it could not run).
import Redis from 'ioredis';
import { performance } from 'perf_hooks';
import { RedisMemoryStore } from '../src/memory/redisStore';
import { LevelListing } from '../src/views/levelListing';
import { startRedisServer } from '../scripts/lib/redis-server';
import { PingProbe, type PingStats } from './lib/pingProbe';

// The extension's defaults (package.json: workflowMemory.scan.count, view.pageSize, delimiter).
const SCAN_COUNT = 1000;
const PAGE_SIZE = 200;
const DELIMITER = ':';

const NAMESPACE = 'ns:';
const WORKFLOWS = Array.from({ length: 20 }, (_, index) => `wf-${String(index + 1).padStart(2, '0')}`);
const PURPOSES = ['state', 'checkpoint', 'result', 'lock', 'cache'] as const;
const IDS_PER_PURPOSE = 1000;
/** Keys outside the namespace, as three other applications' keyspaces (DEBUG POPULATE <n> <prefix>). */
const OUTSIDE = [
  { prefix: 'app:session', count: 300_000 },
  { prefix: 'cache:page', count: 300_000 },
  { prefix: 'queue:job', count: 300_000 },
];
const FILL_BATCH = 10_000;

// Targets, from the "must stay responsive" and "never blocks the server":
/** A level shows something within a second (the usual limit for keeping a user's flow of thought). */
const TARGET_FIRST_PAGE_MS = 1000;
/** A full page of 200 keys with their details, also within a second. */
const TARGET_PAGE_WITH_METADATA_MS = 1000;
/** The details of a page arrive in one round of pipelines: feels instant (≤ 100 ms). */
const TARGET_METADATA_MS = 100;
/** No single command blocks Redis for long: other clients share its one thread. */
const TARGET_LONGEST_COMMAND_MS = 10;
/** Other clients of the same Redis see no noticeable delay while the tree lists. */
const TARGET_PING_P99_MS = 20;

const ADMIN_NAME = 'wm-bench-admin';

interface StepFigures<T> {
  result: T;
  wallMs: number;
  ping: PingStats;
  longest: { ms: number; command: string };
}

function fmt(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** `name: value (target …, ratio x)` — ratio is value / limit, so ≤ 1 meets the target. */
function line(name: string, value: string, target: string, ratio: number): void {
  console.log(`${name}: ${value} (target ${target}, ratio ${ratio.toFixed(2)}×) ${ratio <= 1 ? 'ok' : 'OVER TARGET'}`);
}

function info(name: string, value: string): void {
  console.log(`${name}: ${value}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function fillNamespace(admin: Redis): Promise<void> {
  let pipeline = admin.pipeline();
  let queued = 0;
  const flush = async () => {
    const replies = await pipeline.exec();
    const failed = replies?.find(([error]) => error);
    if (failed) throw failed[0];
    pipeline = admin.pipeline();
    queued = 0;
  };
  for (const workflow of WORKFLOWS) {
    for (const purpose of PURPOSES) {
      for (let id = 0; id < IDS_PER_PURPOSE; id++) {
        const key = `${NAMESPACE}${workflow}:${purpose}:${id}`;
        const json = JSON.stringify({ workflow, purpose, id, at: 1_700_000_000_000 + id, note: 'x'.repeat(id % 64) });
        if (purpose === 'state') pipeline.hset(key, 'step', String(id % 7), 'status', id % 3 ? 'running' : 'waiting', 'updated', '1700000000');
        else if (purpose === 'checkpoint') pipeline.set(key, json);
        else if (purpose === 'result') pipeline.set(key, json, 'PX', 24 * 3600_000);
        else if (purpose === 'lock') pipeline.set(key, workflow, 'PX', 3600_000);
        else pipeline.set(key, json, 'PX', 3 * 3600_000);
        if (++queued >= FILL_BATCH) await flush();
      }
    }
  }
  if (queued > 0) await flush();
}

/** Longest command in the slow log (every command is logged), apart from the bench's own admin calls. */
async function longestLoggedCommand(admin: Redis): Promise<{ ms: number; command: string }> {
  const entries = (await admin.call('SLOWLOG', 'GET', '1000000')) as [number, number, number, (string | Buffer)[], string, string][];
  let longest = { ms: 0, command: '(none)' };
  for (const [, , micros, args, , clientName] of entries) {
    if (clientName === ADMIN_NAME) continue;
    if (micros / 1000 > longest.ms) longest = { ms: micros / 1000, command: args.slice(0, 6).map(String).join(' ').slice(0, 80) };
  }
  const length = Number(await admin.call('SLOWLOG', 'LEN'));
  if (length >= 1_000_000) console.warn('warning: the slow log filled up; the longest command may be missing');
  return longest;
}

async function main(): Promise<number> {
  const server = await startRedisServer({ extraArgs: ['--enable-debug-command', 'yes'] });
  let admin: Redis | undefined;
  let store: RedisMemoryStore | undefined;
  let probe: PingProbe | undefined;
  try {
    admin = new Redis({ host: server.host, port: server.port, connectionName: ADMIN_NAME, maxRetriesPerRequest: 1, retryStrategy: () => null });
    const adminClient = admin;

    // --- Fill ---
    let started = performance.now();
    for (const { prefix, count } of OUTSIDE) await admin.call('DEBUG', 'POPULATE', String(count), prefix, '64');
    await fillNamespace(admin);
    const dbsize = await admin.dbsize();
    info('database', `${dbsize.toLocaleString('en-US')} keys, ${(WORKFLOWS.length * PURPOSES.length * IDS_PER_PURPOSE).toLocaleString('en-US')} under "${NAMESPACE}" (filled in ${fmt(performance.now() - started)} ms)`);
    await admin.config('SET', 'slowlog-max-len', '1000000');
    await admin.config('SET', 'slowlog-log-slower-than', '0');
    await admin.config('RESETSTAT');

    store = new RedisMemoryStore({ url: server.url, scanCount: SCAN_COUNT, connectionName: 'wm-bench-store' });
    await store.connect();
    const connectedStore = store;
    probe = new PingProbe(server.host, server.port);
    const pingProbe = probe;

    const step = async <T>(run: () => Promise<T>): Promise<StepFigures<T>> => {
      await adminClient.call('SLOWLOG', 'RESET');
      await pingProbe.start();
      const begun = performance.now();
      const result = await run();
      const wallMs = performance.now() - begun;
      const ping = await pingProbe.stop();
      return { result, wallMs, ping, longest: await longestLoggedCommand(adminClient) };
    };
    const report = (label: string, figures: StepFigures<unknown>) => {
      line(`  longest single command`, `${fmt(figures.longest.ms)} ms (${figures.longest.command})`, `≤ ${TARGET_LONGEST_COMMAND_MS} ms`, figures.longest.ms / TARGET_LONGEST_COMMAND_MS);
      line(`  PING p99 from another client during ${label}`, `${fmt(figures.ping.p99Ms)} ms (max ${fmt(figures.ping.maxMs)} ms, median ${fmt(figures.ping.medianMs)} ms, ${figures.ping.count} pings)`, `≤ ${TARGET_PING_P99_MS} ms`, figures.ping.p99Ms / TARGET_PING_P99_MS);
    };
    const levelListing = (prefix: string) =>
      new LevelListing(connectedStore, { prefix: Buffer.from(prefix), scanPrefix: Buffer.from(prefix), delimiter: DELIMITER, scanCount: SCAN_COUNT, pageSize: PAGE_SIZE }, () => undefined);

    // --- Idle baseline for the PING figures ---
    const idle = await step(() => new Promise((resolve) => setTimeout(resolve, 1000)));
    info('\nPING p99 with Redis idle (baseline)', `${fmt(idle.ping.p99Ms)} ms (max ${fmt(idle.ping.maxMs)} ms, ${idle.ping.count} pings)`);

    // --- A level listed the way the tree lists it: first page, then on to the end ---
    const listLevel = async (prefix: string, label: string) => {
      console.log(`\n${label} "${prefix}"`);
      const listing = levelListing(prefix);
      let firstPageMs = NaN;
      const figures = await step(async () => {
        const begun = performance.now();
        await listing.firstPage();
        firstPageMs = performance.now() - begun;
        await listing.settled();
        return listing.view();
      });
      listing.dispose();
      const view = figures.result;
      if (view.error) throw new Error(`listing ${prefix} failed: ${view.error}`);
      line('  first page', `${fmt(firstPageMs)} ms`, `≤ ${TARGET_FIRST_PAGE_MS} ms`, firstPageMs / TARGET_FIRST_PAGE_MS);
      info('  level listed fully (whole keyspace walked, fewer children than a page)', `${fmt(figures.wallMs)} ms: ${view.groups.length} groups, ${view.keys.length} keys, ${view.keysSeen.toLocaleString('en-US')} keys seen below, complete=${view.complete}`);
      report('the listing', figures);
    };
    await listLevel(NAMESPACE, 'Namespace top level');
    await listLevel(`${NAMESPACE}${WORKFLOWS[6]}:`, 'One workflow group');

    // --- A group of 1,000 keys: up to the page cap, metadata included, then "Load more…" ---
    const purposePrefix = `${NAMESPACE}${WORKFLOWS[6]}:${PURPOSES[1]}:`;
    console.log(`\nOne purpose group "${purposePrefix}" (${IDS_PER_PURPOSE} keys, page cap ${PAGE_SIZE})`);
    const purposeListing = levelListing(purposePrefix);
    const firstPage = await step(async () => {
      await purposeListing.load(); // resolves once a page of children is shown, with metadata
      return purposeListing.view();
    });
    const withMetadata = firstPage.result.keys.filter((shown) => shown.metadata).length;
    line('  page of keys with metadata', `${fmt(firstPage.wallMs)} ms: ${firstPage.result.keys.length} keys, ${withMetadata} with metadata, "Load more…"=${firstPage.result.hasMore}`, `≤ ${TARGET_PAGE_WITH_METADATA_MS} ms`, firstPage.wallMs / TARGET_PAGE_WITH_METADATA_MS);
    report('the page', firstPage);
    const more = await step(async () => {
      await purposeListing.loadMore();
      return purposeListing.view();
    });
    info('  "Load more…" (next page)', `${fmt(more.wallMs)} ms: ${more.result.keys.length} keys shown`);
    purposeListing.dispose();

    // --- Metadata pipeline for one page ---
    console.log(`\nMetadata for one page of ${PAGE_SIZE} keys (hashes, strings with and without expiry)`);
    const pageKeys = Array.from({ length: PAGE_SIZE }, (_, index) => Buffer.from(`${NAMESPACE}${WORKFLOWS[3]}:${PURPOSES[index % PURPOSES.length]}:${index}`));
    const metadataTimes: number[] = [];
    const metadataRuns = await step(async () => {
      for (let run = 0; run < 21; run++) {
        const begun = performance.now();
        const metadata = await connectedStore.metadata(pageKeys);
        metadataTimes.push(performance.now() - begun);
        if (metadata.some((entry) => entry.type === 'none' || entry.error)) throw new Error('metadata: a key is missing or refused');
      }
    });
    const metadataMedian = median(metadataTimes.slice(1));
    line('  metadata pipeline (median of 20 after one warm-up)', `${fmt(metadataMedian)} ms (max ${fmt(Math.max(...metadataTimes.slice(1)))} ms)`, `≤ ${TARGET_METADATA_MS} ms`, metadataMedian / TARGET_METADATA_MS);
    report('the pipelines', metadataRuns);

    // --- countPrefix ---
    console.log(`\ncountPrefix("${NAMESPACE}")`);
    const counted = await step(() => connectedStore.countPrefix(Buffer.from(NAMESPACE)));
    info('  countPrefix', `${fmt(counted.wallMs)} ms: ${counted.result.toLocaleString('en-US')} keys (walks all ${dbsize.toLocaleString('en-US')} keys by SCAN; shown with progress, cancellable)`);
    report('the count', counted);

    // --- Never KEYS ---
    const commandstats = await admin.info('commandstats');
    const stat = (command: string) => {
      const match = new RegExp(`^cmdstat_${command}:calls=(\\d+),usec=(\\d+)`, 'm').exec(commandstats);
      return match ? { calls: Number(match[1]), usec: Number(match[2]) } : { calls: 0, usec: 0 };
    };
    console.log('\nCommands');
    const keysCalls = stat('keys').calls;
    line('  KEYS calls', String(keysCalls), '0', keysCalls === 0 ? 0 : Infinity);
    const scans = stat('scan');
    info('  SCAN calls', `${scans.calls.toLocaleString('en-US')}, ${scans.calls ? fmt(scans.usec / scans.calls / 1000) : 'n/a'} ms per call on average`);
    return 0;
  } finally {
    probe?.close();
    await store?.disconnect().catch(() => undefined);
    admin?.disconnect();
    await server.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
