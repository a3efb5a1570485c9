//! The app component: the reducer, the worker, and the responder's actions.

use super::files::{self, Dropped, Picked};
use crate::session::Session;
use crate::ui::components::Page;
use crate::ui::protocol::{Export, FromWorker, Item, ToWorker};
use crate::ui::state::{Action, NewFile, State};
use crate::ui::view::ReportView;
use gloo::events::EventListener;
use gloo::file::{Blob, ObjectUrl};
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{File, HtmlInputElement, MessageEvent, Worker};
use yew::prelude::*;

/// Where a listed file's bytes come from, kept so a new worker can be given them again.
#[derive(Clone)]
enum Source {
    Browser(File),
    Demo(usize),
}

/// Takes files given (picked or dropped) and the names of those that could not be read, with why.
type TakeFiles = dyn Fn(Vec<Picked>, Vec<(String, String)>);

/// The page-side machinery, kept across renders.
#[derive(Default)]
struct Engine {
    worker: Option<Worker>,
    // The helper workers (one per core past the first, up to a cap): each matches files alone
    // for the main worker, through a port the page hands both; cancel terminates them too.
    helpers: Vec<Worker>,
    sources: HashMap<u32, Source>,
    next_id: u32,
    next_job: u32,
    // The worker's message and error listeners (removed when dropped).
    listeners: Vec<EventListener>,
}

type Shared = Rc<RefCell<Engine>>;

impl Engine {
    fn spawn(shared: &Shared, dispatch: UseReducerDispatcher<State>) {
        let mut eng = shared.borrow_mut();
        if let Some(old) = eng.worker.take() {
            old.terminate();
        }
        eng.helpers.drain(..).for_each(|h| h.terminate());
        eng.listeners.clear();
        let worker = match super::spawn_worker_js() {
            Ok(w) => w,
            Err(e) => {
                dispatch.dispatch(Action::EngineFailed(super::js_error(&e)));
                return;
            }
        };
        let d = dispatch.clone();
        let on_message = EventListener::new(&worker, "message", move |e| {
            let Some(e) = e.dyn_ref::<MessageEvent>() else {
                return;
            };
            #[cfg(feature = "msg-bench")]
            if super::msgbench::on_page(&e.data()) {
                return;
            }
            if let Some(a) = action_of(&e.data(), &d) {
                d.dispatch(a);
            }
        });
        eng.listeners = vec![on_message, on_error(&worker, dispatch.clone())];
        let cores = js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
            .and_then(|n| js_sys::Reflect::get(&n, &"hardwareConcurrency".into()))
            .ok()
            .and_then(|n| n.as_f64());
        let ports = js_sys::Array::new();
        for k in 0..crate::ui::protocol::workers_for(cores).saturating_sub(1) {
            let Ok(helper) = super::spawn_worker_js() else {
                break;
            };
            let Ok(channel) = web_sys::MessageChannel::new() else {
                helper.terminate();
                break;
            };
            let port = channel.port2();
            let msg = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&msg, &"helper_port".into(), &port);
            if helper
                .post_message_with_transfer(&msg, &js_sys::Array::of1(&port))
                .is_err()
            {
                helper.terminate();
                break;
            }
            ports.push(&channel.port1());
            // A helper says nothing to the page but a failure (its panic notice, its end).
            let d = dispatch.clone();
            eng.listeners
                .push(EventListener::new(&helper, "message", move |e| {
                    let Some(e) = e.dyn_ref::<MessageEvent>() else {
                        return;
                    };
                    if let Some(a @ Action::Notice(_)) = action_of(&e.data(), &d) {
                        d.dispatch(a);
                    }
                }));
            eng.listeners
                .push(on_helper_error(&helper, k, &worker, dispatch.clone()));
            eng.helpers.push(helper);
        }
        if ports.length() > 0 {
            let msg = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&msg, &"helpers".into(), &ports);
            let _ = worker.post_message_with_transfer(&msg, &ports);
        }
        eng.worker = Some(worker);
    }

    /// Sends a message with no files.
    fn post(&self, msg: &ToWorker) {
        self.post_with(msg, &js_sys::Array::new());
    }

    fn post_with(&self, msg: &ToWorker, files: &js_sys::Array) {
        let meta = serde_json::to_string(msg).unwrap_or_default();
        let obj = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&obj, &"meta".into(), &meta.into());
        let _ = js_sys::Reflect::set(&obj, &"files".into(), files);
        // The report's time: the page's clock (the worker reads none of its own).
        let _ = js_sys::Reflect::set(&obj, &"now".into(), &js_sys::Date::now().into());
        // The responder's UTC offset (minutes east of UTC), for local times in the report.
        let offset = -js_sys::Date::new_0().get_timezone_offset();
        let _ = js_sys::Reflect::set(&obj, &"utc_offset".into(), &offset.into());
        if let Some(w) = &self.worker {
            let _ = w.post_message(&obj);
        }
    }

    /// A new job id.
    fn job(&mut self) -> u32 {
        self.next_job += 1;
        self.next_job
    }

    /// Sends files to the worker as one job; returns the job id.
    fn send(&mut self, items: Vec<Item>) -> u32 {
        let job = self.job();
        let files = js_sys::Array::new();
        for it in &items {
            if let Some(Source::Browser(f)) = self.sources.get(&it.id) {
                files.push(f);
            }
        }
        self.post_with(&ToWorker::Add { job, items }, &files);
        job
    }

    fn item(&self, id: u32, name: &str) -> Item {
        let demo = match self.sources.get(&id) {
            Some(Source::Demo(i)) => Some(*i),
            _ => None,
        };
        Item {
            id,
            name: name.to_string(),
            demo,
        }
    }
}

/// A worker's end: the engine failed.
fn on_error(worker: &Worker, dispatch: UseReducerDispatcher<State>) -> EventListener {
    EventListener::new(worker, "error", move |e| {
        let msg = js_sys::Reflect::get(e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| "the worker stopped".into());
        dispatch.dispatch(Action::EngineFailed(msg));
    })
}

/// A helper worker that fails (a crash, out of memory) is stopped, and the main worker is told
/// to match the files it was sent itself: the analysis goes on with one worker fewer, and the
/// page says so.
fn on_helper_error(
    helper: &Worker,
    k: usize,
    main: &Worker,
    dispatch: UseReducerDispatcher<State>,
) -> EventListener {
    let (stopped, main) = (helper.clone(), main.clone());
    EventListener::new(helper, "error", move |_| {
        stopped.terminate();
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"helper_lost".into(), &(k as f64).into());
        let _ = main.post_message(&msg);
        dispatch.dispatch(Action::Notice(Some(
            crate::ui::strings::HELPER_LOST.to_string(),
        )));
    })
}

/// A callback that sends the worker a change (a known key, a column mapping, a compromise start)
/// as a new job with no files, so the page shows progress until the new report arrives.
fn reanalyse<T: 'static>(
    engine: &Shared,
    state: &UseReducerHandle<State>,
    message: impl Fn(u32, T) -> ToWorker + 'static,
) -> Callback<T> {
    let engine = engine.clone();
    let dispatch = state.dispatcher();
    Callback::from(move |value: T| {
        let mut eng = engine.borrow_mut();
        let job = eng.job();
        let msg = message(job, value);
        let is_key = matches!(msg, ToWorker::KnownKey { .. });
        eng.post(&msg);
        dispatch.dispatch(Action::Queue {
            job,
            files: Vec::new(),
        });
        if is_key {
            dispatch.dispatch(Action::KnownKeyGiven);
        }
    })
}

/// Gives a new worker the context the page kept from the one it replaced.
fn restore(engine: &Shared, kept: Option<&str>) {
    let Some(context) = kept.and_then(|c| serde_json::from_str::<crate::Context>(c).ok()) else {
        return;
    };
    engine.borrow().post(&ToWorker::Restore {
        context: Box::new(context),
    });
}

/// Turns a worker message (`[meta, payload?]`) into an action.
fn action_of(data: &JsValue, timing: &UseReducerDispatcher<State>) -> Option<Action> {
    let arr: &js_sys::Array = data.dyn_ref()?;
    let meta: FromWorker = serde_json::from_str(&arr.get(0).as_string()?).ok()?;
    Some(match meta {
        FromWorker::Progress { job, id, done } => Action::Progress { job, id, done },
        FromWorker::Notice { message } => Action::Notice(Some(message)),
        FromWorker::Context { context } => Action::ContextKept(Rc::from(context)),
        FromWorker::FileFailed { job, id, message } => Action::FileFailed { job, id, message },
        FromWorker::Download { name, mime } => {
            download(&name, &mime, &arr.get(1).as_string()?);
            return None;
        }
        FromWorker::Revealed { fingerprint, value } => match value {
            Some(value) => Action::Revealed { fingerprint, value },
            None => Action::Notice(Some(crate::ui::strings::NOT_HELD.into())),
        },
        FromWorker::Report {
            job,
            ids,
            read_ms,
            analyse_ms,
            stages,
        } => {
            let json = arr.get(1).as_string()?;
            match ReportView::from_json(&json) {
                Ok(report) => {
                    timing.dispatch(Action::Timing {
                        read_ms,
                        analyse_ms,
                        stages,
                    });
                    Action::Report {
                        job,
                        ids,
                        report: Rc::new(report),
                        json: json.into(),
                    }
                }
                Err(e) => Action::EngineFailed(format!("unreadable report from the worker: {e}")),
            }
        }
    })
}

/// The app.
#[component]
pub fn App() -> Html {
    let state = use_reducer(State::default);
    let engine: Shared = use_mut_ref(Engine::default);

    {
        let engine = engine.clone();
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            Engine::spawn(&engine, dispatch);
            move || {
                let mut eng = engine.borrow_mut();
                if let Some(w) = eng.worker.take() {
                    w.terminate();
                }
                eng.helpers.drain(..).for_each(|h| h.terminate());
            }
        });
    }

    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let dark = web_sys::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .map(|m| m.matches())
                .unwrap_or(false);
            dispatch.dispatch(Action::SystemDark(dark));
        });
    }
    // The theme the responder chose is an attribute of <html> (kept in memory only).
    use_effect_with(state.theme, |theme| {
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = match theme {
                Some(crate::ui::state::Theme::Dark) => root.set_attribute("data-theme", "dark"),
                Some(crate::ui::state::Theme::Light) => root.set_attribute("data-theme", "light"),
                None => root.remove_attribute("data-theme"),
            };
        }
    });

    let add_files = {
        let engine = engine.clone();
        let dispatch = state.dispatcher();
        Rc::new(move |picked: Vec<Picked>, failed: Vec<(String, String)>| {
            if picked.is_empty() && failed.is_empty() {
                return;
            }
            let mut eng = engine.borrow_mut();
            let mut new = Vec::new();
            let mut items = Vec::new();
            for p in picked {
                eng.next_id += 1;
                let id = eng.next_id;
                new.push(NewFile {
                    id,
                    name: p.name.clone(),
                    size: p.file.size() as u64,
                });
                items.push(Item {
                    id,
                    name: p.name,
                    demo: None,
                });
                eng.sources.insert(id, Source::Browser(p.file));
            }
            let mut failures = Vec::new();
            for (name, why) in failed {
                eng.next_id += 1;
                new.push(NewFile {
                    id: eng.next_id,
                    name,
                    size: 0,
                });
                failures.push((eng.next_id, why));
            }
            let job = eng.send(items);
            dispatch.dispatch(Action::Queue { job, files: new });
            for (id, why) in failures {
                dispatch.dispatch(Action::FileFailed {
                    job,
                    id,
                    message: format!("{}: {why}", crate::ui::strings::UNREADABLE),
                });
            }
        })
    };

    let open_session: Rc<dyn Fn(Session)> = {
        let engine = engine.clone();
        let dispatch = state.dispatcher();
        let add = add_files.clone();
        Rc::new(move |session: Session| {
            let inputs = match session.inputs() {
                Ok(i) => i,
                Err(e) => {
                    dispatch.dispatch(Action::Notice(Some(format!(
                        "{}: {e}",
                        crate::ui::strings::SESSION_UNREADABLE
                    ))));
                    return;
                }
            };
            dispatch.dispatch(Action::SessionOpened(Rc::new(session.evidence.clone())));
            dispatch.dispatch(Action::AnswersGiven(session.context.answers.clone()));
            {
                let mut eng = engine.borrow_mut();
                let job = eng.job();
                eng.post(&ToWorker::SetContext {
                    job,
                    context: Box::new(session.context),
                    session_evidence: Some(session.evidence),
                });
                dispatch.dispatch(Action::Queue {
                    job,
                    files: Vec::new(),
                });
            }
            let picked: Vec<Picked> = inputs
                .into_iter()
                .map(|i| Picked {
                    file: files::file_of_bytes(&i.name, &i.bytes),
                    name: i.name,
                })
                .collect();
            add(picked, Vec::new());
        })
    };

    // Files given (picked or dropped): session files, recognised by content, are opened; the
    // rest is evidence.
    let take: Rc<TakeFiles> = {
        let add = add_files.clone();
        let open = open_session.clone();
        let dispatch = state.dispatcher();
        Rc::new(move |picked: Vec<Picked>, failed: Vec<(String, String)>| {
            let add = add.clone();
            let open = open.clone();
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let (sessions, evidence) = files::split_sessions(picked).await;
                add(evidence, failed);
                for text in sessions {
                    match Session::parse(&text) {
                        Ok(s) => open(s),
                        Err(e) => dispatch.dispatch(Action::Notice(Some(format!(
                            "{}: {e}",
                            crate::ui::strings::SESSION_UNREADABLE
                        )))),
                    }
                }
            });
        })
    };

    let on_pick = {
        let take = take.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                take(files::from_input(&input), Vec::new());
            }
        })
    };

    let on_open_session = {
        let open = open_session.clone();
        let dispatch = state.dispatcher();
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            for p in files::from_input(&input) {
                let open = open.clone();
                let dispatch = dispatch.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let read = files::text_of(&p.file).await;
                    match read.and_then(|t| Session::parse(&t).map_err(|e| e.to_string())) {
                        Ok(s) => open(s),
                        Err(e) => dispatch.dispatch(Action::Notice(Some(format!(
                            "{}: {e}",
                            crate::ui::strings::SESSION_UNREADABLE
                        )))),
                    }
                });
            }
        })
    };

    let on_drop = {
        let take = take.clone();
        Callback::from(move |e: DragEvent| {
            let Some(dt) = e.data_transfer() else { return };
            match files::from_drop(&dt) {
                Dropped::Files(f) => take(f, Vec::new()),
                Dropped::Entries(entries) => {
                    let take = take.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let (f, errors) = files::walk(entries).await;
                        take(f, errors);
                    });
                }
            }
        })
    };

    let on_demo = {
        let engine = engine.clone();
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            let mut eng = engine.borrow_mut();
            let mut new = Vec::new();
            let mut items = Vec::new();
            for (i, (name, bytes)) in crate::demo::files().into_iter().enumerate() {
                eng.next_id += 1;
                let id = eng.next_id;
                eng.sources.insert(id, Source::Demo(i));
                new.push(NewFile {
                    id,
                    name: name.to_string(),
                    size: bytes.len() as u64,
                });
                items.push(Item {
                    id,
                    name: name.to_string(),
                    demo: Some(i),
                });
            }
            let job = eng.send(items);
            dispatch.dispatch(Action::Queue { job, files: new });
        })
    };

    let on_cancel = {
        let engine = engine.clone();
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let keep: Vec<Item> = {
                let eng = engine.borrow();
                state
                    .rows
                    .iter()
                    .filter(|r| r.status == crate::ui::state::RowStatus::Analysed)
                    .map(|r| eng.item(r.id, &r.name))
                    .collect()
            };
            state.dispatch(Action::Cancel);
            Engine::spawn(&engine, state.dispatcher());
            restore(&engine, state.kept_context.as_deref());
            if !keep.is_empty() {
                let ids = keep.iter().map(|i| i.id).collect();
                let job = engine.borrow_mut().send(keep);
                state.dispatch(Action::Requeue { job, ids });
            }
        })
    };

    let on_clear = {
        let engine = engine.clone();
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            engine.borrow_mut().sources.clear();
            let kept = state.kept_context.clone();
            state.dispatch(Action::Clear);
            Engine::spawn(&engine, state.dispatcher());
            restore(&engine, kept.as_deref());
        })
    };

    let dispatch = {
        let d = state.dispatcher();
        Callback::from(move |a: Action| d.dispatch(a))
    };
    // Each of these changes what the worker holds and has it analyse everything again, as a job.
    let on_known_key = reanalyse(&engine, &state, |job, key: String| ToWorker::KnownKey {
        job,
        key,
    });
    let on_mapping = reanalyse(
        &engine,
        &state,
        |job, (sha256, mapping): (String, crate::evidence::ColumnMapping)| ToWorker::Mapping {
            job,
            sha256,
            mapping: Box::new(mapping),
        },
    );
    let on_start = reanalyse(&engine, &state, |job, at: Option<String>| {
        ToWorker::CompromiseStart { job, at }
    });
    let on_patch = reanalyse(&engine, &state, |job, patch: serde_json::Value| {
        ToWorker::Patch { job, patch }
    });
    let on_answers = reanalyse(&engine, &state, |job, answers: crate::scope::Answers| {
        ToWorker::Answers {
            job,
            answers: Box::new(answers),
        }
    });
    let on_reveal = {
        let engine = engine.clone();
        Callback::from(move |fingerprint: String| {
            engine.borrow().post(&ToWorker::Reveal { fingerprint })
        })
    };

    // Every download is made by the worker from the report it holds (see `ui::export`).
    let on_export = {
        let engine = engine.clone();
        Callback::from(move |export: Export| engine.borrow().post(&ToWorker::Export { export }))
    };

    html! {
        <Page state={Rc::new((*state).clone())} {on_drop} {on_pick} {on_demo} {on_cancel} {on_clear} {dispatch} {on_known_key} {on_reveal} {on_mapping} {on_start} {on_export} {on_open_session} {on_patch} {on_answers} />
    }
}

/// How long a download's object URL outlives the click that starts the download.
const DOWNLOAD_URL_MS: u32 = 60_000;

/// Saves text as a file through a blob link (allowed under `connect-src 'none'`).
fn download(name: &str, mime: &str, text: &str) {
    let url = ObjectUrl::from(Blob::new_with_options(text, Some(mime)));
    if let Ok(a) = gloo::utils::document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // Chromium may still be starting the download after the click: the URL (and the blob
    // behind it) is revoked a minute later, when the timer drops it.
    Timeout::new(DOWNLOAD_URL_MS, move || drop(url)).forget();
}
