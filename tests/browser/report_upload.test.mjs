// Attaching files to a new report in a real browser, JavaScript off, at
// 375 px: the form's file field is labelled and passes the checks of
// lib.mjs (axe WCAG 2.1 A/AA, zoom, focus); a file that is not a picture
// or PDF shows the form again (422) with the typed text kept and the
// file named; a PNG goes with the report (the receipt), cleaned by the
// server's confined worker. With JavaScript on, the browser seals the
// text and the files go along with the sealed form, cleaned and sealed by
// the server; the reporter's conversation then lists the file.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Checker, launchBrowser, messages, newWalkContext, startServer, addDeskUser } from './lib.mjs';
import zlib from 'node:zlib';

const VIEWPORT = { width: 375, height: 812 };
const TEXT = 'Een collega maakte een grap over mijn afkomst. Bijlage-BT-1.';

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
  ihdr[8] = 8; ihdr[9] = 0; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  const raw = Buffer.alloc((w + 1) * h, 0x80);
  for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

before(async () => {
  server = await startServer({ def: 'demo.json', count: 10 });
  addDeskUser(server);
  browser = await launchBrowser();
  checker = await new Checker(browser, server.base).open();
});

after(async () => {
  await checker?.close();
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0);
});

async function checkPage(page, name, opts = {}) {
  const problems = await checker.check({ html: await page.content(), name }, 'nl', opts);
  assert.deepEqual(problems.map((p) => `${p.cat}: ${p.msg}`), [], name);
}

test('a report with a file, no JavaScript, 375 px', async () => {
  const ctx = await newWalkContext(browser, { lang: 'nl', js: false, viewport: VIEWPORT });
  try {
    const page = await ctx.newPage();
    let r = await page.goto(`${server.base}/melden?lang=nl`);
    assert.equal(r.status(), 200);
    assert.equal(await page.getAttribute('#report-files', 'type'), 'file');
    assert.ok(await page.isVisible('label[for="report-files"]'));
    await checkPage(page, 'form with a file field');

    await page.fill('#wat_gebeurd', TEXT);
    await page.check('#toestemming-ja_lezen_reageren');
    await page.setInputFiles('#report-files', [{ name: 'notities.txt',
      mimeType: 'text/plain', buffer: Buffer.from('geen plaatje\n') }]);
    [r] = await Promise.all([page.waitForNavigation(), page.click('button.submit')]);
    assert.equal(r.status(), 422);
    assert.equal(await page.inputValue('#wat_gebeurd'), TEXT);
    assert.match(await page.textContent('p.notice'), /notities\.txt.*dit soort bestand/);
    await checkPage(page, 'form with a refused file');

    await page.setInputFiles('#report-files', [{ name: 'scherm.png',
      mimeType: 'image/png', buffer: png(64, 48) }]);
    [r] = await Promise.all([page.waitForNavigation(), page.click('button.submit')]);
    assert.equal(r.status(), 200);
    assert.match((await page.textContent('.report-code code')).trim(),
      /^([0-9A-Z*~$=]{5}-){4}[0-9A-Z*~$=]{5}$/);
  } finally {
    await ctx.close();
  }
});

test('a report sealed in the browser with a file, JavaScript on', async () => {
  const m = messages('nl');
  const ctx = await newWalkContext(browser, { lang: 'nl', js: true, viewport: VIEWPORT });
  try {
    const page = await ctx.newPage();
    let r = await page.goto(`${server.base}/melden?lang=nl`);
    assert.equal(r.status(), 200);
    assert.ok(await page.$('form[data-seal]'), 'the form seals in the browser');
    await page.fill('#wat_gebeurd', TEXT);
    await page.check('#toestemming-ja_lezen_reageren');
    await page.setInputFiles('#report-files', [{ name: 'scherm.png',
      mimeType: 'image/png', buffer: png(80, 60) }]);
    [r] = await Promise.all([page.waitForNavigation({ url: /ontvangen|melden/ }),
      page.click('button.submit')]);
    assert.equal(r.status(), 200);
    assert.ok((await page.content()).includes(m['report.sealed_in_browser']));
    const code = (await page.textContent('.report-code code')).trim();

    r = await page.goto(`${server.base}/melden/volg?lang=nl`);
    await page.fill('#receipt', code);
    [r] = await Promise.all([page.waitForNavigation(), page.click('button.submit')]);
    assert.equal(r.status(), 200);
    assert.match(await page.content(), /<li><span id="file-[0-9a-f]{32}">scherm\.png<\/span> \(PNG, \d+ KB\)\n<form /);
    await checkPage(page, 'conversation with a file');
    // A refused file of a follow-up: 422, the text kept, the file named
    // in a summary linked to the field. A damaged picture: the page's
    // list flags another type or size at once, only the server's cleaner
    // finds that it does not decode.
    await page.fill('#add-text', 'Nog iets.');
    await page.setInputFiles('#add-files', [{ name: 'kapot.png',
      mimeType: 'image/png', buffer: png(80, 60).subarray(0, 60) }]);
    [r] = await Promise.all([page.waitForNavigation(),
      page.click('button[name="action"][value="add"]')]);
    assert.equal(r.status(), 422);
    assert.equal(await page.inputValue('#add-text'), 'Nog iets.');
    assert.ok((await page.content()).includes('<a href="#add-files">'));
    assert.ok((await page.content()).includes('kapot.png'));
    await checkPage(page, 'conversation with a refused file');
  } finally {
    await ctx.close();
  }
});
