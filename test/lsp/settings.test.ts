// The helper's settings as the server reads them: valid values pass through, anything unusable
// keeps its default and produces one message saying what to write instead.
import * as assert from 'assert';
import { SUGGESTION_KINDS } from '../../src/analysis/types';
import {
  analysisOptionsFor,
  DEFAULT_HELPER_SETTINGS,
  isLanguageEnabled,
  pickHelperSettings,
  readHelperSettings,
} from '../../src/server/settings';

describe('helper settings', () => {
  it('reads the nested section VS Code sends', () => {
    const { settings, problems } = readHelperSettings({
      suggestions: { enabled: true, kinds: { cache: false }, ttl: { cache: '15m' }, languages: { javascript: false } },
      defaultTtl: '2h',
      hygiene: { enabled: false },
    });
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(settings.kinds, { cache: false });
    assert.deepStrictEqual(settings.ttl, { cache: '15m' });
    assert.strictEqual(settings.languages.javascript, false);
    assert.strictEqual(settings.languages.python, true);
    assert.strictEqual(settings.defaultTtl, '2h');
    assert.strictEqual(settings.hygieneEnabled, false);
  });

  it('uses the defaults for a missing or empty section', () => {
    assert.deepStrictEqual(readHelperSettings(undefined), { settings: DEFAULT_HELPER_SETTINGS, problems: [] });
    assert.deepStrictEqual(readHelperSettings(null).settings, DEFAULT_HELPER_SETTINGS);
    assert.deepStrictEqual(readHelperSettings({}), { settings: DEFAULT_HELPER_SETTINGS, problems: [] });
  });

  it('rejects a section that is not an object', () => {
    const { settings, problems } = readHelperSettings('yes');
    assert.deepStrictEqual(settings, DEFAULT_HELPER_SETTINGS);
    assert.strictEqual(problems.length, 1);
  });

  const badTtls: Array<[string, unknown]> = [
    ['is negative', '-5m'],
    ['is zero', '0s'],
    ['does not parse', 'soon'],
    ['is a bare number', 3600],
    ['is "none" (inserted memory always expires)', 'none'],
  ];
  for (const [what, value] of badTtls) {
    it(`ignores a per-kind expiry that ${what} and says what to write`, () => {
      const { settings, problems } = readHelperSettings({ suggestions: { ttl: { cache: value, dedupe: '2d' } } });
      assert.deepStrictEqual(settings.ttl, { dedupe: '2d' });
      assert.strictEqual(problems.length, 1);
      assert.match(problems[0], /workflowMemory\.suggestions\.ttl\.cache/);
      assert.match(problems[0], /such as 15m/);
    });
  }

  it('accepts "none" and durations as the default expiry, and rejects the rest', () => {
    assert.strictEqual(readHelperSettings({ defaultTtl: ' none ' }).settings.defaultTtl, 'none');
    assert.strictEqual(readHelperSettings({ defaultTtl: '45s' }).settings.defaultTtl, '45s');
    for (const bad of ['-1d', '7 days', '', 0, null]) {
      const { settings, problems } = readHelperSettings({ defaultTtl: bad });
      assert.strictEqual(settings.defaultTtl, '7d', `defaultTtl ${JSON.stringify(bad)}`);
      assert.strictEqual(problems.length, 1, `defaultTtl ${JSON.stringify(bad)}`);
      assert.match(problems[0], /workflowMemory\.defaultTtl/);
    }
  });

  it('reports unknown kinds and languages and non-boolean switches', () => {
    const { settings, problems } = readHelperSettings({
      suggestions: { enabled: 'no', kinds: { caching: false, dedupe: 'off' }, languages: { ruby: false }, ttl: ['1h'] },
      hygiene: { enabled: 1 },
    });
    assert.deepStrictEqual(settings, DEFAULT_HELPER_SETTINGS);
    assert.strictEqual(problems.length, 6, problems.join('\n'));
    assert.ok(problems.some((problem) => problem.includes('"caching"') && problem.includes('change-detection')));
    assert.ok(problems.some((problem) => problem.includes('"ruby"')));
  });

  it('governs TSX with the TypeScript switch', () => {
    const { settings } = readHelperSettings({ suggestions: { languages: { typescript: false } } });
    assert.strictEqual(isLanguageEnabled(settings, 'tsx'), false);
    assert.strictEqual(isLanguageEnabled(settings, 'typescript'), false);
    assert.strictEqual(isLanguageEnabled(settings, 'javascript'), true);
  });

  it('turns every kind off when suggestions are disabled, keeping hygiene', () => {
    const { settings } = readHelperSettings({ suggestions: { enabled: false } });
    const options = analysisOptionsFor(settings, new Set(['x']));
    for (const kind of SUGGESTION_KINDS) assert.strictEqual(options.kinds?.[kind], false);
    assert.strictEqual(options.hygiene, true);
    assert.deepStrictEqual([...(options.dismissed ?? [])], ['x']);
  });

  it('picks only the helper settings into the nested shape, leaving connection settings out', () => {
    const values: Record<string, unknown> = {
      'suggestions.enabled': true,
      'suggestions.kinds': { cache: false },
      'suggestions.ttl': {},
      'suggestions.languages': {},
      defaultTtl: '7d',
      'hygiene.enabled': true,
      'redis.url': 'redis://user:secret@host:6379',
      'redis.username': 'user',
    };
    const section = pickHelperSettings((key) => values[key]);
    assert.deepStrictEqual(section, {
      suggestions: { enabled: true, kinds: { cache: false }, ttl: {}, languages: {} },
      defaultTtl: '7d',
      hygiene: { enabled: true },
    });
    assert.ok(!JSON.stringify(section).includes('secret'));
    assert.deepStrictEqual(readHelperSettings(section).problems, []);
  });
});
