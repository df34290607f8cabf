// Shared by the analyzer tests: one analyzer for the whole run, fixture files, and the checks
// an accepted edit must pass (re-parses cleanly, compiles as Python, type-checks as TypeScript).

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { createAnalyzer, languageFromPath, type Analyzer, type AnalysisOptions, type AnalysisResult, type LanguageId } from '../../../src/analysis';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

let shared: Promise<Analyzer> | undefined;

export function analyzer(): Promise<Analyzer> {
  shared ??= createAnalyzer();
  return shared;
}

export function readFixture(relative: string): { text: string; language: LanguageId } {
  const language = languageFromPath(relative);
  if (!language) throw new Error(`No language for ${relative}`);
  return { text: fs.readFileSync(path.join(FIXTURES, relative), 'utf8'), language };
}

export async function analyzeFixture(relative: string, options: AnalysisOptions = {}): Promise<AnalysisResult & { text: string }> {
  const { text, language } = readFixture(relative);
  const result = (await analyzer()).analyze(text, language, { fileName: path.basename(relative), ...options });
  return { ...result, text };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `wm-${prefix}-`));
}

/** Runs `python3 -m py_compile` on every file at once; returns the compiler's complaint, or '' when all compile. */
export function pyCompile(files: string[]): string {
  if (files.length === 0) return '';
  try {
    execFileSync('python3', ['-m', 'py_compile', ...files], { stdio: 'pipe' });
    return '';
  } catch (error) {
    const failure = error as { stderr?: Buffer; message: string };
    return failure.stderr?.toString() || failure.message;
  }
}

/** Modules the fixtures import that are not installed here: every import from them is `any`. */
const MODULE_STUBS = `
declare module 'openai';
declare module '@anthropic-ai/sdk';
declare module '@slack/web-api';
declare module '@slack/bolt';
declare module '@langchain/openai';
declare module 'node-cron';
declare module 'nodemailer';
declare module 'express';
declare module 'telegraf';
declare module 'got';
declare module 'axios';
declare module 'discord.js';
declare module 'bullmq';
declare module '@notionhq/client';
declare module '@remix-run/node';
declare namespace JSX {
  interface IntrinsicElements {
    [name: string]: any;
  }
}
`;

/**
 * Type-checks TypeScript files (strict, like the project, except implicit any) with the installed ioredis,
 * node-redis (`redis`, a dev dependency for this check: its variadic commands take an array) and Node
 * types, and `any` stubs for the other libraries. Returns one message per diagnostic.
 */
export function typeCheck(files: string[]): string[] {
  if (files.length === 0) return [];
  const dir = path.dirname(files[0]);
  const stubs = path.join(dir, 'module-stubs.d.ts');
  fs.writeFileSync(stubs, MODULE_STUBS);
  const program = ts.createProgram([...files, stubs], {
    strict: true,
    // The stubbed libraries are `any`, so their callbacks' parameters are too.
    noImplicitAny: false,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    jsx: ts.JsxEmit.Preserve,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
    baseUrl: REPO_ROOT,
    paths: { '*': ['node_modules/*', 'node_modules/@types/*'] },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** Syntax errors the TypeScript compiler reports for a JavaScript file. */
export function javascriptSyntaxErrors(text: string, fileName: string): string[] {
  const output = ts.transpileModule(text, { fileName, reportDiagnostics: true, compilerOptions: { allowJs: true, jsx: ts.JsxEmit.Preserve } });
  return (output.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
