// The page benchmark: the same synthetic files through the native CLI and through the page's
// worker (release build in Debian's Chromium), whole triage each time. Not a test: figures only.
// Usage: node e2e/bench.js   (after `scripts/build.sh` and `cargo build --profile native --features testkit`)
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'target', 'native');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leaktriage-bench-'));

function nativeSeconds(file) {
  const t = process.hrtime.bigint();
  execFileSync(path.join(BIN, 'leaktriage'), ['--no-time', '--json', file], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  return Number(process.hrtime.bigint() - t) / 1e9;
}

(async () => {
  execFileSync(path.join(BIN, 'bench-evidence'), ['--write', tmp], { stdio: 'inherit' });
  execFileSync(path.join(BIN, 'bench-scan'), ['200'], { env: { ...process.env, BENCH_WRITE: path.join(tmp, 'git-log-p.txt') }, stdio: 'inherit' });
  const files = ['reference.csv', 'cloudtrail.json.gz', 'git-log-p.txt'].map((f) => path.join(tmp, f));
  const portFile = path.join(tmp, 'port');
  const server = spawn('python3', [path.join(ROOT, 'tools', 'serve.py'), path.join(ROOT, 'dist'), '--port-file', portFile], { stdio: 'ignore' });
  while (!fs.existsSync(portFile)) await new Promise((r) => setTimeout(r, 100));
  const port = fs.readFileSync(portFile, 'utf8');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  console.log('| file | size | native CLI (whole run) | page, end to end | page: reading | page: engine | engine page / native | page engine MB/s | page: parse | page: detect | page: scan | page scan MB/s |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const f of files) {
    const size = fs.statSync(f).size;
    const native = nativeSeconds(f);
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/index.html`);
    await page.waitForSelector('#drop');
    const t = Date.now();
    await page.setInputFiles('#file-input', [f]);
    await page.waitForSelector('#evidence-list tr.file.analysed', { timeout: 600_000 });
    const inPage = (Date.now() - t) / 1000;
    const mb = size / 1e6;
    await page.waitForSelector('#timing');
    const read = Number(await page.getAttribute('#timing', 'data-read-ms')) / 1000;
    const engine = Number(await page.getAttribute('#timing', 'data-analyse-ms')) / 1000;
    const stage = async (a) => Number(await page.getAttribute('#timing', a));
    const parse = (await stage('data-parse-ms')) / 1000;
    const detect = (await stage('data-detect-ms')) / 1000;
    const scan = (await stage('data-scan-ms')) / 1000;
    const scanned = (await stage('data-scanned-bytes')) / 1e6;
    const scanRate = scanned > 0 && scan > 0 ? (scanned / scan).toFixed(0) : 'n/a';
    console.log(`| ${path.basename(f)} | ${mb.toFixed(1)} MB | ${native.toFixed(2)} s | ${inPage.toFixed(2)} s | ${read.toFixed(2)} s | ${engine.toFixed(2)} s | ${(engine / native).toFixed(2)}x | ${(mb / engine).toFixed(0)} | ${parse.toFixed(2)} s | ${detect.toFixed(2)} s | ${scan.toFixed(2)} s | ${scanRate} |`);
    await page.close();
  }
  await browser.close();
  server.kill();
  fs.rmSync(tmp, { recursive: true, force: true });
})().catch((e) => { console.error(e); process.exit(1); });
