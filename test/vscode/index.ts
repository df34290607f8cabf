// Runs inside the VS Code extension host (loaded through --extensionTestsPath): mocha over every
// compiled suite file. The spec reporter's "N passing / N failing" lines are what scripts/run-tests.js counts.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

/** Compiled suite files, sorted so runs are repeatable. */
function findSuiteFiles(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return (fs.readdirSync(directory, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.test.js'))
    .map((file) => path.join(directory, file))
    .sort();
}

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    // The output reaches the terminal through the workbench console, where colour codes are noise.
    color: false,
    timeout: Number(process.env.WM_VSCODE_TEST_TIMEOUT_MS) || 30000,
    // WM_VSCODE_GREP runs only the tests whose title matches, for working on one suite.
    grep: process.env.WM_VSCODE_GREP || undefined,
  });
  for (const file of findSuiteFiles(path.join(__dirname, 'suite'))) mocha.addFile(file);

  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} VS Code extension-host test(s) failed`));
      else resolve();
    });
  });
}
