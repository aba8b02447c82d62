// Alerts in a real browser (Debian's chromium driven by playwright-core), against the real
// `eligo` binary serving a demo corpus and delivering its e-mails to a real SMTP server on
// loopback (nodemailer's smtp-server), whose messages are parsed as MIME (mailparser): sign up
// on the page, follow the confirmation link from the received e-mail, see the manage page,
// unsubscribe, and the data is gone from the store. Every page is checked with axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const eligo = process.env.ELIGO_BIN ?? path.join(repo, 'target/debug/eligo');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const shots = path.join(here, 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let smtp;
let server;
let base;
let browser;
let dataDir;
const mails = [];

before(async () => {
  mkdirSync(shots, { recursive: true });
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
  dataDir = mkdtempSync(path.join(tmpdir(), 'eligo-alerts-browser-'));
  server = spawn(eligo, ['--data-dir', dataDir, '--quiet', 'demo', '--count', '200', '--addr', '127.0.0.1:0',
    '--smtp', smtpAddress], { stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`eligo did not start: ${out}`)), 120_000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/serving .* on (http:\/\/[0-9.:]+)\//);
      if (found) { clearTimeout(timer); resolve(found[1]); }
    });
    server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`eligo exited with ${code}: ${out}`)); });
  });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  await new Promise((resolve) => (smtp ? smtp.close(resolve) : resolve()));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function watchedPage() {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(String(error)));
  return { page, errors };
}

/// Screenshots the page and fails on serious or critical axe-core violations.
async function checkPage(page, name) {
  await page.screenshot({ path: path.join(shots, `alerts-${name}.png`), fullPage: true });
  await page.evaluate(axeSource);
  const results = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(bad, [], `${name}: accessibility violations`);
}

async function mailTo(address) {
  for (let waited = 0; waited < 20_000; waited += 100) {
    const found = mails.find((m) => m.to.includes(address));
    if (found) return found.mail;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`no e-mail reached ${address}`);
}

function alertsInStore() {
  const run = spawnSync(eligo, ['--data-dir', dataDir, '--quiet', 'alerts', 'list', '--json'], { encoding: 'utf8' });
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
