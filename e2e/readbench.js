// Reading a file in 16 MiB slices in a worker, the page's way (FileReaderSync, one copy into the
// file's buffer) against the asynchronous way gloo-file offers (a FileReader per slice, awaited,
// each slice copied out as gloo-file's read_as_bytes does, then into the buffer). Runs in a
// separate blob worker of the built page (dist/), on a file from disk. Figures only (docs/page.md).
// Usage: node e2e/readbench.js [MiB] [rounds]   (after scripts/build.sh)
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..');
const MIB = Number(process.argv[2] || 256);
const ROUNDS = Number(process.argv[3] || 5);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leaktriage-readbench-'));

const WORKER = `
onmessage = async (e) => {
  const { file: f, rounds } = e.data;
  const S = 16 << 20;
  const out = { sync: [], async: [] };
  const sync = () => {
    const t = performance.now();
    const buf = new Uint8Array(f.size);
    const r = new FileReaderSync();
    for (let s = 0; s < f.size; s += S) buf.set(new Uint8Array(r.readAsArrayBuffer(f.slice(s, Math.min(s + S, f.size)))), s);
    out.sync.push(performance.now() - t);
  };
  const asyncRead = async () => {
    const t = performance.now();
    const buf = new Uint8Array(f.size);
    for (let s = 0; s < f.size; s += S) {
      const ab = await new Promise((res, rej) => {
        const fr = new FileReader();
        fr.onload = () => res(fr.result);
        fr.onerror = () => rej(fr.error);
        fr.readAsArrayBuffer(f.slice(s, Math.min(s + S, f.size)));
      });
      buf.set(new Uint8Array(ab).slice(), s);
    }
    out.async.push(performance.now() - t);
  };
  sync(); await asyncRead(); out.sync = []; out.async = [];
  for (let i = 0; i < rounds; i++) { sync(); await asyncRead(); }
  postMessage(out);
};`;

(async () => {
  const file = path.join(tmp, 'input.bin');
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 2654435761) >>> 24;
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < MIB; i++) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  const portFile = path.join(tmp, 'port');
  const server = spawn('python3', [path.join(ROOT, 'tools', 'serve.py'), path.join(ROOT, 'dist'), '--port-file', portFile], { stdio: 'ignore' });
  try {
    while (!fs.existsSync(portFile)) await new Promise((r) => setTimeout(r, 100));
    const port = fs.readFileSync(portFile, 'utf8');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/index.html`);
    await page.waitForSelector('#drop');
    // A file input of its own, so the app does not take the file.
    await page.evaluate(() => { const i = document.createElement('input'); i.type = 'file'; i.id = 'readbench'; document.body.append(i); });
    await page.setInputFiles('#readbench', [file]);
    const out = await page.evaluate(([code, rounds]) => new Promise((resolve, reject) => {
      const w = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
      w.onmessage = (e) => { w.terminate(); resolve(e.data); };
      w.onerror = (e) => reject(new Error(e.message));
      w.postMessage({ file: document.getElementById('readbench').files[0], rounds });
    }), [WORKER, ROUNDS]);
    const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
    const rate = (ms) => `${ms.toFixed(0)} ms (${(MIB * 1.048576 / (ms / 1000)).toFixed(0)} MB/s)`;
    console.log(`${await browser.version()}; ${MIB} MiB file, 16 MiB slices, medians of ${ROUNDS}`);
    console.log(`| FileReaderSync (the page) | ${rate(median(out.sync))} | runs ${out.sync.map((x) => x.toFixed(0)).join(' / ')} ms |`);
    console.log(`| FileReader per slice, awaited, copied out (gloo-file's way) | ${rate(median(out.async))} | runs ${out.async.map((x) => x.toFixed(0)).join(' / ')} ms |`);
    await browser.close();
  } finally {
    server.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
})().catch((e) => { console.error(e); process.exit(1); });
