// Entry of the `workflow-memory` command (bundled to dist/cli.js with a #!/usr/bin/env node banner).
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from './run';

/** The package's version, from the package.json above this file (dist/cli.js → package.json). */
function packageVersion(): string {
  for (let folder = __dirname; ; folder = path.dirname(folder)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'workflow-memory' && manifest.version) return manifest.version;
    } catch {
      // No package.json here: keep looking further up.
    }
    if (path.dirname(folder) === folder) return 'unknown';
  }
}

// `workflow-memory analyze . | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

runCli(
  process.argv.slice(2),
  { cwd: process.cwd(), stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) },
  { version: packageVersion() },
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`workflow-memory: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 3;
  },
);
