// Alerts in a real browser (Debian's chromium driven by playwright-core), against the real
// `eligo` binary serving a demo corpus and delivering its e-mails to a real SMTP server on
// loopback (nodemailer's smtp-server), whose messages are parsed as MIME (mailparser): sign up
// on the page, follow the confirmation link from the received e-mail, see the manage page,
// unsubscribe, and the data is gone from the store. Every page is checked with axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { checkPage as checkAnyPage, eligo, launchBrowser, startEligo, watchedPage as openPage } from './helpers.mjs';

let smtp;
let server;
let base;
let browser;
const mails = [];

before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
        callback();
      }, callback);
    },
  });
  await new Promise((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpAddress = `127.0.0.1:${smtp.server.address().port}`;
  server = await startEligo(['demo', '--count', '200', '--addr', '127.0.0.1:0', '--smtp', smtpAddress]);
  base = server.base;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
  await new Promise((resolve) => (smtp ? smtp.close(resolve) : resolve()));
});

const watchedPage = () => openPage(browser);

/// The alerts pages' screenshots are named apart from the other pages'.
const checkPage = (page, name) => checkAnyPage(page, `alerts-${name}`);

async function mailTo(address) {
  for (let waited = 0; waited < 20_000; waited += 100) {
    const found = mails.find((m) => m.to.includes(address));
    if (found) return found.mail;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`no e-mail reached ${address}`);
}

function alertsInStore() {
  const run = spawnSync(eligo, ['--data-dir', server.dataDir, '--quiet', 'alerts', 'list', '--json'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

test('a volunteer signs up, confirms from the e-mail, manages, unsubscribes, and the data is gone', async () => {
  const { page, errors } = await watchedPage();
  await page.goto(base + '/');
  await page.fill('#q', 'asthma');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForSelector('text=trials found');
  await page.getByRole('button', { name: /Alert me to new trials like these/ }).click();
  await page.waitForSelector('h1');
  assert.match(await page.textContent('main'), /Alerts for the search “asthma”/);
  await checkPage(page, '0-from-search');

  await page.goto(base + '/alerts/new');
  await page.fill('#category', 'Asthma');
  await page.fill('#near', 'Lyon, France');
  await page.selectOption('#radius_km', '100');
  await page.fill('#age', '34');
  await page.selectOption('#sex', 'female');
  await page.selectOption('#every', 'weekly');
  await page.fill('#email', 'volunteer@example.org');
  await checkPage(page, '1-sign-up');
  await page.getByRole('button', { name: /confirmation link/ }).click();
  await page.waitForSelector('text=Check your inbox');
  await checkPage(page, '2-check-inbox');

  const mail = await mailTo('volunteer@example.org');
  assert.match(mail.subject, /Confirm/);
  const link = mail.text.match(/https?:\/\/\S+\/alerts\/confirm\/[0-9a-f]{64}/);
  assert.ok(link, `a confirmation link in: ${mail.text}`);
  assert.equal(alertsInStore()[0].status, 'pending');
  await page.goto(link[0]);
  await checkPage(page, '3-confirm');
  await page.getByRole('button', { name: /send me these alerts/ }).click();
  await page.waitForSelector('text=Your alerts');
  assert.match(await page.textContent('main'), /Asthma/);
  assert.match(await page.textContent('main'), /active/);
  await checkPage(page, '4-manage');
  assert.equal(alertsInStore()[0].status, 'active');

  await page.getByRole('button', { name: 'Delete this alert' }).click();
  await page.waitForSelector('text=You are unsubscribed');
  await checkPage(page, '5-unsubscribed');
  assert.deepEqual(alertsInStore(), [], 'the subscription and its address are deleted');
  assert.deepEqual(errors, []);
});
