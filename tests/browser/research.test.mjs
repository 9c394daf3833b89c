// The researchers' pages (/research) in a real browser: a researcher logs
// in without JavaScript (the server's CSP enforced), at phone size
// (375 px) and on a desktop, in Dutch and English, and sees the list of
// releases and one release (its table of contents, tables in words,
// charts, suppressed cells, downloads).
// Every page passes the shared checks (lib.mjs Checker: axe-core WCAG 2.1
// A/AA, lang, focus, 320 px and 400 % zoom layout); the tables scroll
// inside their own region, never the page.
//
// The release is hand-made as in tests/integration/test_research.py
// (whose helpers write and store it, signed by signify-openbsd), and
// stored while the server runs (SQLite WAL; the pages read it per
// request).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import {
  Checker, REPO_ROOT, gehoord, launchBrowser, messages, newWalkContext,
  startServer,
} from './lib.mjs';

const PASSWORD = 'researcher password, long enough';
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

let server;
let browser;
let checker;
let releaseId;

/** Stores a hand-made, signed release of wave 1 (Python helpers). */
function storeRelease(dir, db) {
  const code = [
    'import os, sys',
    `sys.path.insert(0, ${JSON.stringify(path.join(REPO_ROOT, 'tests', 'integration'))})`,
    'import test_research as t',
    'files = t.make_release_dir(os.path.join(sys.argv[1], "rel"))',
    'print(t.store_release(sys.argv[2], 1, files))',
  ].join('\n');
  return Number(execFileSync('python3', ['-c', code, dir, db],
    { encoding: 'utf8' }).trim());
}

before(async () => {
  server = await startServer({ def: 'demo.json', count: 10 });
  const db = path.join(server.dir, 'gehoord.db');
  const pw = path.join(server.dir, 'ria.pw');
  fs.writeFileSync(pw, PASSWORD + '\n', { mode: 0o600 });
  gehoord(['user', 'add', '--db', db, '--name', 'ria', '--role', 'researcher',
    '--password-file', pw]);
  releaseId = storeRelease(server.dir, db);
  browser = await launchBrowser();
  checker = await new Checker(browser, server.base).open();
});

after(async () => {
  await checker?.close();
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0, 'serve exits 0 after SIGTERM');
});

/** Logs in as the researcher in a new no-JS context; returns its page. */
async function loggedIn(lang, viewport) {
  const ctx = await newWalkContext(browser, { lang, js: false, viewport });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/research?lang=${lang}`);
  // No session yet: the server sends us to the login page.
  assert.match(new URL(page.url()).pathname, /^\/login$/);
  await page.goto(`${server.base}/login?lang=${lang}`);
  await page.fill('#name', 'ria');
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
  assert.equal(new URL(page.url()).pathname, '/research');
  return { ctx, page };
}

/** The page must not scroll sideways; wide tables scroll in their box. */
async function assertNoPageScroll(page, where) {
  const w = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth, view: innerWidth,
  }));
  assert.ok(w.doc <= w.view, `${where}: the page is ${w.doc} px wide in a ${w.view} px viewport`);
}

async function checkPage(page, lang, name) {
  const problems = await checker.check({ html: await page.content(), name }, lang);
  assert.deepEqual(problems.map((p) => `[${p.cat}] ${p.msg}`), [], `${name}: page checks`);
}

for (const lang of ['nl', 'en']) {
  for (const [vname, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    test(`research pages, ${lang}, ${vname}, without JavaScript`, async () => {
      const m = messages(lang);
      const { ctx, page } = await loggedIn(lang, viewport);
      try {
        // The list.
        await page.goto(`${server.base}/research?lang=${lang}`);
        assert.equal(await page.locator('h1').textContent(), m['research.title']);
        await assertNoPageScroll(page, 'list');
        await checkPage(page, lang, `list ${lang} ${vname}`);

        // One release, reached by its link.
        await Promise.all([page.waitForNavigation(),
          page.click(`a[href="/research/r/${releaseId}?lang=${lang}"]`)]);
        const heading = m['research.release_heading'].replace('{n}', String(releaseId));
        assert.equal(await page.locator('h1').textContent(), heading);
        assert.ok(await page.locator('table caption').count() >= 1, 'tables have captions');
        assert.ok(await page.locator('svg[role="img"] title').count() >= 1, 'a chart with a title');
        const notShown = m['research.not_shown'].replace('{n}', '10');
        assert.ok((await page.content()).includes(notShown), `"${notShown}" on the page`);
        for (const secret of ['4242', '4343', '5151']) {
          assert.ok(!(await page.content()).includes(secret), `${secret} must not be on the page`);
        }
        await assertNoPageScroll(page, 'release');
        await checkPage(page, lang, `release ${lang} ${vname}`);

        // A scale's mean: a dot on the scale's own axis, 1 to 5, its
        // ends said under it; a percentage on 0 to 100 %.
        const scale = page.locator('section[aria-labelledby="t-schaal_inclusie"]');
        assert.deepEqual(await scale.locator('svg text[text-anchor="middle"]').allTextContents(),
          ['1', '2', '3', '4', '5']);
        assert.equal(await scale.locator('svg circle').count(), 1);
        assert.match(await scale.locator('figcaption').textContent(),
          lang === 'nl' ? /^Schaal van 1 \(Helemaal mee oneens\) tot 5/ : /^Scale from 1 \(Strongly disagree\) to 5/);
        const pct = page.locator('section[aria-labelledby="t-zag_iets_totaal"]');
        assert.deepEqual(await pct.locator('svg text[text-anchor="middle"]').allTextContents(),
          ['0%', '25%', '50%', '75%', '100%']);

        // The table of contents names every table by its heading, and
        // its links lead to them; the link past it leads to the tables.
        const toc = page.locator('nav.r-toc');
        assert.equal(await toc.locator('h2').textContent(), m['research.toc']);
        const headings = await page.locator('section.r-table h3').allTextContents();
        const links = await toc.locator('a[href^="#t-"]').allTextContents();
        assert.deepEqual(links, headings, 'the contents list every table by its heading');
        const last = toc.locator('a[href^="#t-"]').last();
        const target = (await last.getAttribute('href')).slice(1);
        await last.click();
        assert.equal(new URL(page.url()).hash, `#${target}`);
        assert.ok(await page.locator(`[id="${target}"]`).isVisible());
        const box = await page.locator(`[id="${target}"]`).boundingBox();
        assert.ok(box.y >= 0 && box.y < viewport.height,
          `the table ${target} is scrolled into view (y = ${box.y})`);
        await page.locator('p.r-skip a').click();
        assert.equal(new URL(page.url()).hash, '#tables');

        // A download is the stored file, as an attachment named after
        // the wave and the release, as its link says.
        const link = page.locator(`a[href="/research/r/${releaseId}/tables.csv"]`);
        const name = `browser-demo-release-${releaseId}-tables.csv`;
        assert.equal(await link.textContent(), name);
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          link.click(),
        ]);
        assert.equal(download.suggestedFilename(), name);
        const saved = await download.path();
        assert.equal(fs.readFileSync(saved, 'utf8').split('\r\n')[0],
          'table,variable,category,by1,by1_value,by2,by2_value,count,group_n,' +
          'percent,ci_low,ci_high,flag');
        assert.deepEqual(ctx.problems, [], 'no console errors, CSP refusals or failed requests');
      } finally {
        await ctx.close();
      }
    });
  }
}

test('a desk user is refused /research', async () => {
  const db = path.join(server.dir, 'gehoord.db');
  const pw = path.join(server.dir, 'dirk.pw');
  fs.writeFileSync(pw, 'desk password, long enough\n', { mode: 0o600 });
  gehoord(['user', 'add', '--db', db, '--name', 'dirk', '--role', 'desk',
    '--password-file', pw]);
  const ctx = await newWalkContext(browser, { lang: 'en', js: false });
  try {
    const page = await ctx.newPage();
    await page.goto(`${server.base}/login?lang=en`);
    await page.fill('#name', 'dirk');
    await page.fill('#password', 'desk password, long enough');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
    const r = await page.goto(`${server.base}/research?lang=en`);
    assert.equal(r.status(), 403);
    assert.equal(await page.locator('h1').textContent(), messages('en')['research.forbidden.heading']);
    await checkPage(page, 'en', 'forbidden en');
  } finally {
    await ctx.close();
  }
});
