// The chosen files as a list before sending (web/report_files.js), in a
// real browser with the server's CSP and the script's integrity: on the
// report form (nl, 375 px) three files are chosen and listed with name,
// size and type; one is removed by keyboard alone (Tab to its "Verwijder
// NAME" button, Enter), focus moves to the next file's button and the
// polite status says what went; a file over 10 MB and a text file are
// marked at once in the server's own words and left out of the field;
// the sealed report carries exactly the two kept files (the database's
// report_attachments counted, the reporter's conversation lists them). On the follow-up page (en, 1280 px) the same
// list, in English number format, and an added message carries only the
// files kept. Every state passes the checks of lib.mjs (axe WCAG 2.1
// A/AA) at 1280 px and 375 px. Without JavaScript the list stays hidden
// and the hint says to choose again.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';

import { Checker, launchBrowser, messages, newWalkContext } from './lib.mjs';
import { startDesk } from './desk_lib.mjs';

const NARROW = { width: 375, height: 812 };
const WIDE = { width: 1280, height: 800 };
const CODE_RE = /^([0-9A-Z*~$=]{5}-){4}[0-9A-Z*~$=]{5}$/;
const MB = 1024 * 1024;

let server;
let browser;
let checker;

/* A real PNG of w x h grey pixels. */
function png(w, h) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  const raw = Buffer.alloc((w + 1) * h, 0x80);
  for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const pngFile = (name, w, h) => ({ name, mimeType: 'image/png', buffer: png(w, h) });

function attachments() {
  return Number(execFileSync('sqlite3', ['-cmd', '.timeout 10000', server.db,
    'SELECT count(*) FROM report_attachments'], { encoding: 'utf8' }).trim());
}

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

/* The page as it stands, checked by lib.mjs at 1280 px (and its 320 px
 * and zoom layouts) and by axe at 375 px. The list's script is left out
 * of the copy: run again on an empty field it would clear the list. */
async function checkPage(page, name, lang) {
  const html = (await page.content())
    .replace(/<script[^>]*report_files\.js[^>]*><\/script>/, '');
  const problems = (await checker.check({ html, name }, lang))
    .map((p) => `${p.cat}: ${p.msg}`);
  const narrow = await checker.load(html, NARROW);
  problems.push(...(await checker.axe(narrow)).map((m) => `axe 375 px: ${name}: ${m}`));
  assert.deepEqual(problems, [], name);
}

const items = (page, input) => page.$$eval(`.file-list[data-for="${input}"] li.file-item`,
  (lis) => lis.map((li) => ({
    name: li.querySelector('.file-name').textContent,
    meta: li.querySelector('.file-meta').textContent,
    problem: li.querySelector('.file-problem')?.textContent ?? '',
    button: li.querySelector('button').textContent,
  })));
const fieldFiles = (page, input) => page.$eval(`#${input}`, (i) => [...i.files].map((f) => f.name));
const status = (page, input) => page.textContent(`.file-list[data-for="${input}"] .file-list-status`);
const focused = (page) => page.evaluate(() => document.activeElement.textContent || document.activeElement.id);

test('report form: choose three, remove one by keyboard, flag two, send two', async () => {
  const m = messages('nl');
  const ctx = await newWalkContext(browser, { lang: 'nl', js: true, viewport: NARROW });
  try {
    const page = await ctx.newPage();
    let r = await page.goto(`${server.base}/melden?lang=nl`);
    assert.equal(r.status(), 200);
    assert.ok(await page.isVisible('.file-list[data-for="report-files"]'), 'the list shows with JavaScript');
    assert.equal((await page.textContent('#report-files-hint')).trim(), m['report.files.hint_js']);
    assert.match(await status(page, 'report-files'), /: 0 van hoogstens 5, elk hoogstens 10 MB\./);

    await page.fill('#wat_gebeurd', 'Bestandenlijst in de browser, Marker-FL-1.');
    await page.check('#toestemming-ja_lezen_reageren');
    await page.setInputFiles('#report-files', [pngFile('een.png', 64, 48),
      pngFile('twee.png', 32, 32), pngFile('drie.png', 80, 60)]);
    let list = await items(page, 'report-files');
    assert.deepEqual(list.map((f) => f.name), ['een.png', 'twee.png', 'drie.png']);
    assert.match(list[0].meta, /^ \(PNG, \d+ KB\)$/);
    assert.deepEqual(list.map((f) => f.button), ['Verwijder een.png', 'Verwijder twee.png', 'Verwijder drie.png']);
    assert.match(await status(page, 'report-files'), /: 3 van hoogstens 5,/);
    await checkPage(page, 'form with three files', 'nl');

    // Keyboard only: from the field, Tab twice to "Verwijder twee.png".
    await page.focus('#report-files');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'Verwijder een.png');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'Verwijder twee.png');
    await page.keyboard.press('Enter');
    list = await items(page, 'report-files');
    assert.deepEqual(list.map((f) => f.name), ['een.png', 'drie.png']);
    assert.equal(await focused(page), 'Verwijder drie.png', 'focus goes to the next file');
    assert.match(await status(page, 'report-files'), /^Verwijderd: twee\.png\. .*: 2 van hoogstens 5,/);
    assert.deepEqual(await fieldFiles(page, 'report-files'), ['een.png', 'drie.png']);

    // Over 10 MB and not a picture: marked at once, in the server's words,
    // and not in the field.
    await page.setInputFiles('#report-files', [
      { name: 'groot.png', mimeType: 'image/png', buffer: Buffer.alloc(10 * MB + 1, 1) },
      { name: 'notities.txt', mimeType: 'text/plain', buffer: Buffer.from('geen plaatje\n') }]);
    list = await items(page, 'report-files');
    assert.deepEqual(list.map((f) => f.name), ['een.png', 'drie.png', 'groot.png', 'notities.txt']);
    assert.equal(list[2].meta, ' (PNG, 10,1 MB)');
    assert.equal(list[2].problem, `${m['report.files.not_sent']} ${m['report.file.size']}`);
    assert.equal(list[3].problem, `${m['report.files.not_sent']} ${m['report.file.type']}`);
    assert.deepEqual(await fieldFiles(page, 'report-files'), ['een.png', 'drie.png']);
    assert.match(await status(page, 'report-files'), /: 2 van hoogstens 5,.*Gemarkeerd en niet verstuurd: 2\./);
    await checkPage(page, 'form with marked files', 'nl');

    // The last file's removal sends focus to the one before.
    await page.focus('#report-files');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'Verwijder notities.txt');
    await page.keyboard.press('Enter');
    assert.equal(await focused(page), 'Verwijder groot.png');
    await page.keyboard.press('Enter');
    assert.equal(await focused(page), 'Verwijder drie.png');

    // Sent once (sealed by seal.js, which posts the field as it is): the
    // database holds exactly the two kept files for the desk.
    let posts = 0;
    page.on('request', (q) => { if (q.method() === 'POST') posts++; });
    const before = attachments();
    [r] = await Promise.all([page.waitForURL(/\/melden\/ontvangen/),
      page.click('form[action="/melden"] button.submit')]);
    assert.equal(posts, 1);
    assert.equal(attachments() - before, 2, 'the desk holds exactly the two');
    const code = (await page.textContent('.report-code code')).trim();
    assert.match(code, CODE_RE);

    await page.goto(`${server.base}/melden/volg?lang=nl`);
    await page.fill('#receipt', code);
    await Promise.all([page.waitForNavigation(), page.click('button.submit')]);
    const html = await page.content();
    assert.match(html, /<li><span id="file-[0-9a-f]+">een\.png<\/span> \(PNG, \d+ KB\)/);
    assert.match(html, /<li><span id="file-[0-9a-f]+">drie\.png<\/span> \(PNG, \d+ KB\)/);
    assert.doesNotMatch(html, /twee\.png|groot\.png|notities\.txt/);
    assert.deepEqual(ctx.problems, []);
  } finally {
    await ctx.close();
  }
});

test('follow-up page, English, 1280 px: the list, and an added message with the kept file', async () => {
  const m = messages('en');
  const ctx = await newWalkContext(browser, { lang: 'en', js: true, viewport: WIDE });
  try {
    const page = await ctx.newPage();
    await page.goto(`${server.base}/melden?lang=en`);
    await page.fill('#wat_gebeurd', 'Files on the follow-up page, Marker-FL-2.');
    await page.check('#toestemming-ja_lezen_reageren');
    await Promise.all([page.waitForURL(/\/melden\/ontvangen/),
      page.click('form[action="/melden"] button.submit')]);
    const code = (await page.textContent('.report-code code')).trim();
    await page.goto(`${server.base}/melden/volg?lang=en`);
    await page.fill('#receipt', code);
    await Promise.all([page.waitForNavigation(), page.click('button.submit')]);
    assert.ok(await page.isVisible('.file-list[data-for="add-files"]'));
    assert.equal((await page.textContent('#add-files-hint')).trim(), m['report.files.hint_js']);

    await page.setInputFiles('#add-files', [pngFile('one.png', 40, 30),
      { name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(Math.round(1.5 * MB), 0x25) }]);
    let list = await items(page, 'add-files');
    assert.deepEqual(list.map((f) => f.button), ['Remove one.png', 'Remove big.pdf']);
    assert.equal(list[1].meta, ' (PDF, 1.5 MB)');
    assert.match(await status(page, 'add-files'), /^Files to be sent: 2 of at most 5, each at most 10 MB\.$/);
    await checkPage(page, 'follow-up with two files', 'en');

    await page.click('button.file-remove:has-text("big.pdf")');
    assert.equal(await focused(page), 'Remove one.png');
    assert.deepEqual(await fieldFiles(page, 'add-files'), ['one.png']);
    await page.fill('#add-text', 'A second message with one file.');
    const before = attachments();
    await Promise.all([page.waitForNavigation(), page.click('button[value="add"]')]);
    assert.equal(attachments() - before, 1);
    assert.doesNotMatch(await page.content(), /big\.pdf/);
    assert.deepEqual(ctx.problems, []);
  } finally {
    await ctx.close();
  }
});

test('without JavaScript: no list, the hint says to choose again', async () => {
  const m = messages('nl');
  const ctx = await newWalkContext(browser, { lang: 'nl', js: false, viewport: NARROW });
  try {
    const page = await ctx.newPage();
    await page.goto(`${server.base}/melden?lang=nl`);
    assert.equal(await page.isVisible('.file-list'), false);
    assert.equal((await page.textContent('#report-files-hint')).trim(), m['report.files_hint']);
    assert.match(m['report.files_hint'], /kies de bestanden dan opnieuw/);
  } finally {
    await ctx.close();
  }
});
