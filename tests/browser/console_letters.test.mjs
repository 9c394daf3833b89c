// Links and letters per unit in the coordinator's console, in a real
// browser without JavaScript, by keyboard only (Tab, typing, Enter), in
// Dutch and English at 375 and 1280 CSS px: a coordinator uploads five
// units, opens the letters page from the console's navigation, is
// refused a batch below k (the error summary links to the field), then
// issues and downloads the letters of each of the five units, and a
// replacement card. Each download holds one letter per link of the
// unit's head count, all links distinct; the page, the refusal and the
// letters themselves are checked with axe-core (WCAG 2.1 A/AA), for
// their lang attribute, one h1 and horizontal overflow, once: in the
// walk at 375 px (the walk at 1280 px gets the same HTML; walkSnap in
// console_lib).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';

import { Checker, REPO_ROOT, VIEWPORTS, gehoord, launchBrowser, messages } from './lib.mjs';
import { VIEWPORT, startDesk } from './desk_lib.mjs';
import { walkSnap } from './console_lib.mjs';

const COORD_PW = 'coordinator password for the letters test';
const BASE = 'https://gehoord.example.org';
const UNITS = ['Directie A/Team 1', 'Directie A/Team 2', 'Directie B',
  'Directie C/Team 3', 'Directie D'];
const HEAD = 5;

async function tabTo(page, selector) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function typeInto(page, selector, text) {
  await tabTo(page, selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

/** Chooses the option of a select whose label starts with text, by typing. */
async function choose(page, selector, text) {
  await tabTo(page, selector);
  await page.keyboard.type(text);
  const v = await page.$eval(selector, (s) => s.options[s.selectedIndex].textContent);
  assert.ok(v.startsWith(text), `${selector}: ${v} chosen, not ${text}`);
}

/** Presses Enter on the focused button of a form; returns the download. */
async function download(page, selector) {
  await tabTo(page, selector);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const file = await dl.path();
  const html = fs.readFileSync(file, 'utf8');
  await dl.delete();
  return { html, name: dl.suggestedFilename() };
}

function keygen() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-lt-'));
  const pass = path.join(dir, 'pass');
  fs.writeFileSync(pass, 'a passphrase of the letters browser test\n', { mode: 0o600 });
  const pk = gehoord(['keygen', '--out', path.join(dir, 'wave.key'),
    '--passphrase-file', pass]).trim();
  fs.rmSync(dir, { recursive: true, force: true });
  return pk;
}

test('console letters: five units by keyboard, axe-clean at 375 and 1280 px, nl and en', async () => {
  const server = await startDesk(['--base-url', BASE, '--org-name', 'Gemeente Voorbeeld',
    '--org-contact', 'mailto:onderzoek@example.org']);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-lw-'));
  const pwFile = path.join(tmp, 'pw');
  fs.writeFileSync(pwFile, COORD_PW + '\n', { mode: 0o600 });
  gehoord(['user', 'add', '--db', server.db, '--name', 'cora', '--role', 'coordinator',
    '--password-file', pwFile]);
  gehoord(['wave', 'create', '--db', server.db, '--name', 'brieven',
    '--public-key', keygen(), '--def', path.join(REPO_ROOT, 'survey-defs', 'demo.json'),
    '--k', '5']);
  const csvFile = path.join(tmp, 'units.csv');
  fs.writeFileSync(csvFile, UNITS.map((u) => `${u};${HEAD}`).join('\n') + '\n');
  gehoord(['console', 'units', '--db', server.db, '--csv', csvFile, '--by', 'cora']);
  fs.rmSync(tmp, { recursive: true, force: true });
  const browser = await launchBrowser();
  const checker = await new Checker(browser, server.base).open();
  const problems = [];
  const seen = new Set();
  try {
    for (const lang of ['nl', 'en']) {
      const m = messages(lang);
      for (const vp of [VIEWPORT, VIEWPORTS.desktop]) {
        const ctx = await browser.newContext({
          javaScriptEnabled: false, viewport: vp, acceptDownloads: true,
          locale: lang === 'en' ? 'en-GB' : 'nl-NL',
        });
        const page = await ctx.newPage();
        const tag = `${lang} ${vp.width}px`;
        const snap = walkSnap(checker, problems, page, lang, vp);

        await page.goto(`${server.base}/login?lang=${lang}`);
        await typeInto(page, '#name', 'cora');
        await typeInto(page, '#password', COORD_PW);
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        await tabTo(page, 'a[href^="/console/letters"]');
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        assert.ok((await page.content()).includes(m['console.letters.once']), tag);
        await snap('letters page');

        // Fewer links than k: refused, the summary links to the field.
        await choose(page, '#l-wave', '1: brieven');
        await choose(page, '#l-unit', UNITS[0]);
        await typeInto(page, '#l-count', '2');
        await tabTo(page, 'form[action="/console/letters/issue"] button');
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        const refused = await page.content();
        assert.ok(refused.includes(m['console.letters.err.low_k']), tag);
        assert.ok(refused.includes('href="#l-count"'), tag);
        await snap('letters refused');

        // The letters of each of the five units, the count left empty.
        for (const unit of UNITS) {
          await page.goto(`${server.base}/console/letters?lang=${lang}`);
          await choose(page, '#l-wave', '1: brieven');
          await choose(page, '#l-unit', unit);
          await typeInto(page, '#l-count', '');
          const dl = await download(page, 'form[action="/console/letters/issue"] button');
          assert.match(dl.name, /^letters-wave-1\.html$/, tag);
          const links = [...dl.html.matchAll(/<p class="link">([^<]+)<\/p>/g)].map((x) => x[1]);
          assert.equal(links.length, HEAD, `${tag} ${unit}`);
          for (const l of links) {
            assert.ok(l.startsWith(`${BASE}/s/`), l);
            assert.ok(!seen.has(l), `${l} issued twice`);
            seen.add(l);
          }
          assert.ok(dl.html.includes('Gemeente Voorbeeld'), tag);
          assert.ok(dl.html.includes(unit.replace(/&/g, '&amp;')), tag);
          // The sheet is the same file in both walks: checked in one.
          if (unit === UNITS[0] && vp.width === VIEWPORT.width) {
            const lp = await checker.load(dl.html, VIEWPORT);
            for (const v of await checker.axe(lp)) problems.push(`letters (${lang}) at 375 px: ${v}`);
            const lp2 = await checker.load(dl.html, VIEWPORTS.desktop);
            for (const v of await checker.axe(lp2)) problems.push(`letters (${lang}) at 1280 px: ${v}`);
          }
        }

        // A replacement card for the last unit: one letter.
        await page.goto(`${server.base}/console/letters?lang=${lang}`);
        await choose(page, '#r-wave', '1: brieven');
        await choose(page, '#r-unit', UNITS[4]);
        const rep = await download(page, 'form[action="/console/letters/replace"] button');
        assert.equal([...rep.html.matchAll(/<p class="link">/g)].length, 1, tag);
        await ctx.close();
      }
    }
  } finally {
    await checker.close();
    await browser.close();
    assert.equal(await server.stop(), 0);
  }
  assert.deepEqual(problems, []);
});
