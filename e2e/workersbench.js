// The page's workers: the same evidence files dropped on the built page (dist/) with one worker
// and with one per core (the page sees `navigator.hardwareConcurrency` cores: 1, then N),
// alternately, whole analysis each time. Figures only (docs/page.md, README).
// Usage: node e2e/workersbench.js DIR [N] [rounds]   (after scripts/build.sh)
//   DIR: the files to drop, e.g. `bench-evidence --records 1000000 --write-cloudtrail-dir DIR 8`
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..');
const DIR = process.argv[2];
const N = Number(process.argv[3] || 2);
const ROUNDS = Number(process.argv[4] || 3);
if (!DIR) { console.error('usage: node e2e/workersbench.js DIR [N] [rounds]'); process.exit(2); }
const files = fs.readdirSync(DIR).sort().map((f) => path.join(DIR, f));
const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leaktriage-workersbench-'));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const load = () => os.loadavg()[0].toFixed(1);
const HZ = 100; // clock ticks per second of /proc/PID/stat on Linux
const stat = (file) => {
  const text = fs.readFileSync(file, 'utf8');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { comm: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / HZ };
};
/** CPU seconds (user + system) of this process's descendants (the browser's processes), and of
 * each of their worker threads (Chromium names them `DedicatedWorker…`), by thread id. */
function browserCpu() {
  const procs = new Map();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try { procs.set(Number(pid), stat(`/proc/${pid}/stat`)); } catch { /* gone */ }
  }
  let total = 0;
  const workers = new Map();
  for (const [pid, p] of procs) {
    for (let q = p.ppid, seen = 0; q > 1 && seen < 64; q = (procs.get(q) || { ppid: 0 }).ppid, seen++) {
      if (q !== process.pid) continue;
      total += p.cpu;
      try {
        for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
          const t = stat(`/proc/${pid}/task/${tid}/stat`);
          if (/DedicatedWorker/.test(t.comm)) workers.set(tid, t.cpu);
        }
      } catch { /* gone */ }
      break;
    }
  }
  return { total, workers };
}

(async () => {
  const portFile = path.join(tmp, 'port');
  const server = spawn('python3', [path.join(ROOT, 'tools', 'serve.py'), path.join(ROOT, 'dist'), '--port-file', portFile], { stdio: 'ignore' });
  while (!fs.existsSync(portFile)) await new Promise((r) => setTimeout(r, 100));
  const port = fs.readFileSync(portFile, 'utf8');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const runs = { 1: [], [N]: [] };
  const loads = [];
  const reports = {};
  console.log(`${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; workers 1 and ${N}, ${ROUNDS} rounds`);
  for (let r = 0; r < ROUNDS; r++) {
    for (const cores of [1, N]) {
      const context = await browser.newContext();
      await context.addInitScript((n) => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n }), cores);
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${port}/index.html`);
      await page.waitForSelector('#drop');
      loads.push(os.loadavg()[0]);
      const cpu0 = browserCpu();
      const t = Date.now();
      await page.setInputFiles('#file-input', files);
      await page.waitForFunction((n) => document.querySelectorAll('#evidence-list tr.file.analysed').length === n && !document.querySelector('#progress'), files.length, { timeout: 1_200_000, polling: 100 });
      const total = (Date.now() - t) / 1000;
      const cpu1 = browserCpu();
      const cpu = cpu1.total - cpu0.total;
      const perWorker = [...cpu1.workers].map(([tid, c]) => c - (cpu0.workers.get(tid) || 0)).filter((c) => c > 0.05).sort((a, b) => b - a);
      const attr = async (a) => Number(await page.getAttribute('#timing', a));
      const run = {
        total,
        cpu,
        perWorker,
        read: (await attr('data-read-ms')) / 1000,
        engine: (await attr('data-analyse-ms')) / 1000,
        parse: (await attr('data-parse-ms')) / 1000,
        detect: (await attr('data-detect-ms')) / 1000,
        scan: (await attr('data-scan-ms')) / 1000,
        elsewhere: await attr('data-matched-elsewhere'),
        workers: page.workers().length,
      };
      runs[cores].push(run);
      reports[cores] = (await page.textContent('#totals')).split(' · ')[0];
      console.log(`round ${r + 1}, ${cores} worker(s) (${run.workers} running): ${total.toFixed(2)} s end to end, browser CPU ${cpu.toFixed(2)} s (worker threads ${perWorker.map((c) => c.toFixed(2)).join(' + ')} s); reading ${run.read.toFixed(2)} s, engine ${run.engine.toFixed(2)} s (parse ${run.parse.toFixed(2)}, detect ${run.detect.toFixed(2)}, scan ${run.scan.toFixed(2)}; ${run.elsewhere} files matched by helpers); load ${load()}`);
      await context.close();
    }
  }
  console.log(`\n| workers | end to end (median of ${ROUNDS}) | runs | browser CPU (median) | busiest worker thread's CPU | the other workers' | engine | parse | scan stage |`);
  console.log('|---:|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const cores of [1, N]) {
    const xs = runs[cores].map((x) => ({ ...x, busiest: x.perWorker[0] || 0, others: x.perWorker.slice(1).reduce((a, b) => a + b, 0) }));
    const m = (k) => median(xs.map((x) => x[k])).toFixed(2);
    console.log(`| ${cores} | ${m('total')} s | ${xs.map((x) => x.total.toFixed(2)).join(' / ')} s | ${m('cpu')} s | ${m('busiest')} s | ${m('others')} s | ${m('engine')} s | ${m('parse')} s | ${m('scan')} s |`);
  }
  console.log(`speed-up ${(median(runs[1].map((x) => x.total)) / median(runs[N].map((x) => x.total))).toFixed(2)}x; load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} (1 min) during the runs`);
  if (reports[1] !== reports[N]) { console.error('the totals differ:', reports[1], reports[N]); process.exitCode = 1; }
  await browser.close();
  server.kill();
  fs.rmSync(tmp, { recursive: true, force: true });
})().catch((e) => { console.error(e); process.exit(1); });
