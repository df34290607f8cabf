// Command-line arguments → a typed command. Pure: no file system, no analyzer, so every bad
// input is unit-tested. Bad input throws UsageError, which main turns into exit status 2.
import { SUGGESTION_KINDS, type AnalysisOptions, type SuggestionKind } from '../analysis/types';
import { checkDuration, normalizeDuration } from './duration';

export const OUTPUT_FORMATS = ['text', 'json', 'sarif'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export type CliCommand =
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'analyze'; paths: string[]; format: OutputFormat; options: AnalysisOptions };

/** The user typed something we cannot run; the message says what to type instead. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const HELP_TEXT = `workflow-memory: find where automation workflows need memory between runs, and unhealthy memory use.

Usage:
  workflow-memory analyze <file or directory>... [options]
  workflow-memory --help | --version

Analyzes Python (.py), TypeScript (.ts .mts .cts .tsx) and JavaScript (.js .mjs .cjs .jsx) files.
Directories are walked, skipping node_modules, .git, virtualenvs (.venv, venv, any folder with a
pyvenv.cfg, site-packages), dist, build and __pycache__.

Options:
  --format text|json|sarif   Output format (default: text). sarif is SARIF 2.1.0.
  --kinds a,b                Suggest only these kinds (comma-separated). Kinds:
                             ${SUGGESTION_KINDS.join(', ')}.
  --no-hygiene               Do not report hygiene findings (writes with no expiry, keys outside
                             the CodeWords namespace, secrets or whole bodies written to memory).
  --ttl kind=duration        Expiry the suggested code writes for one kind, e.g. --ttl cache=15m.
                             Repeat it, or separate with commas: --ttl cache=15m,dedupe=7d.
  --default-ttl duration     Expiry proposed where no kind sets one, e.g. by the fix for a write
                             with no expiry (default 7d).
  -h, --help                 Show this help.
  -v, --version              Show the version.

Durations: a whole number and a unit, ms s m h d w (30s, 10m, 2h, 7d).

Files that cannot be read are reported and skipped; files with syntax errors are analyzed as far
as they parse.

Exit status: 0 when done, 1 when a hygiene error was found (e.g. a key outside the CodeWords
namespace, denied at run time), 2 on a usage error, 3 when the analyzer could not start.`;

const VALUE_FLAGS = new Set(['--format', '--kinds', '--ttl', '--default-ttl']);
const BOOLEAN_FLAGS = new Set(['--no-hygiene', '--help', '-h', '--version', '-v']);

export function parseArgs(argv: readonly string[]): CliCommand {
  const positionals: string[] = [];
  let format: OutputFormat = 'text';
  let kinds: Set<SuggestionKind> | undefined;
  const ttl: Partial<Record<SuggestionKind, string>> = {};
  let defaultTtl: string | undefined;
  let hygiene = true;
  let wantsHelp = false;
  let wantsVersion = false;
  let optionsEnded = false;

  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (optionsEnded || !arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      optionsEnded = true;
      continue;
    }
    // Accept both `--format json` and `--format=json`.
    const equals = arg.indexOf('=');
    const flag = arg.startsWith('--') && equals > 0 ? arg.slice(0, equals) : arg;
    let inlineValue = arg.startsWith('--') && equals > 0 ? arg.slice(equals + 1) : undefined;

    if (BOOLEAN_FLAGS.has(flag)) {
      if (inlineValue !== undefined) throw new UsageError(`${flag} takes no value.`);
      if (flag === '--no-hygiene') hygiene = false;
      else if (flag === '--help' || flag === '-h') wantsHelp = true;
      else wantsVersion = true;
      continue;
    }
    if (!VALUE_FLAGS.has(flag)) {
      throw new UsageError(`Unknown option ${flag}. Run workflow-memory --help for the options.`);
    }
    if (inlineValue === undefined) {
      const next = argv[index + 1];
      // A value like -5s is a (bad) duration, not the next option: let the duration check explain it.
      if (next === undefined || (next.startsWith('-') && next !== '-' && !/^-\d/.test(next))) {
        throw new UsageError(`${flag} needs a value, for example ${exampleFor(flag)}.`);
      }
      inlineValue = next;
      index++;
    }
    switch (flag) {
      case '--format':
        format = parseFormat(inlineValue);
        break;
      case '--kinds':
        kinds = parseKinds(inlineValue, kinds);
        break;
      case '--ttl':
        Object.assign(ttl, parseKindTtls(inlineValue));
        break;
      case '--default-ttl':
        defaultTtl = parseDefaultTtl(inlineValue);
        break;
    }
  }

  if (wantsHelp) return { command: 'help' };
  if (wantsVersion) return { command: 'version' };

  const [command, ...paths] = positionals;
  if (command === undefined) {
    throw new UsageError('Missing command. Usage: workflow-memory analyze <file or directory>...');
  }
  if (command === 'help') return { command: 'help' };
  if (command !== 'analyze') {
    throw new UsageError(`Unknown command "${command}". The command is analyze: workflow-memory analyze <file or directory>...`);
  }
  if (paths.length === 0) {
    throw new UsageError('analyze needs at least one file or directory, for example: workflow-memory analyze .');
  }
  for (const path of paths) {
    if (path.trim() === '') throw new UsageError('An empty path was given; name a file or directory.');
  }

  const options: AnalysisOptions = { hygiene };
  if (kinds) {
    options.kinds = Object.fromEntries(SUGGESTION_KINDS.map((kind) => [kind, kinds.has(kind)]));
  }
  if (Object.keys(ttl).length > 0) options.ttl = ttl;
  if (defaultTtl !== undefined) options.defaultTtl = defaultTtl;
  return { command: 'analyze', paths, format, options };
}

function exampleFor(flag: string): string {
  switch (flag) {
    case '--format':
      return '--format json';
    case '--kinds':
      return '--kinds cache,dedupe';
    case '--ttl':
      return '--ttl cache=15m';
    default:
      return '--default-ttl 7d';
  }
}

function parseFormat(value: string): OutputFormat {
  const format = OUTPUT_FORMATS.find((candidate) => candidate === value.trim().toLowerCase());
  if (!format) throw new UsageError(`Unknown format "${value}". Use --format text, json or sarif.`);
  return format;
}

function parseKind(value: string): SuggestionKind {
  const kind = SUGGESTION_KINDS.find((candidate) => candidate === value.trim().toLowerCase());
  if (!kind) {
    throw new UsageError(`Unknown suggestion kind "${value}". Kinds: ${SUGGESTION_KINDS.join(', ')}.`);
  }
  return kind;
}

/** `--kinds` may be repeated; the kinds add up. */
function parseKinds(value: string, previous: Set<SuggestionKind> | undefined): Set<SuggestionKind> {
  const names = value.split(',').filter((name) => name.trim() !== '');
  if (names.length === 0) {
    throw new UsageError(`--kinds needs at least one kind: ${SUGGESTION_KINDS.join(', ')}.`);
  }
  const kinds = new Set(previous);
  for (const name of names) kinds.add(parseKind(name));
  return kinds;
}

function parseKindTtls(value: string): Partial<Record<SuggestionKind, string>> {
  const ttl: Partial<Record<SuggestionKind, string>> = {};
  const pairs = value.split(',').filter((pair) => pair.trim() !== '');
  if (pairs.length === 0) throw new UsageError('--ttl needs kind=duration, for example --ttl cache=15m.');
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals < 0) {
      throw new UsageError(`--ttl expects kind=duration, got "${pair}". Example: --ttl cache=15m.`);
    }
    const kind = parseKind(pair.slice(0, equals));
    const duration = normalizeDuration(pair.slice(equals + 1));
    const problem = checkDuration(duration, { allowNone: false });
    if (problem) throw new UsageError(`--ttl ${kind}: ${problem}`);
    ttl[kind] = duration;
  }
  return ttl;
}

function parseDefaultTtl(value: string): string {
  const duration = normalizeDuration(value);
  // Same shape as the workflowMemory.defaultTtl setting, which also accepts `none`.
  const problem = checkDuration(duration, { allowNone: true });
  if (problem) throw new UsageError(`--default-ttl: ${problem}`);
  return duration;
}
