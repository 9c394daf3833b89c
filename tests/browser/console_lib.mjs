// Shared pieces of the console's browser tests (console_wave.test.mjs):
// keyboard-only moves (Tab to an element, type into a field, press a
// button and wait for the next page, choose an option by typing, take a
// download), the checks of every page (desk_lib's at 375 px, axe-core
// again at 1280 px; walkSnap for a walk at either width), a wave key made with gehoord keygen, and serve on
// a database of the test's own that can be stopped and started again
// (a stop writes what serve keeps in memory, such as the links spent per
// unit, and leaves the database in place).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { BIN, VIEWPORTS, gehoord } from './lib.mjs';
import { VIEWPORT, checkPage, sleep } from './desk_lib.mjs';

const TABS = 150;		// more than any console page has stops
const START_TRIES = 600;	// of 50 ms: serve starts within 30 s

/** Presses Tab until the focused element matches selector. */
export async function tabTo(page, selector) {
  for (let i = 0; i < TABS; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Tabs to a field and types into it (its old value selected first). */
export async function typeInto(page, selector, text) {
  await tabTo(page, selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

/** Tabs to a button or link and presses Enter, waiting for the next page. */
export async function press(page, selector) {
  await tabTo(page, selector);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

/** Chooses the option of a select whose label starts with text, by typing. */
export async function choose(page, selector, text) {
  await tabTo(page, selector);
  await page.keyboard.type(text);
  const v = await page.$eval(selector, (s) => s.options[s.selectedIndex].textContent);
  assert.ok(v.startsWith(text), `${selector}: ${v} chosen, not ${text}`);
}

/** Presses Enter on a form's button; returns the download's text and name. */
export async function download(page, selector) {
  await tabTo(page, selector);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const text = fs.readFileSync(await dl.path(), 'utf8');
  await dl.delete();
  return { text, name: dl.suggestedFilename() };
}

/**
 * The checks of one page's HTML, in language lang: desk_lib's checkPage
 * (axe-core, lang, overflow, one h1) at 375 px and axe-core at 1280 px.
 * Returns the problems found, named by name.
 */
export async function pageProblems(checker, html, name, lang) {
  const problems = await checkPage(checker, html, `${name} 375px`, lang);
  // The page checkPage loaded, laid out again at 1280 px.
  await checker.page.setViewportSize(VIEWPORTS.desktop);
  for (const v of await checker.axe(checker.page)) problems.push(`${name} (${lang}) at 1280 px: ${v}`);
  return problems;
}

/**
 * The snap of a console walk in language lang at viewport vp: snap(name,
 * html) adds pageProblems of the page (its HTML, or the page's content
 * now) to problems, in the walk at 375 px only. The server renders a page
 * the same at every width (it is never told one), and pageProblems lays it
 * out at both 375 and 1280 px already, so the walk at 1280 px repeats the
 * flow by keyboard without checking the same pages again.
 */
export function walkSnap(checker, problems, page, lang, vp) {
  return async (name, html) => {
    if (vp.width !== VIEWPORT.width) return;
    problems.push(...await pageProblems(checker, html ?? await page.content(), name, lang));
  };
}

/** A wave key in dir (file wave.key, passphrase in file pass); its public key. */
export function keygen(dir) {
  const pass = path.join(dir, 'pass');
  fs.writeFileSync(pass, 'a passphrase of a console browser test\n', { mode: 0o600 });
  const key = path.join(dir, 'wave.key');
  const pk = gehoord(['keygen', '--out', key, '--passphrase-file', pass]).trim();
  return { pk, key, pass };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts serve on db (in a directory of its own) with serveArgs; as
 * root, as nobody, the directory's files handed to nobody first (the
 * command-line steps of the test run as root). Returns {base, stop()};
 * stop() sends SIGTERM and returns the exit code, the files stay.
 */
export async function serveDb(db, serveArgs = []) {
  const dir = path.dirname(db);
  const args = [];
  if (process.getuid && process.getuid() === 0) {
    const nobody = fs.readFileSync('/etc/passwd', 'utf8').split('\n')
      .map((l) => l.split(':')).find((f) => f[0] === 'nobody');
    for (const f of ['', ...fs.readdirSync(dir)]) {
      fs.chownSync(path.join(dir, f), Number(nobody[2]), Number(nobody[3]));
    }
    args.push('--user', 'nobody');
  }
  const port = await freePort();
  const log = fs.openSync(path.join(dir, 'serve.log'), 'a');
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`,
    ...serveArgs, ...args], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise((r) => proc.once('exit', (c, s) => r(c ?? s)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < START_TRIES; i++) {
    try {
      const r = await fetch(`${base}/`);
      await r.arrayBuffer();
      if (r.status === 200) break;
    } catch { /* not yet */ }
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`serve did not start:\n${fs.readFileSync(path.join(dir, 'serve.log'), 'utf8')}`);
    }
    await sleep(50);
  }
  return {
    base,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}
