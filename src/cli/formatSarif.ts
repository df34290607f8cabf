// SARIF 2.1.0, the format code-scanning services (e.g. GitHub) read: one rule per suggestion kind
// and per finding code, one result per suggestion or finding, 1-based regions.
import * as path from 'path';
import { pathToFileURL } from 'url';
import { SUGGESTION_KINDS, type Range, type TextEdit } from '../analysis/types';
import type { AnalysisReport } from './report';
import { FINDING_CODES, FINDING_DESCRIPTIONS, KIND_DESCRIPTIONS, TOOL_NAME } from './report';

const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SOURCE_ROOT = '%SRCROOT%';
const INFORMATION_URI = 'https://github.com/workflow-memory/workflow-memory#command-line';

type SarifLevel = 'error' | 'warning' | 'note';

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[] };
}

export function formatSarif(report: AnalysisReport, toolVersion: string, cwd: string): string {
  const rules: SarifRule[] = [
    ...SUGGESTION_KINDS.map((kind): SarifRule => ({
      id: kind,
      name: pascalCase(kind),
      shortDescription: { text: `Add memory: ${kind}` },
      fullDescription: { text: KIND_DESCRIPTIONS[kind] },
      defaultConfiguration: { level: 'note' },
      properties: { tags: ['memory-suggestion'] },
    })),
    ...FINDING_CODES.map((code): SarifRule => ({
      id: code,
      name: pascalCase(code),
      shortDescription: { text: FINDING_DESCRIPTIONS[code].split(/(?<=\.)\s/)[0] },
      fullDescription: { text: FINDING_DESCRIPTIONS[code] },
      defaultConfiguration: { level: code === 'key-outside-namespace' ? 'error' : 'warning' },
      properties: { tags: ['memory-hygiene'] },
    })),
  ];
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));

  const results: unknown[] = [];
  const notifications: unknown[] = [];
  for (const skipped of report.skipped) {
    notifications.push(notification(skipped.path, `Skipped: ${skipped.reason}`));
  }
  for (const file of report.files) {
    if (!file.result) {
      notifications.push(notification(file.path, `Not analyzed: ${file.problem ?? 'unknown problem'}`));
      continue;
    }
    if (file.result.hasSyntaxErrors) {
      notifications.push(notification(file.path, 'The file has syntax errors; only the parts that parse were analyzed.', 'note'));
    }
    for (const suggestion of file.result.suggestions) {
      results.push({
        ruleId: suggestion.kind,
        ruleIndex: ruleIndex.get(suggestion.kind),
        level: 'note',
        message: { text: sentences(suggestion.title, suggestion.explanation) },
        locations: [location(file.path, suggestion.range)],
        partialFingerprints: { 'workflowMemorySuggestion/v1': suggestion.id },
        properties: { key: suggestion.key, ttlSeconds: suggestion.ttlSeconds },
        ...(suggestion.edits.length > 0 ? { fixes: [fix(file.path, suggestion.title, suggestion.edits)] } : {}),
      });
    }
    for (const finding of file.result.findings) {
      results.push({
        ruleId: finding.code,
        ruleIndex: ruleIndex.get(finding.code),
        level: finding.severity === 'information' ? 'note' : finding.severity,
        message: { text: finding.message },
        locations: [location(file.path, finding.range)],
        ...(finding.fix ? { fixes: [fix(file.path, finding.fix.title, finding.fix.edits)] } : {}),
      });
    }
  }

  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version: toolVersion, semanticVersion: toolVersion, informationUri: INFORMATION_URI, rules } },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: directoryUri(cwd) } },
        // LSP columns count UTF-16 code units, and so do ours.
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** SARIF regions are 1-based; an LSP end character is exclusive, and so is SARIF's endColumn. */
export function sarifRegion(range: Range) {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function artifactLocation(filePath: string) {
  if (path.isAbsolute(filePath)) return { uri: pathToFileURL(filePath).href };
  return { uri: filePath.split('/').map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
}

function location(filePath: string, range: Range) {
  return { physicalLocation: { artifactLocation: artifactLocation(filePath), region: sarifRegion(range) } };
}

function fix(filePath: string, description: string, edits: readonly TextEdit[]) {
  return {
    description: { text: description },
    artifactChanges: [
      {
        artifactLocation: artifactLocation(filePath),
        replacements: edits.map((edit) => ({ deletedRegion: sarifRegion(edit.range), insertedContent: { text: edit.newText } })),
      },
    ],
  };
}

function notification(filePath: string, text: string, level: SarifLevel = 'warning') {
  return { level, message: { text }, locations: [{ physicalLocation: { artifactLocation: artifactLocation(filePath) } }] };
}

function directoryUri(directory: string): string {
  const uri = pathToFileURL(directory).href;
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** Joins texts as sentences without doubling a full stop. */
function sentences(...texts: string[]): string {
  return texts
    .map((text) => text.trim())
    .filter((text) => text !== '')
    .map((text) => (/[.!?]$/.test(text) ? text : `${text}.`))
    .join(' ');
}

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) => letter.toUpperCase());
}
