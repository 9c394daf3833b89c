// The receipt page in a real browser at 375 px (a phone) and 1280 px:
// the code comes first and large, each group of five on one line (every
// group's bounding boxes measured: one box, so never broken), the
// follow-up address on screen and in the print style, the signed
// acknowledgement in a closed <details>, and the safety advice above the
// form and next to print and download; axe-clean at 375 and 1280 px, in
// Dutch and English.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  Checker, launchBrowser, messages,
  newWalkContext, startServer,
  addDeskUser,
} from './lib.mjs';

const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 800 };

let server;
let browser;
let checker;

before(async () => {
  server = await startServer({ def: 'demo.json', count: 1 });
  addDeskUser(server);
  browser = await launchBrowser();
  checker = await new Checker(browser, server.base).open();
});

after(async () => {
  await checker?.close();
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0);
});

async function axeAt(html, viewport, name) {
  const page = await checker.load(html, viewport);
  const v = await checker.axe(page);
  assert.deepEqual(v, [], `${name} at ${viewport.width} px: ${v.join('\n')}`);
}

for (const lang of ['nl', 'en']) {
  test(`receipt page at 375 px, ${lang}`, async () => {
    const msg = messages(lang);
    const ctx = await newWalkContext(browser, { lang, js: false, viewport: PHONE });
    try {
      const page = await ctx.newPage();
      await page.goto(`${server.base}/melden?lang=${lang}`);
      const form = await page.content();
      assert.ok(form.includes(msg['report.safety_heading']));
      assert.ok(form.indexOf(msg['report.safety_heading']) < form.indexOf('<form'));
      await axeAt(form, PHONE, 'form');
      await axeAt(form, DESKTOP, 'form');

      await page.fill('#wat_gebeurd', `Receipt layout ${lang}.`);
      await page.check('#toestemming-ja_lezen_reageren');
      await page.check('#vorm-micro_agressie');
      await page.check('#grond-herkomst');
      await page.check('#cluster-sociaal');
      const [r] = await Promise.all([page.waitForNavigation(), page.click('button.submit')]);
      assert.equal(r.status(), 200);
      const code = (await page.textContent('.report-code code')).trim();
      assert.match(code, /^([0-9A-Z*~$=U]{5}-){4}[0-9A-Z*~$=U]{5}$/);

      // Every group is one box: never broken over two lines.
      const groups = await page.$$eval('.report-code-group', (els) => els.map((e) => ({
        text: e.textContent, boxes: e.getClientRects().length,
        w: e.getBoundingClientRect().width,
      })));
      assert.equal(groups.length, 5);
      assert.deepEqual(groups.map((g) => g.text).join('-'), code);
      for (const g of groups) assert.equal(g.boxes, 1, `group ${g.text} broken`);
      // Large: wider than body text would make it.
      assert.ok(parseFloat(await page.$eval('.report-code', (e) => getComputedStyle(e).fontSize)) >= 24);
      // First: the code comes before any other text of the page's main part.
      const html = await page.content();
      assert.ok(html.indexOf('report-code') < html.indexOf(msg['report.receipt_sent']));
      // The follow-up address on screen and in print.
      assert.ok(await page.isVisible('.report-follow-address'));
      assert.equal((await page.textContent('.report-follow-address')).trim(), '/melden/volg');
      await page.emulateMedia({ media: 'print' });
      assert.ok(await page.isVisible('.report-follow-address'));
      assert.ok(await page.isVisible('.report-code'));
      await page.emulateMedia({ media: 'screen' });
      // The acknowledgement: in a closed <details>, with the advice on traces.
      assert.equal(await page.$eval('details.report-ack', (d) => d.open), false);
      assert.ok(html.includes(msg['report.ack_traces']));
      assert.ok(html.includes(msg['report.receipt_print_traces']));
      await axeAt(html, PHONE, 'receipt');
      await axeAt(html, DESKTOP, 'receipt');
      assert.deepEqual(ctx.problems, []);
    } finally {
      await ctx.close();
    }
  });
}
