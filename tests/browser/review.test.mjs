// Second opinions in a real browser without JavaScript, at 375 CSS px
// wide, in Dutch and English: the desk sends a case that asked for a
// second opinion to a reviewer (the link on the case page, the send page),
// then the reviewer logs in, sees their list, opens the case and gives
// their opinion by clicking. Each page is checked with axe-core (WCAG
// 2.1 A/AA), for its lang attribute and for horizontal overflow.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';

import { Checker, gehoord, launchBrowser, messages } from './lib.mjs';
import { PW, VIEWPORT, startDesk, checkPage } from './desk_lib.mjs';

const REVIEW_PW = 'reviewer password for the browser test';

/** Files a report and asks for a second opinion with its receipt. */
async function fileAndAskSecond(base) {
  let r = await fetch(`${base}/melden`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ lang: 'nl', wat_gebeurd: 'Een melding voor de tweede mening.', toestemming: 'ja_lezen_reageren', cluster: 'sociaal' }),
  });
  const html = await r.text();
  assert.equal(r.status, 200, 'POST /melden');
  const m = html.match(/<p class="report-code"><code>(.+?)<\/code>/);
  assert.ok(m, 'a receipt code');
  const code = m[1].replace(/<[^>]*>/g, '');
  r = await fetch(`${base}/melden/volg`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ lang: 'nl', receipt: code, action: 'second', text: 'Graag een tweede mening.' }),
  });
  await r.arrayBuffer();
  assert.equal(r.status, 200, 'second opinion asked');
}

async function login(page, base, lang, name, pw) {
  await page.goto(`${base}/login?lang=${lang}`);
  await page.fill('#name', name);
  await page.fill('#password', pw);
  await page.click('button[type=submit]');
}

test('second opinion pages: axe-clean, 375 px, nl and en, no JavaScript', async () => {
  const server = await startDesk();
  const pwFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-rv-')), 'pw');
  fs.writeFileSync(pwFile, REVIEW_PW + '\n', { mode: 0o600 });
  gehoord(['user', 'add', '--db', server.db, '--name', 'vera', '--role', 'reviewer',
    '--password-file', pwFile]);
  fs.rmSync(path.dirname(pwFile), { recursive: true, force: true });
  const browser = await launchBrowser();
  const checker = await new Checker(browser, server.base).open();
  const problems = [];
  const sent = new Set();
  try {
    for (const lang of ['nl', 'en']) {
      await fileAndAskSecond(server.base);
      const m = messages(lang);
      const ctx = await browser.newContext({
        javaScriptEnabled: false, viewport: VIEWPORT,
        locale: lang === 'en' ? 'en-GB' : 'nl-NL',
      });
      const page = await ctx.newPage();
      const snap = async (name) => problems.push(
        ...await checkPage(checker, await page.content(), name, lang));

      await login(page, server.base, lang, 'anna', PW);
      assert.equal(new URL(page.url()).pathname, '/desk');
      const hrefs = await page.$$eval('a[href^="/desk/r/"]',
        (as) => as.map((a) => a.getAttribute('href').slice(8, 40)));
      const id = hrefs.find((h) => !sent.has(h));
      assert.ok(id, 'the new case is in the inbox');
      sent.add(id);
      await page.goto(`${server.base}/desk/r/${id}?lang=${lang}`);
      await page.click(`a[href="/desk/r/${id}/review?lang=${lang}"]`);
      assert.ok((await page.content()).includes(m['review.send.intro']));
      await snap('send page');
      await page.click('form[action$="/review"] button[type=submit]');
      assert.ok((await page.content()).includes(m['review.send.done']));
      await snap('sent');
      await page.click('form[action="/logout"] button[type=submit]');

      await login(page, server.base, lang, 'vera', REVIEW_PW);
      assert.equal(new URL(page.url()).pathname, '/desk/review');
      assert.ok((await page.content()).includes(m['review.list.title']));
      await snap('reviewer list');
      await page.click(`a[href="/desk/review/${id}?lang=${lang}"]`);
      assert.ok((await page.content()).includes('Een melding voor de tweede mening.'));
      await snap('reviewer case');
      await page.fill('#opinion-text', `browser test opinion (${lang})`);
      await page.click('form[action$="/opinion"] button[type=submit]');
      assert.ok((await page.content()).includes(`browser test opinion (${lang})`));
      assert.ok((await page.content()).includes(m['review.opinion.sent']));
      await snap('reviewer case after the opinion');
      await page.goto(`${server.base}/desk?lang=${lang}`);
      assert.ok((await page.content()).includes(m['desk.role.heading']));
      await snap('reviewer refused');
      await ctx.close();
    }
  } finally {
    await checker.close();
    await browser.close();
    assert.equal(await server.stop(), 0);
  }
  assert.deepEqual(problems, []);
});
