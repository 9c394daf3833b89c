// The council's yearly report (gehoord report-stats) in a real browser:
// report.html, made from two years of reports filed through the real
// server (tests/integration/test_council.py's fixture), passes the shared
// checks of lib.mjs (axe-core WCAG 2.1 A/AA, lang, focus, 320 px and
// 400 % zoom layout) in Dutch and English, and its tables carry captions
// and headers. The page is the file as written, loaded without a server
// (the Checker serves its HTML on a route of its own).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BIN, Checker, REPO_ROOT, launchBrowser } from './lib.mjs';

let tmp;
let browser;
let checker;

/** Makes the fixture's database and a report in each language. */
function makeReports(dir) {
  const code = [
    'import os, shutil, subprocess, sys',
    `sys.path.insert(0, ${JSON.stringify(path.join(REPO_ROOT, 'tests', 'integration'))})`,
    'import harness, test_council as t',
    'T = t.TestCouncilReport',
    'T.setUpClass()',
    'try:',
    '    for lang in ("nl", "en"):',
    '        harness.run_ok("report-stats", "--db", T.db, "--year", "2025",',
    '                       "--k", "5", "--lang", lang,',
    '                       "--out", os.path.join(sys.argv[1], lang))',
    'finally:',
    '    T.tearDownClass()',
  ].join('\n');
  execFileSync('python3', ['-c', code, dir],
    { encoding: 'utf8', env: { ...process.env, GEHOORD_BIN: BIN } });
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-council-bt-'));
  makeReports(tmp);
  browser = await launchBrowser();
  checker = await new Checker(browser, 'http://council.test').open();
});

after(async () => {
  await checker?.close();
  await browser?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

for (const lang of ['nl', 'en']) {
  test(`report.html passes the page checks (${lang})`, async () => {
    const html = fs.readFileSync(path.join(tmp, lang, 'report.html'), 'utf8');
    const problems = await checker.check({ html, name: `report.html ${lang}` }, lang);
    assert.deepEqual(problems, []);
    const page = await checker.load(html);
    const tables = await page.evaluate(() => [...document.querySelectorAll('table')].map((t) => ({
      caption: t.caption?.textContent.trim() || '',
      cols: t.querySelectorAll('thead th[scope=col]').length,
      rows: t.querySelectorAll('tbody th[scope=row]').length,
      dashes: [...t.querySelectorAll('td[data-suppressed]')].map((td) => td.textContent),
    })));
    assert.ok(tables.length >= 9, `${tables.length} tables`);
    for (const t of tables) {
      assert.ok(t.caption.length > 0, 'a table without a caption');
      assert.ok(t.cols >= 2 && t.rows >= 1, JSON.stringify(t));
      for (const d of t.dashes) assert.doesNotMatch(d, /\d/);
    }
    assert.ok(tables.some((t) => t.dashes.length > 0), 'no suppressed cell in the fixture');
  });
}
