// Save and continue later in Chromium: a respondent answers two pages,
// saves on page 3 under a phrase of their own in one browser context,
// and continues in a second context (another device: no cookies, no
// history) on page 3 with the answers, then sends. Every page of the way
// (the phrase page, "saved", the welcome page with "Continue where you
// stopped", a wrong phrase, the continued page) passes the page checks
// and axe at 375 px, without JavaScript as with it. The phrase page and
// "saved" are GETs after a 303: reloading them re-posts nothing (no
// "Confirm form resubmission" dialog, the saved row unchanged).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Checker, launchBrowser, messages, newWalkContext, startServer } from './lib.mjs';

const PHRASE = 'paarse olifant danst morgen';
const PHONE = { width: 375, height: 740 };

let server;
let browser;
let checker;

before(async () => {
  server = await startServer({ def: 'ervaren-discriminatie-2026.json', count: 10 });
  browser = await launchBrowser();
  checker = await new Checker(browser, server.base).open();
});

after(async () => {
  await checker?.close();
  await browser?.close();
  const rc = await server?.stop();
  assert.equal(rc, 0, 'gehoord serve exited non-zero');
});

function sqlText(q) {
  const db = path.join(server.dir, 'gehoord.db');
  return execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();
}

function sql(q) {
  return Number(sqlText(q));
}

/** Reloads the page: a GET, 200, the same URL and h1, no dialog. */
async function reloadSame(page, what) {
  const url = page.url();
  const h1 = await page.locator('h1').textContent();
  const r = await page.reload();
  assert.equal(r.request().method(), 'GET', `${what}: reload posted`);
  assert.equal(r.status(), 200, `${what}: reload status`);
  assert.equal(page.url(), url, `${what}: reload moved`);
  assert.equal(await page.locator('h1').textContent(), h1, `${what}: reload shows another page`);
}

/** Every page check, then axe again at 375 px. */
async function checkPage(page, name, lang) {
  const snap = { html: await page.content(), name };
  const problems = (await checker.check(snap, lang)).map((x) => `${x.cat}: ${x.msg}`);
  const p = await checker.load(snap.html, PHONE);
  problems.push(...(await checker.axe(p)).map((m) => `${name} at 375 px: ${m}`));
  return problems;
}

/** The page's own heading: a survey page's h2, else the h1. */
async function heading(page) {
  const h2 = page.locator('main h2').first();
  return (await h2.count()) ? (await h2.textContent()).trim()
    : (await page.locator('h1').first().textContent()).trim();
}

async function check(page, what) {
  const v = page.locator(`input[name="${what[0]}"][value="${what[1]}"]`);
  await v.check();
}

for (const js of [false, true]) {
  test(`save on page 3 in one context, continue in another (JavaScript ${js ? 'on' : 'off'})`, async () => {
    const m = messages('nl');
    const token = server.nextToken();
    const problems = [];
    const sent = sql('SELECT count(*) FROM answers');
    const one = await newWalkContext(browser, { lang: 'nl', js, viewport: PHONE });
    const dialogs = [];
    try {
      const page = await one.newPage();
      page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
      await page.goto(`${server.base}/s/${token}?lang=nl`);
      await page.click('button[name="nav"][value="start"]');
      await check(page, ['q_ongewenst_gedrag', 'pesten']);
      await check(page, ['q_discriminatie_twijfel', 'nee']);
      await page.click('button[name="nav"][value="next"]');
      await check(page, ['q_grond', 'leeftijd']);
      await check(page, ['q_door_wie', 'collega']);
      await check(page, ['q_hoe_vaak', '2_5']);
      await page.click('button[name="nav"][value="next"]');
      assert.match(await heading(page), /Melden/);
      await check(page, ['q_gemeld', 'nee']);
      await page.getByRole('button', { name: m['resume.save_button'] }).click();
      assert.equal(await page.locator('h1').textContent(), m['resume.ask_heading']);
      assert.match(page.url(), /\?w=[A-Za-z0-9_-]{22}&v=[0-9]+&lang=nl$/);
      const askUrl = page.url();
      problems.push(...await checkPage(page, 'the phrase page', 'nl'));
      await reloadSame(page, 'the phrase page');
      await page.fill('#phrase', 'te kort');
      await page.fill('#phrase2', 'te kort');
      await page.click('button[name="nav"][value="save_phrase"]');
      assert.ok((await page.textContent('main')).includes(m['resume.weak']));
      problems.push(...await checkPage(page, 'a weak phrase', 'nl'));
      await page.fill('#phrase', PHRASE);
      await page.fill('#phrase2', PHRASE);
      await page.click('button[name="nav"][value="save_phrase"]');
      assert.equal(await page.locator('h1').textContent(), m['resume.saved_heading']);
      assert.match(page.url(), /\?w=[A-Za-z0-9_-]{22}&v=[0-9]+&lang=nl$/);
      assert.ok(!page.url().includes('olifant'), 'the phrase in the URL');
      problems.push(...await checkPage(page, 'saved', 'nl'));
      const row = sqlText('SELECT hex(salt) || hex(sealed) FROM resumes');
      await reloadSame(page, 'saved');
      await reloadSame(page, 'saved');
      assert.equal(sqlText('SELECT hex(salt) || hex(sealed) FROM resumes'), row,
        'a reload of "saved" saved again');
      // The phrase page's own URL still shows it (Back, past the 422
      // that answered the weak phrase's POST, would post that again).
      await page.goto(askUrl);
      assert.equal(await page.locator('h1').textContent(), m['resume.ask_heading']);
      assert.deepEqual(dialogs, [], 'a dialog opened');
    } finally {
      await one.close();
    }
    assert.equal(sql('SELECT count(*) FROM resumes'), 1, 'saved before the page said so');

    const two = await newWalkContext(browser, { lang: 'nl', js, viewport: PHONE });
    try {
      const page = await two.newPage();
      await page.goto(`${server.base}/s/${token}?lang=nl`);
      assert.ok((await page.textContent('main')).includes(m['resume.continue_heading']));
      problems.push(...await checkPage(page, 'welcome with continue', 'nl'));
      await page.fill('#resume-phrase', 'een andere zin dan die');
      await page.click('button[name="nav"][value="resume"]');
      assert.ok((await page.textContent('main')).includes(m['resume.wrong']));
      problems.push(...await checkPage(page, 'a wrong phrase', 'nl'));
      await page.fill('#resume-phrase', PHRASE);
      await page.click('button[name="nav"][value="resume"]');
      assert.match(await heading(page), /Melden/);
      assert.ok(await page.locator('input[name="q_gemeld"][value="nee"]').isChecked());
      problems.push(...await checkPage(page, 'continued on page 3', 'nl'));
      await page.click('button[name="nav"][value="back"]');
      assert.ok(await page.locator('input[name="q_hoe_vaak"][value="2_5"]').isChecked());
      await page.click('button[name="nav"][value="next"]');
      await check(page, ['q_waarom_niet_gemeld', 'helpt_niet']);
      for (let n = 0; n < 10; n++) {
        const send = page.locator('button[name="nav"][value="submit"]');
        if (await send.count()) {
          await send.click();
          break;
        }
        await page.click('button[name="nav"][value="next"]');
      }
      assert.equal(await page.locator('h1').textContent(), m['page.thanks.heading']);
      assert.deepEqual(two.problems, []);
    } finally {
      await two.close();
    }
    assert.equal(sql('SELECT count(*) FROM answers'), sent + 1);
    assert.equal(sql('SELECT count(*) FROM resumes'), 0, 'the saved row is gone once sent');
    assert.deepEqual(problems, []);
  });
}
