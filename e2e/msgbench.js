// The worker-message micro-benchmark: the report for a large input, sent from the worker to the
// page as a JSON string (pretty or compact) or as a JS value made by serde-wasm-bindgen, and
// decoded into the page's ReportView. Not a test: figures only (docs/page.md).
// Usage: trunk build --release --features msg-bench --dist dist-msgbench && node e2e/msgbench.js [records] [keys] [rounds]
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist-msgbench');
const RECORDS = Number(process.argv[2] || 1_000_000);
const KEYS = Number(process.argv[3] || 4);
const ROUNDS = Number(process.argv[4] || 10);
const CODECS = ['json-pretty', 'json', 'json-compact', 'swb'];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leaktriage-msgbench-'));

/** A reference-format usage CSV like bench-evidence's: one record every 3 s from 2026-01-01. */
function referenceCsv(file, n, keys) {
  const models = ['gpt-4o', 'gpt-4o-mini', 'gpt-4-turbo', 'claude-3.5-sonnet', 'claude-3-opus'];
  const uas = ['python-requests/2.31.0', 'curl/8.5.0', 'OpenAI/Python 1.40.0', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0'];
  const endpoints = ['/v1/chat/completions', '/v1/embeddings', '/v1/messages'];
  let x = 0x9e3779b9 >>> 0;
  const rnd = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
  const pick = (a) => a[rnd() % a.length];
  const base = Date.UTC(2026, 0, 1) / 1000;
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 'timestamp,api_key_prefix,model,input_tokens,output_tokens,endpoint,source_ip,user_agent,status_code,cost_usd\n');
  let chunk = [];
  for (let i = 0; i < n; i++) {
    const ts = new Date((base + i * 3) * 1000).toISOString().replace('.000Z', 'Z');
    const key = `sk-...${String(rnd() % keys).padStart(4, '0')}`;
    chunk.push(`${ts},${key},${pick(models)},${rnd() % 20000},${rnd() % 4000},${pick(endpoints)},198.51.100.${rnd() % 250},${pick(uas)},${rnd() % 50 === 0 ? 429 : 200},${(rnd() % 100000) / 1e6}`);
    if (chunk.length === 10000) { fs.writeSync(fd, chunk.join('\n') + '\n'); chunk = []; }
  }
  if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
  fs.closeSync(fd);
}

const median = (a) => { const s = [...a].sort((p, q) => p - q); return s[Math.floor(s.length / 2)]; };

(async () => {
  const input = path.join(tmp, 'reference.csv');
  referenceCsv(input, RECORDS, KEYS);
  const portFile = path.join(tmp, 'port');
  const server = spawn('python3', [path.join(ROOT, 'tools', 'serve.py'), DIST, '--port-file', portFile], { stdio: 'ignore' });
  try {
    while (!fs.existsSync(portFile)) await new Promise((r) => setTimeout(r, 100));
    const port = fs.readFileSync(portFile, 'utf8');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const page = await browser.newPage();
    console.log(`${(await browser.version())}; input ${RECORDS} records, ${KEYS} keys, ${(fs.statSync(input).size / 1e6).toFixed(1)} MB`);
    await page.goto(`http://127.0.0.1:${port}/index.html`);
    await page.waitForSelector('#drop');
    await page.setInputFiles('#file-input', [input]);
    await page.waitForSelector('#evidence-list tr.file.analysed', { timeout: 600_000 });
    const worker = page.workers()[0];
    if (!worker) throw new Error('no worker');
    let n = 0;
    // One message at a time (the next is sent once the page has decoded the last), codecs
    // interleaved; the first round of each is a warm-up and is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const codec of CODECS) {
        const ok = await worker.evaluate((c) => wasm_bindgen.msgbench_send(c), codec);
        if (!ok) throw new Error('msgbench_send failed for ' + codec);
        n++;
        await page.waitForFunction((n) => (globalThis.__msgbench || []).length >= n, n, { timeout: 120_000 });
      }
    }
    const recs = (await page.evaluate(() => globalThis.__msgbench)).slice(CODECS.length);
    const bad = recs.filter((r) => r.error || !r.same_as_previous);
    if (bad.length) throw new Error('a codec decoded a different report: ' + JSON.stringify(bad[0]));
    console.log(`| encoding | JSON size | encode (worker) | post + deliver | decode (page) | **total per message** |`);
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const codec of CODECS) {
      const r = recs.filter((x) => x.codec === codec);
      const m = (k) => median(r.map((x) => x[k])).toFixed(1) + ' ms';
      const size = codec === 'swb' ? '(JS object)' : (r[0].json_bytes / 1e6).toFixed(2) + ' MB';
      console.log(`| ${codec} | ${size} | ${m('encode_ms')} | ${m('transfer_ms')} | ${m('decode_ms')} | **${m('total_ms')}** |`);
    }
    console.log(`medians of ${ROUNDS} rounds each`);
    await browser.close();
  } finally {
    server.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
})().catch((e) => { console.error(e); process.exit(1); });
