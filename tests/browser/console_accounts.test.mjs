// The console's accounts and settings pages in a real browser without
// JavaScript, by keyboard only (Tab, typing, Enter; no clicks), in Dutch
// and English: a coordinator adds a researcher (a refused name first;
// the initial password is shown once), disables and enables them,
// removes them after the confirmation step, proposes a coordinator
// (the page says another must confirm) and withdraws the proposal, then
// changes the organisation's settings (a refused privacy link first)
// and sees them on /melden. Every page is checked with axe-core (WCAG
// 2.1 A/AA) at 375 and at 1280 CSS px wide, for its lang attribute, one
// h1 and horizontal overflow, once: in the walk at 375 px (the walk at
// 1280 px gets the same HTML; walkSnap in console_lib).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';

import { Checker, VIEWPORTS, gehoord, launchBrowser, messages } from './lib.mjs';
import { VIEWPORT, startDesk } from './desk_lib.mjs';
import { walkSnap } from './console_lib.mjs';

const COORD_PW = 'coordinator password for the accounts test';

/** Presses Tab until the focused element matches selector. */
async function tabTo(page, selector) {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Tabs to a field and types into it (its old value selected first). */
async function typeInto(page, selector, text) {
  await tabTo(page, selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

/** Tabs to a button or link and presses Enter, waiting for the next page. */
async function press(page, selector) {
  await tabTo(page, selector);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

test('console accounts and settings by keyboard, axe-clean at 375 and 1280 px, nl and en', async () => {
  const server = await startDesk([]);
  const pwFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-ca-')), 'pw');
  fs.writeFileSync(pwFile, COORD_PW + '\n', { mode: 0o600 });
  gehoord(['user', 'add', '--db', server.db, '--name', 'cora', '--role', 'coordinator',
    '--password-file', pwFile]);
  fs.rmSync(path.dirname(pwFile), { recursive: true, force: true });
  const browser = await launchBrowser();
  const checker = await new Checker(browser, server.base).open();
  const problems = [];
  try {
    for (const lang of ['nl', 'en']) {
      const m = messages(lang);
      for (const vp of [VIEWPORT, VIEWPORTS.desktop]) {
        const ctx = await browser.newContext({
          javaScriptEnabled: false, viewport: vp,
          locale: lang === 'en' ? 'en-GB' : 'nl-NL',
        });
        const page = await ctx.newPage();
        const tag = `${lang} ${vp.width}px`;
        const has = async (key) => assert.ok((await page.content()).includes(m[key]), `${tag}: ${key}`);
        const snap = walkSnap(checker, problems, page, lang, vp);

        await page.goto(`${server.base}/login?lang=${lang}`);
        await typeInto(page, '#name', 'cora');
        await typeInto(page, '#password', COORD_PW);
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        await press(page, 'a[href^="/console/accounts"]');
        await has('console.accounts.title');
        await snap('accounts');

        // Add a researcher: a name with a space first (422, field named).
        const user = `r-${lang}-${vp.width}`;
        await typeInto(page, '#a-name', 'bad name');
        await tabTo(page, '#a-role');
        await page.keyboard.press('End');	// researcher, the last option
        await press(page, 'form[action="/console/accounts/add"] button');
        await has('console.accounts.bad_name');
        assert.equal(await page.$eval('#a-name', (e) => e.getAttribute('aria-invalid')), 'true');
        await snap('add refused');
        await typeInto(page, '#a-name', user);
        await tabTo(page, '#a-role');
        await page.keyboard.press('End');
        await press(page, 'form[action="/console/accounts/add"] button');
        const pw = await page.$eval('#shown-pw', (e) => e.value);
        assert.ok(pw.length >= 12, tag);
        await snap('added');

        // Disable, enable, and remove (after the confirmation step).
        await press(page, `form[action="/console/accounts/disable"]:has(input[value="${user}"]) button`);
        await has('console.accounts.disabled_done');
        await snap('disabled');
        await press(page, `form[action="/console/accounts/enable"]:has(input[value="${user}"]) button`);
        await has('console.accounts.enabled_done');
        await press(page, `form[action="/console/accounts/remove"]:has(input[value="${user}"]) button`);
        await has('console.accounts.remove_title');
        await snap('remove asks');
        await press(page, 'form[action="/console/accounts/remove"] button');
        await has('console.accounts.removed_done');

        // Propose a coordinator: another must confirm; then withdraw.
        const coord = `c-${lang}-${vp.width}`;
        await typeInto(page, '#p-name', coord);
        await press(page, 'form[action="/console/accounts/propose"] button');
        await has('console.accounts.proposed');
        assert.ok((await page.content()).includes(m['console.accounts.next'].replace('{by}', 'cora')), tag);
        assert.equal(await page.$(`form[action="/console/accounts/confirm"]:has(input[value="${coord}"])`), null, tag);
        await snap('proposed');
        await press(page, `form[action="/console/accounts/withdraw"]:has(input[value="${coord}"]) button`);
        await has('console.accounts.withdrawn');

        // Settings: a privacy link that is not https:// first.
        await press(page, 'a[href^="/console/settings"]');
        await has('console.settings.title');
        await snap('settings');
        const org = `Gemeente ${lang} ${vp.width}`;
        await typeInto(page, '#s-name', org);
        await typeInto(page, '#s-contact', 'mailto:onderzoek@voorbeeld.example');
        await typeInto(page, '#s-privacy', 'http://voorbeeld.example/privacy');
        await press(page, 'form[action="/console/settings"] button');
        await has('console.settings.bad_privacy');
        assert.equal(await page.$eval('#s-privacy', (e) => e.getAttribute('aria-invalid')), 'true');
        await snap('settings refused');
        await typeInto(page, '#s-privacy', 'https://voorbeeld.example/privacy');
        await press(page, 'form[action="/console/settings"] button');
        await has('console.settings.saved');
        await snap('settings saved');
        await page.goto(`${server.base}/melden?lang=${lang}`);
        assert.ok((await page.content()).includes(org), tag);
        await ctx.close();
      }
    }
  } finally {
    await checker.close();
    await browser.close();
    assert.equal(await server.stop(), 0);
  }
  assert.deepEqual(problems, []);
});
