// The coordinator's console in a real browser without JavaScript, by
// keyboard only (Tab, typing, Enter; no clicks), in Dutch and English:
// a coordinator logs in, creates a wave from an instrument of
// --survey-defs, schedules its closing, closes it and opens it again by
// hand, uploads units (one refused text first), and reads the audit log
// and the participation page. Every page is checked with axe-core
// (WCAG 2.1 A/AA) at 375 and at 1280 CSS px wide, for its lang
// attribute, one h1 and horizontal overflow, once: in the walk at 375
// px (the walk at 1280 px gets the same HTML; walkSnap in console_lib).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';

import { Checker, REPO_ROOT, VIEWPORTS, gehoord, launchBrowser, messages } from './lib.mjs';
import { VIEWPORT, startDesk } from './desk_lib.mjs';
import { walkSnap } from './console_lib.mjs';

const COORD_PW = 'coordinator password for the browser test';

/** Presses Tab until the focused element matches selector. */
async function tabTo(page, selector) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Tabs to a field and types into it (its old value selected first). */
async function typeInto(page, selector, text) {
  await tabTo(page, selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

/** Tabs to a button and presses Enter, waiting for the next page. */
async function press(page, selector) {
  await tabTo(page, selector);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

function keygen() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-ck-'));
  const pass = path.join(dir, 'pass');
  fs.writeFileSync(pass, 'a passphrase of the console browser test\n', { mode: 0o600 });
  const pk = gehoord(['keygen', '--out', path.join(dir, 'wave.key'),
    '--passphrase-file', pass]).trim();
  fs.rmSync(dir, { recursive: true, force: true });
  return pk;
}

test('console: a wave run by keyboard, axe-clean at 375 and 1280 px, nl and en', async () => {
  const server = await startDesk(['--survey-defs', path.join(REPO_ROOT, 'survey-defs')]);
  const pwFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-co-')), 'pw');
  fs.writeFileSync(pwFile, COORD_PW + '\n', { mode: 0o600 });
  gehoord(['user', 'add', '--db', server.db, '--name', 'cora', '--role', 'coordinator',
    '--password-file', pwFile]);
  fs.rmSync(path.dirname(pwFile), { recursive: true, force: true });
  const pk = keygen();
  const browser = await launchBrowser();
  const checker = await new Checker(browser, server.base).open();
  const problems = [];
  try {
    for (const lang of ['nl', 'en']) {
      const m = messages(lang);
      for (const vp of [VIEWPORT, VIEWPORTS.desktop]) {
        const ctx = await browser.newContext({
          javaScriptEnabled: false, viewport: vp,
          locale: lang === 'en' ? 'en-GB' : 'nl-NL',
        });
        const page = await ctx.newPage();
        const tag = `${lang} ${vp.width}px`;
        const snap = walkSnap(checker, problems, page, lang, vp);

        await page.goto(`${server.base}/login?lang=${lang}`);
        await typeInto(page, '#name', 'cora');
        await typeInto(page, '#password', COORD_PW);
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        assert.equal(new URL(page.url()).pathname, '/console', tag);
        assert.ok((await page.content()).includes(m['console.waves.title']));
        await snap('waves');

        // Create a wave: a wrong key first (the page says so), then right.
        // (k below 5 the browser itself refuses to send: min="5".)
        const name = `browser-${lang}-${vp.width}`;
        await typeInto(page, '#c-name', name);
        await tabTo(page, '#c-instrument');
        await typeInto(page, '#c-pk', 'not a key');
        await typeInto(page, '#c-k', '10');
        await press(page, 'form[action="/console/wave/create"] button');
        assert.ok((await page.content()).includes(m['console.create.bad_pk']), tag);
        await snap('create refused');
        await typeInto(page, '#c-pk', pk);
        await press(page, 'form[action="/console/wave/create"] button');
        assert.ok((await page.content()).includes(m['console.create.done']), tag);
        assert.ok((await page.content()).includes(name), tag);
        await snap('created');

        // Schedule its closing a year ahead; it shows in the table.
        const id = await page.$eval(`select#s-wave`, (s, n) =>
          [...s.options].find((o) => o.textContent.startsWith(n + ' (')).value, name);
        await tabTo(page, '#s-wave');
        await page.keyboard.type(name);
        assert.equal(await page.$eval('#s-wave', (s) => s.value), id, tag);
        const y = new Date().getFullYear() + 1;
        await typeInto(page, '#s-close', `${y}-03-01 09:00`);
        await press(page, 'form[action="/console/wave/schedule"] button');
        assert.ok((await page.content()).includes(m['console.schedule.set']), tag);
        assert.ok((await page.content()).includes(`${y}-03-01 09:00`), tag);
        await snap('scheduled');

        // Close it by hand, then open it again.
        await press(page, `form[action="/console/wave/close"]:has(input[value="${id}"]) button`);
        assert.ok((await page.content()).includes(m['console.wave.closed']), tag);
        await snap('closed');
        await press(page, `form[action="/console/wave/open"]:has(input[value="${id}"]) button`);
        assert.ok((await page.content()).includes(m['console.wave.opened']), tag);

        // The audit log, reached by its link.
        await press(page, 'a[href^="/console/audit"]').catch(async () => {
          await tabTo(page, 'a[href^="/console/audit"]');
          await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        });
        const audit = await page.content();
        for (const k of ['wave_create', 'wave_schedule', 'wave_close', 'wave_open']) {
          assert.ok(audit.includes(m[`console.action.${k}`]), `${tag}: ${k} in the audit log`);
        }
        await snap('audit');

        // Units: a text with a problem (its line is named), then a good one.
        await tabTo(page, 'a[href^="/console/units"]');
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        await typeInto(page, '#u-csv', 'Directie X/Afdeling Y;12\nDirectie X;many');
        await press(page, 'form[action="/console/units"] button');
        assert.ok((await page.content()).includes(m['console.units.err.count']), tag);
        await snap('units refused');
        await typeInto(page, '#u-csv', 'Directie X/Afdeling Y;12\nDirectie X;40');
        await press(page, 'form[action="/console/units"] button');
        assert.ok((await page.content()).includes(m['console.units.done']), tag);
        await snap('units');

        // Participation per unit (nothing counted yet: no unit reaches k).
        await tabTo(page, 'a[href^="/console/participation"]');
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        assert.ok((await page.content()).includes(m['console.part.why']), tag);
        assert.ok((await page.content()).includes(m['console.part.reminder']), tag);
        await snap('participation');
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
