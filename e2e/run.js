// Browser tests of the built page (dist/) in Debian's Chromium, driven by playwright-core.
// Run after `trunk build --release`: `node e2e/run.js`. Starts its own static server on a free
// port, and opens the page three ways: hosted over http, dist/index.html from file://, and the
// single-file build from file://. Fails on any request other than the page's own files.
'use strict';
const { test: baseTest, before, after, describe } = require('node:test');
const test = (name, fn) => baseTest(name, { timeout: 180_000 }, fn);
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(__dirname, 'out');
const DEMO = path.join(ROOT, 'public', 'demo');
const DEMO_NAMES = ['openai-usage-export.csv', 'cloudtrail-bedrock.json.gz', 'git-log-p.txt', 'prod.env', 'ci-build.log'];
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--disable-default-apps', '--disable-extensions'];
const TIMEOUT = 60_000;

let server, port, browser, tmp;
const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

before(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leaktriage-e2e-'));
  const portFile = path.join(tmp, 'port');
  server = spawn('python3', [path.join(ROOT, 'tools', 'serve.py'), DIST, '--port-file', portFile], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !fs.existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 100));
  port = Number(fs.readFileSync(portFile, 'utf8'));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const TARGETS = {
  hosted: () => ({ url: `http://127.0.0.1:${port}/index.html`, own: (u) => u.startsWith(`http://127.0.0.1:${port}/`) }),
  'hosted-from-file': () => ({ url: 'file://' + path.join(DIST, 'index.html'), own: (u) => u.startsWith('file://' + DIST + '/') }),
  standalone: () => {
    const url = 'file://' + path.join(DIST, 'leaktriage-standalone.html');
    return { url, own: (u) => u === url };
  },
};

/** Opens the page, recording every request that is not the page's own (blob: workers are own). */
async function open(target, clock, cores) {
  const { url, own } = TARGETS[target]();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, timezoneId: 'UTC' });
  // The cores the page sees (one worker per core, up to its cap).
  if (cores) await context.addInitScript((n) => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n }), cores);
  const page = await context.newPage();
  if (clock) await page.clock.setFixedTime(new Date(clock));
  const requests = [];
  const bad = [];
  page.on('request', (r) => {
    const u = r.url();
    requests.push(u);
    if (!(own(u) || u.startsWith('blob:'))) bad.push(u);
  });
  page.on('console', (m) => { if (/Content.Security.Policy|Refused to/i.test(m.text())) bad.push('console: ' + m.text()); });
  page.on('pageerror', (e) => bad.push('pageerror: ' + e.message));
  await page.goto(url);
  await page.waitForSelector('#drop', { timeout: TIMEOUT });
  return { page, context, requests, bad, url };
}

async function rows(page) {
  return page.$$eval('#evidence-list tr.file', (trs) => trs.map((tr) => ({
    name: tr.dataset.name,
    bytes: Number(tr.dataset.bytes),
    status: tr.className.replace('file', '').trim(),
    sha: (tr.querySelector('code.sha256') || {}).textContent || '',
    kind: (tr.querySelector('.kind') || {}).textContent || '',
    kindId: (tr.querySelector('.kind') || { dataset: {} }).dataset.kind || '',
    text: tr.innerText,
    records: (tr.querySelector('.records') || {}).textContent || '',
  })));
}

async function waitSettled(page, n) {
  await page.waitForFunction((n) => {
    const trs = [...document.querySelectorAll('#evidence-list tr.file')];
    return trs.length >= n && !document.querySelector('#progress') &&
      trs.every((tr) => !/queued|reading/.test(tr.className));
  }, n, { timeout: TIMEOUT });
}

/** The tests' fingerprint key (the CLI tests' too), so the reports of separate runs compare. */
const TEST_KEY = fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'config', 'leaktriage', 'fingerprint.key'), 'utf8').trim();

/** Gives the page the tests' fingerprint key in place of the one it `made`, and waits for the
 *  report of its `n` files made with it (the findings section open). */
async function useTestKey(page, made, n) {
  await page.fill('#fingerprint-key', TEST_KEY);
  await page.click('#fingerprint-key-form button[type=submit]');
  await page.waitForFunction((m) => document.querySelector('#fingerprint-key-id').textContent !== m, made, { timeout: TIMEOUT });
  await waitSettled(page, n);
}

/** Drops files on the drop zone with a real DragEvent carrying a DataTransfer. */
async function drop(page, files) {
  const payload = files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64') }));
  const dt = await page.evaluateHandle((payload) => {
    const d = new DataTransfer();
    for (const f of payload) {
      const bin = atob(f.b64);
      const u = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
      d.items.add(new File([u], f.name));
    }
    return d;
  }, payload);
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('#drop', type, { dataTransfer: dt });
}

/** Opens a collapsed report section (a <details>) by clicking its summary line. */
async function openSection(page, id) {
  if (!(await page.$eval('#' + id, (d) => d.open))) await page.click(`#${id} > summary`);
  await page.waitForFunction((id) => document.getElementById(id).open, id);
}

/** Presses Tab until the focused element matches `selector`; fails after `max` presses. */
async function tabTo(page, selector, max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement && document.activeElement.matches(sel), selector)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

/** Downloads one export by clicking its button; returns the file's name and text. */
async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: dl.suggestedFilename(), text: fs.readFileSync(await dl.path(), 'utf8') };
}

function demoFiles() {
  return DEMO_NAMES.map((name) => ({ name, bytes: fs.readFileSync(path.join(DEMO, name)) }));
}

function sampleFiles() {
  return [
    { name: 'usage.csv', bytes: Buffer.from('timestamp,model,cost\n2026-11-01T00:00:00Z,gpt-4o,1.5\n') },
    { name: 'config.env', bytes: Buffer.from('# app\nLOG_LEVEL=debug\nREGION=eu-west-1\n') },
    { name: 'notes.txt', bytes: Buffer.from('plain text\nsecond line\n') },
  ];
}

function checkRows(got, files, kinds) {
  assert.deepEqual(got.map((r) => r.name), files.map((f) => f.name));
  for (const [i, f] of files.entries()) {
    assert.equal(got[i].bytes, f.bytes.length, f.name + ' size');
    assert.equal(got[i].sha, sha256(f.bytes), f.name + ' sha256');
    assert.equal(got[i].status, 'analysed', f.name + ' status');
    if (kinds) assert.equal(got[i].kind, kinds[i], f.name + ' kind');
  }
}

async function checkCsp(page) {
  const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
  for (const part of ["default-src 'none'", "connect-src 'none'", "'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'none'"]) {
    assert.ok(csp.includes(part), `CSP lacks ${part}: ${csp}`);
  }
  assert.ok(!csp.includes('unsafe-inline'), csp);
  assert.equal(await page.$$eval('[style]', (els) => els.length), 0, 'no inline style attributes');
  return csp;
}

for (const target of Object.keys(TARGETS)) {
  describe(target, () => {
    test('loads the demo incident and lists it with sizes, SHA-256 and kinds', async () => {
      const { page, context, bad, requests, url } = await open(target);
      await checkCsp(page);
      await page.click('#load-demo');
      await waitSettled(page, 5);
      checkRows(await rows(page), demoFiles(), [
        'usage records (CSV)', 'AWS CloudTrail', 'git log -p', '.env file', 'text',
      ]);
      await page.waitForSelector('#totals');
      if (target === 'hosted') await page.screenshot({ path: path.join(OUT, 'page-1280x800.png') });
      assert.deepEqual(bad, []);
      if (target === 'standalone') {
        assert.deepEqual(requests.filter((u) => !u.startsWith('blob:')), [url], 'the single file makes no request but itself');
      }
      await context.close();
    });

    test('takes files from the picker and from a real drop', async () => {
      const { page, context, bad } = await open(target);
      const files = sampleFiles();
      const dir = fs.mkdtempSync(path.join(tmp, 'pick-'));
      for (const f of files) fs.writeFileSync(path.join(dir, f.name), f.bytes);
      await page.setInputFiles('#file-input', files.map((f) => path.join(dir, f.name)));
      await waitSettled(page, 3);
      checkRows(await rows(page), files, ['unknown (CSV)', '.env file', 'text']);
      const dropped = demoFiles().slice(2);
      await drop(page, dropped);
      await waitSettled(page, 6);
      checkRows(await rows(page), [...files, ...dropped]);
      assert.deepEqual(bad, []);
      await context.close();
    });
  });
}

describe('hosted only', () => {
  test('a folder picked with the folder picker keeps relative paths', async () => {
    const { page, context, bad } = await open('hosted');
    const dir = path.join(tmp, 'case-folder');
    fs.mkdirSync(path.join(dir, 'logs', 'ci'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a.env'), 'KEY_ONE=1\n');
    fs.writeFileSync(path.join(dir, 'logs', 'ci', 'run.log'), 'build ok\n');
    await page.setInputFiles('#folder-input', dir);
    await waitSettled(page, 2);
    const names = (await rows(page)).map((r) => r.name).sort();
    assert.deepEqual(names, ['case-folder/a.env', 'case-folder/logs/ci/run.log']);
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('bad input: empty, binary and 2 GB files get a message in their row; the others proceed', async () => {
    const { page, context, bad } = await open('hosted');
    const dir = fs.mkdtempSync(path.join(tmp, 'bad-'));
    fs.writeFileSync(path.join(dir, 'empty.json'), '');
    fs.writeFileSync(path.join(dir, 'image.bin'), crypto.randomBytes(4096));
    const huge = path.join(dir, 'huge.json');
    fs.closeSync(fs.openSync(huge, 'w'));
    fs.truncateSync(huge, 2 * 1024 ** 3); // sparse: 2 GiB without using the disk
    fs.writeFileSync(path.join(dir, 'good.env'), 'A=1\n');
    await page.setInputFiles('#file-input', ['empty.json', 'image.bin', 'huge.json', 'good.env'].map((n) => path.join(dir, n)));
    await waitSettled(page, 4);
    const r = await rows(page);
    assert.match(r[0].text, /empty file: nothing to read/);
    assert.match(r[1].text, /binary file, not analysed/);
    assert.equal(r[2].status, 'failed');
    assert.match(r[2].text, /too large to analyse in the page \(2\.0 GiB.*command-line/);
    assert.equal(r[3].status, 'analysed');
    assert.equal(r[3].kind, '.env file');
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('a folder of 5,000 small files loads; the list is capped, the totals are complete', async () => {
    const { page, context, bad } = await open('hosted');
    const dir = path.join(tmp, 'many');
    fs.mkdirSync(dir);
    for (let i = 0; i < 5000; i++) fs.writeFileSync(path.join(dir, `f${String(i).padStart(4, '0')}.log`), `line ${i}\n`);
    await page.setInputFiles('#folder-input', dir);
    await page.waitForFunction(() => /Totals: 5,000 files/.test((document.querySelector('#totals') || {}).textContent || ''),
      null, { timeout: 120_000 });
    assert.equal((await rows(page)).length, 1000);
    assert.match(await page.textContent('body'), /4,000 more files not shown here/);
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('a file that cannot be read gets its message; the others proceed', async () => {
    const { page, context, bad } = await open('hosted');
    const dir = fs.mkdtempSync(path.join(tmp, 'gone-'));
    const big = path.join(dir, 'big.log');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 300 * 1024 ** 2);
    const gone = path.join(dir, 'gone.env');
    fs.writeFileSync(gone, 'A=1\n');
    fs.writeFileSync(path.join(dir, 'kept.env'), 'B=2\n');
    await page.setInputFiles('#file-input', [big, gone, path.join(dir, 'kept.env')]);
    fs.rmSync(gone); // deleted while the worker is still reading big.log
    await waitSettled(page, 3);
    const r = await rows(page);
    assert.equal(r[0].status, 'analysed');
    assert.equal(r[1].status, 'failed');
    assert.match(r[1].text, /could not be read/);
    assert.equal(r[2].status, 'analysed');
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('a running analysis can be cancelled; the page stays responsive', async () => {
    const { page, context, bad } = await open('hosted');
    const dir = fs.mkdtempSync(path.join(tmp, 'big-'));
    const big = path.join(dir, 'big.log');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 900 * 1024 ** 2);
    await page.setInputFiles('#file-input', [big]);
    await page.waitForSelector('#progress-bar', { timeout: TIMEOUT });
    // The main thread answers while the worker reads.
    assert.equal(await page.evaluate(() => 6 * 7), 42);
    await page.click('#cancel');
    await page.waitForSelector('#evidence-list tr.file.cancelled', { timeout: TIMEOUT });
    assert.equal(await page.$('#progress'), null);
    // A new worker takes new files after the cancel.
    await page.click('#load-demo');
    await page.waitForFunction(() => document.querySelectorAll('#evidence-list tr.file.analysed').length === 5, null, { timeout: TIMEOUT });
    // The cancel ended every worker, helpers included: one per core (up to 4) runs again.
    const want = await page.evaluate(() => Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 4)));
    for (let i = 0; i < 50 && page.workers().length !== want; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(page.workers().length, want);
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('a 500 MB file is read in slices and analysed', async () => {
    const { page, context, bad } = await open('hosted');
    const dir = fs.mkdtempSync(path.join(tmp, 'half-'));
    const f = path.join(dir, 'half-gig.log');
    fs.closeSync(fs.openSync(f, 'w'));
    fs.truncateSync(f, 500 * 1024 ** 2);
    await page.setInputFiles('#file-input', [f]);
    await waitSettled(page, 1);
    const [r] = await rows(page);
    assert.equal(r.status, 'analysed');
    assert.equal(r.bytes, 500 * 1024 ** 2);
    assert.equal(r.sha, execFileSync('sha256sum', [f]).toString().split(' ')[0]);
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('the browser refuses every connection, even to the page\'s own origin', async () => {
    const { page, context } = await open('hosted');
    const result = await page.evaluate(async (port) => {
      const tries = [`http://127.0.0.1:${port}/index.html`, 'https://example.com/', 'http://10.0.0.1/'];
      const out = [];
      for (const u of tries) out.push(await fetch(u).then(() => 'sent', () => 'refused'));
      return out;
    }, port);
    assert.deepEqual(result, ['refused', 'refused', 'refused']);
    await context.close();
  });

  test('a browser without WebAssembly SIMD is told what the engine needs, and one with it is not', async () => {
    // Such a browser refuses to compile the engine and validates no SIMD instruction: both are
    // made so here, before the page's scripts run.
    for (const simd of [false, true]) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript((simd) => {
        const validate = WebAssembly.validate;
        WebAssembly.validate = (b) => (b.byteLength < 64 && !simd ? false : validate(b));
        WebAssembly.compile = () => Promise.reject(new WebAssembly.CompileError('invalid opcode 0xfd'));
      }, simd);
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${port}/index.html`);
      await page.waitForSelector('#boot-status.error', { timeout: TIMEOUT });
      const said = await page.textContent('#boot-status');
      assert.match(said, /could not start in this browser: CompileError: invalid opcode 0xfd\./);
      if (simd) assert.doesNotMatch(said, /SIMD/);
      else assert.match(said, /It needs WebAssembly SIMD, which this browser lacks: Chrome or Edge 91, Firefox 89, Safari 16\.4 or later have it\./);
      if (!simd) await page.screenshot({ path: path.join(OUT, 'no-simd.png') });
      await context.close();
    }
  });

  test('the JSON export is the report the CLI makes from the same files', async () => {
    const { page, context, bad } = await open('hosted');
    await page.click('#load-demo');
    await waitSettled(page, 5);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const fromPage = JSON.parse(fs.readFileSync(await dl.path(), 'utf8'));
    const cli = process.env.LEAKTRIAGE_CLI || path.join(ROOT, 'target', 'debug', 'leaktriage');
    const fromCli = JSON.parse(execFileSync(cli, ['--json', '--no-time', ...DEMO_NAMES], { cwd: DEMO }).toString());
    assert.equal(fromPage.schema_version, fromCli.schema_version);
    assert.deepEqual(fromPage.evidence, fromCli.evidence);
    assert.deepEqual(fromPage.totals, fromCli.totals);
    assert.deepEqual(bad, []);
    await context.close();
  });

  for (const target of ['hosted', 'standalone']) {
    test(`${target}: several CloudTrail files with helper workers give the one worker's JSON export`, async () => {
      const NOW = '2026-11-20T15:00:00Z';
      const ev = path.join(ROOT, 'tests', 'fixtures');
      const files = [
        ...demoFiles(),
        ...['evidence/cloudtrail/trail.json', 'evidence/cloudtrail/trail_lines.json.gz', 'evidence/cloudtrail/escaped_and_odd_types.json',
          'real/cloudtrail-bedrock/panther-guardrail-update-delete.jsonl', 'real/cloudtrail-bedrock/sysdig-llmjacking-invokemodel-validationexception.json',
          'real/cloudtrail-iam/panther-login-profile-created-or-modified.jsonl']
          .map((f) => ({ name: path.basename(f), bytes: fs.readFileSync(path.join(ev, f)) })),
      ];
      // The same events again under another name: counted once, whichever worker matched them.
      files.push({ name: 'trail-copy.json', bytes: fs.readFileSync(path.join(ev, 'evidence/cloudtrail/trail.json')) });
      const exports = {};
      for (const cores of [1, 2, 4]) {
        const { page, context, bad } = await open(target, NOW, cores);
        await drop(page, files);
        await waitSettled(page, files.length);
        const made = await page.textContent('#fingerprint-key-id');
        await openSection(page, 'findings');
        await useTestKey(page, made, files.length);
        assert.equal(page.workers().length, cores, 'one worker per core');
        const elsewhere = Number(await page.getAttribute('#timing', 'data-matched-elsewhere'));
        if (cores === 1) assert.equal(elsewhere, 0);
        // Quiet files are taken from the helpers; those with a finding are matched again.
        else assert.ok(elsewhere > 0 && elsewhere < files.length, `${elsewhere} of ${files.length} files matched by helpers`);
        exports[cores] = (await download(page, '#export-json')).text;
        assert.deepEqual(bad, []);
        await context.close();
      }
      assert.ok(JSON.parse(exports[1]).scan.secrets.length > 0);
      assert.equal(exports[2], exports[1], '2 workers');
      assert.equal(exports[4], exports[1], '4 workers');
    });
  }

  test('a helper worker that fails mid-analysis is stopped; the analysis finishes with the one worker\'s JSON export', async () => {
    const NOW = '2026-11-20T15:00:00Z';
    const files = demoFiles();
    const exports = {};
    for (const cores of [1, 3]) {
      const { page, context, bad } = await open('hosted', NOW, cores);
      for (let i = 0; i < 50 && page.workers().length !== cores; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(page.workers().length, cores);
      if (cores === 3) {
        // The first helper fails as it answers for its first file (files reach it on its port
        // to the main worker): the answer is lost and an uncaught error follows, as a crash or
        // an out-of-memory in the worker would give. The files it was sent are unanswered.
        await page.workers()[1].evaluate(() => {
          const answer = MessagePort.prototype.postMessage;
          MessagePort.prototype.postMessage = function () {
            MessagePort.prototype.postMessage = answer;
            setTimeout(() => { throw new Error('a helper failing in a test'); });
          };
        });
      }
      await drop(page, files);
      await waitSettled(page, files.length);
      const made = await page.textContent('#fingerprint-key-id');
      await openSection(page, 'findings');
      await useTestKey(page, made, files.length);
      assert.equal(await page.$('#engine-error'), null, 'no engine failure');
      if (cores === 3) {
        assert.match(await page.textContent('#notice'), /A helper worker stopped/);
        for (let i = 0; i < 50 && page.workers().length !== 2; i++) await new Promise((r) => setTimeout(r, 100));
        assert.equal(page.workers().length, 2, 'the failed helper is stopped');
      }
      exports[cores] = (await download(page, '#export-json')).text;
      assert.deepEqual(bad, []);
      await context.close();
    }
    assert.ok(JSON.parse(exports[1]).scan.secrets.length > 0);
    assert.equal(exports[3], exports[1]);
  });

  test('one fixture of every evidence format, dropped, shows its kind and record count', async () => {
    const { page, context, bad } = await open('hosted');
    const root = path.join(ROOT, 'tests', 'fixtures', 'evidence');
    const files = [];
    const want = [];
    for (const kind of fs.readdirSync(root).sort()) {
      const first = fs.readdirSync(path.join(root, kind)).filter((f) => !f.endsWith('.json') || !/\.(expected|context)\.json$/.test(f)).sort()[0];
      const expected = JSON.parse(fs.readFileSync(path.join(root, kind, first + '.expected.json'), 'utf8'));
      files.push({ name: `${kind}--${first}`, bytes: fs.readFileSync(path.join(root, kind, first)) });
      // A fixture read through a column mapping (<fixture>.context.json) has no records without it.
      const mapped = fs.existsSync(path.join(root, kind, first + '.context.json'));
      want.push({ kind: expected.evidence.kind, records: mapped ? 0 : expected.evidence.records });
    }
    assert.ok(files.length >= 30, `${files.length} formats`);
    await drop(page, files);
    await waitSettled(page, files.length);
    const got = await rows(page);
    for (const [i, w] of want.entries()) {
      assert.equal(got[i].kindId, w.kind, files[i].name);
      assert.equal(Number(got[i].records.replace(/,/g, '')), w.records, files[i].name + ' records');
    }
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('an unknown CSV is read after the responder maps its columns', async () => {
    const { page, context, bad } = await open('hosted');
    const dir = path.join(ROOT, 'tests', 'fixtures', 'evidence', 'unknown_csv');
    const expected = JSON.parse(fs.readFileSync(path.join(dir, 'gateway_export.csv.expected.json'), 'utf8'));
    const mapping = JSON.parse(fs.readFileSync(path.join(dir, 'gateway_export.csv.context.json'), 'utf8')).csv_mappings['unknown_csv/gateway_export.csv'];
    await page.setInputFiles('#file-input', [path.join(dir, 'gateway_export.csv')]);
    await waitSettled(page, 1);
    assert.equal((await rows(page))[0].records, '0');
    await page.click('button.map-columns');
    for (const [field, column] of Object.entries(mapping)) {
      if (await page.$(`#map-${field}`)) await page.selectOption(`#map-${field}`, column);
    }
    await page.click('form.mapping button[type=submit]');
    await page.waitForFunction((n) => {
      const c = document.querySelector('#evidence-list tr.file .records');
      return c && Number(c.textContent.replace(/,/g, '')) === n;
    }, expected.evidence.records, { timeout: TIMEOUT });
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('bad evidence in the page: problems with lines, good rows kept', async () => {
    const { page, context, bad } = await open('hosted');
    const header = 'timestamp,api_key_prefix,model,input_tokens,output_tokens,endpoint,source_ip,user_agent,status_code,cost_usd\n';
    const good = (i) => `2026-11-0${i}T10:00:00Z,sk-...ab${i}c,gpt-4o-mini,100,20,/v1/chat/completions,203.0.113.5,curl/8,200,0.01\n`;
    const ragged = Buffer.from(header + good(1) + good(2) + '2026-11-03T10:00:00Z,sk-...ab3c,gpt-4o\n' + good(4));
    const wrongType = Buffer.from(header + good(1) + good(2).replace(',100,', ',lots,'));
    const jsonRec = (i) => JSON.stringify({ timestamp: `2026-11-0${i}T10:00:00Z`, api_key_prefix: 'sk-...ab1c', model: 'gpt-4o',
      input_tokens: 10, output_tokens: 5, endpoint: '/v1/chat/completions', source_ip: '203.0.113.9', user_agent: 'x', status_code: 200, cost_usd: 0.5 });
    const truncated = Buffer.from('[' + jsonRec(1) + ',' + jsonRec(2) + ',{"timestamp": "2026-11-03T1');
    const latin1 = Buffer.concat([Buffer.from(header + good(1)), Buffer.from('2026-11-02T10:00:00Z,sk-...ab2c,gpt-4o-mini,100,20,/v1/caf'), Buffer.from([0xe9]), Buffer.from(',203.0.113.5,curl/8,200,0.01\n')]);
    const dir = fs.mkdtempSync(path.join(tmp, 'badev-'));
    const big = path.join(dir, 'one-line-200mb.txt');
    fs.writeFileSync(big, Buffer.alloc(200 * 1024 ** 2, 'a'));
    const names = { 'ragged.csv': ragged, 'wrong-type.csv': wrongType, 'truncated.json': truncated, 'latin1.csv': latin1 };
    for (const [n, b] of Object.entries(names)) fs.writeFileSync(path.join(dir, n), b);
    await page.setInputFiles('#file-input', [...Object.keys(names).map((n) => path.join(dir, n)), big]);
    await waitSettled(page, 5);
    const r = await rows(page);
    const num = (x) => Number(x.replace(/,/g, ''));
    const problems = async (i) => Number(await page.locator('#evidence-list tr.file').nth(i).locator('.problem-count').textContent());
    assert.equal(num(r[0].records), 3, 'ragged: the three good rows are kept');
    assert.ok(await problems(0) >= 1, 'ragged row reported');
    assert.ok(num(r[1].records) >= 1 && await problems(1) >= 1, 'wrong type reported, good row kept');
    assert.equal(num(r[2].records), 2, 'truncated JSON keeps the two whole records');
    assert.ok(await problems(2) >= 1);
    assert.ok(await problems(3) >= 1, 'Latin-1 reported');
    assert.equal(num(r[3].records), 2);
    assert.equal(r[4].status, 'analysed', 'a 200 MB single line is read');
    // The problems of a file open with their line numbers.
    await page.locator('#evidence-list tr.file').nth(0).locator('button.show-problems').click();
    assert.match(await page.textContent('tr.problem-list'), /line 4/);
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('demo: findings grouped by secret, known-key search, reveal on screen only', async () => {
    const { page, context, bad } = await open('hosted');
    await page.click('#load-demo');
    await waitSettled(page, 5);
    await openSection(page, 'findings');
    const secrets = await page.$$eval('#findings-table tr.secret', (trs) => trs.map((tr) => ({ rule: tr.dataset.rule, text: tr.innerText })));
    // The AWS key id beside its secret access key is one credential: one row, both parts.
    assert.deepEqual(secrets.map((x) => x.rule).sort(), ['anthropic-api-key', 'aws-secret-access-key', 'openai-project-key']);
    const aws = secrets.find((x) => x.rule === 'aws-secret-access-key');
    assert.match(aws.text, /AKIA[A-Z2-7]{16} \+ …\S{4}/, 'the key id whole, the secret as its last 4');
    await page.click('tr.secret[data-rule="aws-secret-access-key"] button.secret-open');
    assert.match(await page.textContent('tr.secret-detail p.pair'), /access key id AKIA[A-Z2-7]{16}/);
    assert.equal(await page.textContent('tr.secret-detail p.pair .badge.identifier'), 'identifier');
    await page.click('tr.secret[data-rule="aws-secret-access-key"] button.secret-open');
    const openai = secrets.find((x) => x.rule === 'openai-project-key');
    assert.match(openai.text, /removed from the repository, still in history/);
    assert.match(openai.text, /4f1c2a9e8b/, 'first introduced in the commit that added .env');
    assert.match(openai.text, /structure valid/i);
    const key = /OPENAI_API_KEY=(sk-proj-\S+)/.exec(fs.readFileSync(path.join(DEMO, 'git-log-p.txt'), 'utf8'))[1];
    assert.ok(!(await page.content()).includes(key), 'the page never shows the key unasked');
    // Known-key search: the pasted key is found, never echoed whole, and the box is emptied.
    await page.fill('#known-key', key);
    await page.click('#known-key-form button[type=submit]');
    await page.waitForSelector('.known-key-result', { timeout: TIMEOUT });
    assert.ok(Number(await page.getAttribute('.known-key-result', 'data-hits')) >= 3);
    assert.equal(await page.inputValue('#known-key'), '');
    assert.ok(!(await page.content()).includes(key));
    // Reveal one value on an explicit click; it is never in the export.
    await page.click('tr.secret[data-rule="openai-project-key"] button.secret-open');
    await page.click('button.reveal');
    await page.waitForSelector('code.revealed', { timeout: TIMEOUT });
    assert.equal(await page.textContent('code.revealed'), key);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const exported = fs.readFileSync(await dl.path(), 'utf8');
    assert.ok(!exported.includes(key), 'no export holds a whole secret');
    assert.ok(exported.includes('"known_keys"'));
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('demo: alerts sort and filter, an alert opens its evidence rows; timeline, charts, cost', async () => {
    const { page, context, bad } = await open('hosted');
    await page.click('#load-demo');
    await waitSettled(page, 5);
    await openSection(page, 'alerts');
    await page.waitForSelector('#alerts-table');
    const alerts = async () => page.$$eval('#alerts-table tr.alert', (trs) => trs.map((tr) => ({
      id: tr.dataset.alert, sev: tr.querySelector('.badge').textContent, key: tr.querySelector('code').textContent,
      start: tr.querySelector('time').textContent })));
    const bySeverity = await alerts();
    assert.ok(bySeverity.length >= 5, `${bySeverity.length} alerts`);
    const rank = { critical: 4, high: 3, medium: 2, low: 1 };
    for (let i = 1; i < bySeverity.length; i++) assert.ok(rank[bySeverity[i - 1].sev] >= rank[bySeverity[i].sev], 'most severe first');
    await page.selectOption('#alert-sort', 'time');
    const byTime = await alerts();
    for (let i = 1; i < byTime.length; i++) assert.ok(byTime[i - 1].start <= byTime[i].start, 'earliest first');
    const aws = byTime.find((a) => a.key.startsWith('AKIA')).key;
    await page.selectOption('#alert-key', aws);
    const filtered = await alerts();
    assert.ok(filtered.length >= 1 && filtered.length < byTime.length);
    assert.ok(filtered.every((a) => a.key === aws));
    await page.click('#alerts-table tr.alert button.alert-open');
    const refs = await page.textContent('tr.alert-evidence');
    assert.match(refs, /cloudtrail-bedrock\.json\.gz/);
    assert.match(await page.textContent('#summary'), /usage alert/);
    assert.ok(await page.$$eval('ol.timeline li', (l) => l.length) >= 3);
    assert.match(await page.textContent('ol.timeline'), /reconnaissance/i);
    assert.ok(await page.$$eval('figure.chart svg polyline.series', (l) => l.length) >= 1);
    assert.match(await page.textContent('#attacker-cost'), /^\$\d/);
    // The compromise start: the engine's estimate is shown with its confidence; the responder can set it.
    assert.match(await page.textContent('#compromise-starts'), /Compromise start for sk-proj-\.\.\.BUWv: 2026-11-16T0.*confidence \d+%/);
    await page.fill('#compromise-start', '2026-11-15T00:00');
    await page.click('#start-form button[type=submit]');
    await page.waitForSelector('#compromise-starts li[data-method="responder"]', { timeout: TIMEOUT });
    assert.match(await page.textContent('#compromise-starts'), /2026-11-15T00:00:00Z/);
    await page.click('#open-all');
    await page.screenshot({ path: path.join(OUT, 'demo-full.png'), fullPage: true });
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('focus: the demo focused on its AWS key keeps that key\'s events, says what it set aside, and is cleared', async () => {
    const { page, context, bad } = await open('hosted');
    await page.click('#load-demo');
    await waitSettled(page, 5);
    await openSection(page, 'alerts');
    await page.waitForSelector('#alerts-table');
    const keys = await page.$$eval('#alert-key option', (o) => o.map((x) => x.value).filter(Boolean));
    const aws = keys.find((k) => k.startsWith('AKIA'));
    assert.ok(aws && keys.length > 1, keys.join(' '));
    assert.equal(await page.$('#focus-note'), null);
    await page.fill('#focus-names', ` ${aws} , `);
    await page.click('#focus-form button[type=submit]');
    await page.waitForSelector('#focus-note', { timeout: TIMEOUT });
    const note = await page.textContent('#focus-note');
    assert.match(note, new RegExp(`^Focused on ${aws}: [1-9][\\d,]* event\\(s\\) kept and analysed, [1-9][\\d,]* set aside`));
    await page.waitForSelector('#alert-key');
    const focused = await page.$$eval('#alert-key option', (o) => o.map((x) => x.value).filter(Boolean));
    assert.deepEqual(focused, [aws], 'only the focused key is analysed');
    await page.screenshot({ path: path.join(OUT, 'focus-demo.png') });
    await page.click('#focus-clear');
    await page.waitForSelector('#focus-note', { state: 'detached', timeout: TIMEOUT });
    await page.waitForFunction((n) => document.querySelectorAll('#alert-key option').length > n, 2, { timeout: TIMEOUT });
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('demo: the hunts, each query copied by its Copy button (mouse and keyboard); refused, the query is selected; nothing sent', async () => {
    const { page, context, bad, requests } = await open('hosted');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${port}` });
    await page.click('#load-demo');
    await waitSettled(page, 5);
    assert.match(await page.textContent('#summary'), /Hunts: queries to run where your logs live \(\d+\)/);
    await openSection(page, 'hunts');
    const ids = await page.$$eval('#hunts-list li.hunt', (lis) => lis.map((li) => li.dataset.hunt));
    for (const id of ['athena.key_activity', 'cloudtrail_lake.key_activity', 'spark.key_activity', 'splunk.key_activity', 'athena.attacker_ips', 'openai.usage_by_key', 'anthropic.usage_by_key']) {
      assert.ok(ids.includes(id), `${id} in ${ids}`);
    }
    const sent = requests.length;
    const hunt = (id) => page.locator(`li.hunt[data-hunt="${id}"]`);
    const athena = await hunt('athena.key_activity').locator('pre.hunt-query').textContent();
    assert.match(athena, /useridentity\.accesskeyid IN \('AKIASBJJI5TV64XJWYDC'\)/);
    await page.getByRole('button', { name: 'Copy athena.key_activity' }).click();
    await hunt('athena.key_activity').locator('.copy-status', { hasText: 'Copied' }).waitFor({ timeout: TIMEOUT });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), athena);
    // By keyboard: from the Athena query, Tab reaches the next hunt's Copy button; Enter copies.
    const next = ids[ids.indexOf('athena.key_activity') + 1];
    await page.focus('#hunt-athena-key_activity');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), `Copy ${next}`);
    await page.keyboard.press('Enter');
    await hunt(next).locator('.copy-status', { hasText: 'Copied' }).waitFor({ timeout: TIMEOUT });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await hunt(next).locator('pre.hunt-query').textContent());
    await hunt('athena.key_activity').scrollIntoViewIfNeeded();
    await page.locator('#hunts').screenshot({ path: path.join(OUT, 'hunts.png') });
    assert.equal(requests.length, sent, 'copying sends nothing');
    assert.deepEqual(bad, []);
    await context.close();

    // A browser that refuses the clipboard: the query is selected for Ctrl+C, and the page says so.
    const refused = await open('hosted');
    await refused.page.evaluate(() => {
      Object.defineProperty(navigator.clipboard, 'writeText', { value: () => Promise.reject(new DOMException('refused', 'NotAllowedError')) });
    });
    await refused.page.click('#load-demo');
    await waitSettled(refused.page, 5);
    await openSection(refused.page, 'hunts');
    await refused.page.getByRole('button', { name: 'Copy spark.key_activity' }).click();
    const status = refused.page.locator('li.hunt[data-hunt="spark.key_activity"] .copy-status', { hasText: 'refused' });
    await status.waitFor({ timeout: TIMEOUT });
    // The selection is the query (a selection's text drops the final line break).
    assert.equal((await refused.page.evaluate(() => String(window.getSelection()))).trimEnd(),
      (await refused.page.locator('#hunt-spark-key_activity').textContent()).trimEnd());
    assert.deepEqual(refused.bad, []);
    await refused.context.close();
  });

  test('demo: the blast radius panel, and answers from the questionnaire re-assess it', async () => {
    const { page, context, bad } = await open('hosted');
    await page.click('#load-demo');
    await waitSettled(page, 5);
    await page.waitForSelector('#blast-radius', { timeout: TIMEOUT });
    assert.equal(await page.getAttribute('#data-exposure', 'data-level'), 'critical');
    assert.equal(await page.getAttribute('#personal-data', 'data-reachable'), 'unknown');
    assert.ok(await page.$$eval('#revoke-list li', (l) => l.length) >= 3);
    assert.ok(await page.$$eval('#rooms tr.room', (l) => l.length) >= 3);
    assert.match(await page.textContent('#three-answers'), /What can an attacker do next\?/);
    // Pre-filled from the evidence: the key is project-scoped; sub-keys were minted.
    assert.equal(await page.inputValue('#q-key_scope'), 'project');
    assert.equal(await page.inputValue('#q-minted'), 'yes');
    assert.ok(!(await page.$$eval('#rooms tr.room', (l) => l.map((r) => r.textContent).join(' '))).includes('database the key'));
    // Answer with the keyboard, through the controls' labels: an agent with database tools and
    // personal data of 2,500 people.
    await page.getByLabel('Is the key used by an AI agent with tools?').selectOption('yes');
    await page.getByLabel('Could the key reach personal data?').selectOption('yes');
    await page.getByLabel('database', { exact: true }).check();
    await page.getByLabel('Of roughly how many people?').fill('2500');
    await page.focus('#scope-submit');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#personal-data[data-reachable="yes"]', { timeout: TIMEOUT });
    assert.match(await page.textContent('#personal-data h3'), /2,500 people/);
    const dataRules = await page.$$eval('#data-exposure li', (l) => l.map((x) => x.dataset.rule));
    assert.equal(dataRules[0], 'data.personal_bulk');
    assert.ok(dataRules.includes('data.agent_tools'));
    assert.match(await page.textContent('#rooms'), /the database the key's holder reaches/);
    assert.match(await page.textContent('#revoke-list'), /the agent's sessions/);
    // The form keeps the answers, and says they are the responder's.
    assert.equal(await page.inputValue('#q-agent'), 'yes');
    assert.ok(await page.isChecked('#q-agent_tools-database'));
    assert.equal(await page.getAttribute('[data-question="agent"] .q-source', 'data-source'), 'answer');
    // The export carries the same scope the engine computed with these answers.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const exported = JSON.parse(fs.readFileSync(await dl.path(), 'utf8'));
    assert.equal(exported.scope.personal_data.reachable, 'yes');
    assert.equal(exported.scope.personal_data.people, 2500);
    // Clearing the answers goes back to the evidence alone.
    await page.click('#scope-clear');
    await page.waitForSelector('#personal-data[data-reachable="unknown"]', { timeout: TIMEOUT });
    await page.screenshot({ path: path.join(OUT, 'blast-radius.png'), fullPage: true });
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('keyboard alone: the skip link, the theme, the demo, a section, a sort, a download', async () => {
    const { page, context, bad } = await open('hosted');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link', 'the skip link is first');
    const outline = () => page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(await outline(), 'none', 'focus is visible');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'content', 'the skip link moves focus past the header');
    // The theme switch, from the top of the page.
    await page.evaluate(() => document.activeElement.blur());
    await tabTo(page, '#theme-toggle');
    assert.notEqual(await outline(), 'none');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    assert.equal(await page.getAttribute('#theme-toggle', 'aria-pressed'), 'true');
    // The demo, then the alerts section opened and sorted, then a download: all by keyboard.
    await tabTo(page, '#load-demo');
    await page.keyboard.press('Enter');
    await waitSettled(page, 5);
    await tabTo(page, '#alerts > summary');
    assert.notEqual(await outline(), 'none');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('alerts').open);
    await tabTo(page, '#alert-sort');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.getElementById('alert-sort').value === 'time');
    await tabTo(page, '#alerts-table button.alert-open');
    await page.keyboard.press('Enter');
    await page.waitForSelector('tr.alert-evidence');
    await page.evaluate(() => document.activeElement.blur());
    await tabTo(page, '#export-json');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    assert.match(dl.suggestedFilename(), /^leaktriage-report-\d{8}T\d{6}Z\.json$/);
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('themes: the system preference, the toggle, and screenshots at 1280x800', async () => {
    const { page, context, bad } = await open('hosted');
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.click('#load-demo');
    await waitSettled(page, 5);
    assert.equal(await bg(), 'rgb(255, 255, 255)');
    await page.screenshot({ path: path.join(OUT, 'report-light-1280x800.png') });
    await page.click('#theme-toggle');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    assert.equal(await bg(), 'rgb(13, 17, 23)');
    await page.screenshot({ path: path.join(OUT, 'report-dark-1280x800.png') });
    await page.click('#open-all');
    await page.screenshot({ path: path.join(OUT, 'report-dark-full.png'), fullPage: true });
    await page.click('#close-all');
    await page.click('#theme-toggle');
    assert.equal(await bg(), 'rgb(255, 255, 255)');
    // A system that prefers dark gets dark at once; the toggle then gives light.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => document.documentElement.removeAttribute('data-theme'));
    assert.equal(await bg(), 'rgb(13, 17, 23)');
    // Nothing is kept in browser storage.
    assert.deepEqual(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]), [0, 0, '']);
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('print: controls hidden, every section expanded, a PDF is made', async () => {
    const { page, context, bad } = await open('hosted');
    await page.click('#load-demo');
    await waitSettled(page, 5);
    assert.equal(await page.$eval('#alerts', (d) => d.open), false, 'closed on screen');
    await page.emulateMedia({ media: 'print' });
    const display = (sel) => page.$eval(sel, (e) => getComputedStyle(e).display);
    for (const sel of ['#drop', '#theme-toggle', '#export-json', '#save-session', '#clear', '#known-key-form', '.skip-link', 'nav.jump']) {
      assert.equal(await display(sel), 'none', `${sel} is hidden in print`);
    }
    const shown = (sel) => page.$eval(sel, (e) => e.getBoundingClientRect().height);
    assert.ok(await shown('#alerts-table') > 0, 'a closed section prints expanded');
    assert.ok(await shown('ol.timeline') > 0);
    assert.ok(await shown('#report-meta') > 0, 'the report header keeps its time and version');
    assert.match(await page.textContent('#report-meta'), /Report made \d{4}-\d\d-\d\dT.*leaktriage \d+\.\d+\.\d+/);
    await page.screenshot({ path: path.join(OUT, 'print-preview.png'), fullPage: true });
    const pdf = await page.pdf({ path: path.join(OUT, 'report.pdf'), format: 'A4', printBackground: true });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.ok(pdf.length > 20_000, `${pdf.length} bytes`);
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('SARIF and JSON downloads are made from the current report and named with its time', async () => {
    const { page, context, bad } = await open('hosted');
    await page.click('#load-demo');
    await waitSettled(page, 5);
    const json = await download(page, '#export-json');
    const sarif = await download(page, '#export-sarif');
    const report = JSON.parse(json.text);
    const stamp = report.generated_at.replace(/[-:]/g, '');
    assert.equal(json.name, `leaktriage-report-${stamp}.json`);
    assert.equal(sarif.name, `leaktriage-findings-${stamp}.sarif`);
    const s = JSON.parse(sarif.text);
    assert.equal(s.version, '2.1.0');
    // One result per occurrence of a secret; a key id beside its secret is the result's related
    // location, not a result of its own.
    const partnered = report.scan.secrets.reduce((n, f) => n + (f.partner ? f.partner.occurrence_count : 0), 0);
    assert.ok(partnered > 0, 'the demo has an AWS key pair');
    assert.equal(s.runs[0].results.length, report.scan.totals.occurrences - partnered);
    const pair = s.runs[0].results.find((r) => r.ruleId === 'aws-secret-access-key');
    assert.ok(pair.relatedLocations.length >= 1);
    assert.match(pair.relatedLocations[0].message.text, /^access key id \(identifier\): AKIA/);
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('session: saved with a control changed, the page reloaded, opened again: the same report', async () => {
    const { page, context, bad } = await open('hosted');
    await page.click('#load-demo');
    await waitSettled(page, 5);
    await openSection(page, 'alerts');
    await page.fill('#compromise-start', '2026-11-15T00:00');
    await page.click('#start-form button[type=submit]');
    await page.waitForSelector('#compromise-starts li[data-method="responder"]', { timeout: TIMEOUT });
    await waitSettled(page, 5);
    const before = JSON.parse((await download(page, '#export-json')).text);
    // With the files embedded: the session alone brings the evidence back.
    await page.check('#include-files');
    const full = await download(page, '#save-session');
    assert.match(full.name, /^leaktriage-session-\d{8}T\d{6}Z\.json$/);
    const saved = JSON.parse(full.text);
    assert.equal(saved.leaktriage_session, 1);
    assert.equal(saved.context.compromise_start, '2026-11-15T00:00:00Z');
    assert.equal(saved.files.length, 5);
    await page.uncheck('#include-files');
    const light = await download(page, '#save-session');
    assert.equal(JSON.parse(light.text).files, undefined, 'files only when asked');
    const dir = fs.mkdtempSync(path.join(tmp, 'session-'));
    fs.writeFileSync(path.join(dir, 'full.json'), full.text);
    fs.writeFileSync(path.join(dir, 'light.json'), light.text);

    await page.reload();
    await page.waitForSelector('#drop', { timeout: TIMEOUT });
    assert.equal(await page.$('#summary'), null, 'the reload kept nothing');
    await page.setInputFiles('#session-input', path.join(dir, 'full.json'));
    await waitSettled(page, 5);
    await page.waitForSelector('#session-check');
    assert.match(await page.textContent('#session-check'), /every evidence file of the session is here/);
    const after = JSON.parse((await download(page, '#export-json')).text);
    delete before.generated_at;
    delete after.generated_at;
    // Reopened, the report also says the evidence matches the session (the chain of custody).
    assert.deepEqual(after.custody, { intact: true, expected: 5, matched: 5, missing: [], different: [], extra: [] });
    assert.equal(before.custody, undefined);
    delete after.custody;
    assert.deepEqual(after, before, 'the same report');

    // Without the files: a session dropped among the evidence is recognised by its content,
    // and the page names the file still missing.
    await page.reload();
    await page.waitForSelector('#drop', { timeout: TIMEOUT });
    const demo = demoFiles();
    await drop(page, [{ name: 'handover.json', bytes: Buffer.from(light.text) }, ...demo.slice(0, 4)]);
    await waitSettled(page, 4);
    await page.waitForSelector('#session-missing');
    assert.match(await page.textContent('#session-missing'), new RegExp(demo[4].name.replace('.', '\\.')));
    assert.equal((await rows(page)).length, 4, 'the session file is not listed as evidence');
    await drop(page, demo.slice(4));
    await waitSettled(page, 5);
    await page.waitForFunction(() => /every evidence file/.test(document.querySelector('#session-check').textContent));
    const again = JSON.parse((await download(page, '#export-json')).text);
    delete again.generated_at;
    assert.equal(again.custody.intact, true);
    delete again.custody;
    assert.deepEqual(again, before, 'the same report from the files dropped again');
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('demo files dropped, awareness and a regime given; Markdown and JSON equal the CLI golden files', async () => {
    const NOW = '2026-11-20T15:00:00Z';
    const { page, context, bad } = await open('hosted', NOW);
    await drop(page, demoFiles());
    await waitSettled(page, 5);
    // The page made its own fingerprint key; the tests' key makes the report equal the CLI's.
    const made = await page.textContent('#fingerprint-key-id');
    assert.match(made, /^[0-9a-f]{12}$/);
    await openSection(page, 'findings');
    await (await page.$('#fingerprint-key-form')).screenshot({ path: path.join(OUT, 'fingerprint-key.png') });
    await useTestKey(page, made, 5);
    await openSection(page, 'notifications');
    await page.fill('#awareness', '2026-11-19T08:30');
    await page.click('#awareness-form button[type=submit]');
    await page.waitForFunction(() => /2026-11-19T08:30:00Z/.test(document.querySelector('#key-times').textContent), null, { timeout: TIMEOUT });
    await page.click('#regime-gdpr_art34'); // (checked once the new report arrives)
    await page.waitForSelector('article.draft[data-regime="gdpr_art34"]', { timeout: TIMEOUT });
    await waitSettled(page, 5);
    // What the page sends is the committed context fixture (the session file carries it).
    const session = JSON.parse((await download(page, '#save-session')).text);
    const fixture = path.join(ROOT, 'tests', 'fixtures', 'page-context.json');
    fs.writeFileSync(path.join(OUT, 'page-context.json'), JSON.stringify(session.context, null, 2) + '\n');
    assert.deepEqual(session.context, JSON.parse(fs.readFileSync(fixture, 'utf8')), 'the page sends tests/fixtures/page-context.json');
    const md = await download(page, '#export-markdown');
    const json = await download(page, '#export-json');
    assert.equal(md.name, 'leaktriage-report-20261120T150000Z.md');
    assert.equal(md.text, fs.readFileSync(path.join(ROOT, 'tests', 'golden', 'page-report.md'), 'utf8'));
    fs.writeFileSync(path.join(OUT, 'page-report.json'), json.text);
    assert.equal(json.text, fs.readFileSync(path.join(ROOT, 'tests', 'golden', 'page-report.json'), 'utf8'));
    const csv = await download(page, '#export-iocs');
    assert.match(csv.text.split('\n')[0], /kind/);
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('agent logs: the panel, the chain-hop graph by keyboard, the action log filtered, both themes', async () => {
    const { page, context, bad } = await open('hosted');
    // Every real agent sample, and a synthetic incident written here: a session hands work to a
    // subagent (whose own log is given) that pushes and mints a GitHub token.
    const root = path.join(ROOT, 'tests', 'fixtures', 'agent');
    const files = fs.readdirSync(root).filter((f) => !/\.(expected\.json|md)$/.test(f)).sort()
      .map((f) => ({ name: 'agent/' + f, bytes: fs.readFileSync(path.join(root, f)) }));
    const sid = '44444444-aaaa-4bbb-8ccc-000000000004';
    const line = (ts, type, content, agent) => JSON.stringify({ type, sessionId: sid, uuid: 'u-' + ts, timestamp: ts, cwd: '/w/app',
      ...(agent ? { agentId: agent, isSidechain: true } : {}), message: { content: [content] } });
    const call = (id, name, input) => ({ type: 'tool_use', id, name, input });
    const result = (id, text) => ({ type: 'tool_result', tool_use_id: id, content: text, is_error: false });
    // A fake key of Anthropic's shape (random, made here), echoed by `cat .env` in a tool result.
    const fake = 'sk-ant-api03-' + crypto.randomBytes(70).toString('base64url').slice(0, 93) + 'AA';
    const parent = [
      line('2026-06-01T09:59:00.000Z', 'assistant', call('t0', 'Bash', { command: 'cat .env' })),
      line('2026-06-01T09:59:01.000Z', 'user', result('t0', `ANTHROPIC_API_KEY=${fake}`)),
      line('2026-06-01T10:00:00.000Z', 'assistant', call('t1', 'Task', { description: 'release', prompt: 'p', subagent_type: 'general-purpose' })),
      JSON.stringify({ type: 'user', sessionId: sid, uuid: 'u-r', timestamp: '2026-06-01T10:05:00.000Z', toolUseResult: { agentId: 'rel42' },
        message: { content: [result('t1', 'done')] } }),
    ].join('\n');
    const sub = [
      line('2026-06-01T10:01:00.000Z', 'assistant', call('t2', 'Bash', { command: 'git push origin main' }), 'rel42'),
      line('2026-06-01T10:01:05.000Z', 'user', result('t2', 'pushed'), 'rel42'),
      line('2026-06-01T10:02:00.000Z', 'assistant', call('t3', 'Bash', { command: 'gh auth token' }), 'rel42'),
      line('2026-06-01T10:02:01.000Z', 'user', result('t3', 'printed'), 'rel42'),
    ].join('\n');
    files.push({ name: `synthetic/${sid}.jsonl`, bytes: Buffer.from(parent + '\n') });
    files.push({ name: `synthetic/${sid}/subagents/agent-rel42.jsonl`, bytes: Buffer.from(sub + '\n') });
    await drop(page, files);
    await waitSettled(page, files.length);
    await page.click('#summary a.jump-link[href="#agent"]');
    await page.waitForFunction(() => document.getElementById('agent').open, null, { timeout: TIMEOUT });
    // The key in the session's own log ties it; its subagent follows as a chain-hop; the real
    // samples, tied by nothing, are not affected.
    const ties = await page.$$eval('#agent-sessions tbody tr', (trs) => trs.map((t) => t.cells[3].textContent));
    assert.deepEqual(ties, ['secret in log', 'chain hop']);
    // The graph: the synthetic hop with its log given, the real sample's subagent without.
    const nodes = await page.$$eval('#hop-graph .hop-node', (g) => g.map((n) => ({ label: n.getAttribute('aria-label'), cls: n.getAttribute('class') })));
    assert.ok(nodes.some((n) => /agent-rel42/.test(n.label) && /affected/.test(n.cls)), JSON.stringify(nodes));
    assert.ok((await page.$$('#hop-graph .hop-edge line')).length >= 1);
    await tabTo(page, '#hop-graph .hop-node');
    // Mint first, then irreversible; the class filter keeps one class; the tool filter narrows.
    const classes = await page.$$eval('#agent-actions tr.action', (trs) => trs.map((t) => t.dataset.class));
    assert.deepEqual(classes.slice(0, 2), ['mint', 'irreversible'], classes.join(','));
    assert.match(await page.textContent('#agent-minted'), /gh auth token/);
    // The echoed key: attributed to its session, call and time, never shown whole.
    const echoed = await page.textContent('#agent-secrets');
    assert.match(echoed, /sk-ant-api03-.*tool result of session 44444444-aaaa-4bbb-8ccc-000000000004 \(Bash call t0\) at 2026-06-01T09:59:01Z/, echoed);
    assert.ok(!(await page.content()).includes(fake.slice(20, 40)), 'the key is redacted');
    await page.selectOption('#agent-class', 'reversible');
    await page.waitForFunction(() => [...document.querySelectorAll('#agent-actions tr.action')].every((t) => t.dataset.class === 'reversible'), null, { timeout: TIMEOUT });
    const reversible = (await page.$$('#agent-actions tr.action')).length;
    assert.equal(reversible, Number((await page.textContent('#agent-counts')).match(/(\d+) reversible/)[1]));
    await page.selectOption('#agent-class', '');
    await page.fill('#agent-tool', 'task');
    await page.waitForFunction(() => document.querySelectorAll('#agent-actions tr.action').length === 1 &&
      /Task/.test(document.querySelector('#agent-actions tr.action').cells[2].innerText), null, { timeout: TIMEOUT });
    await page.fill('#agent-tool', '');
    // The checklist is pre-filled, the Markdown carries the section.
    const md = await download(page, '#export-markdown');
    assert.match(md.text, /## Agent sessions and actions/);
    assert.match(md.text, /gh auth token/);
    const actions = await download(page, '#export-agent-actions');
    assert.match(actions.name, /^leaktriage-agent-actions-.*\.csv$/);
    assert.match(actions.text.split('\r\n')[0], /^time,session,agent,tool/);
    assert.ok(actions.text.includes('gh auth token'), actions.text.slice(0, 500));
    await (await page.$('#agent')).screenshot({ path: path.join(OUT, 'agent-light.png') });
    await (await page.$('figure.hop-graph')).screenshot({ path: path.join(OUT, 'agent-graph.png') });
    await (await page.$('#agent-actions')).screenshot({ path: path.join(OUT, 'agent-actions.png') });
    await page.click('#theme-toggle');
    await (await page.$('#agent')).screenshot({ path: path.join(OUT, 'agent-dark.png') });
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('at a glance at 1366x768: the verdict, Do now and the incident picture above the fold, both themes', async () => {
    for (const [name, files] of [['demo', demoFiles()], ['cloudtrail-only', demoFiles().filter((f) => f.name.startsWith('cloudtrail'))]]) {
      const { page, context, bad } = await open('hosted', '2026-11-23T10:00:00Z');
      await page.setViewportSize({ width: 1366, height: 768 });
      await drop(page, files);
      await waitSettled(page, files.length);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(OUT, `glance-${name}-first-1366x768.png`) });
      for (const sel of ['#verdict', '#do-now', '#incident-svg']) {
        const box = await page.$eval(sel, (e) => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; });
        assert.ok(box.top >= 0 && box.bottom <= 768, `${name}: ${sel} at ${JSON.stringify(box)} is not above the fold`);
      }
      // Do now names a credential to revoke and links to its detail.
      const first = await page.textContent('#do-now li');
      assert.match(first, /^Revoke /, first);
      // The picture: a lane per abused key with its alerts as focusable marks; zoom out shows more.
      const marks = async () => page.$$eval('#incident-svg .mark', (m) => m.length);
      const zoomed = await marks();
      assert.ok(zoomed >= 1, `${name}: marks ${zoomed}`);
      await page.click('#zoom-whole');
      await page.waitForFunction(() => document.querySelector('#zoom-whole').getAttribute('aria-pressed') === 'true');
      assert.ok((await marks()) >= zoomed);
      await page.click('#zoom-attack');
      await tabTo(page, '#incident-svg .mark');
      const label = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
      assert.ok(label && label.length > 10, label);
      await page.evaluate(() => document.activeElement.blur());
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(OUT, `glance-${name}-light-1366x768.png`) });
      await page.click('#theme-toggle');
      await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(OUT, `glance-${name}-dark-1366x768.png`) });
      assert.deepEqual(bad, []);
      await context.close();
    }
  });

  test('nothing the responder said is lost: checklist edits, awareness and answers survive Remove all and Cancel; the known key is asked again', async () => {
    const { page, context, bad } = await open('hosted', '2026-11-23T10:00:00Z');
    await page.click('#load-demo');
    await waitSettled(page, 5);
    // Checklist editing: a state and a note, each a new report.
    await openSection(page, 'checklist');
    const item = await page.$eval('#checklist tr.item.status-not_done', (tr) => tr.dataset.item);
    const slug = item.replace(/\./g, '-');
    await page.selectOption(`#ck-${slug}`, 'done');
    await page.waitForSelector(`#checklist tr.item.status-done[data-item="${item}"]`, { timeout: TIMEOUT });
    await waitSettled(page, 5);
    await page.fill(`#ck-note-${slug}`, 'rotated by the on-call');
    await page.press(`#ck-note-${slug}`, 'Tab');
    await waitSettled(page, 5);
    await page.waitForFunction((slug) => document.querySelector(`#ck-note-${slug}`).value === 'rotated by the on-call', slug, { timeout: TIMEOUT });
    await openSection(page, 'notifications');
    await page.fill('#awareness', '2026-11-19T08:30');
    await page.click('#awareness-form button[type=submit]');
    await page.waitForFunction(() => /2026-11-19T08:30:00Z/.test(document.querySelector('#key-times').textContent), null, { timeout: TIMEOUT });
    await waitSettled(page, 5);
    await page.selectOption('#q-agent', 'yes');
    await page.click('#scope-submit');
    await page.waitForFunction(() => [...document.querySelectorAll('#blast-radius .note, #blast-radius li')].some((e) => /agent/.test(e.textContent)), null, { timeout: TIMEOUT });
    await waitSettled(page, 5);
    await openSection(page, 'findings');
    await page.fill('#known-key', 'sk-proj-' + 'A'.repeat(20) + 'T3BlbkFJ' + 'B'.repeat(20));
    await page.click('#known-key-form button[type=submit]');
    await waitSettled(page, 5);
    const kept = async (when) => {
      await page.waitForFunction(() => document.querySelector('#key-times') && /2026-11-19T08:30:00Z/.test(document.querySelector('#key-times').textContent), null, { timeout: TIMEOUT });
      await openSection(page, 'checklist');
      assert.ok(await page.$(`#checklist tr.item.status-done[data-item="${item}"]`), `${when}: the checklist edit`);
      assert.equal(await page.$eval(`#ck-note-${slug}`, (e) => e.value), 'rotated by the on-call', `${when}: the note`);
      assert.equal(await page.$eval('#q-agent', (e) => e.value), 'yes', `${when}: the questionnaire`);
    };
    // Remove all: the files go, what was said stays; the known key is asked for again.
    await page.click('#clear');
    await page.waitForSelector('#notice', { timeout: TIMEOUT });
    assert.match(await page.textContent('#notice'), /paste it again/);
    await page.click('#load-demo');
    await waitSettled(page, 5);
    await kept('after Remove all');
    // Cancel a running analysis: the requeued files are analysed under the same context.
    const dir = fs.mkdtempSync(path.join(tmp, 'keep-'));
    const big = path.join(dir, 'big.log');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 600 * 1024 ** 2);
    await page.setInputFiles('#file-input', [big]);
    await page.waitForSelector('#progress-bar', { timeout: TIMEOUT });
    await page.click('#cancel');
    await page.waitForSelector('#evidence-list tr.file.cancelled', { timeout: TIMEOUT });
    await page.waitForFunction(() => document.querySelectorAll('#evidence-list tr.file.analysed').length === 5 && !document.querySelector('#progress'), null, { timeout: TIMEOUT });
    await kept('after Cancel');
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('a session reopened restores every form, the questionnaire included', async () => {
    const { page, context, bad } = await open('hosted', '2026-11-23T10:00:00Z');
    await page.click('#load-demo');
    await waitSettled(page, 5);
    await page.selectOption('#q-personal_data', 'yes');
    await page.fill('#q-people', '1200');
    await page.click('#scope-submit');
    await page.waitForFunction(() => document.querySelector('#personal-data') && /yes/i.test(document.querySelector('#personal-data').textContent), null, { timeout: TIMEOUT });
    await waitSettled(page, 5);
    await page.check('#include-files');
    const saved = await download(page, '#save-session');
    assert.equal(JSON.parse(saved.text).context.answers.personal_data, 'yes');
    const dir = fs.mkdtempSync(path.join(tmp, 'reopen-'));
    fs.writeFileSync(path.join(dir, 'session.json'), saved.text);
    await page.reload();
    await page.waitForSelector('#drop', { timeout: TIMEOUT });
    await page.setInputFiles('#session-input', path.join(dir, 'session.json'));
    await waitSettled(page, 5);
    await page.waitForSelector('#scope-form', { timeout: TIMEOUT });
    assert.equal(await page.$eval('#q-personal_data', (e) => e.value), 'yes');
    assert.equal(await page.$eval('#q-people', (e) => e.value), '1200');
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('accessibility: axe-core finds no serious or critical violation on the demo report, light and dark, every section open', async () => {
    const { page, context, bad } = await open('hosted', '2026-11-23T10:00:00Z');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.click('#load-demo');
    await waitSettled(page, 5);
    await page.click('#open-all');
    // Evaluated through the browser's debugging protocol, which the page's CSP does not govern.
    await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    for (const theme of ['light', 'dark']) {
      if (theme === 'dark') {
        await page.click('#theme-toggle');
        await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
      }
      const result = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
      fs.writeFileSync(path.join(OUT, `axe-${theme}.json`), JSON.stringify(result, null, 2) + '\n');
      const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(serious, [], `${theme}: ${JSON.stringify(serious, null, 2)}`);
    }
    assert.deepEqual(bad, []);
    await context.close();
  });

  test('long lists filter and page: findings by text, the timeline by phase, a page at a time', async () => {
    const { page, context, bad } = await open('hosted', '2026-11-23T10:00:00Z');
    await page.click('#load-demo');
    await waitSettled(page, 5);
    await openSection(page, 'findings');
    const all = (await page.$$('#findings-table > tbody > tr.finding')).length || (await page.$$('#findings-table > tbody > tr')).length;
    await page.fill('#findings-filter', 'anthropic');
    await page.waitForFunction((n) => document.querySelectorAll('#findings-table > tbody > tr').length < n, all, { timeout: TIMEOUT });
    const texts = await page.$$eval('#findings-table > tbody > tr', (trs) => trs.map((t) => t.innerText.toLowerCase()));
    assert.ok(texts.length >= 1 && texts.every((t) => t.includes('anthropic')), texts.join('\n'));
    await openSection(page, 'timeline');
    const entries = (await page.$$('ol.timeline > li')).length;
    assert.ok(entries > 0 && entries <= 50, `first page: ${entries}`);
    await page.selectOption('#timeline-phase', 'persistence');
    await page.waitForFunction(() => [...document.querySelectorAll('ol.timeline > li')].every((l) => l.classList.contains('phase-persistence')), null, { timeout: TIMEOUT });
    assert.ok((await page.$$('ol.timeline > li')).length >= 1);
    assert.deepEqual(bad, []);
    await context.close();
  });
});
