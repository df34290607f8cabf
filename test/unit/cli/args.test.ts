import * as assert from 'assert';
import { parseArgs, UsageError } from '../../../src/cli/args';

function usageError(argv: string[], pattern: RegExp): void {
  assert.throws(
    () => parseArgs(argv),
    (error: unknown) => error instanceof UsageError && pattern.test(error.message),
    `expected a usage error matching ${pattern} for ${JSON.stringify(argv)}`,
  );
}

describe('cli arguments', () => {
  it('analyzes paths as text with hygiene on by default', () => {
    assert.deepStrictEqual(parseArgs(['analyze', 'src', 'app.py']), {
      command: 'analyze',
      paths: ['src', 'app.py'],
      format: 'text',
      options: { hygiene: true },
    });
  });

  it('reads --help, -h, help and --version, -v', () => {
    assert.deepStrictEqual(parseArgs(['--help']), { command: 'help' });
    assert.deepStrictEqual(parseArgs(['-h']), { command: 'help' });
    assert.deepStrictEqual(parseArgs(['help']), { command: 'help' });
    assert.deepStrictEqual(parseArgs(['analyze', '--help']), { command: 'help' });
    assert.deepStrictEqual(parseArgs(['--version']), { command: 'version' });
    assert.deepStrictEqual(parseArgs(['-v']), { command: 'version' });
  });

  it('takes option values after a space or an equals sign, before or after the paths', () => {
    for (const argv of [
      ['analyze', '.', '--format', 'json'],
      ['analyze', '--format=json', '.'],
      ['--format', 'JSON', 'analyze', '.'],
    ]) {
      const command = parseArgs(argv);
      assert.ok(command.command === 'analyze');
      assert.strictEqual(command.format, 'json');
      assert.deepStrictEqual(command.paths, ['.']);
    }
    const sarif = parseArgs(['analyze', '.', '--format', 'sarif']);
    assert.ok(sarif.command === 'analyze' && sarif.format === 'sarif');
  });

  it('turns --kinds into an explicit on/off map of all seven kinds', () => {
    const command = parseArgs(['analyze', '.', '--kinds', 'cache,dedupe', '--kinds', 'cursor']);
    assert.ok(command.command === 'analyze');
    assert.deepStrictEqual(command.options.kinds, {
      'change-detection': false,
      dedupe: true,
      'snapshot-diff': false,
      conversation: false,
      cache: true,
      cursor: true,
      preference: false,
    });
  });

  it('collects --ttl per kind, repeated or comma-separated, and --default-ttl', () => {
    const command = parseArgs(['analyze', '.', '--ttl', 'cache=15m,dedupe=7D', '--ttl=conversation=2h', '--default-ttl', '3d', '--no-hygiene']);
    assert.ok(command.command === 'analyze');
    assert.deepStrictEqual(command.options, {
      hygiene: false,
      ttl: { cache: '15m', dedupe: '7d', conversation: '2h' },
      defaultTtl: '3d',
    });
    const none = parseArgs(['analyze', '.', '--default-ttl', 'none']);
    assert.ok(none.command === 'analyze' && none.options.defaultTtl === 'none');
  });

  it('treats everything after -- as a path, even when it looks like an option', () => {
    const command = parseArgs(['analyze', '--', '--weird-name.py', '-']);
    assert.ok(command.command === 'analyze');
    assert.deepStrictEqual(command.paths, ['--weird-name.py', '-']);
  });

  describe('refuses bad input with a message that says what to type', () => {
    it('an unknown option', () => usageError(['analyze', '.', '--fromat', 'json'], /Unknown option --fromat.*--help/));
    it('a value on a flag that takes none', () => usageError(['analyze', '.', '--no-hygiene=yes'], /takes no value/));
    it('a missing option value', () => {
      usageError(['analyze', '.', '--format'], /--format needs a value, for example --format json/);
      usageError(['analyze', '--kinds', '--no-hygiene', '.'], /--kinds needs a value/);
    });
    it('an unknown format', () => usageError(['analyze', '.', '--format', 'xml'], /Unknown format "xml".*text, json or sarif/));
    it('no command, an unknown command, no path, an empty path', () => {
      usageError([], /Missing command/);
      usageError(['analyse', '.'], /Unknown command "analyse"/);
      usageError(['analyze'], /at least one file or directory/);
      usageError(['analyze', ''], /empty path/);
    });
    it('an unknown or empty kind', () => {
      usageError(['analyze', '.', '--kinds', 'cache,memo'], /Unknown suggestion kind "memo".*change-detection/);
      usageError(['analyze', '.', '--kinds', ','], /at least one kind/);
      usageError(['analyze', '.', '--ttl', 'memo=1h'], /Unknown suggestion kind "memo"/);
    });
    it('a --ttl without kind=duration', () => {
      usageError(['analyze', '.', '--ttl', '15m'], /kind=duration.*--ttl cache=15m/);
      usageError(['analyze', '.', '--ttl', ','], /kind=duration/);
    });
    it('negative, zero, unparsable, fractional and empty expiries', () => {
      // The messages are the shared expiry parser's (src/memory/ttl.ts), prefixed with the flag.
      usageError(['analyze', '.', '--ttl', 'cache=-5m'], /--ttl cache: .*cannot be negative.*"-5m"/);
      usageError(['analyze', '.', '--default-ttl', '-1d'], /--default-ttl: .*cannot be negative.*"-1d"/);
      usageError(['analyze', '.', '--ttl', 'cache=0s'], /longer than zero/);
      usageError(['analyze', '.', '--ttl', 'cache=soon'], /"soon" is not an expiry.*30s, 10m, 2h, 7d/);
      usageError(['analyze', '.', '--default-ttl', '1.5h'], /whole numbers.*"1.5h"/);
      usageError(['analyze', '.', '--ttl', 'cache='], /Type an expiry/);
      usageError(['analyze', '.', '--default-ttl', '99999999999999999999d'], /longer than Redis can store/);
    });
    it('"none" for a kind: suggested memory always expires', () => usageError(['analyze', '.', '--ttl', 'cache=none'], /"none" is not allowed here/));
  });
});
