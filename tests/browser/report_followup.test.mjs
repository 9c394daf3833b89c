// The reporter's path in a real browser without JavaScript on a 375 px
// screen: the report form (every question of survey-defs/melding.json)
// filed, the desk replies, the reporter logs in with the receipt and
// reads "1 new message" with the reply marked new; replying, reloading
// and going Back never raise a dialog ("Confirm form resubmission") and
// never add a message (the follow-up's POSTs redirect to a GET); the
// database is counted. Every page passes axe (WCAG 2.1 A/AA) at 375 px.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Checker, launchBrowser, messages } from './lib.mjs';
import { PW, VIEWPORT, checkPage, startDesk } from './desk_lib.mjs';

const CODE_RE = /^([0-9A-Z*~$=]{5}-){4}[0-9A-Z*~$=]{5}$/;

let server;
let browser;
let checker;

before(async () => {
  server = await startDesk();
  browser = await launchBrowser();
  checker = await new Checker(browser, server.base).open();
});

after(async () => {
  await checker?.close();
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0);
});

test('file, desk replies, "1 new", reply, reload and Back: no dialog, no repeat', async () => {
  const en = messages('en');
  const problems = [];
  const dialogs = [];
  const ctx = await browser.newContext({
    javaScriptEnabled: false, viewport: VIEWPORT, locale: 'en-GB',
  });
  const desk = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORT });
  try {
    const page = await ctx.newPage();
    page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
    const snap = async (name) => problems.push(
      ...await checkPage(checker, await page.content(), name, 'en'));

    // The form, with its new questions.
    let r = await page.goto(`${server.base}/melden?lang=en`);
    assert.equal(r.status(), 200);
    await snap('form');
    await page.fill('#wat_gebeurd', 'Follow-up in a browser, Marker-FU-1.');
    await page.check('#betrokkenheid-ander');
    await page.check('#wanneer-afgelopen_week');
    await page.check('#nog_gaande-ja');
    await page.check('#vorm-pesten');
    await page.check('#door_wie-leidinggevende');
    await page.check('#cluster-_prefer_not');
    await page.check('#toestemming-ja_lezen_reageren');
    await Promise.all([page.waitForURL(/\/melden\/ontvangen\?k=/),
      page.click('form[action="/melden"] button.submit')]);
    const code = (await page.textContent('.report-code code')).trim();
    assert.match(code, CODE_RE);
    await snap('receipt');

    // The desk reads every answer under its question and replies.
    const dp = await desk.newPage();
    await dp.goto(`${server.base}/login?lang=en`);
    await dp.fill('#name', 'anna');
    await dp.fill('#password', PW);
    await dp.click('button[type=submit]');
    await dp.click('a[href^="/desk/r/"]');
    const reportUrl = dp.url();
    const deskText = await dp.textContent('main');
    for (const s of ['Who did it?', 'A manager', 'Did it happen to you?',
      'No, I saw or heard it happen to someone else', "I'd rather not say"]) {
      assert.ok(deskText.includes(s), `the desk reads "${s}"`);
    }
    await dp.fill('#text', 'A reply from the desk, Marker-FU-2.');
    await dp.click('form[action$="/reply"] button[type=submit]');

    // The reporter logs in: one new message, marked in words.
    await page.goto(`${server.base}/melden/volg?lang=en`);
    await page.fill('#receipt', code);
    [r] = await Promise.all([page.waitForNavigation(), page.click('button.submit')]);
    assert.equal(r.status(), 200);
    assert.match(page.url(), /\/melden\/volg\?v=/);
    assert.ok(!page.url().replace(/-/g, '').includes(code.replace(/-/g, '')));
    assert.equal((await page.textContent('.report-new-count')).trim(), en['report.new_one']);
    const marked = await page.$$eval('.report-message', (ls) => ls
      .filter((l) => l.querySelector('.report-new')).map((l) => l.textContent));
    assert.equal(marked.length, 1);
    assert.ok(marked[0].includes('Marker-FU-2'));
    assert.ok((await page.textContent('main')).includes(en['report.no_reply_note']));
    await snap('conversation with a new message');

    // A reply; then Reload and Back.
    await page.fill('#add-text', 'Added once, Marker-FU-3.');
    [r] = await Promise.all([page.waitForNavigation(),
      page.click('button[value="add"]')]);
    assert.equal(r.status(), 200);
    assert.match(page.url(), /\/melden\/volg\?v=/);
    assert.equal((await page.textContent('.report-new-count')).trim(), en['report.new_none']);
    await snap('conversation after a reply');
    const countOnDesk = async () => {
      await dp.goto(reportUrl);
      return (await dp.content()).split('Marker-FU-3').length - 1;
    };
    assert.equal(await countOnDesk(), 1);
    r = await page.reload();
    assert.equal(r.request().method(), 'GET');
    assert.equal(r.status(), 200);
    await page.goBack();
    assert.equal(page.url().includes('/melden/volg?v='), true);
    await page.goForward();
    assert.equal(await countOnDesk(), 1);
    assert.equal((await page.content()).split('Marker-FU-3').length - 1, 1);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(problems, []);
  } finally {
    await ctx.close();
    await desk.close();
  }
});
