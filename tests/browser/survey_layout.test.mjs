// The inclusion survey's pages are short on a wide screen and still
// accessible on a phone: every page of survey-defs/inclusie-2026.json,
// walked in Chromium (no answers needed: no question is required),
// measures under 1,600 CSS px high at 1280 px wide (Likert matrices are
// a grid there, options sit side by side) and passes axe-core at 1280
// and at 375 px (where the matrices stack as cards), with its radio
// groups named.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Checker, launchBrowser, newWalkContext, startServer } from './lib.mjs';

const MAX_HEIGHT = 1600;
const WIDE = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

let server;
let browser;
let checker;

before(async () => {
  server = await startServer({ def: 'inclusie-2026.json', count: 10 });
  browser = await launchBrowser();
  checker = await new Checker(browser, server.base).open();
});

after(async () => {
  await checker?.close();
  await browser?.close();
  const rc = await server?.stop();
  assert.equal(rc, 0, 'gehoord serve exited non-zero');
});

test('inclusie-2026: every page under 1,600 px at 1280 px, axe-clean at 1280 and 375 px', async () => {
  const ctx = await newWalkContext(browser, { lang: 'nl', js: false, viewport: WIDE });
  const heights = [];
  try {
    const page = await ctx.newPage();
    await page.goto(`${server.base}/s/${server.nextToken()}`);
    await page.click('button[name="nav"][value="start"]');
    for (let n = 1; n < 20; n++) {
      const title = (await page.locator('main h2').first().textContent()).trim();
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      heights.push(`${n} ${title}: ${height} px`);
      assert.ok(height < MAX_HEIGHT, `page ${n} (${title}) is ${height} px high at 1280 px`);
      if (n === 1) {
        assert.ok(await page.locator('table.matrix-table th[scope=col]').count() > 0,
          'page 1 shows its matrices as a grid');
      }
      const html = await page.content();
      for (const vp of [WIDE, PHONE]) {
        const p = await checker.load(html, vp);
        const v = await checker.axe(p);
        assert.deepEqual(v, [], `page ${n} at ${vp.width} px: ${v.join("; ")}`);
        if (vp === PHONE) {
          // The cards: no column headers drawn, every option's label is
          // (but for a follow-up not asked yet, hidden until it is).
          const hidden = await p.evaluate(() => [...document.querySelectorAll('.matrix-options label')]
            .filter((l) => !l.closest('.followup[hidden]'))
            .filter((l) => l.getBoundingClientRect().width < 2).length);
          assert.equal(hidden, 0, `page ${n} at 375 px: option labels not drawn`);
          const overflow = await p.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(overflow <= vp.width, `page ${n} is ${overflow} px wide at 375 px`);
        }
      }
      const next = page.locator('button[name="nav"][value="next"]');
      if (!(await next.count())) break;
      await next.click();
    }
    assert.ok(heights.length >= 10, `only ${heights.length} pages walked`);
    console.log(heights.join('\n'));
    assert.deepEqual(ctx.problems, []);
  } finally {
    await ctx.close();
  }
});
