// Shared pieces of the desk's browser tests (desk.test.mjs,
// desk_expired.test.mjs): a served database with one desk user, a report
// filed through the reporter's form, and the checks every desk page gets
// (axe-core, lang, no horizontal overflow at 375 px, one h1).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { BIN, gehoord } from './lib.mjs';

export const PW = 'desk password for the browser test';
export const VIEWPORT = { width: 375, height: 800 };

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

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Serves a fresh database with desk user anna; serveArgs go to serve. */
// The desk's clock in days since 1970 (store_today), as the pages write them.
export const DAY = 86400000;

export function dayText(d) {
  return new Date(d * DAY).toISOString().slice(0, 10);
}

// deadline_add_months: calendar months, clamped to the month's end.
export function addMonths(day, months) {
  const d = new Date(day * DAY);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const y = Math.floor(total / 12);
  const m = total % 12;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last)) / DAY;
}

/**
 * How many days to move a clock started on day start back, so that its
 * deadline months later lies before today. Calendar months differ in
 * length, so moving start back by k days can move the deadline back by
 * less than k: the search, not arithmetic, gives the answer.
 */
export function daysToOverdue(start, months) {
  const today = Math.floor(Date.now() / DAY);
  let k = Math.max(0, addMonths(start, months) - today + 1);
  while (addMonths(start - k, months) >= today) k++;
  return k;
}

export async function startDesk(serveArgs = []) {
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
    `127.0.0.1:${port}`, ...serveArgs, ...args], { stdio: ['ignore', log, log] });
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
    db,
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
export async function fileReport(base) {
  const r = await fetch(`${base}/melden`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ lang: 'nl', wat_gebeurd: 'Een melding voor de browsertest.\nTweede regel.', toestemming: 'ja_lezen_reageren', cluster: 'sociaal' }),
  });
  await r.arrayBuffer();
  assert.equal(r.status, 200, 'POST /melden');
}

export async function checkPage(checker, html, name, lang) {
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
