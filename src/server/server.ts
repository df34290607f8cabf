// Entry point of the language helper's server process (bundled to dist/server.js, started by the
// extension over Node IPC). The analysis runs here, off the extension host's thread.

import * as path from 'path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createAnalyzer } from '../analysis';
import { HelperServer } from './helperServer';

const connection = createConnection(ProposedFeatures.all);
// esbuild copies the tree-sitter wasm files next to the bundle.
new HelperServer(connection, () => createAnalyzer({ wasmDir: path.join(__dirname, 'wasm') })).listen();
