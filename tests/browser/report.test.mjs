// The reporter's pages of anonymous reports in a real browser:
// the form with its explanation, its errors, the receipt page shown once,
// the "I have saved my code" step, the receipt login (typed sloppily),
// the conversation, adding information, and withdrawal, in Dutch and
// English, with JavaScript off (no page needs it) at 375 px; every page
// passes the checks of lib.mjs (axe WCAG 2.1 A/AA, 320 px and 400 %
// zoom, focus, labels, error summary).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  Checker, launchBrowser, newWalkContext, startServer,
  addDeskUser,
} from './lib.mjs';
import fs from 'node:fs';

const VIEWPORT = { width: 375, height: 812 };
const TEXT = {
  nl: 'Een collega maakte een grap over mijn afkomst. Merkteken-BT-1.',
  en: 'A colleague joked about where I come from. Marker-BT-1.',
};

let server;
let browser;
let checker;

before(async () => {
  server = await startServer({ def: 'demo.json', count: 10 });
  addDeskUser(server);
  browser = await launchBrowser();
  checker = await new Checker(browser, server.base).open();
});

after(async () => {
  await checker?.close();
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0);
});

async function checkPage(page, name, lang, opts = {}) {
  const problems = await checker.check({ html: await page.content(), name }, lang, opts);
  assert.deepEqual(problems.map((p) => `${p.cat}: ${p.msg}`), [], `${name} (${lang})`);
}

for (const lang of ['nl', 'en']) {
  test(`reporter pages, ${lang}, no JavaScript, 375 px`, async () => {
    const ctx = await newWalkContext(browser, { lang, js: false, viewport: VIEWPORT });
    try {
      const page = await ctx.newPage();
      let r = await page.goto(`${server.base}/melden?lang=${lang}`);
      assert.equal(r.status(), 200);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      await checkPage(page, 'form', lang);

      // Sent empty: 422, the summary links to the question.
      [r] = await Promise.all([page.waitForNavigation(), page.click('button.submit')]);
      assert.equal(r.status(), 422);
      await checkPage(page, 'form with errors', lang, { errors: true });

      await page.fill('#wat_gebeurd', TEXT[lang]);
      await page.check('#toestemming-ja_lezen_reageren');
      await page.check('#vorm-micro_agressie');
      await page.check('#grond-herkomst');
      await page.check('#cluster-sociaal');
      [r] = await Promise.all([page.waitForNavigation(), page.click('button.submit')]);
      assert.equal(r.status(), 200);
      const code = (await page.textContent('.report-code code')).trim();
      assert.match(code, /^([0-9A-Z*~$=]{5}-){4}[0-9A-Z*~$=]{5}$/);
      await checkPage(page, 'receipt', lang);

      // Continue without ticking: the same code again, with the error.
      [r] = await Promise.all([page.waitForNavigation(),
        page.click('form[action="/melden/opgeslagen"] button.submit')]);
      assert.equal(r.status(), 422);
      assert.equal((await page.textContent('.report-code code')).trim(), code);
      await page.check('#saved');
      [r] = await Promise.all([page.waitForNavigation(),
        page.click('form[action="/melden/opgeslagen"] button.submit')]);
      assert.equal(r.status(), 200);
      await checkPage(page, 'done', lang);

      // Log in with the code typed sloppily.
      r = await page.goto(`${server.base}/melden/volg?lang=${lang}`);
      await checkPage(page, 'login', lang);
      await page.fill('#receipt', code.toLowerCase().replace(/-/g, ' '));
      [r] = await Promise.all([page.waitForNavigation(), page.click('button.submit')]);
      assert.equal(r.status(), 200);
      assert.ok((await page.content()).includes(TEXT[lang]));
      await checkPage(page, 'conversation', lang);

      await page.fill('#add-text', 'More, Merkteken-BT-2.');
      [r] = await Promise.all([page.waitForNavigation(),
        page.click('button[value="add"]')]);
      assert.equal(r.status(), 200);
      assert.ok((await page.content()).includes('Merkteken-BT-2'));
      await checkPage(page, 'conversation with notice', lang);

      [r] = await Promise.all([page.waitForNavigation(),
        page.click('button[value="withdraw"]')]);
      await checkPage(page, 'withdraw confirmation', lang);
      await page.check('#sure');
      [r] = await Promise.all([page.waitForNavigation(),
        page.click('button[value="withdraw_confirm"]')]);
      assert.equal(r.status(), 200);
      await checkPage(page, 'withdrawn', lang);

      // The old code is gone: a clear error on the login page.
      await page.goto(`${server.base}/melden/volg?lang=${lang}`);
      await page.fill('#receipt', code);
      [r] = await Promise.all([page.waitForNavigation(), page.click('button.submit')]);
      assert.equal(r.status(), 404);
      await checkPage(page, 'unknown code', lang);
      assert.deepEqual(ctx.problems, []);
    } finally {
      await ctx.close();
    }
  });
}
