// Runs the bundled command (dist/cli.js, built by `node esbuild.js`) the way a user does, on a temp
// project with a CodeWords service, a TypeScript job and folders that must be skipped. ~1 s.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const repo = path.resolve(__dirname, '../../../..');
const cli = path.join(repo, 'dist', 'cli.js');

const SERVICE_PY = `from codewords_client import redis_client, run_service
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Visit(BaseModel):
    user_id: str


@app.post("/")
async def record(visit: Visit) -> dict:
    async with redis_client() as (redis, ns):
        await redis.set(f"visits:last:{visit.user_id}", "1", ex=3600)
    return {"ok": True}


if __name__ == "__main__":
    run_service(app)
`;

const JOB_TS = `import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL!);

async function checkPage(url: string): Promise<void> {
  const response = await fetch(url);
  const html = await response.text();
  if (html.includes('sold out')) {
    await fetch(process.env.SLACK_WEBHOOK_URL!, { method: 'POST', body: JSON.stringify({ text: url }) });
  }
}

setInterval(() => void checkPage('https://shop.example.com/item/1'), 60_000);
`;

/** 1-based line of the write whose key is outside {ns}: (denied at run time). */
const BAD_KEY_LINE = SERVICE_PY.split('\n').findIndex((line) => line.includes('visits:last')) + 1;

function runCli(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 20_000 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('built command line (dist/cli.js)', function () {
  this.timeout(20_000);
  let project: string;

  before(() => {
    assert.ok(fs.existsSync(cli), `${cli} is missing: build it first with \`node esbuild.js\``);
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-cli-e2e-'));
    const write = (relative: string, content: string) => {
      fs.mkdirSync(path.dirname(path.join(project, relative)), { recursive: true });
      fs.writeFileSync(path.join(project, relative), content);
    };
    write('service.py', SERVICE_PY);
    write('job.ts', JOB_TS);
    // Copies of the service where the walk must not go: they would add errors if analyzed.
    write('node_modules/some-lib/service.py', SERVICE_PY);
    write('.venv/pyvenv.cfg', 'home = /usr/bin\n');
    write('.venv/lib/service.py', SERVICE_PY);
    write('README.md', '# not code\n');
  });

  after(() => fs.rmSync(project, { recursive: true, force: true }));

  it('starts with a #!/usr/bin/env node line and is executable, as an npm bin must be', () => {
    assert.ok(fs.readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n'));
    assert.ok((fs.statSync(cli).mode & 0o111) !== 0, 'dist/cli.js is executable');
  });

  it('prints its version from package.json', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    assert.deepStrictEqual(runCli(['--version'], project), { code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('analyzes a folder as text, skipping node_modules and virtualenvs, and exits 1 on a key outside {ns}:', () => {
    const { code, stdout, stderr } = runCli(['analyze', '.'], project);
    assert.strictEqual(stderr, '');
    assert.match(stdout, new RegExp(`^service\\.py:${BAD_KEY_LINE}:\\d+ {2}error {2}key-outside-namespace {2}\\S`, 'm'));
    assert.match(stdout, /^job\.ts:\d+:\d+ {2}change-detection {2}Add memory: /m);
    assert.doesNotMatch(stdout, /node_modules|\.venv/);
    assert.match(stdout, /^2 files analyzed: \d+ suggestions?, 1 error, \d+ warnings?\.$/m);
    assert.strictEqual(code, 1);
  });

  it('writes the JSON schema with both files and exits 1', () => {
    const { code, stdout } = runCli(['analyze', '.', '--format', 'json'], project);
    assert.strictEqual(code, 1);
    const report = JSON.parse(stdout);
    assert.strictEqual(report.version, 1);
    assert.deepStrictEqual(
      report.files.map((file: { path: string; language: string; analyzed: boolean }) => [file.path, file.language, file.analyzed]),
      [
        ['job.ts', 'typescript', true],
        ['service.py', 'python', true],
      ],
    );
    const service = report.files[1];
    assert.ok(service.findings.some((finding: { code: string; severity: string; line: number }) => finding.code === 'key-outside-namespace' && finding.severity === 'error' && finding.line === BAD_KEY_LINE));
  });

  it('writes SARIF 2.1.0 with the error as a result and exits 1', () => {
    const sarif = runCli(['analyze', 'service.py', 'job.ts', '--format=sarif'], project);
    assert.strictEqual(sarif.code, 1);
    const log = JSON.parse(sarif.stdout);
    assert.strictEqual(log.version, '2.1.0');
    const error = log.runs[0].results.find((result: { ruleId: string }) => result.ruleId === 'key-outside-namespace');
    assert.ok(error, 'the key outside the namespace is a SARIF result');
    assert.strictEqual(error.level, 'error');
    assert.strictEqual(error.locations[0].physicalLocation.artifactLocation.uri, 'service.py');
    assert.strictEqual(error.locations[0].physicalLocation.region.startLine, BAD_KEY_LINE);
  });

  it('exits 2 with a clear message on a usage error (the other cases are unit-tested in run.test)', () => {
    const unknown = runCli(['analyze', '.', '--formt', 'json'], project);
    assert.deepStrictEqual([unknown.code, unknown.stdout], [2, '']);
    assert.match(unknown.stderr, /Unknown option --formt\. Run workflow-memory --help/);
  });
});
