// The reporting desk's pages in a real browser without JavaScript, at
// 375 CSS px wide, in Dutch and English: the login page (also with its
// error), the inbox, one report (filed through /melden) and the signals. Each page is checked with
// axe-core (WCAG 2.1 A/AA), for its lang attribute, and for horizontal
// overflow at 375 px. The desk's forms are used by clicking, as a desk
// user would: log in, reply, log out.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Checker, launchBrowser, messages } from './lib.mjs';
import {
  PW, VIEWPORT, startDesk, fileReport, checkPage,
} from './desk_lib.mjs';

test('desk pages: axe-clean, 375 px, nl and en, no JavaScript', async () => {
  const server = await startDesk();
  const browser = await launchBrowser();
  const checker = await new Checker(browser, server.base).open();
  const problems = [];
  try {
    await fileReport(server.base);
    for (const lang of ['nl', 'en']) {
      const m = messages(lang);
      const ctx = await browser.newContext({
        javaScriptEnabled: false, viewport: VIEWPORT,
        locale: lang === 'en' ? 'en-GB' : 'nl-NL',
      });
      const page = await ctx.newPage();
      const snap = async (name) => problems.push(
        ...await checkPage(checker, await page.content(), name, lang));

      await page.goto(`${server.base}/login?lang=${lang}`);
      await snap('login');
      await page.fill('#name', 'anna');
      await page.fill('#password', 'not the password');
      await page.click('button[type=submit]');
      assert.ok((await page.content()).includes(m['login.failed']));
      await snap('login failed');
      await page.fill('#name', 'anna');
      await page.fill('#password', PW);
      await page.click('button[type=submit]');
      assert.equal(new URL(page.url()).pathname, '/desk');
      assert.ok((await page.content()).includes(m['desk.inbox.title']));
      await snap('inbox');
      const link = await page.$('a[href^="/desk/r/"]');
      assert.ok(link, 'the inbox links the report');
      {
        await link.click();
        assert.ok((await page.content()).includes('Een melding voor de browsertest.'));
        await snap('report');
        await page.fill('#text', `browser test reply (${lang})`);
        await page.click('form[action$="/reply"] button[type=submit]');
        assert.ok((await page.content()).includes(`browser test reply (${lang})`));
        await snap('report after a reply');
      }
      await page.goto(`${server.base}/desk/signals?lang=${lang}`);
      assert.ok((await page.content()).includes(m['desk.signals.title']));
      await snap('signals');
      await page.goto(`${server.base}/desk/retention?lang=${lang}`);
      assert.ok((await page.content()).includes(m['desk.retention.title']));
      assert.ok((await page.content()).includes(m['desk.retention.none']));
      await snap('retention');
      await page.click('form[action="/logout"] button[type=submit]');
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.ok((await page.content()).includes(m['login.logged_out']));
      await snap('logged out');
      await ctx.close();
    }
  } finally {
    await checker.close();
    await browser.close();
    assert.equal(await server.stop(), 0);
  }
  assert.deepEqual(problems, []);
});
