// Follow-up questions on the same page (web/followup.js), in Chromium
// under the server's own Content-Security-Policy: with JavaScript, an
// answer shows its follow-ups at once, without a request, focus stays
// where it was and a polite live region says how many came up; Next then
// moves on (the follow-ups were seen). Without JavaScript the page is as
// it always was: Next shows the same page again with the follow-ups and
// the note that questions came up. axe finds nothing at 375 and 1280 px
// with the follow-ups shown.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  AXE_TAGS, formatViolations, launchBrowser, messages, newWalkContext,
  startServer,
} from './lib.mjs';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

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

const FOLLOWUPS_JA = ['q_waar_gemeld', 'q_nadelige_gevolgen', 'q_tevreden_afhandeling'];

async function check(page, name, value) {
  await page.locator(`input[name="${name}"][value="${value}"]`).check();
}

// Welcome, then the first page with something experienced, then Next
// past the page about it: the page about reporting ("melden").
async function toReportingPage(page) {
  await page.goto(`${server.base}/s/${server.nextToken()}`);
  await page.click('button[name="nav"][value="start"]');
  await check(page, 'q_ongewenst_gedrag', 'pesten');
  await check(page, 'q_discriminatie_twijfel', 'nee');
  await page.click('button[name="nav"][value="next"]');
  await page.click('button[name="nav"][value="next"]');
  assert.ok(await page.locator('input[name="q_gemeld"]').count() > 0,
    'not on the page about reporting');
}

async function isShown(page, name) {
  return page.locator(`[name="${name}"]`).first().isVisible();
}

async function axe(page) {
  await page.evaluate(AXE);
  const res = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary })),
    }));
  }, AXE_TAGS);
  return formatViolations(res);
}

test('with JavaScript an answer shows its follow-ups on the same page', async () => {
  const ctx = await newWalkContext(browser, { lang: 'nl', js: true });
  try {
    const page = await ctx.newPage();
    await toReportingPage(page);
    for (const name of [...FOLLOWUPS_JA, 'q_waarom_niet_gemeld']) {
      assert.equal(await isShown(page, name), false, `${name} shown before the answer`);
    }
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const url = page.url();
    await check(page, 'q_gemeld', 'ja');
    for (const name of FOLLOWUPS_JA) {
      assert.equal(await isShown(page, name), true, `${name} not shown after "ja"`);
    }
    assert.equal(await page.locator('.followup .matrix').isVisible(), true,
      'the matrix stays hidden');
    assert.equal(await isShown(page, 'q_waarom_niet_gemeld'), false);
    assert.deepEqual(requests, [], 'answering made a request');
    assert.equal(page.url(), url, 'answering navigated');
    // Focus stays on the answer; the live region counts what came up.
    assert.equal(await page.evaluate(() => document.activeElement?.name), 'q_gemeld');
    const msgs = messages('nl');
    const note = page.locator('.followup-note');
    assert.equal(await note.getAttribute('aria-live'), 'polite');
    assert.equal(await note.textContent(), msgs['form.followup_many'].replace('{n}', '4'));
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      assert.deepEqual(await axe(page), [], `axe at ${width} px`);
    }
    // The other answer hides them again and shows its own one.
    await check(page, 'q_gemeld', 'nee');
    for (const name of FOLLOWUPS_JA) {
      assert.equal(await isShown(page, name), false, `${name} still shown after "nee"`);
    }
    assert.equal(await isShown(page, 'q_waarom_niet_gemeld'), true);
    assert.equal(await note.textContent(), msgs['form.followup_one']);
    assert.deepEqual(requests, []);
    // Next moves on: the follow-up was seen here, not sent back.
    await check(page, 'q_waarom_niet_gemeld', 'twijfel_ernst');
    await page.click('button[name="nav"][value="next"]');
    assert.equal(await page.locator('input[name="q_gemeld"]').count(), 0,
      'Next showed the page about reporting again');
    assert.equal(await page.locator('input[name="q_leeftijd"]').count() > 0, true);
    assert.equal(await page.getByText(msgs['form.more_questions']).count(), 0);
    // Back: the kept answer shows its follow-up, and no other.
    await page.click('button[name="nav"][value="back"]');
    assert.equal(await isShown(page, 'q_waarom_niet_gemeld'), true);
    assert.equal(await page.locator('input[name="q_waarom_niet_gemeld"][value="twijfel_ernst"]').isChecked(), true);
    assert.equal(await isShown(page, 'q_waar_gemeld'), false);
    assert.deepEqual(ctx.problems, []);
  } finally {
    await ctx.close();
  }
});

test('a follow-up of a follow-up comes up in turn', async () => {
  const ctx = await newWalkContext(browser, { lang: 'en', js: true });
  try {
    const page = await ctx.newPage();
    await page.goto(`${server.base}/s/${server.nextToken()}?lang=en`);
    await page.click('button[name="nav"][value="start"]');
    await check(page, 'q_ongewenst_gedrag', 'geen');
    await check(page, 'q_discriminatie_twijfel', 'nee');
    for (let i = 0; i < 6 && !(await page.locator('input[name="q_geboorteland"]').count()); i++) {
      await page.click('button[name="nav"][value="next"]');
    }
    assert.equal(await isShown(page, 'q_geboorteland_moeder'), false);
    await check(page, 'q_geboorteland', 'nederland');
    assert.equal(await isShown(page, 'q_geboorteland_moeder'), true);
    assert.equal(await isShown(page, 'q_geboorteland_vader'), false);
    await check(page, 'q_geboorteland_moeder', 'nederland');
    assert.equal(await isShown(page, 'q_geboorteland_vader'), true);
    assert.equal(await page.locator('.followup-note').textContent(),
      messages('en')['form.followup_one']);
    await check(page, 'q_geboorteland', 'europa');
    assert.equal(await isShown(page, 'q_geboorteland_moeder'), false);
    assert.equal(await isShown(page, 'q_geboorteland_vader'), false);
    assert.deepEqual(ctx.problems, []);
  } finally {
    await ctx.close();
  }
});

test('without JavaScript Next shows the follow-ups, as before', async () => {
  const ctx = await newWalkContext(browser, { lang: 'nl', js: false });
  try {
    const page = await ctx.newPage();
    await toReportingPage(page);
    for (const name of FOLLOWUPS_JA) {
      assert.equal(await isShown(page, name), false, `${name} shown before the answer`);
    }
    await check(page, 'q_gemeld', 'ja');
    for (const name of FOLLOWUPS_JA) {
      assert.equal(await isShown(page, name), false, `${name} shown without a round trip`);
    }
    await page.click('button[name="nav"][value="next"]');
    const msgs = messages('nl');
    assert.equal(await page.getByText(msgs['form.more_questions']).count(), 1,
      'no note that questions came up');
    for (const name of FOLLOWUPS_JA) {
      assert.equal(await isShown(page, name), true, `${name} not shown after Next`);
    }
    assert.equal(await page.locator('input[name="q_gemeld"][value="ja"]').isChecked(), true);
    assert.equal(await isShown(page, 'q_waarom_niet_gemeld'), false);
    await page.click('button[name="nav"][value="next"]');
    assert.equal(await page.locator('input[name="q_gemeld"]').count(), 0,
      'the second Next did not move on');
    assert.deepEqual(ctx.problems, []);
  } finally {
    await ctx.close();
  }
});
