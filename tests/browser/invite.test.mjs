// A blind invitation in Chromium at 375 px: the invitation page (with
// its script, under the server's CSP and the script's integrity hash)
// makes a survey link, the walk goes through every page of the demo
// survey to the thank-you page; every page passes the page checks and
// axe. The browser refuses a tampered proof and a wrong key (no link is
// shown), a used invitation gets its own page, and without JavaScript
// the page says the step needs it and offers no button.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  Checker, REPO_ROOT, gehoord, launchBrowser, loadDef, messages,
  newWalkContext, startServer,
} from './lib.mjs';
import { model, walk } from './walk.mjs';

const PHONE = { width: 375, height: 740 };
const PATH = {
  soort_werk: 'beleid', mezelf_zijn: '4', veilig_uitspreken: '3',
  gewaardeerd: '5', gelijke_kansen: '2', meegemaakt: ['pesten'],
  toelichting: 'Via een uitnodiging.',
};
const VECTORS = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests',
  'data', 'voprf', 'rfc9497_ristretto255_voprf.json'), 'utf8'));

let server;
let browser;
let checker;
let codes;

before(async () => {
  server = await startServer({ def: 'demo.json', count: 10 });
  browser = await launchBrowser();
  checker = await new Checker(browser, server.base).open();
  const csv = path.join(server.dir, 'invitations.csv');
  gehoord(['invitations', 'issue', '--db', path.join(server.dir, 'gehoord.db'),
    '--wave', 1, '--count', 10, '--unit', 'Afdeling A', '--base-url', server.base,
    '--csv', csv]);
  codes = fs.readFileSync(csv, 'latin1').split('\r\n').filter((l) => l.includes('/i/'))
    .map((l) => l.slice(l.lastIndexOf('/i/') + 3));
  fs.rmSync(csv);
});

after(async () => {
  await checker?.close();
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0, 'gehoord serve exited badly');
});

async function checked(page, name, lang = 'nl') {
  const problems = await checker.check({ html: await page.content(), name }, lang);
  assert.deepEqual(problems, [], `${name}: ${JSON.stringify(problems)}`);
}

async function openInvite(ctx, code) {
  const page = await ctx.newPage();
  const r = await page.goto(`${server.base}/i/${code}`);
  assert.equal(r.status(), 200);
  await page.locator('#invite-start').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#invite-nojs').isVisible(), false);
  return page;
}

test('an invitation makes a survey link, walked to the thank-you page', async () => {
  const ctx = await newWalkContext(browser, { lang: 'nl', js: true, viewport: PHONE });
  try {
    const page = await openInvite(ctx, codes[0]);
    await checked(page, 'invitation');
    await page.click('#invite-start');
    await page.locator('#invite-done').waitFor({ state: 'visible' });
    await checked(page, 'invitation, link made');
    const link = await page.locator('#invite-link').inputValue();
    const href = await page.locator('#invite-now').getAttribute('href');
    assert.match(link, new RegExp(`^${server.base}/s/[0-9A-Z]{58}$`));
    assert.equal(href, link.slice(server.base.length));
    assert.deepEqual(ctx.problems, [], 'console errors, CSP refusals or failed requests');
    const token = href.slice(3);
    const w = await walk({
      browser, server: { base: server.base, nextToken: () => token },
      model: model(loadDef('demo.json')), path: PATH, lang: 'nl', js: true,
      viewport: PHONE, checker, label: 'invitation walk',
    });
    await w.checks;
    assert.deepEqual(w.problems, []);
    assert.equal(w.pages.at(-1).info.heading, messages('nl')['page.thanks.heading']);
    // The invitation is used now: its own page, axe-clean.
    const again = await ctx.newPage();
    const r = await again.goto(`${server.base}/i/${codes[0]}`);
    assert.equal(r.status(), 410);
    assert.equal(await again.locator('h1').textContent(), messages('nl')['invite.used.heading']);
    await checked(again, 'invitation used');
  } finally {
    await ctx.close();
  }
});

test('a tampered proof and a wrong key are refused by the browser', async () => {
  const ctx = await newWalkContext(browser, { lang: 'en', js: true, viewport: PHONE });
  try {
    // The server's answer with one bit of the proof flipped.
    await ctx.route(`${server.base}/i/${codes[1]}`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const res = await route.fetch();
      const ans = await res.json();
      const last = parseInt(ans.proof.slice(-2), 16) ^ 1;
      ans.proof = ans.proof.slice(0, -2) + last.toString(16).padStart(2, '0');
      return route.fulfill({ response: res, json: ans });
    });
    // The page of another key (the RFC's), the server's answer untouched.
    await ctx.route(`${server.base}/i/${codes[2]}?lang=en`, async (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      const res = await route.fetch();
      const html = (await res.text()).replace(/data-pk="[0-9a-f]{64}"/,
        `data-pk="${VECTORS.pkSm}"`);
      return route.fulfill({ response: res, body: html });
    });
    for (const url of [`/i/${codes[1]}?lang=en`, `/i/${codes[2]}?lang=en`]) {
      const page = await ctx.newPage();
      await page.goto(server.base + url);
      await page.locator('#invite-start').waitFor({ state: 'visible' });
      await page.click('#invite-start');
      await page.locator('#invite-err-proof').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#invite-done').isVisible(), false, url);
      assert.equal(await page.locator('#invite-link').inputValue(), '', url);
      await checked(page, `refused proof ${url}`, 'en');
    }
  } finally {
    await ctx.close();
  }
});

test('a used invitation, clicked on a page opened before, says so', async () => {
  const ctx = await newWalkContext(browser, { lang: 'nl', js: true, viewport: PHONE });
  try {
    const first = await openInvite(ctx, codes[3]);
    const second = await openInvite(ctx, codes[3]);
    await first.click('#invite-start');
    await first.locator('#invite-done').waitFor({ state: 'visible' });
    await second.click('#invite-start');
    await second.locator('#invite-err-used').waitFor({ state: 'visible' });
    assert.equal(await second.locator('#invite-done').isVisible(), false);
  } finally {
    await ctx.close();
  }
});

test('a wave closed while the page was open: the browser says so', async () => {
  const ctx = await newWalkContext(browser, { lang: 'nl', js: true, viewport: PHONE });
  try {
    const page = await openInvite(ctx, codes[5]);
    // The server's answer for a closed wave.
    await ctx.route(`${server.base}/i/${codes[5]}`, (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({ status: 410, json: { error: 'closed' } })
        : route.continue());
    await page.click('#invite-start');
    await page.locator('#invite-err-closed').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#invite-err-used').isVisible(), false);
    assert.equal(await page.locator('#invite-done').isVisible(), false);
  } finally {
    await ctx.close();
  }
});

test('without JavaScript the page says the step needs it', async () => {
  const ctx = await newWalkContext(browser, { lang: 'nl', js: false, viewport: PHONE });
  try {
    const page = await ctx.newPage();
    const r = await page.goto(`${server.base}/i/${codes[4]}`);
    assert.equal(r.status(), 200);
    assert.equal(await page.locator('#invite-nojs').isVisible(), true);
    assert.equal(await page.locator('#invite-start').isVisible(), false);
    assert.equal(await page.locator('#invite-done').isVisible(), false);
    assert.equal(await page.locator('button:visible, a.button:visible').count(), 0);
  } finally {
    await ctx.close();
  }
});
