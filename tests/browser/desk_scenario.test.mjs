// The desk's whole procedure in one run, in Chromium without JavaScript,
// in Dutch, at 375 px, as a reporter, a desk user and a reviewer work
// through it, each in a browser context of their own: the reporter files
// a report through the form page; the desk logs in, finds the case by its
// reference, assigns it to herself and writes an internal note; days pass
// and the acknowledgement is overdue (marked, and the case first in the
// inbox); a reply acknowledges; the desk proposes a step, and the
// reporter (logged in with the receipt) consents; the reporter asks for a
// second opinion, the desk sends the case to a reviewer, who gives an
// opinion that the desk then reads; the feedback goes overdue; the desk
// closes with an outcome and two measures, and the reporter reads the
// outcome; then aftercare after 1 and 3 months, each overdue first.
//
// The clock is moved as tests/integration/test_desk_clock.py moves it: the
// report's stored days (and its messages' days) are backdated in the
// SQLite file between steps with the sqlite3 tool; the server has no way
// to be told another date. What each step of the clock says is checked
// after every act, and every distinct page passes axe at 375 px.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Checker, gehoord, launchBrowser, messages } from './lib.mjs';
import {
  DAY, PW, VIEWPORT, addMonths, checkPage, dayText, daysToOverdue, fileReport,
  startDesk,
} from './desk_lib.mjs';

const REVIEW_PW = 'reviewer password for the scenario test';
const DAY_COLS = ['received_day', 'status_day', 'ack_day', 'feedback_day',
  'closed_day', 'aftercare1_day', 'aftercare3_day', 'second_opinion_day'];
const CODE_RE = /^([0-9A-Z*~$=]{5}-){4}[0-9A-Z*~$=]{5}$/;

function sqlite(db, q) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db, q],
    { encoding: 'utf8' }).trim();
}

/** Moves report id's stored days back by days: as if days passed. */
function backdate(db, id, days) {
  assert.match(id, /^[0-9a-f]{32}$/);
  const set = DAY_COLS.map((c) => `${c} = ${c} - ${days}`).join(', ');
  sqlite(db, `BEGIN; UPDATE reports SET ${set} WHERE id = X'${id}'; ` +
    `UPDATE messages SET day = day - ${days} WHERE report_id = X'${id}'; COMMIT;`);
}

function reportDay(db, id, col) {
  assert.ok(DAY_COLS.includes(col));
  const v = sqlite(db, `SELECT ${col} FROM reports WHERE id = X'${id}'`);
  return v === '' ? null : Number(v);
}

async function login(page, base, name, pw) {
  await page.goto(`${base}/login?lang=nl`);
  await page.fill('#name', name);
  await page.fill('#password', pw);
  await page.click('button[type=submit]');
}

test('the desk scenario: report, casework, consent, second opinion, close, aftercare', async () => {
  const server = await startDesk();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gehoord-bt-scn-'));
  const pwFile = path.join(tmp, 'pw');
  fs.writeFileSync(pwFile, REVIEW_PW + '\n', { mode: 0o600 });
  gehoord(['user', 'add', '--db', server.db, '--name', 'vera', '--role', 'reviewer',
    '--password-file', pwFile]);
  fs.rmSync(tmp, { recursive: true, force: true });
  const browser = await launchBrowser();
  const checker = await new Checker(browser, server.base).open();
  const m = messages('nl');
  const problems = [];
  const dialogs = [];
  const opts = { javaScriptEnabled: false, viewport: VIEWPORT, locale: 'nl-NL' };
  const contexts = [];
  const newPage = async () => {
    const ctx = await browser.newContext(opts);
    contexts.push(ctx);
    const p = await ctx.newPage();
    p.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
    return p;
  };
  const snap = async (p, name) => problems.push(
    ...await checkPage(checker, await p.content(), name, 'nl'));
  const today = () => Math.floor(Date.now() / DAY);
  const due = (d) => m['desk.clock.due'].replace('{d}', dayText(d));
  const overdue = (d) => m['desk.clock.overdue'].replace('{d}', dayText(d));
  const done = m['desk.clock.done'];
  const label = (k) => m[`desk.clock.${k}`];
  // The clock in an element: {label: [state, value]}.
  const clockOf = async (loc) => Object.fromEntries(await loc.locator('li.desk-step')
    .evaluateAll((els) => els.map((e) => [
      e.textContent.split(':')[0].trim(),
      [e.className.replace('desk-step desk-', ''),
        e.querySelector('strong').textContent.trim()]])));
  try {
    // The reporter files the report through the form page.
    const rep = await newPage();
    let r = await rep.goto(`${server.base}/melden?lang=nl`);
    assert.equal(r.status(), 200);
    await snap(rep, 'report form');
    await rep.fill('#wat_gebeurd', 'Op het werk werd ik buitengesloten. Scenario-1.');
    await rep.check('#betrokkenheid-ander');
    await rep.check('#wanneer-afgelopen_week');
    await rep.check('#nog_gaande-ja');
    await rep.check('#vorm-pesten');
    await rep.check('#door_wie-leidinggevende');
    await rep.check('#cluster-_prefer_not');
    await rep.check('#toestemming-ja_lezen_reageren');
    await Promise.all([rep.waitForURL(/\/melden\/ontvangen\?k=/),
      rep.click('form[action="/melden"] button.submit')]);
    const code = (await rep.textContent('.report-code code')).trim();
    assert.match(code, CODE_RE);
    await snap(rep, 'receipt');
    const received = today();
    /** The reporter logs in with the receipt: the conversation page. */
    const reporterLogin = async () => {
      await rep.goto(`${server.base}/melden/volg?lang=nl`);
      await rep.fill('#receipt', code);
      const [nav] = await Promise.all([rep.waitForNavigation(),
        rep.click('button.submit')]);
      assert.equal(nav.status(), 200);
      assert.match(rep.url(), /\/melden\/volg\?v=/);
    };

    // The desk logs in and finds the case by its reference.
    const desk = await newPage();
    await login(desk, server.base, 'anna', PW);
    assert.equal(new URL(desk.url()).pathname, '/desk');
    await snap(desk, 'inbox');
    const item = desk.locator('li.desk-item').first();
    const heading = (await item.locator('h2 a').textContent()).trim();
    const ref = heading.match(/^Zaak ([0-9A-F]{4}-[0-9A-F]{4})$/);
    assert.ok(ref, `the inbox heading "${heading}" is a reference`);
    assert.ok((await item.textContent()).includes(m['desk.case.new']));
    await desk.fill('#find-ref', ref[1]);
    await desk.click('form[action="/desk/find"] button[type=submit]');
    const caseUrl = desk.url();
    const id = new URL(caseUrl).pathname.match(/^\/desk\/r\/([0-9a-f]{32})$/)?.[1];
    assert.ok(id, `the case page ${caseUrl}`);
    assert.equal(reportDay(server.db, id, 'received_day'), received);
    const clock = () => clockOf(desk.locator('main'));
    let c = await clock();
    assert.deepEqual(c[label('ack')], ['due', due(received + 7)]);
    assert.deepEqual(c[label('feedback')], ['due', due(addMonths(received, 3))]);
    assert.equal(c[label('aftercare1')], undefined);
    await snap(desk, 'case page, new');

    // Assigned to herself; an internal note, which the reporter never reads.
    await desk.selectOption('#assign-to', { label: 'anna' });
    await desk.click('form[action$="/assign"] button[type=submit]');
    assert.equal(await desk.$eval('#assign-to', (s) => s.options[s.selectedIndex].text), 'anna');
    await desk.fill('#note-text', 'Interne notitie: Scenario-notitie.');
    await desk.click('form[action$="/note"] button[type=submit]');
    assert.ok((await desk.content()).includes('Scenario-notitie'));
    c = await clock();
    assert.deepEqual(c[label('ack')], ['due', due(received + 7)]);

    // Eight days pass without an answer: the acknowledgement is overdue,
    // marked so on the case page and in the inbox, where the case comes
    // first although a newer report came in meanwhile.
    backdate(server.db, id, 8);
    const rec = received - 8;
    assert.equal(reportDay(server.db, id, 'received_day'), rec);
    await fileReport(server.base);
    await desk.goto(caseUrl);
    c = await clock();
    assert.deepEqual(c[label('ack')], ['overdue', overdue(rec + 7)]);
    assert.deepEqual(c[label('feedback')], ['due', due(addMonths(rec, 3))]);
    await desk.goto(`${server.base}/desk?lang=nl`);
    assert.equal(await desk.locator('li.desk-item').count(), 2);
    const first = desk.locator('li.desk-item').first();
    assert.equal((await first.locator('h2 a').textContent()).trim(), heading);
    assert.deepEqual((await clockOf(first))[label('ack')], ['overdue', overdue(rec + 7)]);
    const second = desk.locator('li.desk-item').nth(1);
    assert.deepEqual((await clockOf(second))[label('ack')], ['due', due(today() + 7)]);
    await snap(desk, 'inbox with an overdue case');
    await desk.goto(`${server.base}/desk?lang=nl&due=overdue`);
    assert.deepEqual(await desk.locator('li.desk-item h2 a').allTextContents(), [heading]);

    // A reply acknowledges; the feedback still runs.
    await desk.goto(caseUrl);
    await desk.fill('#text', 'Dank voor je melding, Scenario-2.');
    await desk.click('form[action$="/reply"] button[type=submit]');
    c = await clock();
    assert.deepEqual(c[label('ack')], ['done', done]);
    assert.deepEqual(c[label('feedback')], ['due', due(addMonths(rec, 3))]);
    assert.equal(reportDay(server.db, id, 'ack_day'), today());

    // The desk proposes a step that needs the reporter's consent.
    await desk.check('#kind-consent');
    await desk.fill('#text', 'Mogen we de leidinggevende aanspreken? Scenario-3.');
    await desk.click('form[action$="/reply"] button[type=submit]');
    let body = await desk.textContent('main');
    assert.ok(body.includes('Scenario-3'));
    assert.ok(body.includes(m['desk.kind.consent_ask']));
    await snap(desk, 'case page with a proposal');

    // The reporter logs in with the receipt, reads the reply and the
    // proposal (not the note), and consents.
    await reporterLogin();
    body = await rep.textContent('main');
    assert.ok(body.includes('Scenario-2'));
    assert.ok(body.includes('Scenario-3'));
    assert.ok(!body.includes('Scenario-notitie'), 'the reporter reads the internal note');
    assert.ok(body.includes(m['report.kind.2']));
    await snap(rep, 'conversation with a proposal');
    const consent = rep.locator('form:has(button[value="consent_yes"])');
    assert.equal(await consent.count(), 1);
    await consent.locator('textarea').fill('Ja, dat mag. Scenario-4.');
    await Promise.all([rep.waitForNavigation(),
      consent.locator('button[value="consent_yes"]').click()]);
    assert.match(rep.url(), /\/melden\/volg\?v=/);
    body = await rep.textContent('main');
    assert.ok(body.includes(m['report.notice.consent']));
    assert.ok(body.includes(m['report.kind.3']));
    assert.equal(await rep.locator('button[value="consent_yes"]').count(), 0,
      'the proposal is answered');
    await snap(rep, 'conversation after consent');

    // The desk reads the consent.
    await desk.goto(caseUrl);
    body = await desk.textContent('main');
    assert.ok(body.includes(m['desk.kind.consent_yes']));
    assert.ok(body.includes('Scenario-4'));

    // The reporter asks for a second opinion.
    await rep.fill('#second-text', 'Ik wil graag dat iemand anders meekijkt. Scenario-5.');
    await Promise.all([rep.waitForNavigation(), rep.click('button[value="second"]')]);
    body = await rep.textContent('main');
    assert.ok(body.includes(m['report.notice.second']));
    assert.ok(body.includes(m['report.status.5']));

    // The desk sees the request and sends the case to the reviewer.
    await desk.goto(caseUrl);
    body = await desk.textContent('main');
    assert.ok(body.includes(m['desk.kind.second_opinion']));
    assert.ok(body.includes('Scenario-5'));
    c = await clock();
    assert.deepEqual(c[label('ack')], ['done', done]);
    assert.deepEqual(c[label('feedback')], ['due', due(addMonths(rec, 3))]);
    await desk.click(`a[href="/desk/r/${id}/review?lang=nl"]`);
    assert.ok((await desk.content()).includes(m['review.send.intro']));
    await snap(desk, 'send to a reviewer');
    await desk.click('form[action$="/review"] button[type=submit]');
    assert.ok((await desk.content()).includes(m['review.send.done']));
    await snap(desk, 'sent to a reviewer');

    // The reviewer logs in, opens the case from their list and gives an
    // opinion.
    const rev = await newPage();
    await login(rev, server.base, 'vera', REVIEW_PW);
    assert.equal(new URL(rev.url()).pathname, '/desk/review');
    await snap(rev, 'reviewer list');
    await rev.click(`a[href="/desk/review/${id}?lang=nl"]`);
    body = await rev.textContent('main');
    assert.ok(body.includes('Scenario-1'));
    assert.ok(!body.includes('Scenario-notitie'), 'the reviewer reads the internal note');
    await snap(rev, 'reviewer case');
    await rev.fill('#opinion-text', 'De melding is zorgvuldig behandeld. Scenario-6.');
    await rev.click('form[action$="/opinion"] button[type=submit]');
    assert.ok((await rev.content()).includes(m['review.opinion.sent']));
    await snap(rev, 'reviewer case after the opinion');

    // The desk reads the opinion.
    await desk.goto(caseUrl);
    body = await desk.textContent('main');
    assert.ok(body.includes(m['desk.kind.opinion']));
    assert.ok(body.includes('Scenario-6'));
    await snap(desk, 'case page with an opinion');

    // Three months after the report the feedback is overdue, and the
    // case is first in the inbox again.
    const toFeedback = daysToOverdue(rec, 3);
    backdate(server.db, id, toFeedback);
    const rec2 = rec - toFeedback;
    await desk.goto(caseUrl);
    c = await clock();
    assert.deepEqual(c[label('ack')], ['done', done]);
    assert.deepEqual(c[label('feedback')], ['overdue', overdue(addMonths(rec2, 3))]);
    await desk.goto(`${server.base}/desk?lang=nl`);
    assert.equal((await desk.locator('li.desk-item h2 a').first().textContent()).trim(), heading);

    // Closing with an outcome and two measures: the feedback is done,
    // aftercare runs from today.
    await desk.goto(caseUrl);
    await desk.selectOption('#new-status', 'closed');
    await desk.selectOption('#result', 'founded');
    await desk.check('#measure-mediation');
    await desk.check('#measure-confidential_adviser');
    await desk.fill('#outcome', 'We hebben met beide partijen gesproken. Scenario-7.');
    await desk.click('form[action$="/status"] button[type=submit]');
    body = await desk.content();
    assert.ok(body.includes(m['desk.status.closed']));
    assert.ok(body.includes(m['desk.outcome.founded']));
    assert.ok(body.includes(m['desk.measure.mediation']));
    assert.ok(body.includes(m['desk.measure.confidential_adviser']));
    let closed = today();
    assert.equal(reportDay(server.db, id, 'closed_day'), closed);
    c = await clock();
    assert.deepEqual(c[label('feedback')], ['done', done]);
    assert.deepEqual(c[label('aftercare1')], ['due', due(addMonths(closed, 1))]);
    assert.deepEqual(c[label('aftercare3')], ['due', due(addMonths(closed, 3))]);
    await snap(desk, 'closed case');

    // The reporter reads the outcome.
    await reporterLogin();
    body = await rep.textContent('main');
    assert.ok(body.includes('Scenario-7'));
    assert.ok(body.includes(m['report.closed_note']));
    await snap(rep, 'conversation of a closed case');

    // A month and a bit later: aftercare 1 is overdue (first in the
    // inbox) and recorded without a confirmation; aftercare 3 still runs.
    const toAfter1 = daysToOverdue(closed, 1);
    backdate(server.db, id, toAfter1);
    closed -= toAfter1;
    await desk.goto(`${server.base}/desk?lang=nl`);
    const top = desk.locator('li.desk-item').first();
    assert.equal((await top.locator('h2 a').textContent()).trim(), heading);
    assert.deepEqual((await clockOf(top))[label('aftercare1')],
      ['overdue', overdue(addMonths(closed, 1))]);
    await desk.goto(caseUrl);
    c = await clock();
    assert.deepEqual(c[label('aftercare1')], ['overdue', overdue(addMonths(closed, 1))]);
    assert.deepEqual(c[label('aftercare3')], ['due', due(addMonths(closed, 3))]);
    await desk.click('form[action$="/aftercare"] button[value="1"]');
    c = await clock();
    assert.deepEqual(c[label('aftercare1')], ['done', done]);
    assert.deepEqual(c[label('aftercare3')], ['due', due(addMonths(closed, 3))]);
    assert.equal(reportDay(server.db, id, 'aftercare1_day'), today());

    // Three months after closing: aftercare 3 is overdue, then done.
    const toAfter3 = daysToOverdue(closed, 3);
    backdate(server.db, id, toAfter3);
    closed -= toAfter3;
    await desk.goto(caseUrl);
    c = await clock();
    assert.deepEqual(c[label('aftercare1')], ['done', done]);
    assert.deepEqual(c[label('aftercare3')], ['overdue', overdue(addMonths(closed, 3))]);
    await desk.click('form[action$="/aftercare"] button[value="3"]');
    c = await clock();
    assert.deepEqual(c[label('ack')], ['done', done]);
    assert.deepEqual(c[label('feedback')], ['done', done]);
    assert.deepEqual(c[label('aftercare1')], ['done', done]);
    assert.deepEqual(c[label('aftercare3')], ['done', done]);
    await snap(desk, 'case with its aftercare done');
    // Nothing overdue any more: the filter finds nothing.
    await desk.goto(`${server.base}/desk?lang=nl&due=overdue`);
    assert.deepEqual(await desk.locator('li.desk-item h2 a').allTextContents(), []);
  } finally {
    for (const ctx of contexts) await ctx.close();
    await checker.close();
    await browser.close();
    assert.equal(await server.stop(), 0);
  }
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
});
