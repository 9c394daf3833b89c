// Back and reload on every page of a multi-page survey, in Chromium with
// and without JavaScript: every survey POST answers 303 to a GET, so the
// browser never asks to send a form again (a "Confirm form resubmission"
// dialog would fire page.on('dialog'), which fails the test), Back shows
// the page before, reload the same page, and after Send, Back and reload
// show the thank-you page; one answer is stored, whatever was reloaded.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, messages, newWalkContext, startServer } from './lib.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ def: 'ervaren-discriminatie-2026.json', count: 10 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const rc = await server?.stop();
  assert.equal(rc, 0, 'gehoord serve exited non-zero');
});

function answersStored() {
  const db = path.join(server.dir, 'gehoord.db');
  return Number(execFileSync('sqlite3', [db, 'SELECT count(*) FROM answers'],
    { encoding: 'utf8' }).trim());
}

// The shortest path: nothing experienced, so two pages are skipped.
const PAGES = [
  { q_ongewenst_gedrag: 'geen', q_discriminatie_twijfel: 'nee', q_gezien_bij_collega: 'geen' },
  { q_leeftijd: '55_plus' },
];

async function heading(page) {
  const h2 = page.locator('main h2').first();
  return (await h2.count()) ? (await h2.textContent()).trim()
    : (await page.locator('h1').first().textContent()).trim();
}

async function reloadAndBack(page, what) {
  const before = await heading(page);
  const url = page.url();
  const r = await page.reload();
  assert.ok(r.status() < 500, `${what}: reload gave ${r.status()}`);
  assert.equal(page.url(), url, `${what}: reload moved`);
  assert.equal(await heading(page), before, `${what}: reload shows another page`);
  if ((await page.evaluate(() => history.length)) > 1) {
    const b = await page.goBack();
    assert.ok(b === null || b.status() < 500, `${what}: Back gave ${b?.status()}`);
    await page.goForward();
    assert.equal(await heading(page), before, `${what}: Back, Forward shows another page`);
  }
}

for (const js of [false, true]) {
  test(`Back and reload never resubmit (JavaScript ${js ? 'on' : 'off'})`, async () => {
    const stored = answersStored();
    const ctx = await newWalkContext(browser, { lang: 'nl', js });
    const dialogs = [];
    ctx.on('page', (p) => p.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); }));
    try {
      const page = await ctx.newPage();
      await page.goto(`${server.base}/s/${server.nextToken()}`);
      await reloadAndBack(page, 'welcome');
      await page.click('button[name="nav"][value="start"]');
      let n = 0;
      for (;;) {
        n++;
        await reloadAndBack(page, `page ${n}`);
        for (const [name, value] of Object.entries(PAGES[n - 1] || {})) {
          const el = page.locator(`input[name="${name}"][value="${value}"]`);
          if (await el.count()) await el.check();
        }
        const send = page.locator('button[name="nav"][value="submit"]');
        if (await send.count()) {
          await send.click();
          break;
        }
        await page.click('button[name="nav"][value="next"]');
        assert.ok(n < 10, 'the survey does not end');
      }
      const thanks = messages('nl')['page.thanks.heading'];
      assert.equal(await heading(page), thanks);
      assert.equal(answersStored(), stored + 1);
      await page.reload();
      assert.equal(await heading(page), thanks, 'the thank-you page on reload');
      await page.goBack();
      assert.equal(await heading(page), thanks, 'Back after Send');
      await page.goBack();
      assert.equal(await heading(page), thanks, 'Back twice after Send');
      assert.equal(answersStored(), stored + 1);
      assert.deepEqual(dialogs, [], 'a dialog opened');
      assert.deepEqual(ctx.problems, []);
    } finally {
      await ctx.close();
    }
  });
}
