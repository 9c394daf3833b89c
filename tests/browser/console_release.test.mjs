// The console's releases in a real browser without JavaScript, by
// keyboard only (Tab, typing, Space, Enter; a file is chosen as a file
// dialog would, with setInputFiles), in Dutch and English: a coordinator
// opens Releases from the navigation, shows a wave's release plan,
// unticks every table (the page names the problem, 422), ticks one and
// downloads the plan; shows the suppression pattern of gehoord release
// --dry-run as a grid; uploads a release with a changed byte (refused,
// the failed check listed), then the release itself (pending), and
// publishes it. Every page is checked with axe-core (WCAG 2.1 A/AA) at
// 375 and at 1280 CSS px wide, for its lang attribute, one h1 and
// horizontal overflow, once: in the walk at 375 px (the walk at 1280 px
// gets the same HTML; walkSnap in console_lib).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';

import { Checker, REPO_ROOT, VIEWPORTS, gehoord, launchBrowser, messages } from './lib.mjs';
import { VIEWPORT, startDesk } from './desk_lib.mjs';
import { walkSnap } from './console_lib.mjs';

const COORD_PW = 'coordinator password for the release browser test';
const FILES = ['MANIFEST', 'MANIFEST.sig', 'release-key.pub', 'tables.csv',
  'tables.json', 'codebook.json', 'codebook.csv', 'audit.json'];

/** Presses Tab until the focused element matches selector. */
async function tabTo(page, selector) {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Tabs to a button or link and presses Enter, waiting for the next page. */
async function press(page, selector) {
  await tabTo(page, selector);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

/** A wave of the demo instrument, its key, a dry run and a release. */
function prepare(db) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-cr-'));
  const pass = path.join(dir, 'pass');
  fs.writeFileSync(pass, 'a passphrase of the release browser test\n', { mode: 0o600 });
  const key = path.join(dir, 'wave.key');
  const pk = gehoord(['keygen', '--out', key, '--passphrase-file', pass]).trim();
  const wave = gehoord(['wave', 'create', '--db', db, '--def',
    path.join(REPO_ROOT, 'survey-defs', 'demo.json'), '--name', 'najaar-browser',
    '--public-key', pk, '--k', '5']).trim();
  const copy = path.join(dir, 'copy.db');
  gehoord(['backup', '--db', db, '--out', copy]);
  fs.copyFileSync(db + '.release.sign', copy + '.release.sign');
  fs.chmodSync(copy + '.release.sign', 0o600);
  const plan = path.join(REPO_ROOT, 'survey-defs', 'plans', 'demo.json');
  const common = ['--db', copy, '--wave', wave, '--key', key, '--passphrase-file', pass,
    '--plan', plan];
  const pattern = path.join(dir, 'pattern.json');
  gehoord(['release', ...common, '--dry-run', '--out', pattern]);
  const out = path.join(dir, 'release');
  gehoord(['release', ...common, '--out', out]);
  return { dir, wave, pattern, out };
}

test('console releases: plan, preview, upload and publish by keyboard, axe-clean, nl and en', async () => {
  const server = await startDesk(['--survey-defs', path.join(REPO_ROOT, 'survey-defs')]);
  const pwFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-co-')), 'pw');
  fs.writeFileSync(pwFile, COORD_PW + '\n', { mode: 0o600 });
  gehoord(['user', 'add', '--db', server.db, '--name', 'cora', '--role', 'coordinator',
    '--password-file', pwFile]);
  fs.rmSync(path.dirname(pwFile), { recursive: true, force: true });
  const prep = prepare(server.db);
  const files = FILES.map((n) => ({ name: n, mimeType: 'application/octet-stream',
    buffer: fs.readFileSync(path.join(prep.out, n)) }));
  const bad = files.map((f) => f.name === 'tables.csv'
    ? { ...f, buffer: Buffer.concat([f.buffer, Buffer.from('x')]) } : f);
  const browser = await launchBrowser();
  const checker = await new Checker(browser, server.base).open();
  const problems = [];
  try {
    for (const lang of ['nl', 'en']) {
      const m = messages(lang);
      for (const vp of [VIEWPORT, VIEWPORTS.desktop]) {
        const ctx = await browser.newContext({
          javaScriptEnabled: false, viewport: vp, acceptDownloads: true,
          locale: lang === 'en' ? 'en-GB' : 'nl-NL',
        });
        const page = await ctx.newPage();
        const tag = `${lang} ${vp.width}px`;
        const snap = walkSnap(checker, problems, page, lang, vp);

        await page.goto(`${server.base}/login?lang=${lang}`);
        await tabTo(page, '#name');
        await page.keyboard.type('cora');
        await tabTo(page, '#password');
        await page.keyboard.type(COORD_PW);
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        await press(page, 'a[href^="/console/release"]');
        assert.ok((await page.content()).includes(m['console.release.title']), tag);
        await snap('releases');

        // The plan: every table unticked is refused, then one ticked.
        await tabTo(page, '#p-wave');
        await page.keyboard.type('najaar-browser');
        await press(page, 'form[action="/console/release/plan"] button');
        assert.ok((await page.content()).includes(m['console.plan.title']), tag);
        await snap('plan');
        const n = await page.$$eval('input[type=checkbox]', (b) => b.length);
        assert.ok(n > 1, tag);
        for (let i = 0; i < n; i++) {
          await tabTo(page, `#t${i}`);
          await page.keyboard.press('Space');
        }
        await press(page, 'form[action="/console/release/plan"] button');
        assert.ok((await page.content()).includes(m['console.plan.none_ticked']), tag);
        await snap('plan refused');
        await tabTo(page, '#t0');
        await page.keyboard.press('Space');
        await tabTo(page, 'form[action="/console/release/plan"] button');
        const [dl] = await Promise.all([page.waitForEvent('download'),
          page.keyboard.press('Enter')]);
        const plan = JSON.parse(fs.readFileSync(await dl.path(), 'utf8'));
        assert.equal(plan.tables.length, 1, tag);

        // The suppression preview, as a grid per table.
        await page.goto(`${server.base}/console/release?lang=${lang}`);
        await page.setInputFiles('#s-file', prep.pattern);
        await press(page, 'form[action="/console/release/preview"] button');
        assert.ok((await page.content()).includes(m['console.preview.intro']), tag);
        await snap('preview');

        // A changed byte is refused; the release itself is pending.
        await page.setInputFiles('#u-files', bad);
        await press(page, 'form[action="/console/release/upload"] button');
        const refused = await page.content();
        assert.ok(refused.includes(m['console.release.not_good']), tag);
        assert.ok(refused.includes('FAILED tables.csv'), tag);
        await snap('upload refused');
        await page.setInputFiles('#u-files', files);
        await press(page, 'form[action="/console/release/upload"] button');
        assert.ok((await page.content()).includes(m['console.release.uploaded']), tag);
        await snap('uploaded');
        await press(page, 'form[action="/console/release/publish"] button');
        assert.ok((await page.content()).includes(m['console.release.done']), tag);
        await snap('published');
        await ctx.close();
      }
    }
  } finally {
    await checker.close();
    await browser.close();
    fs.rmSync(prep.dir, { recursive: true, force: true });
    assert.equal(await server.stop(), 0);
  }
  assert.deepEqual(problems, []);
});
