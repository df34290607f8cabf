// The repository's scripts/lib helpers, loaded from the repository itself (not from out/, where
// tsc copies them): they find .tools/, package.json and scripts/package.js relative to themselves.
import * as fs from 'fs';
import * as path from 'path';

function findRepoRoot(start: string): string {
  for (let dir = start; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'workflow-memory') return dir;
  }
  throw new Error(`No workflow-memory package.json above ${start}`);
}

export const repoRoot = findRepoRoot(__dirname);
export const examplesDir = path.join(repoRoot, 'examples');
/** Screenshots of failing steps (gitignored). */
export const artifactsDir = path.join(repoRoot, '.e2e-artifacts');
/** README pictures, rewritten only with WM_UPDATE_SCREENSHOTS=1. */
export const readmePicturesDir = path.join(repoRoot, 'media', 'readme');

function load<T>(relativePath: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(repoRoot, relativePath)) as T;
}

export const redisServerLib = load<typeof import('../../../scripts/lib/redis-server')>('scripts/lib/redis-server.js');
export const codeServerLib = load<typeof import('../../../scripts/lib/code-server')>('scripts/lib/code-server.js');
export const seedLib = load<typeof import('../../../scripts/lib/seed')>('scripts/lib/seed.js');
export const demoProfileLib = load<typeof import('../../../scripts/lib/demo-profile')>('scripts/lib/demo-profile.js');

export type RedisServer = Awaited<ReturnType<typeof redisServerLib.startRedisServer>>;
export type CodeServer = Awaited<ReturnType<typeof codeServerLib.startCodeServer>>;
