// Reports sealed in the browser (web/seal/seal.js), against the real
// server (this test runs as root, so that it may read the server's memory), a real
// SQLite file and Debian's Chromium:
//   - with JavaScript on, the form is axe-clean, the request that sends
//     the report never carries the marker text, the database files never
//     hold it, the server process's memory (every readable mapping, read
//     through /proc/PID/mem) does not hold it after the send, the receipt
//     page says it was sealed in the browser, and the desk then opens and
//     reads the report normally;
//   - the form's checks run in the browser: an empty text and a missing
//     required choice are refused on the page, with nothing posted;
//   - with JavaScript off the server seals on arrival, the receipt page
//     says so, and the desk reads that report too;
//   - the page refusing a malformed sealed post (422) passes the checks.
// Positive controls keep the scans honest: the database does hold the
// unit sent in the clear, the memory scan does find a text the server
// is known to hold, and the desk page does show the marker.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { BIN, Checker, gehoord, launchBrowser, messages, newWalkContext } from './lib.mjs';
import { checkPage, PW, sleep } from './desk_lib.mjs';

const VIEWPORT = { width: 375, height: 812 };
const MARKER_JS = 'ZegelMerkBrowser7Q9X';
const MARKER_NOJS = 'ZegelMerkServer4K2W';

let server;
let browser;
let checker;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/* gehoord serve for a fresh database with desk user anna; .pid for /proc. */
async function startSealServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-seal-'));
  const db = path.join(dir, 'gehoord.db');
  gehoord(['init', '--db', db]);
  const pwFile = path.join(dir, 'pw');
  fs.writeFileSync(pwFile, PW + '\n', { mode: 0o600 });
  gehoord(['user', 'add', '--db', db, '--name', 'anna', '--role', 'desk',
    '--password-file', pwFile]);
  // Served as nobody, as in production; root may still read its memory.
  const nobody = fs.readFileSync('/etc/passwd', 'utf8').split('\n')
    .map((l) => l.split(':')).find((f) => f[0] === 'nobody');
  fs.chownSync(dir, Number(nobody[2]), Number(nobody[3]));
  for (const f of fs.readdirSync(dir)) {
    fs.chownSync(path.join(dir, f), Number(nobody[2]), Number(nobody[3]));
  }
  const port = await freePort();
  const log = fs.openSync(path.join(dir, 'serve.log'), 'a');
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`,
    '--user', 'nobody'], { stdio: ['ignore', log, log] });
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
    base, db, dir, pid: proc.pid,
    async stop() {
      const done = new Promise((r) => proc.once('exit', (c, s) => r(c ?? s)));
      proc.kill('SIGTERM');
      const code = await done;
      fs.rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

/* Whether any of the database's files (main, WAL, shared memory) holds s. */
function dbHolds(db, s) {
  const needle = Buffer.from(s, 'utf8');
  return ['', '-wal', '-shm', '-journal'].some((ext) =>
    fs.existsSync(db + ext) && fs.readFileSync(db + ext).includes(needle));
}

/*
 * Whether the memory of process pid holds s (UTF-8): every readable
 * mapping of /proc/PID/maps (writable: only the writable ones: heap,
 * stacks, anonymous memory), read through /proc/PID/mem in chunks that
 * overlap by the needle's length.
 */
function memoryHolds(pid, s, { writable = false } = {}) {
  const needle = Buffer.from(s, 'utf8');
  const maps = fs.readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n');
  const fd = fs.openSync(`/proc/${pid}/mem`, 'r');
  const CHUNK = 1 << 20;
  const buf = Buffer.alloc(CHUNK + needle.length);
  let regions = 0;
  try {
    for (const line of maps) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+)/.exec(line);
      if (!m || m[3][0] !== 'r' || (writable && m[3][1] !== 'w') ||
          line.endsWith('[vvar]') ||
          line.endsWith('[vsyscall]')) continue;
      const start = BigInt('0x' + m[1]);
      const end = BigInt('0x' + m[2]);
      // A sanitizer build reserves terabytes of shadow memory: reserved
      // address space, not the process's data (its heap maps far less).
      if (end - start > (64n << 30n)) continue;
      regions++;
      for (let at = start; at < end; at += BigInt(CHUNK)) {
        const want = Number(end - at < BigInt(CHUNK + needle.length) ?
          end - at : BigInt(CHUNK + needle.length));
        let n;
        try {
          n = fs.readSync(fd, buf, 0, want, at);
        } catch {
          break;  /* a guard page or an unreadable mapping */
        }
        if (buf.subarray(0, n).includes(needle)) return true;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  assert.ok(regions > 5, `only ${regions} readable mappings`);
  return false;
}

/* Logs in as the desk and returns the text of the newest report's page. */
async function deskReads(lang) {
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORT });
  try {
    const page = await ctx.newPage();
    await page.goto(`${server.base}/login?lang=${lang}`);
    await page.fill('#name', 'anna');
    await page.fill('#password', PW);
    await page.click('button[type=submit]');
    assert.equal(new URL(page.url()).pathname, '/desk');
    const texts = [];
    for (const href of await page.$$eval('a[href^="/desk/r/"]',
      (as) => [...new Set(as.map((a) => a.getAttribute('href')))])) {
      await page.goto(server.base + href);
      texts.push(await page.content());
    }
    return texts.join('\n');
  } finally {
    await ctx.close();
  }
}

before(async () => {
  assert.equal(process.getuid(), 0, 'this test reads /proc/PID/mem: run it as root');
  server = await startSealServer();
  browser = await launchBrowser();
  checker = await new Checker(browser, server.base).open();
});

after(async () => {
  await checker?.close();
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0);
});

test('JavaScript on: the text is sealed in the browser, never seen by the server', async () => {
  const lang = 'nl';
  const m = messages(lang);
  const ctx = await newWalkContext(browser, { lang, js: true, viewport: VIEWPORT });
  try {
    const page = await ctx.newPage();
    const posts = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') posts.push({ url: r.url(), body: r.postData() || '' });
    });
    let r = await page.goto(`${server.base}/melden?lang=${lang}`);
    assert.equal(r.status(), 200);
    // The script ran (its note replaced the server's) and the page is clean.
    await page.waitForFunction((t) =>
      document.querySelector('.seal-note')?.textContent === t, m['report.seal.will_seal']);
    const problems = await checker.check({ html: await page.content(), name: 'sealing form' }, lang);
    assert.deepEqual(problems.map((p) => `${p.cat}: ${p.msg}`), []);
    assert.match(await page.getAttribute('script[src="/static/seal.js"]', 'integrity'),
      /^sha512-[A-Za-z0-9+/]{86}==$/);

    // The browser's own check: nothing typed, nothing posted.
    await page.click('button.submit');
    await page.waitForSelector('.seal-problems');
    const summary = await page.textContent('.seal-problems');
    assert.ok(summary.includes(m['report.error.what_missing']), summary);
    assert.ok(summary.includes(m['error.missing']), 'the required choice');
    assert.equal(await page.evaluate(() => document.activeElement.className),
      'error-summary seal-problems');
    assert.equal(posts.length, 0, 'an incomplete form is not posted');

    await page.fill('#wat_gebeurd', `Mijn leidinggevende zei iets kwetsends. ${MARKER_JS}\nTweede regel.`);
    await page.check('#cluster-sociaal');
    await page.check('#vorm-pesten');
    await page.check('#toestemming-ja_lezen_reageren');
    [r] = await Promise.all([
      page.waitForNavigation({ url: /\/melden\/ontvangen/, timeout: 60_000 }),
      page.click('button.submit'),
    ]);
    assert.equal(r.status(), 200);
    assert.equal(posts.length, 1, posts.map((p) => p.url).join(' '));
    const body = posts[0].body;
    assert.ok(body.includes('sealed=1'), 'the sealed form was posted');
    assert.ok(body.includes('cluster=sociaal'), 'the unit goes in the clear');
    assert.ok(!body.includes(MARKER_JS), 'the request carries the text');
    assert.ok(!/wat_gebeurd|vorm=/.test(body), 'an answer went in the clear');
    assert.deepEqual(ctx.problems, []);

    // The receipt page says where the text was sealed.
    const receipt = await page.content();
    assert.ok(receipt.includes(m['report.sealed_in_browser']));
    assert.ok(!receipt.includes(m['report.sealed_on_server']));
    assert.ok(!receipt.includes(MARKER_JS));
    const rp = await checker.check({ html: receipt, name: 'receipt, sealed in browser' }, lang);
    assert.deepEqual(rp.map((p) => `${p.cat}: ${p.msg}`), []);
  } finally {
    await ctx.close();
  }

  // Neither the database nor the server's memory holds the text; the
  // controls show that both scans do find what is there.
  assert.ok(dbHolds(server.db, 'sociaal'), 'control: the unit is in the database');
  assert.ok(!dbHolds(server.db, MARKER_JS), 'the database holds the text');
  // The catalogue is parsed onto the heap: found in writable memory
  // alone, not only in the binary's read-only copy.
  assert.ok(memoryHolds(server.pid, m['report.seal.will_seal'], { writable: true }),
    'control: the memory scan finds the messages the server holds on its heap');
  assert.ok(!memoryHolds(server.pid, MARKER_JS), "the server's memory holds the text");

  // The desk opens it with its keys as any report.
  const desk = await deskReads(lang);
  assert.ok(desk.includes(MARKER_JS), 'the desk reads the sealed report');
  assert.ok(desk.includes('Pesten'), 'with the answers as the server composes them');
});

test('JavaScript off: the server seals on arrival and says so', async () => {
  const lang = 'en';
  const m = messages(lang);
  const ctx = await newWalkContext(browser, { lang, js: false, viewport: VIEWPORT });
  try {
    const page = await ctx.newPage();
    await page.goto(`${server.base}/melden?lang=${lang}`);
    assert.equal(await page.textContent('.seal-note'), m['report.seal.on_server']);
    await checkPage(checker, await page.content(), 'form without JavaScript', lang)
      .then((p) => assert.deepEqual(p, []));
    await page.fill('#wat_gebeurd', `Someone made a remark. ${MARKER_NOJS}`);
    await page.check('#toestemming-ja_lezen_reageren');
    const [r] = await Promise.all([page.waitForNavigation(), page.click('button.submit')]);
    assert.equal(r.status(), 200);
    const receipt = await page.content();
    assert.ok(receipt.includes(m['report.sealed_on_server']));
    assert.ok(!receipt.includes(m['report.sealed_in_browser']));
  } finally {
    await ctx.close();
  }
  assert.ok(!dbHolds(server.db, MARKER_NOJS), 'stored sealed only');

  // A malformed sealed post: 422, and its page passes the same checks.
  const bad = await fetch(`${server.base}/melden`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ lang, sealed: '1', receipt: 'zz' }),
  });
  assert.equal(bad.status, 422);
  const badHtml = await bad.text();
  assert.ok(badHtml.includes(m['report.sealed_bad.encoding']));
  const bp = await checker.check({ html: badHtml, name: 'sealed report refused' }, lang);
  assert.deepEqual(bp.map((p) => `${p.cat}: ${p.msg}`), []);
  assert.ok((await deskReads('en')).includes(MARKER_NOJS));
});
