// A whole wave run from the coordinator's console, in one scenario, in a
// real browser without JavaScript, by keyboard only (Tab, typing, End,
// Enter; a file is chosen as a file dialog would, with setInputFiles),
// in Dutch: the coordinator sets the organisation's name and contact
// (and /melden shows them), uploads five units with head counts, creates
// a wave (k = 5) and downloads the letters of each unit (each holds the
// links asked for, all distinct). Respondents spend k links of one unit
// and k - 1 of another through the survey pages over HTTP; serve is
// restarted (a stop writes the links spent per unit, counted in memory)
// and the participation page lists the unit at k, not the one at k - 1.
// The wave's closing is scheduled a few seconds ahead; the waves page
// shows it closed, and an unused link meets the closed page. The
// coordinator downloads the release plan; the key holder's offline steps
// (backup, gehoord release --dry-run, gehoord release) run as commands;
// the pattern is shown, the release uploaded and published, and a
// researcher added on the accounts page sees it on /research. Every page
// is checked with axe-core (WCAG 2.1 A/AA) at 375 and at 1280 CSS px
// wide, for its lang attribute, one h1 and horizontal overflow at 375 px.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';

import { Checker, REPO_ROOT, gehoord, launchBrowser, messages } from './lib.mjs';
import { VIEWPORT, sleep } from './desk_lib.mjs';
import {
  choose, download, keygen, pageProblems, press, serveDb, tabTo, typeInto,
} from './console_lib.mjs';

const LANG = 'nl';
const K = 5;
const COORD_PW = 'coordinator password for the wave browser test';
const BASE = 'https://gehoord.example.org';
const ORG = 'Gemeente Rondedorp';
const CONTACT = 'mailto:enquete@rondedorp.example';
const WAVE = 'najaar-geheel';
// Five units and their head counts; the letters ask for one link each.
const UNITS = [['Directie A/Team 1', 8], ['Directie A/Team 2', 6], ['Directie B', 5],
  ['Directie C/Team 3', 7], ['Directie D', 9]];
const FULL = 0;		// the unit whose k links are spent
const SHORT = 1;	// the unit with k - 1
const FILES = ['MANIFEST', 'MANIFEST.sig', 'release-key.pub', 'tables.csv',
  'tables.json', 'codebook.json', 'codebook.csv', 'audit.json'];
// A complete answer to the demo survey (tests/integration/harness.py).
const ANSWER = [['soort_werk', 'beleid'], ['mezelf_zijn', '4'], ['veilig_uitspreken', '3'],
  ['gewaardeerd', '5'], ['gelijke_kansen', '2'], ['meegemaakt', 'pesten'],
  ['meegemaakt', 'buitensluiten'], ['toelichting', 'Geen verdere opmerkingen.']];
const CLOSE_AHEAD_S = 3;
const CLOSE_WAIT_MS = 20000;

/** A respondent opens the link's survey page and sends a whole answer. */
async function respond(base, token) {
  const r = await fetch(`${base}/s/${token}?lang=${LANG}`);
  const form = await r.text();
  assert.equal(r.status, 200, `GET /s/${token}`);
  assert.ok(form.includes(`action="/s/${token}"`), 'the survey form');
  const body = new URLSearchParams([['lang', LANG], ...ANSWER.map(([q, v]) => [`q_${q}`, v])]);
  const p = await fetch(`${base}/s/${token}`, {
    method: 'POST', body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  const text = await p.text();
  assert.equal(p.status, 200, `POST /s/${token}`);
  assert.ok(text.includes(messages(LANG)['page.thanks.heading']), `thanks for ${token}`);
}

/** Local time in seconds ahead, as the schedule's field takes it. */
function localAhead(s) {
  const d = new Date(Date.now() + s * 1000);
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

test('console: a whole wave by keyboard, from settings to a published release', async () => {
  const m = messages(LANG);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-wave-'));
  const off = fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-wave-off-'));
  const db = path.join(tmp, 'gehoord.db');
  gehoord(['init', '--db', db]);
  const pwFile = path.join(off, 'pw');
  fs.writeFileSync(pwFile, COORD_PW + '\n', { mode: 0o600 });
  gehoord(['user', 'add', '--db', db, '--name', 'cora', '--role', 'coordinator',
    '--password-file', pwFile]);
  const key = keygen(off);
  const serveArgs = ['--survey-defs', path.join(REPO_ROOT, 'survey-defs'), '--base-url', BASE];
  let server = await serveDb(db, serveArgs);
  const browser = await launchBrowser();
  let checker = await new Checker(browser, server.base).open();
  const problems = [];
  // The checks run one after another beside the scenario (the checker
  // has a page of its own); done() waits for them.
  let checks = Promise.resolve();
  const check = (html, name) => {
    const c = checker;
    checks = checks.then(async () => problems.push(...await pageProblems(c, html, name, LANG)));
  };
  const done = async () => { await checks; };
  let ctx = null;
  try {
    let page = null;
    const snap = async (name) => {
      check(await page.content(), name);
    };
    const has = async (text, what) => assert.ok((await page.content()).includes(text), what);
    const login = async (name, pw) => {
      ctx = await browser.newContext({
        javaScriptEnabled: false, viewport: VIEWPORT, acceptDownloads: true, locale: 'nl-NL',
      });
      page = await ctx.newPage();
      await page.goto(`${server.base}/login?lang=${LANG}`);
      await typeInto(page, '#name', name);
      await typeInto(page, '#password', pw);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    };

    await login('cora', COORD_PW);
    assert.equal(new URL(page.url()).pathname, '/console');
    await snap('waves');

    // 1. Settings: the organisation's name and contact, shown on /melden.
    await press(page, 'a[href^="/console/settings"]');
    await snap('settings');
    await typeInto(page, '#s-name', ORG);
    await typeInto(page, '#s-contact', CONTACT);
    await press(page, 'form[action="/console/settings"] button');
    await has(m['console.settings.saved'], 'settings saved');
    await snap('settings saved');
    const melden = await ctx.newPage();
    await melden.goto(`${server.base}/melden?lang=${LANG}`);
    const mhtml = await melden.content();
    assert.ok(mhtml.includes(ORG), '/melden names the organisation');
    assert.ok(mhtml.includes(CONTACT.slice('mailto:'.length)), '/melden gives the contact');
    check(mhtml, 'melden');
    await melden.close();

    // 2. Units: five with head counts.
    await press(page, 'a[href^="/console/units"]');
    await snap('units');
    await typeInto(page, '#u-csv', UNITS.map(([u, n]) => `${u};${n}`).join('\n'));
    await press(page, 'form[action="/console/units"] button');
    await has(m['console.units.done'], 'units saved');
    for (const [u] of UNITS) await has(u, `unit ${u} listed`);
    await snap('units saved');

    // 3. A wave of the demo instrument, k = 5, and each unit's letters.
    await press(page, 'a[href^="/console?"]');
    await typeInto(page, '#c-name', WAVE);
    const demo = await page.$eval('#c-instrument', (s) =>
      [...s.options].find((o) => o.value.startsWith('demo')).textContent);
    await choose(page, '#c-instrument', demo);
    await typeInto(page, '#c-pk', key.pk);
    await typeInto(page, '#c-k', String(K));
    await press(page, 'form[action="/console/wave/create"] button');
    await has(m['console.create.done'], 'wave created');
    await snap('wave created');
    const wave = await page.$eval('select#s-wave', (s, n) =>
      [...s.options].find((o) => o.textContent.startsWith(n + ' (')).value, WAVE);

    await press(page, 'a[href^="/console/letters"]');
    await snap('letters');
    const tokens = [];
    const seen = new Set();
    for (const [unit, head] of UNITS) {
      await choose(page, '#l-wave', `${wave}: ${WAVE}`);
      await choose(page, '#l-unit', unit);
      await typeInto(page, '#l-count', String(head));
      const dl = await download(page, 'form[action="/console/letters/issue"] button');
      const links = [...dl.text.matchAll(/<p class="link">([^<]+)<\/p>/g)].map((x) => x[1]);
      assert.equal(links.length, head, `${unit}: one letter per link asked`);
      for (const l of links) {
        assert.ok(l.startsWith(`${BASE}/s/`), l);
        assert.ok(!seen.has(l), `${l} issued twice`);
        seen.add(l);
      }
      assert.ok(dl.text.includes(ORG), `${unit}: the letters name the organisation`);
      tokens.push(links.map((l) => l.slice(`${BASE}/s/`.length)));
      if (unit === UNITS[0][0]) check(dl.text, 'letters of a unit');
      await page.goto(`${server.base}/console/letters?lang=${LANG}`);
    }

    // 4. k links of one unit spent, k - 1 of another; a restart writes
    // the counts; the participation page lists only the unit at k.
    for (const t of tokens[FULL].slice(0, K)) await respond(server.base, t);
    for (const t of tokens[SHORT].slice(0, K - 1)) await respond(server.base, t);
    await ctx.close();
    ctx = null;
    await done();
    await checker.close();
    assert.equal(await server.stop(), 0);
    server = await serveDb(db, serveArgs);
    checker = await new Checker(browser, server.base).open();
    await login('cora', COORD_PW);
    await press(page, 'a[href^="/console/participation"]');
    const part = await page.content();
    assert.ok(part.includes(`<th scope="row">${UNITS[FULL][0]}</th>`), 'the unit at k is listed');
    assert.ok(part.includes(`<td>${UNITS[FULL][1]}</td><td>${K}</td>`), 'its head count and k spent');
    assert.ok(!part.includes(UNITS[SHORT][0]), 'the unit at k - 1 is not');
    // Held back: every unit below k, those with no link spent as well.
    assert.ok(part.includes(m['console.part.hidden'].replace('{n}', String(UNITS.length - 1))),
      'four units held back');
    await snap('participation');

    // 5. The closing scheduled a few seconds ahead; the waves page shows
    // the wave closed once the scheduler has run.
    await press(page, 'a[href^="/console?"]');
    await choose(page, '#s-wave', WAVE);
    await typeInto(page, '#s-close', localAhead(CLOSE_AHEAD_S));
    await press(page, 'form[action="/console/wave/schedule"] button');
    await has(m['console.schedule.set'], 'schedule saved');
    await snap('scheduled');
    const closed = `form[action="/console/wave/open"]:has(input[name="wave"][value="${wave}"])`;
    const until = Date.now() + CLOSE_WAIT_MS;
    while (!await page.$(closed)) {
      assert.ok(Date.now() < until, 'the scheduled closing happened');
      await sleep(1000);
      await press(page, 'a[href^="/console?"]');
    }
    await has(`<td>${m['console.wave.is_closed']}</td>`, 'the wave shows closed');
    await snap('closed');
    const late = await fetch(`${server.base}/s/${tokens[FULL][K]}?lang=${LANG}`);
    assert.ok((await late.text()).includes(m['page.closed.heading']), 'a link of the closed wave');

    // 6. The release plan, downloaded from the console.
    await press(page, 'a[href^="/console/release"]');
    await snap('releases');
    await choose(page, '#p-wave', WAVE);
    await press(page, 'form[action="/console/release/plan"] button');
    await has(m['console.plan.title'], 'the plan page');
    await snap('plan');
    const plan = await download(page, 'form[action="/console/release/plan"] button');
    const planFile = path.join(off, 'plan.json');
    fs.writeFileSync(planFile, plan.text);
    assert.ok(JSON.parse(plan.text).tables.length > 0, 'the plan has tables');

    // The key holder, offline: a copy of the database, a dry run (the
    // suppression pattern) and the release.
    const copy = path.join(off, 'copy.db');
    gehoord(['backup', '--db', db, '--out', copy]);
    fs.copyFileSync(db + '.release.sign', copy + '.release.sign');
    fs.chmodSync(copy + '.release.sign', 0o600);
    const common = ['--db', copy, '--wave', wave, '--key', key.key,
      '--passphrase-file', key.pass, '--plan', planFile];
    const pattern = path.join(off, 'pattern.json');
    gehoord(['release', ...common, '--dry-run', '--out', pattern]);
    const out = path.join(off, 'release');
    gehoord(['release', ...common, '--out', out]);

    // The pattern shown, the release uploaded and published.
    await page.goto(`${server.base}/console/release?lang=${LANG}`);
    await page.setInputFiles('#s-file', pattern);
    await press(page, 'form[action="/console/release/preview"] button');
    await has(m['console.preview.intro'], 'the pattern shown');
    await snap('preview');
    await page.setInputFiles('#u-files', FILES.map((n) => ({ name: n,
      mimeType: 'application/octet-stream', buffer: fs.readFileSync(path.join(out, n)) })));
    await press(page, 'form[action="/console/release/upload"] button');
    await has(m['console.release.uploaded'], 'release uploaded');
    await snap('uploaded');
    await press(page, 'form[action="/console/release/publish"] button');
    await has(m['console.release.done'], 'release published');
    await snap('published');

    // A researcher, added on the accounts page, sees it on /research.
    await press(page, 'a[href^="/console/accounts"]');
    await snap('accounts');
    await typeInto(page, '#a-name', 'ria');
    await tabTo(page, '#a-role');
    await page.keyboard.press('End');	// researcher, the last option
    await press(page, 'form[action="/console/accounts/add"] button');
    const riaPw = await page.$eval('#shown-pw', (e) => e.value);
    await snap('researcher added');
    await ctx.close();
    ctx = null;
    await login('ria', riaPw);
    await page.goto(`${server.base}/research?lang=${LANG}`);
    await has(m['research.title'], 'the researchers\' page');
    await snap('research');
    await press(page, 'a[href^="/research/r/"]');
    const id = new URL(page.url()).pathname.split('/')[3];
    await has(m['research.release_heading'].replace('{n}', id), 'the release');
    await has(WAVE, 'the release names its wave');
    await snap('research release');
    await done();
  } finally {
    await checks.catch(() => {});	// a failed scenario's checks are moot
    await ctx?.close();
    await checker.close();
    await browser.close();
    const code = await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(off, { recursive: true, force: true });
    assert.equal(code, 0);
  }
  assert.deepEqual(problems, []);
});
