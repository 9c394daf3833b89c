// A reporter's reload, Back and double click in a real browser never
// file a report or a message twice and never raise a dialog: the report
// form posts once and the receipt is a GET after a redirect (reloading
// and going back and forth show the same code), and the follow-up page,
// reloaded (its POST sent again), adds nothing. The database is counted at the end: exactly
// one report with the report and one added message.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  launchBrowser, newWalkContext, startServer,
  addDeskUser,
} from './lib.mjs';

const VIEWPORT = { width: 375, height: 812 };
const CODE_RE = /^([0-9A-Z*~$=]{5}-){4}[0-9A-Z*~$=]{5}$/;

let server;
let browser;

before(async () => {
  server = await startServer({ def: 'demo.json', count: 1 });
  // The desk must exist before reports are taken.
  addDeskUser(server);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0);
});

function count(table) {
  const db = path.join(server.dir, 'gehoord.db');
  return Number(execFileSync('/usr/bin/python3', ['-c',
    'import sqlite3,sys; c=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro",uri=True);'
    + 'print(c.execute("SELECT count(*) FROM ' + table + '").fetchone()[0])',
    db]).toString().trim());
}

test('reload, Back and a double click file one report and one message', async () => {
  const ctx = await newWalkContext(browser, { lang: 'en', js: true, viewport: VIEWPORT });
  const dialogs = [];
  try {
    const page = await ctx.newPage();
    page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
    let r = await page.goto(`${server.base}/melden?lang=en`);
    assert.equal(r.status(), 200);
    await page.fill('#wat_gebeurd', 'Once only, Marker-ONCE-1.');
    await page.check('#toestemming-ja_lezen_reageren');
    await page.check('#vorm-micro_agressie');
    await page.check('#grond-herkomst');
    await page.check('#cluster-sociaal');
    // A double click on "send".
    await Promise.all([page.waitForURL(/\/melden\/ontvangen\?k=/),
      page.dblclick('button.submit')]);
    await page.waitForLoadState();
    // The second click may arrive while the first is being stored: that
    // page says so and offers to show the code.
    for (let i = 0; i < 20 && await page.$('.report-code code') === null; i++) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    const code = (await page.textContent('.report-code code')).trim();
    assert.match(code, CODE_RE);
    assert.ok(!page.url().includes(code));
    const receiptUrl = page.url();

    // Reload, Back, Forward: the same code, never a second report.
    r = await page.reload();
    assert.equal(r.status(), 200);
    assert.equal(r.headers()['cache-control'], 'no-store');
    assert.equal((await page.textContent('.report-code code')).trim(), code);
    await page.goBack();
    await page.goForward();
    assert.equal(page.url(), receiptUrl);
    assert.equal((await page.textContent('.report-code code')).trim(), code);
    assert.equal(count('reports'), 1);

    // Written down: the receipt page no longer shows it.
    await page.check('#saved');
    [r] = await Promise.all([page.waitForNavigation(),
      page.click('form[action="/melden/opgeslagen"] button.submit')]);
    assert.equal(r.status(), 200);
    r = await page.goto(receiptUrl);
    assert.equal(r.status(), 200);
    assert.ok(!(await page.content()).includes(code));

    // The follow-up: add a message, then reload and go back.
    await page.goto(`${server.base}/melden/volg?lang=en`);
    await page.fill('#receipt', code);
    [r] = await Promise.all([page.waitForNavigation(), page.click('button.submit')]);
    assert.equal(r.status(), 200);
    await page.fill('#add-text', 'Added once, Marker-ONCE-2.');
    [r] = await Promise.all([page.waitForNavigation(),
      page.click('button[value="add"]')]);
    assert.equal(r.status(), 200);
    assert.equal(count('messages'), 2);
    r = await page.reload();
    assert.equal(r.status(), 200);
    const body = await page.content();
    assert.equal(body.split('Marker-ONCE-2').length - 1, 1);
    assert.equal(count('messages'), 2);
    assert.equal(count('reports'), 1);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(ctx.problems, []);
  } finally {
    await ctx.close();
  }
});
