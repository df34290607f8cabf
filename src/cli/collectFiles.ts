// Turns the paths on the command line into the source files to analyze: directories are walked
// (skipping dependencies, virtualenvs and build output), files are kept by extension.
import * as fs from 'fs';
import * as path from 'path';
import { languageFromPath, type LanguageId } from '../analysis';

export interface SourceFile {
  /** Absolute path, for reading. */
  absolutePath: string;
  /** Relative to the working directory with `/` separators when inside it; shown and reported. */
  displayPath: string;
  language: LanguageId;
}

/** A path that was named or met while walking and could not be used. */
export interface SkippedPath {
  displayPath: string;
  reason: string;
}

export interface CollectedFiles {
  files: SourceFile[];
  skipped: SkippedPath[];
  /** Paths named on the command line that do not exist: a usage error. */
  missing: string[];
}

/** Folders that hold other people's code or generated output, never the user's workflows. */
const SKIPPED_FOLDER_NAMES = new Set(['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', 'site-packages', 'dist', 'build', '__pycache__', '.tox', '.nox', '.mypy_cache', '.pytest_cache']);

export function collectSourceFiles(paths: readonly string[], cwd: string): CollectedFiles {
  const collected: CollectedFiles = { files: [], skipped: [], missing: [] };
  const seen = new Set<string>();
  for (const given of paths) {
    const absolutePath = path.resolve(cwd, given);
    let stats: fs.Stats;
    try {
      stats = fs.statSync(absolutePath);
    } catch (error) {
      if (isErrorCode(error, 'ENOENT') || isErrorCode(error, 'ENOTDIR')) collected.missing.push(given);
      else collected.skipped.push({ displayPath: toDisplayPath(absolutePath, cwd), reason: describeFsError(error) });
      continue;
    }
    if (stats.isDirectory()) {
      walkDirectory(absolutePath, cwd, collected, seen);
    } else {
      // A file named explicitly is analyzed even inside a skipped folder: the user asked for it.
      const language = languageFromPath(absolutePath);
      if (language) addFile(absolutePath, language, cwd, collected, seen);
      else collected.skipped.push({ displayPath: toDisplayPath(absolutePath, cwd), reason: 'not a Python, TypeScript or JavaScript file' });
    }
  }
  return collected;
}

/** A virtualenv can have any name; `pyvenv.cfg` at its top is what marks it. */
export function isSkippedFolder(folderPath: string): boolean {
  const name = path.basename(folderPath);
  if (SKIPPED_FOLDER_NAMES.has(name)) return true;
  return fs.existsSync(path.join(folderPath, 'pyvenv.cfg'));
}

function walkDirectory(root: string, cwd: string, collected: CollectedFiles, seen: Set<string>): void {
  const pending = [root];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      collected.skipped.push({ displayPath: toDisplayPath(folder, cwd), reason: describeFsError(error) });
      continue;
    }
    // Sorted so output is stable from run to run; pushed in reverse so the walk goes in order.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subfolders: string[] = [];
    for (const entry of entries) {
      const entryPath = path.join(folder, entry.name);
      // Symbolic links are not followed: they can loop, or lead outside the tree asked for.
      if (entry.isDirectory()) {
        if (!isSkippedFolder(entryPath)) subfolders.push(entryPath);
      } else if (entry.isFile()) {
        if (entry.name.endsWith('.d.ts') || entry.name.endsWith('.min.js')) continue;
        const language = languageFromPath(entryPath);
        if (language) addFile(entryPath, language, cwd, collected, seen);
      }
    }
    pending.push(...subfolders.reverse());
  }
}

function addFile(absolutePath: string, language: LanguageId, cwd: string, collected: CollectedFiles, seen: Set<string>): void {
  if (seen.has(absolutePath)) return;
  seen.add(absolutePath);
  collected.files.push({ absolutePath, displayPath: toDisplayPath(absolutePath, cwd), language });
}

export function toDisplayPath(absolutePath: string, cwd: string): string {
  const relative = path.relative(cwd, absolutePath);
  const shown = relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? absolutePath : relative;
  return shown.split(path.sep).join('/');
}

export function describeFsError(error: unknown): string {
  if (isErrorCode(error, 'EACCES') || isErrorCode(error, 'EPERM')) return 'permission denied: check who may read it';
  if (isErrorCode(error, 'EISDIR')) return 'is a directory';
  if (isErrorCode(error, 'ENOENT')) return 'no longer exists';
  if (isErrorCode(error, 'ELOOP')) return 'symbolic link loop';
  return error instanceof Error ? error.message : String(error);
}

function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}
