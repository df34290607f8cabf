// Bench scripts run both bundled (out/run-node-ts/…) and compiled by tsc (out/bench/…): find the
// repository by walking up to its package.json instead of counting `..`.
import * as fs from 'fs';
import * as path from 'path';

export function repoRoot(start = __dirname): string {
  for (let folder = start; ; folder = path.dirname(folder)) {
    const manifest = path.join(folder, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'workflow-memory') {
      return folder;
    }
    if (path.dirname(folder) === folder) throw new Error(`No workflow-memory package.json above ${start}`);
  }
}
