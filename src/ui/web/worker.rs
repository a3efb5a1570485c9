//! The worker side: reads files in slices, keeps them, runs the engine, posts the report.

use crate::ui::protocol::{
    report_message, size_refusal, FromWorker, Item, MatchAlone, MatchedAlone, ToWorker, SLICE_BYTES,
};
use crate::{triage_read, triage_rest, triage_timed, Context, Input};
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, File, FileReaderSync, MessageEvent, MessagePort};

thread_local! {
    /// Known keys the responder gave; in this worker's memory only.
    static KNOWN: RefCell<Vec<crate::scan::known_key::KnownKey>> = const { RefCell::new(Vec::new()) };
    /// What the responder told the engine (column mappings, compromise start, a session's
    /// context...), without the known keys (kept apart above) and the time (given per job).
    static CTX: RefCell<Option<Context>> = const { RefCell::new(None) };
    /// The latest report and the context it was made with, kept for on-screen reveals and
    /// exports (its secrets' values are never serialised).
    pub(super) static LAST: RefCell<Option<(crate::Report, Context)>> = const { RefCell::new(None) };
    /// The opened session's evidence list, when one was opened: each report gets its custody.
    static SESSION: RefCell<Option<Vec<crate::session::EvidenceRef>>> = const { RefCell::new(None) };
    /// The files this worker holds (one copy of each file's bytes), and the page's id for each.
    static HELD: RefCell<(Vec<u32>, Vec<Input>)> = const { RefCell::new((Vec::new(), Vec::new())) };
    /// Messages not yet handled, in the order they came, and whether one is being handled: a
    /// job waits for the browser's SHA-256 of its files, and what arrives meanwhile (a known
    /// key, a reveal, the next job) waits its turn.
    static QUEUE: RefCell<(VecDeque<JsValue>, bool)> = const { RefCell::new((VecDeque::new(), false)) };
    /// The helper workers' ports (the main worker's side; none with one core): each analysis
    /// sends them the files to match alone while this worker reads the evidence.
    static HELPERS: RefCell<Vec<MessagePort>> = const { RefCell::new(Vec::new()) };
    /// What the helpers told of the current analysis's files.
    static ALONE: RefCell<Alone> = RefCell::new(Alone::default());
}

/// The helpers' answers for one analysis, and who to wake once all are in.
#[derive(Default)]
struct Alone {
    run: u32,
    want: usize,
    got: HashMap<usize, Option<crate::scan::Quiet>>,
    wake: Option<js_sys::Function>,
    /// The helper each file of the current analysis was sent to.
    sent_to: HashMap<usize, usize>,
    /// The helpers the page said stopped (a crash, out of memory): asked nothing more.
    lost: Vec<bool>,
}

impl Alone {
    /// Wakes the analysis waiting for the helpers once every file is answered for.
    fn wake_if_done(&mut self) {
        if self.got.len() >= self.want {
            if let Some(wake) = self.wake.take() {
                let _ = wake.call0(&JsValue::NULL);
            }
        }
    }
}

/// The page says helper `k` stopped: the files sent to it and not answered are matched by the
/// analysis itself (as if no helper had been asked), and it is asked nothing more.
fn helper_lost(k: usize) {
    ALONE.with(|a| {
        let mut a = a.borrow_mut();
        if a.lost.len() <= k {
            a.lost.resize(k + 1, false);
        }
        a.lost[k] = true;
        let unanswered: Vec<usize> = a
            .sent_to
            .iter()
            .filter(|(i, h)| **h == k && !a.got.contains_key(i))
            .map(|(i, _)| *i)
            .collect();
        for i in unanswered {
            a.got.insert(i, None);
        }
        a.wake_if_done();
    });
}

/// Called by the worker's boot code once the module is instantiated: takes over `onmessage`.
#[wasm_bindgen]
pub fn start_worker() {
    // A panic is a bug: say where it happened (never the payload, which may quote the input).
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        post(
            &FromWorker::Notice {
                message: format!("{} ({at})", crate::ui::strings::INTERNAL_ERROR),
            },
            None,
        );
    }));
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        // A helper lost is told at once, not queued: the analysis waiting for it is the message
        // being handled.
        let data = e.data();
        if let Some(k) = js_sys::Reflect::get(&data, &"helper_lost".into())
            .ok()
            .and_then(|k| k.as_f64())
        {
            helper_lost(k as usize);
            return;
        }
        enqueue(data)
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
}

fn post(msg: &FromWorker, payload: Option<&str>) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let arr = js_sys::Array::new();
    arr.push(&JsValue::from_str(
        &serde_json::to_string(msg).unwrap_or_default(),
    ));
    if let Some(p) = payload {
        arr.push(&JsValue::from_str(p));
    }
    let _ = scope.post_message(&arr);
}

/// Queues a message and, unless one is being handled, handles the queue in order.
fn enqueue(data: JsValue) {
    let start = QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        q.0.push_back(data);
        !std::mem::replace(&mut q.1, true)
    });
    if start {
        wasm_bindgen_futures::spawn_local(async {
            while let Some(next) = QUEUE.with(|q| {
                let mut q = q.borrow_mut();
                let next = q.0.pop_front();
                q.1 = next.is_some();
                next
            }) {
                handle(next).await;
            }
        });
    }
}

async fn handle(data: JsValue) {
    // The page connects the workers: a helper is given its port to the main worker, the main
    // worker the helpers' ports.
    if let Some(port) = js_sys::Reflect::get(&data, &"helper_port".into())
        .ok()
        .and_then(|p| p.dyn_into::<MessagePort>().ok())
    {
        help(port);
        return;
    }
    if let Some(ports) = js_sys::Reflect::get(&data, &"helpers".into())
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Array>().ok())
    {
        take_helpers(ports);
        return;
    }
    let meta = js_sys::Reflect::get(&data, &"meta".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default();
    let now = js_sys::Reflect::get(&data, &"now".into())
        .ok()
        .and_then(|n| n.as_f64())
        .unwrap_or_else(js_sys::Date::now);
    let utc_offset = js_sys::Reflect::get(&data, &"utc_offset".into())
        .ok()
        .and_then(|n| n.as_f64());
    let files: js_sys::Array = js_sys::Reflect::get(&data, &"files".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .unwrap_or_default();
    let (job, items) = match serde_json::from_str::<ToWorker>(&meta) {
        Ok(ToWorker::Add { job, items }) => (job, items),
        Ok(ToWorker::KnownKey { job, key }) => {
            match crate::scan::known_key::KnownKey::parse(&key) {
                Some(k) => KNOWN.with(|kk| kk.borrow_mut().push(k)),
                None => post(
                    &FromWorker::Notice {
                        message: crate::ui::strings::KEY_TOO_SHORT.into(),
                    },
                    None,
                ),
            }
            (job, Vec::new())
        }
        Ok(ToWorker::Mapping {
            job,
            sha256,
            mapping,
        }) => {
            edit_context(|c| {
                c.csv_mappings.insert(sha256, *mapping);
            });
            (job, Vec::new())
        }
        Ok(ToWorker::CompromiseStart { job, at }) => {
            let parsed = at
                .as_deref()
                .and_then(|a| chrono::DateTime::parse_from_rfc3339(a).ok());
            edit_context(|c| c.compromise_start = parsed.map(|t| t.with_timezone(&chrono::Utc)));
            (job, Vec::new())
        }
        Ok(ToWorker::SetContext {
            job,
            context,
            session_evidence,
        }) => {
            if session_evidence.is_some() {
                SESSION.with(|s| *s.borrow_mut() = session_evidence);
            }
            edit_context(|c| {
                *c = *context;
                c.known_keys.clear();
                c.now = None;
            });
            (job, Vec::new())
        }
        Ok(ToWorker::Patch { job, patch }) => {
            let now = CTX.with(|c| c.borrow().clone()).unwrap_or_default();
            match crate::ui::patch::apply(&now, &patch) {
                Ok(next) => CTX.with(|c| *c.borrow_mut() = Some(next)),
                Err(e) => post(
                    &FromWorker::Notice {
                        message: format!("{}: {e}", crate::ui::strings::NOT_APPLIED),
                    },
                    None,
                ),
            }
            (job, Vec::new())
        }
        Ok(ToWorker::Answers { job, answers }) => {
            edit_context(|c| c.answers = *answers);
            (job, Vec::new())
        }
        Ok(ToWorker::Restore { context }) => {
            edit_context(|c| {
                *c = *context;
                c.known_keys.clear();
                c.now = None;
            });
            return;
        }
        Ok(ToWorker::Reveal { fingerprint }) => {
            let value = LAST.with(|l| {
                l.borrow()
                    .as_ref()
                    .and_then(|(r, _)| r.scan.reveal(&fingerprint).map(str::to_string))
            });
            post(&FromWorker::Revealed { fingerprint, value }, None);
            return;
        }
        Ok(ToWorker::Export { export }) => {
            let made = LAST.with(|l| {
                let l = l.borrow();
                let (report, ctx) = l.as_ref()?;
                Some(HELD.with(|h| crate::ui::export::make(&export, report, ctx, &h.borrow().1)))
            });
            if let Some(d) = made {
                post(
                    &FromWorker::Download {
                        name: d.name,
                        mime: d.mime.into(),
                    },
                    Some(&d.text),
                );
            }
            return;
        }
        Err(_) => return,
    };
    let started = js_sys::Date::now();
    let mut next_file = 0u32;
    for item in items {
        let taken = match item.demo {
            Some(i) => demo_input(&item, i),
            None => {
                let f = files.get(next_file);
                next_file += 1;
                match f.dyn_into::<File>() {
                    Ok(file) => read_file(job, &item, file),
                    Err(_) => Err(crate::ui::strings::UNREADABLE.to_string()),
                }
            }
        };
        match taken {
            Ok(input) => HELD.with(|h| {
                let mut h = h.borrow_mut();
                h.0.push(item.id);
                h.1.push(input);
            }),
            Err(message) => post(
                &FromWorker::FileFailed {
                    job,
                    id: item.id,
                    message,
                },
                None,
            ),
        }
    }
    digest_held().await;
    let read_ms = js_sys::Date::now() - started;
    let analysing = js_sys::Date::now();
    // The engine reads no clock: the report's time is the page's clock, sent with the job.
    // The fingerprints' key: the session's or the responder's, else one made now and kept
    // for the rest of this session (and in its session file).
    if CTX
        .with(|c| c.borrow().as_ref().and_then(|c| c.fingerprint_key))
        .is_none()
    {
        if let Some(k) = random_key() {
            edit_context(|c| c.fingerprint_key = Some(k));
        }
    }
    let mut ctx = CTX.with(|c| c.borrow().clone()).unwrap_or_default();
    ctx.now = chrono::DateTime::from_timestamp_millis(now as i64);
    ctx.known_keys = KNOWN.with(|k| k.borrow().clone());
    // The browser's UTC offset, where this build's context carries one.
    if let Some(off) = utc_offset {
        if let Ok(c) = crate::ui::patch::apply(
            &ctx,
            &serde_json::json!({ "utc_offset_minutes": off as i64 }),
        ) {
            ctx = c;
        }
    }
    // The files stay this worker's while the helpers match them (nothing else runs meanwhile:
    // messages are handled one at a time).
    let (ids, inputs) = HELD.with(|h| {
        let mut h = h.borrow_mut();
        (h.0.clone(), std::mem::take(&mut h.1))
    });
    // With helpers, they match the files alone while this worker reads the evidence; a known
    // key is searched by the run itself, so then they are not asked.
    let asked = ctx.known_keys.is_empty() && ask_helpers(&inputs);
    let (mut report, stages) = if asked {
        let read = triage_read(&inputs, &ctx, &mut js_sys::Date::now);
        helpers_done().await;
        let mut got = ALONE.with(|a| std::mem::take(&mut a.borrow_mut().got));
        triage_rest(
            &inputs,
            read,
            &mut |i| got.remove(&i).flatten(),
            &mut js_sys::Date::now,
        )
    } else {
        triage_timed(&inputs, &ctx, &mut js_sys::Date::now)
    };
    HELD.with(|h| h.borrow_mut().1 = inputs);
    // After an opened session: the evidence against its list (the same as the CLI's).
    if let Some(expected) = SESSION.with(|s| s.borrow().clone()) {
        let given: Vec<_> = report
            .evidence
            .iter()
            .map(crate::session::EvidenceRef::of)
            .collect();
        report = report.with_custody(crate::session::check(&expected, &given));
    }
    let report_json = report_message(&report);
    LAST.with(|l| *l.borrow_mut() = Some((report, ctx)));
    let report = report_json;
    let analyse_ms = js_sys::Date::now() - analysing;
    post(
        &FromWorker::Report {
            job,
            ids,
            read_ms,
            analyse_ms,
            stages,
        },
        Some(&report),
    );
    // The context held, for the page to give a new worker (the known keys stay here only).
    if let Some(mut c) = CTX.with(|c| c.borrow().clone()) {
        c.known_keys.clear();
        c.now = None;
        if let Ok(context) = serde_json::to_string(&c) {
            post(&FromWorker::Context { context }, None);
        }
    }
}

/// A helper's side: each file the main worker sends through `port` is matched alone and
/// answered with what matching told (counts only, never a value found).
fn help(port: MessagePort) {
    let reply = port.clone();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        let Some(ask) = js_sys::Reflect::get(&data, &"meta".into())
            .ok()
            .and_then(|m| m.as_string())
            .and_then(|m| serde_json::from_str::<MatchAlone>(&m).ok())
        else {
            return;
        };
        let bytes = js_sys::Reflect::get(&data, &"bytes".into())
            .ok()
            .and_then(|b| b.dyn_into::<js_sys::Uint8Array>().ok())
            .map(|b| b.to_vec());
        let quiet = bytes.and_then(|b| crate::scan::match_alone(&Input::new(ask.name, b)));
        let answer = MatchedAlone {
            run: ask.run,
            index: ask.index,
            quiet,
        };
        let _ = reply.post_message(&JsValue::from_str(
            &serde_json::to_string(&answer).unwrap_or_default(),
        ));
    });
    port.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
}

/// The main worker's side: keeps the helpers' ports and listens for their answers.
fn take_helpers(ports: js_sys::Array) {
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let Some(m) = e
            .data()
            .as_string()
            .and_then(|s| serde_json::from_str::<MatchedAlone>(&s).ok())
        else {
            return;
        };
        ALONE.with(|a| {
            let mut a = a.borrow_mut();
            if m.run != a.run {
                return;
            }
            a.got.insert(m.index, m.quiet);
            a.wake_if_done();
        });
    });
    let ports: Vec<MessagePort> = ports
        .iter()
        .filter_map(|p| p.dyn_into::<MessagePort>().ok())
        .collect();
    for p in &ports {
        p.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    }
    handler.forget();
    HELPERS.with(|h| *h.borrow_mut() = ports);
}

/// Sends every file to a helper to be matched alone (the least loaded one, by bytes sent), a
/// copy of its bytes handed over; false when there is no helper or no file.
fn ask_helpers(inputs: &[Input]) -> bool {
    HELPERS.with(|helpers| {
        let helpers = helpers.borrow();
        let alive: Vec<usize> = ALONE.with(|a| {
            let a = a.borrow();
            (0..helpers.len())
                .filter(|&k| !a.lost.get(k).copied().unwrap_or(false))
                .collect()
        });
        if alive.is_empty() || inputs.is_empty() {
            return false;
        }
        let run = ALONE.with(|a| {
            let mut a = a.borrow_mut();
            a.run += 1;
            a.want = inputs.len();
            a.got.clear();
            a.sent_to.clear();
            a.wake = None;
            a.run
        });
        let mut load = vec![0u64; helpers.len()];
        for (index, input) in inputs.iter().enumerate() {
            let k = alive.iter().copied().min_by_key(|&k| load[k]).unwrap_or(0);
            ALONE.with(|a| a.borrow_mut().sent_to.insert(index, k));
            load[k] += input.bytes.len() as u64 + 1;
            let meta = MatchAlone {
                run,
                index,
                name: input.name.clone(),
            };
            let bytes = js_sys::Uint8Array::new_with_length(input.bytes.len() as u32);
            bytes.copy_from(&input.bytes);
            let msg = js_sys::Object::new();
            let _ = js_sys::Reflect::set(
                &msg,
                &"meta".into(),
                &serde_json::to_string(&meta).unwrap_or_default().into(),
            );
            let _ = js_sys::Reflect::set(&msg, &"bytes".into(), &bytes);
            let sent = helpers[k]
                .post_message_with_transferable(&msg, &js_sys::Array::of1(&bytes.buffer()));
            if sent.is_err() {
                // Unmatched here, it is matched by the run itself.
                ALONE.with(|a| a.borrow_mut().got.insert(index, None));
            }
        }
        true
    })
}

/// Waits until every helper has answered for the current analysis.
async fn helpers_done() {
    let done = js_sys::Promise::new(&mut |wake, _| {
        ALONE.with(|a| {
            let mut a = a.borrow_mut();
            a.wake = Some(wake.clone());
            a.wake_if_done();
        });
    });
    let _ = JsFuture::from(done).await;
}

/// Changes the responder's context the worker holds.
fn edit_context(f: impl FnOnce(&mut Context)) {
    CTX.with(|c| f(c.borrow_mut().get_or_insert_with(Context::default)));
}

fn demo_input(item: &Item, i: usize) -> Result<Input, String> {
    crate::demo::files()
        .into_iter()
        .nth(i)
        .map(|(_, bytes)| Input::new(item.name.clone(), bytes))
        .ok_or_else(|| crate::ui::strings::UNREADABLE.to_string())
}

/// Reads a file in slices into one buffer of exactly its size, posting progress.
fn read_file(job: u32, item: &Item, file: File) -> Result<Input, String> {
    let file = gloo::file::Blob::from(file);
    let size = file.size();
    let held: u64 = HELD.with(|h| h.borrow().1.iter().map(|i| i.bytes.len() as u64).sum());
    if let Some(why) = size_refusal(size, held) {
        return Err(why);
    }
    let mut bytes: Vec<u8> = Vec::new();
    bytes.try_reserve_exact(size as usize).map_err(|_| {
        format!(
            "{}: not enough memory in the page",
            crate::ui::strings::TOO_LARGE
        )
    })?;
    let reader = FileReaderSync::new().map_err(|e| super::js_error(&e))?;
    let mut last_post = js_sys::Date::now();
    let mut start = 0u64;
    while start < size {
        let end = (start + SLICE_BYTES).min(size);
        let buf = reader
            .read_as_array_buffer(file.slice(start, end).as_ref())
            .map_err(|e| unreadable(&e))?;
        let arr = js_sys::Uint8Array::new(&buf);
        let at = bytes.len();
        bytes.resize(at + arr.length() as usize, 0);
        arr.copy_to(&mut bytes[at..]);
        start = end;
        let now = js_sys::Date::now();
        if now - last_post > 100.0 || start >= size {
            post(
                &FromWorker::Progress {
                    job,
                    id: item.id,
                    done: start,
                },
                None,
            );
            last_post = now;
        }
    }
    Ok(Input::new(item.name.clone(), bytes))
}

fn unreadable(e: &JsValue) -> String {
    format!("{}: {}", crate::ui::strings::UNREADABLE, super::js_error(e))
}

/// The SHA-256 of every held file not yet hashed, by the browser's own implementation
/// (`crypto.subtle.digest`), several times faster than hashing in WebAssembly. All are asked
/// for before any is awaited, so the browser may hash several files at once. Where the API is
/// missing (a page served over plain HTTP from another host is not a secure context) or
/// refuses, the file keeps no digest and the engine computes it.
async fn digest_held() {
    let asked: Vec<(usize, js_sys::Promise)> = HELD.with(|h| {
        h.borrow()
            .1
            .iter()
            .enumerate()
            .filter(|(_, input)| input.sha256.is_none())
            .filter_map(|(i, input)| Some((i, subtle_digest(&input.bytes)?)))
            .collect()
    });
    for (i, promise) in asked {
        let Ok(buf) = JsFuture::from(promise).await else {
            continue;
        };
        let digest = js_sys::Uint8Array::new(&buf).to_vec();
        if digest.len() == 32 {
            HELD.with(|h| {
                if let Some(input) = h.borrow_mut().1.get_mut(i) {
                    input.sha256 = Some(crate::secret::hex(&digest));
                }
            });
        }
    }
}

/// Asks `crypto.subtle` for the SHA-256 of `bytes`; `None` where the API is not there.
fn subtle_digest(bytes: &[u8]) -> Option<js_sys::Promise> {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
    let subtle = js_sys::Reflect::get(&crypto, &"subtle".into()).ok()?;
    if subtle.is_undefined() || subtle.is_null() {
        return None;
    }
    let digest: js_sys::Function = js_sys::Reflect::get(&subtle, &"digest".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let algorithm = JsValue::from_str("SHA-256");
    // SAFETY: the view is read at once: `digest` copies the bytes before it returns its promise
    // (Web Cryptography API, "get a copy of the bytes held by the data parameter"), and nothing
    // between making the view and that call allocates in this module's memory.
    let view = unsafe { js_sys::Uint8Array::view(bytes) };
    digest
        .call2(&subtle, &algorithm, &view)
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()
}

/// 32 bytes from the browser's cryptographic random source (`crypto.getRandomValues`).
fn random_key() -> Option<crate::secret::FingerprintKey> {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
    let get: js_sys::Function = js_sys::Reflect::get(&crypto, &"getRandomValues".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let bytes = js_sys::Uint8Array::new_with_length(32);
    get.call1(&crypto, &bytes).ok()?;
    let mut b = [0u8; 32];
    bytes.copy_to(&mut b);
    Some(crate::secret::FingerprintKey::from_bytes(b))
}
