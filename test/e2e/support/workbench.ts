// Drives the VS Code workbench (code-server 1.100) in Chromium like a person: clicks, keys and
// the prompts VS Code shows. Selectors: /work/shared/recipes/real-vscode-offline.md.
import * as fs from 'fs';
import * as path from 'path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { VIEW_CONTAINER_ID } from '../../../src/constants';
import { artifactsDir, readmePicturesDir } from './repo';

export const CHROMIUM_PATH = process.env.WM_CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** README pictures are taken at this size. */
export const VIEWPORT = { width: 1280, height: 800 };

const cssId = (id: string) => `#${id.replace(/\./g, '\\.')}`;

/** One open workbench page. */
export class Workbench {
  /** The side bar pane that holds our view container. */
  readonly viewContainer: Locator;

  constructor(readonly context: BrowserContext, readonly page: Page) {
    this.viewContainer = page.locator(cssId(`workbench.view.extension.${VIEW_CONTAINER_ID}`));
  }

  static async open(context: BrowserContext, url: string): Promise<Workbench> {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('crash', () => console.log('      (the workbench page crashed)'));
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
    // The explorer and status bar appear once the remote extension host is connected.
    await page.locator(cssId('workbench.parts.statusbar')).waitFor({ timeout: 60000 });
    return new Workbench(context, page);
  }

  // ---- the Workflow Memory view ----

  async openMemoryView(): Promise<void> {
    if (await this.viewContainer.isVisible()) return;
    await this.page.locator(`.activitybar .action-item a[aria-label^="Workflow Memory"]`).click();
    await this.viewContainer.waitFor({ state: 'visible', timeout: 30000 });
    await this.widenSideBar(460);
  }

  /** Drags the side bar's edge so keys, types and countdowns fit on one line. */
  async widenSideBar(width: number): Promise<void> {
    const box = await this.page.locator(cssId('workbench.parts.sidebar')).boundingBox();
    if (!box || box.width >= width) return;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 8 });
    await this.page.mouse.up();
  }

  /** The tree row whose label is exactly `label`. */
  row(label: string): Locator {
    const exact = new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`);
    return this.viewContainer.locator('.monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact }) }).first();
  }

  /** A row's label and description ("monitor 3 keys", "pricing string · expires in 30d"). */
  async rowText(row: Locator): Promise<string> {
    const parts = await row.locator('.label-name, .label-description').allTextContents();
    return normalizeSpace(parts.join(' '));
  }

  /** Expands a collapsed group row and waits for it to say it is expanded. */
  async expand(label: string, timeout = 30000): Promise<Locator> {
    const row = this.row(label);
    await row.waitFor({ timeout });
    const deadline = Date.now() + timeout;
    // The tree re-renders rows as keys stream in; a click that landed on a row being replaced is
    // lost, so look again (as a person would) instead of waiting on that one element.
    while ((await row.getAttribute('aria-expanded')) === 'false') {
      if (Date.now() > deadline) throw new Error(`The tree row "${label}" did not expand within ${timeout} ms`);
      await row.locator('.monaco-tl-twistie').click();
      const clicked = Date.now();
      while (Date.now() - clicked < 2000 && (await row.getAttribute('aria-expanded')) === 'false') await this.page.waitForTimeout(100);
    }
    return row;
  }

  /** Expands each label in turn (a path down the tree) and returns the last row. */
  async expandPath(labels: string[]): Promise<Locator> {
    let row: Locator | undefined;
    for (const label of labels) row = await this.expand(label);
    if (!row) throw new Error('expandPath needs at least one label');
    return row;
  }

  /** Clicks an inline action (the icon buttons shown on hover) of a row. */
  async clickInlineAction(row: Locator, titlePrefix: string): Promise<void> {
    await row.hover();
    await row.locator(`.actions .action-label[aria-label^="${titlePrefix}"]`).first().click();
  }

  /** Clicks a title action (Refresh, Set Value…) of the Memory Keys view, in the side bar's title. */
  async clickViewAction(titlePrefix: string, timeout = 10000): Promise<void> {
    const sideBar = this.page.locator(cssId('workbench.parts.sidebar'));
    await sideBar.hover();
    await sideBar.locator(`.title-actions .action-label[aria-label^="${titlePrefix}"], .pane-header .actions .action-label[aria-label^="${titlePrefix}"]`)
      .first().click({ timeout });
  }

  /** Right-clicks a row and picks an entry of its context menu. */
  async contextMenu(row: Locator, entry: string): Promise<void> {
    await row.click({ button: 'right' });
    const menu = this.page.locator('.context-view .monaco-menu');
    const item = menu.locator('.action-item').filter({ hasText: entry }).first();
    await item.waitFor({ timeout: 10000 });
    // A menu ignores a click that comes right after it opened (the right-click's own release).
    await item.hover();
    await this.page.waitForTimeout(300);
    await item.click();
    await menu.waitFor({ state: 'hidden', timeout: 5000 });
  }

  // ---- prompts ----

  readonly quickInput = () => this.page.locator('.quick-input-widget');

  /** Waits for a quick input (input box or pick) and returns what it asks, as one line. */
  async waitForPrompt(timeout = 15000): Promise<string> {
    const widget = this.quickInput();
    await widget.waitFor({ state: 'visible', timeout });
    const input = widget.locator('input.input').first();
    const parts = [
      await widget.locator('.quick-input-title').innerText().catch(() => ''),
      (await input.getAttribute('placeholder').catch(() => '')) ?? '',
      (await input.getAttribute('aria-label').catch(() => '')) ?? '',
      await widget.locator('.quick-input-message').innerText().catch(() => ''),
    ];
    return normalizeSpace(parts.join(' | '));
  }

  /** Replaces the quick input's text with `text` and presses Enter. */
  async answerPrompt(text: string): Promise<void> {
    const input = this.quickInput().locator('input.input').first();
    await input.fill(text);
    await input.press('Enter');
  }

  /** Picks the quick pick row whose label matches, by typing it to filter, then Enter. */
  async pick(label: RegExp, filterText: string): Promise<void> {
    const widget = this.quickInput();
    const input = widget.locator('input.input').first();
    await input.fill(filterText);
    const row = widget.locator('.quick-input-list .monaco-list-row').filter({ hasText: label }).first();
    await row.waitFor({ timeout: 10000 });
    await row.click();
  }

  async promptIsOpen(): Promise<boolean> {
    return this.quickInput().isVisible();
  }

  /** Runs a command by its title from the command palette (F1). */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.quickInput().waitFor({ state: 'visible' });
    const input = this.quickInput().locator('input.input').first();
    await input.fill(`>${title}`);
    const row = this.quickInput().locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
    await row.waitFor({ timeout: 15000 });
    await input.press('Enter');
  }

  /** Opens a workspace file with Quick Open (Ctrl+P). */
  async openFile(relativePath: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    await this.quickInput().waitFor({ state: 'visible' });
    await this.quickInput().locator('input.input').first().fill(relativePath);
    const base = path.basename(relativePath);
    await this.quickInput().locator('.quick-input-list .monaco-list-row').filter({ hasText: base }).first().waitFor({ timeout: 20000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.tabs-container .tab.active[aria-label^="${base}"], .tabs-container .tab.active:has-text("${base}")`).first().waitFor({ timeout: 20000 });
  }

  /** The modal dialog VS Code shows for showWarningMessage({ modal: true }). */
  dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  async dialogText(): Promise<string> {
    return normalizeSpace(await this.dialog().innerText());
  }

  async clickDialogButton(label: RegExp): Promise<void> {
    await this.dialog().locator('.dialog-buttons .monaco-button, .dialog-buttons a, .dialog-buttons button').filter({ hasText: label }).first().click();
    await this.dialog().waitFor({ state: 'hidden' });
  }

  /** Dismisses every notification toast (so a picture shows only what it is about). */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page.locator('.notifications-toasts .notification-list-item').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  }

  // ---- editors ----

  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** The visible text of the active editor (as rendered: only lines in view). */
  async activeEditorText(): Promise<string> {
    const lines = await this.activeEditor().locator('.view-lines .view-line').evaluateAll((elements) => elements
      .map((element) => ({ top: parseFloat((element as HTMLElement).style.top || '0'), text: element.textContent ?? '' }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text));
    return lines.join('\n').replace(/\u00a0/g, ' ');
  }

  /** Moves the cursor to a 1-based line (Ctrl+G), which scrolls it to the middle of the editor. */
  async goToLine(line: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    await this.quickInput().waitFor({ state: 'visible' });
    // Go to Line is Quick Open with the ":" prefix.
    await this.answerPrompt(`:${line}`);
    await this.quickInput().waitFor({ state: 'hidden' });
  }

  /** Shows the hover at the cursor (Ctrl+K Ctrl+I), e.g. a diagnostic's message. */
  async showHoverAtCursor(): Promise<Locator> {
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+I');
    const hover = this.page.locator('.monaco-hover:not(.hidden)').first();
    await hover.waitFor({ state: 'visible', timeout: 10000 });
    return hover;
  }

  codeLenses(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a');
  }

  /**
   * Saves the active editor once it has unsaved changes. An edit made by a command (a lens's
   * accept) reaches the editor a moment after the click: Ctrl+S before then saves nothing, and
   * the edit that lands afterwards is never saved.
   */
  async save(): Promise<void> {
    const dirtyTab = this.page.locator('.tabs-container .tab.active.dirty').first();
    await dirtyTab.waitFor({ timeout: 30000 });
    await this.activeEditor().click({ position: { x: 400, y: 10 } }).catch(() => undefined);
    await this.page.keyboard.press('Control+S');
    await dirtyTab.waitFor({ state: 'detached', timeout: 15000 });
  }

  // ---- Problems panel ----

  async openProblems(): Promise<Locator> {
    await this.page.keyboard.press('Control+Shift+M');
    const panel = this.page.locator('.markers-panel');
    await panel.waitFor({ state: 'visible', timeout: 15000 });
    return panel;
  }

  // ---- pictures ----

  /** A screenshot for a failed step, in .e2e-artifacts/. */
  async saveFailureScreenshot(testTitle: string): Promise<string> {
    fs.mkdirSync(artifactsDir, { recursive: true });
    const file = path.join(artifactsDir, `${slug(testTitle)}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  /** A README picture in media/readme/, written only when WM_UPDATE_SCREENSHOTS=1. */
  async readmePicture(name: string, options: { keepHover?: boolean } = {}): Promise<void> {
    if (process.env.WM_UPDATE_SCREENSHOTS !== '1') return;
    fs.mkdirSync(readmePicturesDir, { recursive: true });
    // Move the mouse out of the way (unless a hover is the point) and let animations settle.
    if (!options.keepHover) await this.page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height - 40);
    await this.page.waitForTimeout(400);
    await this.page.screenshot({ path: path.join(readmePicturesDir, `${name}.png`) });
  }
}

export function normalizeSpace(text: string): string {
  return text.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'step';
}
