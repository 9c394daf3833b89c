// Trying a wave before respondents do, from the coordinator's console,
// in a real browser without JavaScript, by keyboard only: the coordinator
// opens the preview of the multi-page ervaren-discriminatie instrument
// from the waves page, in Dutch and then in English (every page title is
// there, in the language asked for), makes a test link for a wave of it,
// follows the link, and walks the survey to its end: every page says it
// is a test and offers no "continue later", and the end page says that
// nothing was stored; the database has no answer and no spend. Every page
// is checked with axe-core (WCAG 2.1 A/AA) at 375 and 1280 CSS px, for
// its lang attribute, one h1 and overflow at 375 px, in nl and en.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFileSync } from 'node:child_process';

import { Checker, REPO_ROOT, gehoord, launchBrowser, loadDef, messages } from './lib.mjs';
import { VIEWPORT } from './desk_lib.mjs';
import { keygen, pageProblems, press, serveDb, tabTo, typeInto } from './console_lib.mjs';

const COORD_PW = 'coordinator password for the try browser test';
const INSTRUMENT = 'ervaren-discriminatie-2026';

/** Chooses option v of question q by keyboard: Space on a check box;
 * in a radio group (one Tab stop), arrow keys to v. */
async function pick(page, q, v) {
  const sel = `input[name="q_${q}"][value="${v}"]`;
  if (!await page.$(sel)) return;
  if (await page.$eval(sel, (i) => i.type) === 'checkbox') {
    await tabTo(page, sel);
    await page.keyboard.press('Space');
    return;
  }
  await tabTo(page, `input[name="q_${q}"]`);
  for (let i = 0; i < 20; i++) {
    if (await page.evaluate((x) => document.activeElement.value === x, v)) break;
    await page.keyboard.press('ArrowDown');
  }
  assert.ok(await page.$eval(sel, (i) => i.checked), `${q}: ${v} chosen`);
}

function count(db, sql) {
  return Number(execFileSync('python3', ['-c',
    'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])',
    db, sql], { encoding: 'utf8' }).trim());
}

test('console: preview an instrument in both languages and walk it by test link', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-try-'));
  const off = fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-try-off-'));
  const db = path.join(tmp, 'gehoord.db');
  gehoord(['init', '--db', db]);
  const pwFile = path.join(off, 'pw');
  fs.writeFileSync(pwFile, COORD_PW + '\n', { mode: 0o600 });
  gehoord(['user', 'add', '--db', db, '--name', 'cora', '--role', 'coordinator',
    '--password-file', pwFile]);
  const key = keygen(off);
  const wave = gehoord(['wave', 'create', '--db', db, '--def',
    path.join(REPO_ROOT, 'survey-defs', `${INSTRUMENT}.json`), '--name', 'proef',
    '--public-key', key.pk, '--k', '5']).trim().match(/\d+/)[0];
  const server = await serveDb(db, ['--survey-defs', path.join(REPO_ROOT, 'survey-defs')]);
  const browser = await launchBrowser();
  const checker = await new Checker(browser, server.base).open();
  const def = loadDef(`${INSTRUMENT}.json`);
  const problems = [];
  let ctx = null;
  try {
    ctx = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORT, locale: 'nl-NL' });
    const page = await ctx.newPage();
    const check = async (name, lang) => {
      problems.push(...await pageProblems(checker, await page.content(), name, lang));
    };
    await page.goto(`${server.base}/login?lang=nl`);
    await typeInto(page, '#name', 'cora');
    await typeInto(page, '#password', COORD_PW);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.equal(new URL(page.url()).pathname, '/console');
    await check('waves with the try forms', 'nl');

    // The preview, in Dutch and then in English, from the waves page.
    for (const lang of ['nl', 'en']) {
      await press(page, `a[href^="/console/preview/${INSTRUMENT}?in=${lang}"]`);
      const text = await page.innerText('main');
      for (const p of def.pages) assert.ok(text.includes(p.title[lang]), `${lang}: ${p.title[lang]}`);
      assert.equal(await page.$$eval('main form[action^="/s/"]', (f) => f.length), 0, 'no survey form');
      await check(`preview in ${lang}`, 'nl');
      await press(page, 'main a[href^="/console?"]');
    }

    // A test link for the wave, followed; the survey walked to its end.
    await tabTo(page, '#t-wave');
    await page.keyboard.type('proef');
    await press(page, 'form[action="/console/wave/test-link"] button:not([formaction])');
    await check('test link', 'nl');
    const link = await page.$eval('.test-link a', (a) => a.getAttribute('href'));
    assert.match(link, /\/s\/[0-9A-Z]+$/);
    await press(page, '.test-link a');
    const m = messages('nl');
    const banner = async () => assert.ok((await page.innerText('main')).includes(m['test.banner_text']),
      `the test note on ${page.url()}`);
    await banner();
    await check('test welcome', 'nl');
    await press(page, 'button[value="start"]');
    const answers = [['ongewenst_gedrag', 'geen'], ['discriminatie_twijfel', 'nee']];
    for (let n = 1; n < 12; n++) {
      await banner();
      assert.equal(await page.$$eval('button[value="save"]', (b) => b.length), 0, 'no continue later');
      await check(`test page ${n}`, 'nl');
      for (const [q, v] of answers) await pick(page, q, v);
      answers.length = 0;
      if (await page.$('button[value="submit"]')) {
        await press(page, 'button[value="submit"]');
        break;
      }
      await press(page, 'button[value="next"]');
    }
    assert.ok((await page.innerText('main')).includes(m['page.test_done.heading']), 'the test end page');
    await check('test done', 'nl');
    assert.equal(count(db, `SELECT count(*) FROM answers WHERE wave_id = ${wave}`), 0);
    assert.equal(count(db, 'SELECT count(*) FROM spends'), 0);
    assert.deepEqual(problems, []);
  } finally {
    if (ctx) await ctx.close();
    await checker.close();
    await browser.close();
    assert.equal(await server.stop(), 0);
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(off, { recursive: true, force: true });
  }
});
