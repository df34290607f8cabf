// The helper's settings: which part of the `workflowMemory` section the language server reads,
// how a raw (user-typed, possibly wrong) section becomes analysis options, and what to tell the
// user about values that cannot be used. Pure: shared by the server and the client's middleware.

import { SUGGESTION_KINDS, type AnalysisOptions, type LanguageId, type SuggestionKind } from '../analysis/types';
import { Settings } from '../constants';

/** Languages as the `suggestions.languages` setting names them (TSX counts as TypeScript, JSX as JavaScript). */
export type LanguageSetting = 'python' | 'typescript' | 'javascript';

export interface HelperSettings {
  suggestionsEnabled: boolean;
  kinds: Partial<Record<SuggestionKind, boolean>>;
  ttl: Partial<Record<SuggestionKind, string>>;
  languages: Record<LanguageSetting, boolean>;
  defaultTtl: string;
  hygieneEnabled: boolean;
}

export const DEFAULT_HELPER_SETTINGS: HelperSettings = {
  suggestionsEnabled: true,
  kinds: {},
  ttl: {},
  languages: { python: true, typescript: true, javascript: true },
  defaultTtl: '7d',
  hygieneEnabled: true,
};

/** The only settings the server receives: connection settings stay in the extension host. */
export const HELPER_SETTING_KEYS = [
  Settings.suggestionsEnabled,
  Settings.suggestionKinds,
  Settings.suggestionTtl,
  Settings.suggestionLanguages,
  Settings.defaultTtl,
  Settings.hygieneEnabled,
] as const;

const LANGUAGE_SETTINGS: readonly LanguageSetting[] = ['python', 'typescript', 'javascript'];
const DURATION = /^\s*(\d+)\s*(ms|s|m|h|d|w)\s*$/;

/** Builds the nested section object (`{ suggestions: { enabled } , … }`) from a getter of dotted keys. */
export function pickHelperSettings(get: (key: string) => unknown): Record<string, unknown> {
  const section: Record<string, unknown> = {};
  for (const key of HELPER_SETTING_KEYS) {
    const value = get(key);
    if (value === undefined) continue;
    const parts = key.split('.');
    let target = section;
    for (const part of parts.slice(0, -1)) {
      target = (target[part] ??= {}) as Record<string, unknown>;
    }
    target[parts[parts.length - 1]] = value;
  }
  return section;
}

export interface ReadSettings {
  settings: HelperSettings;
  /** One sentence per value that was ignored, saying what to write instead. */
  problems: string[];
}

/** Reads the `workflowMemory` section; anything unusable falls back to its default and is reported. */
export function readHelperSettings(section: unknown): ReadSettings {
  const problems: string[] = [];
  const settings: HelperSettings = {
    ...DEFAULT_HELPER_SETTINGS,
    kinds: {},
    ttl: {},
    languages: { ...DEFAULT_HELPER_SETTINGS.languages },
  };
  if (section === undefined || section === null) return { settings, problems };
  if (!isObject(section)) {
    problems.push(`The ${Settings.section} settings are not an object; using the defaults.`);
    return { settings, problems };
  }

  settings.suggestionsEnabled = readBoolean(section, Settings.suggestionsEnabled, settings.suggestionsEnabled, problems);
  settings.hygieneEnabled = readBoolean(section, Settings.hygieneEnabled, settings.hygieneEnabled, problems);

  for (const [name, value] of readEntries(section, Settings.suggestionKinds, problems)) {
    if (!isKind(name)) {
      problems.push(`${fullName(Settings.suggestionKinds)} names an unknown kind "${name}"; kinds are ${SUGGESTION_KINDS.join(', ')}.`);
    } else if (typeof value !== 'boolean') {
      problems.push(`${fullName(Settings.suggestionKinds)}.${name} must be true or false; keeping it on.`);
    } else {
      settings.kinds[name] = value;
    }
  }

  for (const [name, value] of readEntries(section, Settings.suggestionTtl, problems)) {
    if (!isKind(name)) {
      problems.push(`${fullName(Settings.suggestionTtl)} names an unknown kind "${name}"; kinds are ${SUGGESTION_KINDS.join(', ')}.`);
    } else if (!isPositiveDuration(value)) {
      problems.push(
        `${fullName(Settings.suggestionTtl)}.${name} is ${JSON.stringify(value)}: use a duration above zero such as 15m, 2h or 30d. Using the kind's default expiry.`,
      );
    } else {
      settings.ttl[name] = value.trim();
    }
  }

  for (const [name, value] of readEntries(section, Settings.suggestionLanguages, problems)) {
    if (!(LANGUAGE_SETTINGS as readonly string[]).includes(name)) {
      problems.push(`${fullName(Settings.suggestionLanguages)} names an unknown language "${name}"; languages are ${LANGUAGE_SETTINGS.join(', ')}.`);
    } else if (typeof value !== 'boolean') {
      problems.push(`${fullName(Settings.suggestionLanguages)}.${name} must be true or false; keeping it on.`);
    } else {
      settings.languages[name as LanguageSetting] = value;
    }
  }

  const defaultTtl = getPath(section, Settings.defaultTtl);
  if (defaultTtl !== undefined) {
    if (typeof defaultTtl === 'string' && (/^\s*none\s*$/.test(defaultTtl) || isPositiveDuration(defaultTtl))) {
      settings.defaultTtl = defaultTtl.trim();
    } else {
      problems.push(
        `${fullName(Settings.defaultTtl)} is ${JSON.stringify(defaultTtl)}: use a duration above zero such as 30s, 10m, 2h, 7d, or none. Using ${DEFAULT_HELPER_SETTINGS.defaultTtl}.`,
      );
    }
  }
  return { settings, problems };
}

/** TSX is governed by the TypeScript switch; JSX is parsed as JavaScript. */
export function languageSetting(language: LanguageId): LanguageSetting {
  return language === 'tsx' ? 'typescript' : language;
}

export function isLanguageEnabled(settings: HelperSettings, language: LanguageId): boolean {
  return settings.languages[languageSetting(language)];
}

/** Options for one document's analysis. Suggestions switched off entirely = every kind off. */
export function analysisOptionsFor(settings: HelperSettings, dismissed: ReadonlySet<string>): AnalysisOptions {
  const kinds: Partial<Record<SuggestionKind, boolean>> = settings.suggestionsEnabled
    ? { ...settings.kinds }
    : Object.fromEntries(SUGGESTION_KINDS.map((kind) => [kind, false]));
  return {
    kinds,
    ttl: { ...settings.ttl },
    defaultTtl: settings.defaultTtl,
    hygiene: settings.hygieneEnabled,
    dismissed,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKind(name: string): name is SuggestionKind {
  return (SUGGESTION_KINDS as readonly string[]).includes(name);
}

function isPositiveDuration(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DURATION.exec(value);
  return match !== null && Number(match[1]) > 0;
}

function fullName(key: string): string {
  return `${Settings.section}.${key}`;
}

function getPath(section: Record<string, unknown>, key: string): unknown {
  let value: unknown = section;
  for (const part of key.split('.')) {
    if (!isObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

function readBoolean(section: Record<string, unknown>, key: string, fallback: boolean, problems: string[]): boolean {
  const value = getPath(section, key);
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  problems.push(`${fullName(key)} must be true or false; using ${fallback}.`);
  return fallback;
}

function readEntries(section: Record<string, unknown>, key: string, problems: string[]): Array<[string, unknown]> {
  const value = getPath(section, key);
  if (value === undefined || value === null) return [];
  if (!isObject(value)) {
    problems.push(`${fullName(key)} must be an object such as { "cache": … }; ignoring it.`);
    return [];
  }
  return Object.entries(value);
}
