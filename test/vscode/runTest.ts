// Entry of the extension-host tests (`node out/test/vscode/runTest.js`): starts a throw-away
// redis-server, copies test/vscode/workspace to a temporary folder and runs test/vscode/index.ts
// inside VS Code through @vscode/test-electron. VS Code is, in this order: WM_VSCODE_EXECUTABLE;
// a downloaded VS Code (the minimum engines.vscode, or WM_VSCODE_VERSION); the code-server
// stand-in (scripts/vscode-stand-in.js) when no download can be had, as on an offline machine.
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { startRedisServer } from '../../scripts/lib/redis-server';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const standIn = path.join(repoRoot, 'scripts', 'vscode-stand-in.js');

interface VSCodeChoice {
  executable: string;
  description: string;
  /** Extra environment the executable needs (a DISPLAY for Electron). */
  env: Record<string, string>;
  stop: () => void;
}

/** The oldest VS Code the extension supports: `^1.100.0` → `1.100.0`. */
function minimumVSCodeVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  return String(manifest.engines.vscode).replace(/^[^\d]*/, '');
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** Electron needs an X display; on a headless Linux box start Xvfb when there is one. */
async function displayForElectron(): Promise<{ env: Record<string, string>; stop: () => void } | undefined> {
  if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return { env: {}, stop: () => {} };
  if (!hasCommand('Xvfb')) return undefined;
  const display = `:${90 + Math.floor(Math.random() * 400)}`;
  const xvfb: ChildProcess = spawn('Xvfb', [display, '-screen', '0', '1400x900x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  if (xvfb.exitCode !== null) return undefined;
  return { env: { DISPLAY: display }, stop: () => xvfb.kill() };
}

function standInChoice(why: string): VSCodeChoice {
  // runTests() spawns the file itself; a checkout that lost the executable bit must not break that.
  fs.chmodSync(standIn, 0o755);
  return { executable: standIn, description: `code-server stand-in (${why})`, env: {}, stop: () => {} };
}

async function chooseVSCode(): Promise<VSCodeChoice> {
  const configured = process.env.WM_VSCODE_EXECUTABLE;
  if (configured) {
    return { executable: path.resolve(configured), description: `WM_VSCODE_EXECUTABLE=${configured}`, env: {}, stop: () => {} };
  }
  const display = await displayForElectron();
  if (!display) return standInChoice('no X display and no Xvfb to run a downloaded VS Code');
  const version = process.env.WM_VSCODE_VERSION || minimumVSCodeVersion();
  try {
    const executable = await downloadAndUnzipVSCode({
      version,
      cachePath: path.join(repoRoot, '.vscode-test'),
      timeout: 15000,
    });
    return { executable, description: `VS Code ${version}, downloaded`, env: display.env, stop: display.stop };
  } catch (error) {
    display.stop();
    return standInChoice(`VS Code ${version} could not be downloaded: ${(error as Error).message}`);
  }
}

async function main(): Promise<number> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-vscode-test-'));
  const workspace = path.join(scratch, 'workspace');
  fs.cpSync(path.join(repoRoot, 'test', 'vscode', 'workspace'), workspace, { recursive: true });
  const redis = await startRedisServer();
  let vscodeChoice: VSCodeChoice | undefined;
  try {
    // Point the extension at the throw-away Redis, never at one on the developer's machine.
    const settingsFile = path.join(workspace, '.vscode', 'settings.json');
    const settings = fs.existsSync(settingsFile) ? JSON.parse(fs.readFileSync(settingsFile, 'utf8')) : {};
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(settingsFile, JSON.stringify({ ...settings, 'workflowMemory.redis.url': redis.url }, null, 2));

    vscodeChoice = await chooseVSCode();
    console.log(`Extension-host tests in ${vscodeChoice.description}; Redis at ${redis.url}; workspace ${workspace}`);
    return await runTests({
      vscodeExecutablePath: vscodeChoice.executable,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(__dirname, 'index.js'),
      launchArgs: [
        workspace,
        `--user-data-dir=${path.join(scratch, 'user-data')}`,
        `--extensions-dir=${path.join(scratch, 'extensions')}`,
        '--disable-extensions',
      ],
      extensionTestsEnv: {
        ...vscodeChoice.env,
        WM_TEST_REDIS_URL: redis.url,
        WM_TEST_WORKSPACE: workspace,
      },
    });
  } finally {
    vscodeChoice?.stop();
    await redis.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`Extension-host tests failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
