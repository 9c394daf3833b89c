// Shared helpers of gehoord's browser tests.
//
// Everything runs for real: `gehoord serve` on 127.0.0.1 with a fresh
// SQLite file, a wave key made by `gehoord keygen`, a wave of the
// definition under test and one-time links from `gehoord tokens issue`;
// Debian's chromium (/usr/bin/chromium) driven by playwright-core; the
// accessibility rules of axe-core. Nothing here downloads anything.
//
// Main pieces:
//   BIN, REPO_ROOT, defPath(name), loadDef(name), defCheck(name)
//   startServer({def, count})  a served wave; .base, .nextToken(), .stop()
//   launchBrowser()            headless chromium with the flags this
//                              machine needs (no background networking)
//   newWalkContext(browser, {lang, js, viewport})
//   Checker                    runs every page check on a captured page:
//                              axe (WCAG 2.1 A/AA), lang, 320 px and 400 %
//                              zoom layout, visible focus, error summary
//   messages(lang)             web/messages.<lang>.json

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..');
export const CHROMIUM = process.env.GEHOORD_CHROMIUM || '/usr/bin/chromium';

// Generous: the same tests may run against a sanitizer build.
const CLI_TIMEOUT_MS = 120_000;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;

const PASSPHRASE = 'correct horse battery staple, browser test';

/** The gehoord binary: $GEHOORD_BIN, else build/gehoord in the repo. */
function binary() {
  const b = process.env.GEHOORD_BIN || 'build/gehoord';
  if (path.isAbsolute(b)) return b;
  if (fs.existsSync(b)) return path.resolve(b);
  return path.join(REPO_ROOT, b);
}

export const BIN = binary();

/** Runs `gehoord ARGS`; returns stdout, throws with stderr on failure. */
export function gehoord(args, opts = {}) {
  try {
    return execFileSync(BIN, args.map(String), {
      encoding: 'utf8', timeout: CLI_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'], ...opts,
    });
  } catch (e) {
    const err = new Error(`gehoord ${args.join(' ')}: ` +
      `${e.status != null ? 'exit ' + e.status : e.message}\n` +
      `stdout: ${e.stdout || ''}\nstderr: ${e.stderr || ''}`);
    err.status = e.status;
    err.stderr = String(e.stderr || '');
    throw err;
  }
}

export function defPath(name) {
  return path.join(REPO_ROOT, 'survey-defs', name);
}

export function loadDef(name) {
  return JSON.parse(fs.readFileSync(defPath(name), 'utf8'));
}

/**
 * `gehoord def check survey-defs/NAME`: {ok: true} or {ok: false,
 * message: the first line gehoord printed}.
 */
export function defCheck(name) {
  try {
    gehoord(['def', 'check', defPath(name)]);
    return { ok: true };
  } catch (e) {
    const line = (e.stderr || e.message).split('\n').find((l) => l.trim())
      || e.message;
    return { ok: false, message: line.trim() };
  }
}

const catalogues = {};

/** The message catalogue of lang ("nl" or "en") from web/. */
export function messages(lang) {
  if (!catalogues[lang]) {
    catalogues[lang] = JSON.parse(fs.readFileSync(
      path.join(REPO_ROOT, 'web', `messages.${lang}.json`), 'utf8'));
  }
  return catalogues[lang];
}

export const OTHER = { nl: 'en', en: 'nl' };

// ------------------------------------------------------------------------
// The server

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let sharedKey = null;

/** One wave key per process (Argon2id takes a moment); its public key. */
function waveKey() {
  if (sharedKey) return sharedKey;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-key-'));
  const pass = path.join(dir, 'wave.key.pass');
  fs.writeFileSync(pass, PASSPHRASE + '\n', { mode: 0o600 });
  const out = gehoord(['keygen', '--out', path.join(dir, 'wave.key'),
    '--passphrase-file', pass]).trim();
  if (out.length !== 44) throw new Error(`keygen printed ${JSON.stringify(out)}`);
  sharedKey = { dir, publicKey: out };
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return sharedKey;
}

function uidOf(user) {
  for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === user) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  return null;
}

let serveHelp = null;

/**
 * How to start serve as this user: as root, `--user nobody` (the tmp dir
 * is handed to nobody first) when this build has --user, else nothing.
 */
function serveUserArgs(dir) {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return [];
  if (serveHelp === null) {
    try {
      serveHelp = gehoord(['serve', '--help']);
    } catch (e) {
      serveHelp = e.message;
    }
  }
  if (!serveHelp.includes('--user')) return [];
  const nobody = uidOf('nobody');
  if (!nobody) return ['--no-sandbox'];
  fs.chownSync(dir, nobody.uid, nobody.gid);
  for (const f of fs.readdirSync(dir)) {
    fs.chownSync(path.join(dir, f), nobody.uid, nobody.gid);
  }
  return ['--user', 'nobody'];
}

// Whatever a crashed test left: servers are killed, their files removed.
const running = new Set();
const tempDirs = new Set();
process.on('exit', () => {
  for (const p of running) {
    try { p.kill('SIGKILL'); } catch { /* gone */ }
  }
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

/**
 * Starts `gehoord serve` for a new wave of survey-defs/DEF with COUNT
 * one-time links. Returns {base, tokens, nextToken(), stop(), log()}.
 * stop() sends SIGTERM, waits, removes the temporary directory and
 * returns the exit code.
 */
export async function startServer(opts = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-'));
  tempDirs.add(dir);
  try {
    return await setUpServer(dir, opts);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
    throw e;
  }
}

async function setUpServer(dir, { def = 'demo.json', count = 20 }) {
  const db = path.join(dir, 'gehoord.db');
  const key = waveKey();
  gehoord(['init', '--db', db]);
  const wave = gehoord(['wave', 'create', '--db', db, '--def', defPath(def),
    '--name', `browser-${path.basename(def, '.json')}`,
    '--public-key', key.publicKey]).trim();
  let port = await freePort();
  const csv = path.join(dir, 'links.csv');
  // A batch is at least the wave's k (10 by default).
  gehoord(['tokens', 'issue', '--db', db, '--wave', wave, '--count', Math.max(count, 10),
    '--base-url', `http://127.0.0.1:${port}`, '--csv', csv,
    '--sheet', path.join(dir, 'sheet.html')]);
  const lines = fs.readFileSync(csv, 'latin1').split('\r\n').filter(Boolean);
  if (lines[0] !== 'link') throw new Error(`links CSV header is ${lines[0]}`);
  const tokens = lines.slice(1).map((l) => l.slice(l.lastIndexOf('/s/') + 3));
  fs.rmSync(csv);
  const userArgs = serveUserArgs(dir);
  const logPath = path.join(dir, 'serve.log');

  let proc = null;
  let lastErr = null;
  for (let attempt = 0; attempt < 3 && !proc; attempt++) {
    if (attempt > 0) port = await freePort();
    const log = fs.openSync(logPath, 'a');
    const p = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`,
      ...userArgs], { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    running.add(p);
    let exited = null;
    p.on('exit', (code, sig) => { exited = code ?? sig; running.delete(p); });
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline && exited === null) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/`);
        await r.arrayBuffer();
        if (r.status === 200) { proc = p; break; }
      } catch { /* not yet */ }
      await sleep(50);
    }
    if (!proc) {
      lastErr = new Error(`gehoord serve did not start (exit ${exited}):\n` +
        fs.readFileSync(logPath, 'utf8'));
      if (exited === null) p.kill('SIGKILL');
    }
  }
  if (!proc) throw lastErr;

  let next = 0;
  const server = {
    base: `http://127.0.0.1:${port}`,
    port,
    dir,
    tokens,
    nextToken() {
      if (next >= tokens.length) throw new Error('out of tokens: raise count');
      return tokens[next++];
    },
    log: () => fs.readFileSync(logPath, 'utf8'),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const done = new Promise((r) => proc.once('exit', (c, s) => r(c ?? s)));
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await done;
        clearTimeout(t);
      }
      fs.rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
      return proc.exitCode ?? proc.signalCode;
    },
  };
  return server;
}

// ------------------------------------------------------------------------
// The browser

// The flags this machine needs: as root chromium needs --no-sandbox, and
// without the background-networking flags it keeps trying to reach hosts
// on a closed network. playwright-core adds --headless itself.
/** Adds desk user desk1 to the database of a startServer() server: the
 * desk must exist before reports are taken. */
export function addDeskUser(server) {
  const pw = path.join(server.dir, 'pw');
  fs.writeFileSync(pw, 'a desk password for the browser test\n', { mode: 0o600 });
  gehoord(['user', 'add', '--db', path.join(server.dir, 'gehoord.db'),
    '--name', 'desk1', '--role', 'desk', '--password-file', pw]);
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium ` +
      '(server/deploy/install-deps.sh does)');
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  mobile: { width: 320, height: 640 },      // 320 CSS px wide (WCAG 1.4.10)
  zoom400: { width: 320, height: 256 },     // 1280x1024 at 400 % zoom
};

/**
 * A context for answering a survey the way a respondent does: the
 * server's CSP is enforced (no bypass), JavaScript on or off, the
 * browser's language set to lang. Console errors (a CSP refusal, say)
 * and failed subresources are collected in ctx.problems.
 */
export async function newWalkContext(browser, { lang = 'nl', js = true,
  viewport = VIEWPORTS.desktop } = {}) {
  const ctx = await browser.newContext({
    javaScriptEnabled: js,
    viewport,
    locale: lang === 'en' ? 'en-GB' : 'nl-NL',
  });
  ctx.problems = [];
  ctx.on('page', (page) => watchPage(page, ctx.problems));
  return ctx;
}

function watchPage(page, problems) {
  page.on('console', (m) => {
    // A page's own 4xx status (422, 410, 404) is logged as "Failed to
    // load resource", and so is the favicon the server does not have;
    // failed subresources are caught below.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console error on ${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`script error on ${page.url()}: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(
    `request failed: ${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'document' && r.status() >= 400) {
      problems.push(`subresource ${r.url()}: HTTP ${r.status()}`);
    }
  });
}

// ------------------------------------------------------------------------
// Page checks

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_VERSION = JSON.parse(fs.readFileSync(
  require.resolve('axe-core/package.json'), 'utf8')).version;
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** One line per axe violation and node: id, impact, target, help. */
export function formatViolations(violations) {
  const out = [];
  for (const v of violations) {
    for (const n of v.nodes) {
      out.push(`axe ${v.id} (${v.impact}): ${n.target.join(' ')}: ${v.help}` +
        ` [${v.helpUrl}]` +
        (n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''));
    }
  }
  return out;
}

/**
 * Checks captured pages. A page is checked from its HTML as the walk's
 * browser loaded it (page.content() right after loading), re-served by route at a URL on the server's own origin
 * (so /static/style.css loads from the real server), in a context of its
 * own with JavaScript on and the CSP bypassed: axe is a script, and the
 * server's CSP (default-src 'none') refuses every script, while a no-JS
 * page cannot run one at all. The walk itself never bypasses the CSP.
 */
export class Checker {
  constructor(browser, base) {
    this.browser = browser;
    this.base = base;
    this.n = 0;
    this.pages = new Map();
    this.count = 0;
  }

  async open() {
    this.ctx = await this.browser.newContext({
      bypassCSP: true, javaScriptEnabled: true, viewport: VIEWPORTS.desktop,
    });
    // axe in every page of this context from the start: injecting its
    // 650 KB into each page afresh took longer than its run.
    await this.ctx.addInitScript({ content: AXE_SOURCE });
    await this.ctx.route(`${this.base}/__check__/**`, (route) => {
      const html = this.pages.get(route.request().url());
      if (html === undefined) return route.fulfill({ status: 404, body: '' });
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    });
    this.page = await this.ctx.newPage();
    this.problems = [];
    watchPage(this.page, this.problems);
    return this;
  }

  async close() {
    await this.ctx?.close();
  }

  async load(html, viewport = VIEWPORTS.desktop) {
    const url = `${this.base}/__check__/${++this.n}`;
    this.pages.set(url, html);
    await this.page.setViewportSize(viewport);
    await this.page.goto(url, { waitUntil: 'load' });
    this.pages.delete(url);
    return this.page;
  }

  /**
   * Every check on one captured page ({html, name}) in language lang.
   * Returns the problems found, [{cat, msg}], cat one of axe, lang,
   * labels, enter, focus, layout, errors, console; empty when all is well.
   * opts.errors: the page must show an error summary (and it is checked).
   */
  async check(snap, lang, opts = {}) {
    this.count++;
    const p = [];
    const add = (cat, list) => { for (const msg of list) p.push({ cat, msg: `${snap.name}: ${msg}` }); };
    const page = await this.load(snap.html);
    add('axe', await this.axe(page));
    add('lang', await page.evaluate(langProblems, { lang, other: OTHER[lang] }));
    add('labels', await page.evaluate(groupProblems));
    add('enter', await page.evaluate(defaultButtonProblems));
    // What a closed <details> holds is checked as its reader sees it, open.
    await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
    add('focus', await this.focusProblems(page));
    for (const [vname, vp] of [['320 px', VIEWPORTS.mobile], ['400 % zoom', VIEWPORTS.zoom400]]) {
      await page.setViewportSize(vp);
      const lp = await page.evaluate(layoutProblems);
      add('layout', lp.map((x) => `at ${vname} (${vp.width}x${vp.height}): ${x}`));
    }
    const hasSummary = await page.evaluate(() => !!document.querySelector('.error-summary, [role=alert]'));
    if (opts.errors && !hasSummary) add('errors', ['no error summary (.error-summary or [role=alert]) on a page with errors']);
    if (hasSummary) add('errors', await this.errorSummaryProblems(snap.html, lang));
    // Problems of the check context itself (a style sheet that did not load).
    add('console', this.problems.splice(0));
    return p;
  }

  /** axe's violations on page, which need not be of this context. */
  async axe(page) {
    // eslint-disable-next-line no-undef
    if (!(await page.evaluate(() => typeof axe === 'object'))) {
      await page.addScriptTag({ content: AXE_SOURCE });
    }
    const res = await page.evaluate(async (tags) => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary })),
      }));
    }, AXE_TAGS);
    return formatViolations(res);
  }

  /**
   * Tabs once round the page: every focused element must show
   * a focus indicator (an outline or a box-shadow, on it or its label)
   * and be on screen; every control must be reached (a radio group once).
   */
  async focusProblems(page) {
    const p = [];
    await page.evaluate(() => {
      window.__reached = new Set();
      document.activeElement?.blur?.();
      window.scrollTo(0, 0);
    });
    await page.keyboard.press('Escape');
    // Focus may start anywhere (an autofocused error summary): go round
    // once, through the end of the page and back to the start.
    let first = null;
    let outside = 0;
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(focusState);
      if (!f) {
        if (++outside > 2) break;
        continue;
      }
      if (f.key === first) break;
      if (!first) first = f.key;
      if (!f.indicator) p.push(`focus not visible on ${f.desc} (outline ${f.outline}, box-shadow ${f.shadow})`);
      if (!f.onScreen) p.push(`focused ${f.desc} is off screen (${f.rect})`);
    }
    const missed = await page.evaluate(unreached);
    for (const m of missed) p.push(`not reachable with Tab: ${m}`);
    return p;
  }

  /**
   * The error summary: above the page heading and the questions, announced
   * (role=alert) or focused when the page opens, and each of its links
   * moves focus to the question it names. Each error message is tied to
   * its field (aria-describedby) and says "error" in words, not only in
   * colour.
   */
  async errorSummaryProblems(html, lang) {
    const page = await this.load(html);
    const p = await page.evaluate(summaryProblems, { prefix: messages(lang)['error.prefix'] });
    const links = await page.evaluate(() => [...document.querySelectorAll(
      '.error-summary a[href^="#"], [role=alert] a[href^="#"]')].map((a) => a.getAttribute('href')));
    if (links.length === 0) p.push('error summary has no links to the wrong fields');
    for (const href of links) {
      // Follow each link as a keyboard user does: focus it, press Enter.
      const link = page.locator(`.error-summary a[href="${href}"], [role=alert] a[href="${href}"]`).first();
      await link.focus();
      await page.keyboard.press('Enter');
      const id = decodeURIComponent(href.slice(1));
      await page.waitForFunction((i) => {
        const t = document.getElementById(i);
        return !!t && (document.activeElement === t || t.contains(document.activeElement));
      }, id, { timeout: 1000 }).catch(() => {}); // reported just below
      const r = await page.evaluate((id) => {
        const t = document.getElementById(id);
        const a = document.activeElement;
        if (!t) return `link #${id} points to no element`;
        if (!(a === t || t.contains(a))) {
          return `link #${id} does not move focus to its field (focus is on ` +
            `${a ? a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') : 'nothing'})`;
        }
        const r = t.getBoundingClientRect();
        if (r.top >= innerHeight || r.bottom <= 0) return `link #${id}: the field is not scrolled into view`;
        return null;
      }, id);
      if (r) p.push(r);
    }
    return p;
  }
}

// The functions below run in the page (page.evaluate): self-contained.

function langProblems({ lang, other }) {
  const p = [];
  const l = document.documentElement.getAttribute('lang');
  if (l !== lang) p.push(`<html lang="${l}">, expected "${lang}"`);
  for (const b of document.querySelectorAll('[name=switch_lang]')) {
    if (b.value !== other) p.push(`language switch has value "${b.value}", expected "${other}"`);
    if (b.getAttribute('lang') !== other) {
      p.push(`language switch "${b.textContent.trim()}" lacks lang="${other}" (WCAG 3.1.2)`);
    }
  }
  if (!document.title.trim()) p.push('empty <title>');
  return p;
}

/**
 * Every group of radio buttons or check boxes (and every control of a
 * question, q_*) sits in a fieldset whose legend names it, or in an
 * element with role group or radiogroup and a name; every control has a
 * label (axe checks the label itself).
 */
function groupProblems() {
  const p = [];
  const byName = new Map();
  for (const el of document.querySelectorAll('input[type=radio], input[type=checkbox]')) {
    if (!byName.has(el.name)) byName.set(el.name, []);
    byName.get(el.name).push(el);
  }
  for (const [name, els] of byName) {
    if (els.length < 2) continue;
    for (const el of els) {
      const fs = el.closest('fieldset');
      const legend = fs && fs.querySelector(':scope > legend');
      const group = el.closest('[role=group], [role=radiogroup]');
      const named = group && (group.getAttribute('aria-label') || group.getAttribute('aria-labelledby'));
      if (!(legend && legend.textContent.trim()) && !named) {
        p.push(`the group ${name} is not in a fieldset with a legend (nor a named role=group)`);
        break;
      }
      if (fs && !els.every((e) => fs.contains(e))) {
        p.push(`the group ${name} is split over more than one fieldset`);
        break;
      }
    }
  }
  for (const el of document.querySelectorAll('input:not([type=hidden]):not([type=submit]), textarea, select')) {
    const labelled = (el.labels && [...el.labels].some((l) => l.textContent.trim())) ||
      el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!labelled) p.push(`${el.id ? '#' + el.id : el.name} has no label`);
  }
  return p;
}

/**
 * Enter in a field of a form (a radio button, a check box, a one-line
 * text or number field) presses the form's default button: its first
 * submit button in tree order. That must be the way forward, not the
 * language switch or Back.
 */
function defaultButtonProblems() {
  const p = [];
  for (const form of document.forms) {
    if ((form.getAttribute('method') || '').toLowerCase() !== 'post') continue;
    const fields = [...form.elements].filter((e) => e.tagName === 'INPUT' &&
      !['hidden', 'submit', 'button', 'reset', 'image'].includes(e.type));
    if (!fields.length) continue;
    const def = [...form.elements].find((e) => (e.tagName === 'BUTTON' && e.type === 'submit') ||
      (e.tagName === 'INPUT' && (e.type === 'submit' || e.type === 'image')));
    if (!def) continue;
    const what = `${def.name ? def.name + '=' + def.value : 'submit'} "${def.textContent.trim() || def.value}"`;
    if (def.name === 'switch_lang' || (def.name === 'nav' && /back|prev|terug|vorig/i.test(def.value))) {
      p.push(`Enter in a field (e.g. ${fields[0].id ? '#' + fields[0].id : fields[0].name}) presses ${what}, ` +
        'the first submit button of the form, instead of going forward');
    }
  }
  return p;
}

function focusState() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  function describe(el) {
    let d = el.tagName.toLowerCase();
    if (el.id) d += '#' + el.id;
    else if (el.name) d += `[name="${el.name}"]`;
    if (el.tagName === 'INPUT') d += `[type=${el.type}]`;
    if (el.value && /^(INPUT|BUTTON)$/.test(el.tagName) && el.type !== 'text') d += `[value="${el.value}"]`;
    const t = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    if (t && el.tagName !== 'TEXTAREA') d += ` "${t}"`;
    return d;
  }
  function visibleIndicator(e) {
    const cs = getComputedStyle(e);
    const transparent = (c) => c === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(c);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 &&
      !transparent(cs.outlineColor);
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    return { ok: outline || shadow, outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`, shadow: cs.boxShadow };
  }
  const own = visibleIndicator(el);
  let ok = own.ok;
  for (const l of el.labels || []) ok = ok || visibleIndicator(l).ok;
  const r = el.getBoundingClientRect();
  const onScreen = r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 &&
    r.left < innerWidth && r.top < innerHeight;
  // One key per element, to see when Tab has gone all the way round.
  if (el.__focusKey === undefined) el.__focusKey = (window.__focusKeys = (window.__focusKeys || 0) + 1);
  const key = el.__focusKey;
  window.__reached.add(el.type === 'radio' && el.name ? 'radio:' + el.name : el);
  return { key, desc: describe(el), indicator: ok, outline: own.outline, shadow: own.shadow,
    onScreen, rect: `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)}` };
}

function unreached() {
  const out = [];
  const seen = window.__reached;
  const controls = document.querySelectorAll(
    'input:not([type=hidden]), textarea, select, button, a[href]');
  for (const el of controls) {
    if (el.disabled || el.getAttribute('tabindex') === '-1') continue;
    if (!el.getClientRects().length && !(el.labels && [...el.labels].some((l) => l.getClientRects().length))) continue; // not rendered
    const k = el.type === 'radio' && el.name ? 'radio:' + el.name : el;
    if (!seen.has(k)) {
      out.push((el.id ? '#' + el.id : el.tagName.toLowerCase() +
        (el.name ? `[name="${el.name}"]` : '')) +
        (el.type === 'radio' ? ' (radio group)' : ''));
    }
  }
  return [...new Set(out)];
}

/**
 * At the current viewport: no horizontal scrolling, and every control
 * (or its label) is inside the viewport's width, has a size, and is not
 * covered by anything else once scrolled into view.
 */
function layoutProblems() {
  const p = [];
  const se = document.scrollingElement;
  if (se.scrollWidth > innerWidth) {
    let widest = null;
    for (const e of document.body.querySelectorAll('*')) {
      const r = e.getBoundingClientRect();
      if (r.right > innerWidth + 0.5 && (!widest || r.right > widest.r)) {
        widest = { r: r.right, e };
      }
    }
    p.push(`horizontal scrolling: scrollWidth ${se.scrollWidth} > ${innerWidth}` +
      (widest ? ` (e.g. ${widest.e.tagName.toLowerCase()}${widest.e.className ? '.' + widest.e.className : ''} ends at ${Math.round(widest.r)})` : ''));
  }
  const name = (el) => el.id ? '#' + el.id : el.tagName.toLowerCase() +
    (el.name ? `[name="${el.name}"]` : '') + (el.value && el.tagName === 'BUTTON' ? `[value="${el.value}"]` : '');
  const controls = document.querySelectorAll(
    'input:not([type=hidden]), textarea, select, button, a[href]');
  for (const el of controls) {
    if (el.closest('[hidden]')) continue; // a follow-up not asked yet
    el.focus({ preventScroll: true }); // shows a skip link, as focus would
    const cands = [el, ...(el.labels || [])];
    let why = 'no size';
    const ok = cands.some((c) => {
      let r = c.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) return false;
      c.scrollIntoView({ block: 'center', inline: 'nearest' });
      r = c.getBoundingClientRect();
      if (r.left < -0.5 || r.right > innerWidth + 0.5) {
        why = `sticks out of the ${innerWidth} px viewport (${Math.round(r.left)}..${Math.round(r.right)})`;
        return false;
      }
      // A link that wraps: aim at its first line, not the box of all.
      if (c.getClientRects().length > 1) r = c.getClientRects()[0];
      const x = r.left + Math.min(r.width / 2, 8);
      const y = r.top + Math.min(r.height / 2, 8);
      const hit = document.elementFromPoint(x, y);
      if (!hit || !(hit === c || c.contains(hit) || (el.labels && [...el.labels].some((l) => l.contains(hit))))) {
        why = `covered by ${hit ? hit.tagName.toLowerCase() + (hit.className ? '.' + hit.className : '') : 'nothing'}`;
        return false;
      }
      return true;
    });
    el.blur();
    if (!ok) p.push(`control ${name(el)} is not usable: ${why}`);
  }
  window.scrollTo(0, 0);
  return p;
}

function summaryProblems({ prefix }) {
  const p = [];
  const s = document.querySelector('.error-summary') || document.querySelector('[role=alert]');
  const h1 = document.querySelector('h1');
  const firstField = document.querySelector('fieldset, .question, [name^="q_"]');
  const before = (a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
  if (h1 && !before(s, h1)) p.push('error summary comes after the page heading, not at the top');
  if (firstField && !before(s, firstField)) p.push('error summary comes after the first question');
  const focused = document.activeElement === s || s.contains(document.activeElement);
  const alert = s.getAttribute('role') === 'alert' || !!s.closest('[role=alert]');
  if (!focused && !alert) p.push('error summary is neither focused on load nor role=alert');
  const heading = s.querySelector('h2, h1, h3');
  if (!heading || !heading.textContent.trim()) p.push('error summary has no heading');
  // Each message is tied to its field and says "error" in words.
  const described = new Set();
  for (const e of document.querySelectorAll('[aria-describedby]')) {
    for (const id of e.getAttribute('aria-describedby').split(/\s+/)) described.add(id);
  }
  const msgs = document.querySelectorAll('.error-message');
  if (msgs.length === 0) p.push('no error message at any field');
  for (const m of msgs) {
    if (!m.id || !described.has(m.id)) p.push(`error message "${m.textContent.trim().slice(0, 40)}" is not tied to its field with aria-describedby`);
    if (prefix && !m.textContent.trim().startsWith(prefix)) p.push(`error message "${m.textContent.trim().slice(0, 40)}" does not start with "${prefix}" (colour alone)`);
  }
  // An invalid field, or the fieldset of its group, is described by its message.
  const describedByError = (e) => !!e && ((e.getAttribute('aria-describedby') || '').split(/\s+/)
    .some((id) => document.getElementById(id)?.classList.contains('error-message')) ||
    describedByError(e.parentElement?.closest('fieldset')));
  for (const e of document.querySelectorAll('[aria-invalid=true]')) {
    if (!describedByError(e)) {
      p.push(`#${e.id} is aria-invalid but not described by an error message`);
    }
  }
  return p;
}

