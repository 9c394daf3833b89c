// A desk reply typed while the session ends is not lost, in a real
// browser without JavaScript: type a reply, let the session time out
// (serve --session-idle 2), press send, log in on the page that comes
// back; the form returns with the text, and sending it adds the reply
// once. The login page that carries the text and the page after the
// login are checked with axe-core at 375 px, as in desk.test.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Checker, launchBrowser, messages } from './lib.mjs';
import {
  PW, VIEWPORT, sleep, startDesk, fileReport, checkPage,
} from './desk_lib.mjs';

test('an expired session keeps the reply being typed', async () => {
  const server = await startDesk(['--session-idle', '2']);
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
      const reply = `kept through the login <${lang}> & "more"`;

      await page.goto(`${server.base}/login?lang=${lang}`);
      await page.fill('#name', 'anna');
      await page.fill('#password', PW);
      await page.click('button[type=submit]');
      await page.click('a[href^="/desk/r/"]');
      await page.fill('#text', reply);
      await sleep(3500);
      await page.click('form[action$="/reply"] button[type=submit]');
      // The login page, saying why, with the reply carried along.
      assert.ok((await page.content()).includes(m['login.expired']));
      assert.equal(await page.inputValue('input[name="c.text"]'), reply);
      await snap('login after expiry');
      await page.fill('#name', 'anna');
      await page.fill('#password', PW);
      await page.click('button[type=submit]');
      // The form again, with the text, not yet sent.
      assert.ok((await page.content()).includes(m['login.resume.heading']));
      assert.equal(await page.inputValue('#text'), reply);
      // Checked after sending: the session lasts only 2 s.
      const again = await page.content();
      await page.click('form[action$="/reply"] button[type=submit]');
      const html = await page.content();
      const shown = await page.evaluate(() => document.body.innerText);
      assert.equal(shown.split(reply).length - 1, 1, 'the reply once');
      assert.ok(!html.includes('name="c.text"'));
      problems.push(...await checkPage(checker, again, 'form again', lang));
      await ctx.close();
    }
  } finally {
    await checker.close();
    await browser.close();
    assert.equal(await server.stop(), 0);
  }
  assert.deepEqual(problems, []);
});
