// The reporting desk's pages in a real browser without JavaScript, at
// 375 CSS px wide, in Dutch and English: the login page (also with its
// error), the inbox, one report (filed through /melden) and the signals. Each page is checked with
// axe-core (WCAG 2.1 A/AA), for its lang attribute, and for horizontal
// overflow at 375 px. The desk's forms are used by clicking, as a desk
// user would: log in, reply, log out.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import {
  BIN, Checker, gehoord, launchBrowser, messages,
} from './lib.mjs';

const PW = 'desk password for the browser test';
const VIEWPORT = { width: 375, height: 800 };

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startDesk() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-desk-'));
  const db = path.join(dir, 'gehoord.db');
  gehoord(['init', '--db', db]);
  const pwFile = path.join(dir, 'pw');
  fs.writeFileSync(pwFile, PW + '\n', { mode: 0o600 });
  gehoord(['user', 'add', '--db', db, '--name', 'anna', '--role', 'desk',
    '--password-file', pwFile]);
  const args = [];
  if (process.getuid && process.getuid() === 0) {
    const nobody = fs.readFileSync('/etc/passwd', 'utf8').split('\n')
      .map((l) => l.split(':')).find((f) => f[0] === 'nobody');
    fs.chownSync(dir, Number(nobody[2]), Number(nobody[3]));
    for (const f of fs.readdirSync(dir)) {
      fs.chownSync(path.join(dir, f), Number(nobody[2]), Number(nobody[3]));
    }
    args.push('--user', 'nobody');
  }
  const port = await freePort();
  const log = fs.openSync(path.join(dir, 'serve.log'), 'a');
  const proc = spawn(BIN, ['serve', '--db', db, '--listen',
    `127.0.0.1:${port}`, ...args], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`${base}/`);
      await r.arrayBuffer();
      if (r.status === 200) break;
    } catch { /* not yet */ }
    await sleep(50);
  }
  return {
    base,
    async stop() {
      const done = new Promise((r) => proc.once('exit', (c, s) => r(c ?? s)));
      proc.kill('SIGTERM');
      const code = await done;
      fs.rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

/** Files a report through the reporter's form (POST /melden). */
async function fileReport(base) {
  const r = await fetch(`${base}/melden`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ lang: 'nl', what: 'Een melding voor de browsertest.\nTweede regel.', unit: 'sociaal' }),
  });
  await r.arrayBuffer();
  assert.equal(r.status, 200, 'POST /melden');
}

async function checkPage(checker, html, name, lang) {
  const page = await checker.load(html, VIEWPORT);
  const problems = await checker.axe(page);
  const got = await page.evaluate(() => document.documentElement.lang);
  if (got !== lang) problems.push(`html lang is ${got}, not ${lang}`);
  const over = await page.evaluate(() =>
    document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (over > 0) {
    const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth)
      .slice(0, 3).map((e) => e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')));
    problems.push(`${over} px of horizontal overflow at 375 px (${wide.join(', ')})`);
  }
  const h1 = await page.evaluate(() => document.querySelectorAll('h1').length);
  if (h1 !== 1) problems.push(`${h1} h1 elements`);
  return problems.map((p) => `${name} (${lang}): ${p}`);
}

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
