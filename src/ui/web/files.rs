//! Getting `File`s out of a drop or a picker, folders walked recursively.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DataTransfer, File, FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry,
    HtmlInputElement,
};

/// A file and the name to show for it (its path inside a dropped or picked folder).
pub struct Picked {
    /// Name or relative path.
    pub name: String,
    /// The browser's handle (no bytes are read here).
    pub file: File,
}

/// Files chosen in a picker; folder pickers give relative paths. Clears the input afterwards
/// so the same file can be chosen again.
pub fn from_input(input: &HtmlInputElement) -> Vec<Picked> {
    let mut out = Vec::new();
    if let Some(list) = input.files() {
        for i in 0..list.length() {
            if let Some(file) = list.get(i) {
                // `webkitRelativePath` (set by folder pickers) is not in web-sys's File binding.
                let rel = js_sys::Reflect::get(&file, &"webkitRelativePath".into())
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                let name = if rel.is_empty() { file.name() } else { rel };
                out.push(Picked { name, file });
            }
        }
    }
    input.set_value("");
    out
}

/// What a drop holds: entries to walk (real drags, which may hold folders) or plain files.
pub enum Dropped {
    /// File-system entries (files and folders).
    Entries(Vec<FileSystemEntry>),
    /// Plain files (synthetic drops, older browsers).
    Files(Vec<Picked>),
}

/// Takes what a drop holds; must be called during the drop event.
pub fn from_drop(dt: &DataTransfer) -> Dropped {
    let items = dt.items();
    let mut entries = Vec::new();
    for i in 0..items.length() {
        if let Some(item) = items.get(i) {
            if item.kind() != "file" {
                continue;
            }
            match item.webkit_get_as_entry() {
                Ok(Some(entry)) => entries.push(entry),
                _ => {
                    entries.clear();
                    break;
                }
            }
        }
    }
    if !entries.is_empty() {
        return Dropped::Entries(entries);
    }
    let mut files = Vec::new();
    if let Some(list) = dt.files() {
        for i in 0..list.length() {
            if let Some(file) = list.get(i) {
                files.push(Picked {
                    name: file.name(),
                    file,
                });
            }
        }
    }
    Dropped::Files(files)
}

/// Walks entries (folders recursively, in name order); entries that cannot be read are
/// returned as errors with their path, so the rest still load.
pub async fn walk(entries: Vec<FileSystemEntry>) -> (Vec<Picked>, Vec<(String, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut stack: Vec<FileSystemEntry> = entries.into_iter().rev().collect();
    while let Some(entry) = stack.pop() {
        let path = entry.full_path().trim_start_matches('/').to_string();
        if entry.is_directory() {
            let dir: FileSystemDirectoryEntry = entry.unchecked_into();
            match read_dir(&dir).await {
                Ok(mut children) => {
                    children.sort_by_key(|c| std::cmp::Reverse(c.name()));
                    stack.extend(children);
                }
                Err(e) => errors.push((path, super::js_error(&e))),
            }
        } else {
            let fe: FileSystemFileEntry = entry.unchecked_into();
            match file_of(&fe).await {
                Ok(file) => files.push(Picked { name: path, file }),
                Err(e) => errors.push((path, super::js_error(&e))),
            }
        }
    }
    (files, errors)
}

async fn read_dir(dir: &FileSystemDirectoryEntry) -> Result<Vec<FileSystemEntry>, JsValue> {
    let reader = dir.create_reader();
    let mut all = Vec::new();
    loop {
        // readEntries returns at most ~100 entries a call; call until it returns none.
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            if let Err(e) = reader.read_entries_with_callback_and_callback(&resolve, &reject) {
                let _ = reject.call1(&JsValue::NULL, &e);
            }
        });
        let batch: js_sys::Array = JsFuture::from(promise).await?.dyn_into()?;
        if batch.length() == 0 {
            return Ok(all);
        }
        for e in batch.iter() {
            all.push(e.dyn_into::<FileSystemEntry>()?);
        }
    }
}

async fn file_of(entry: &FileSystemFileEntry) -> Result<File, JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        entry.file_with_callback_and_callback(&resolve, &reject);
    });
    JsFuture::from(promise).await?.dyn_into::<File>()
}

/// A browser `File` holding these bytes (an evidence file embedded in a session).
pub fn file_of_bytes(name: &str, bytes: &[u8]) -> File {
    let file = gloo::file::File::new(name, bytes);
    AsRef::<File>::as_ref(&file).clone()
}

/// A file's whole text.
pub async fn text_of(file: &File) -> Result<String, String> {
    JsFuture::from(file.text())
        .await
        .map_err(|e| super::js_error(&e))?
        .as_string()
        .ok_or_else(|| "not text".to_string())
}

/// How many bytes of each file are read to recognise a session.
const SNIFF_BYTES: f64 = 64.0;

/// Splits the files given into session files (recognised by their first bytes; returned as
/// their text) and evidence. A file that cannot be read here stays evidence, and the worker
/// reports it.
pub async fn split_sessions(picked: Vec<Picked>) -> (Vec<String>, Vec<Picked>) {
    let heads = js_sys::Array::new();
    for p in &picked {
        match p.file.slice_with_f64_and_f64(0.0, SNIFF_BYTES) {
            Ok(b) => heads.push(&b.array_buffer()),
            Err(_) => heads.push(&JsValue::NULL),
        };
    }
    // allSettled: one unreadable file does not stop the others.
    let settled = match JsFuture::from(js_sys::Promise::all_settled(&heads)).await {
        Ok(v) => js_sys::Array::from(&v),
        Err(_) => return (Vec::new(), picked),
    };
    let mut sessions = Vec::new();
    let mut evidence = Vec::new();
    for (i, p) in picked.into_iter().enumerate() {
        let head = js_sys::Reflect::get(&settled.get(i as u32), &"value".into())
            .ok()
            .filter(|v| v.is_instance_of::<js_sys::ArrayBuffer>())
            .map(|v| js_sys::Uint8Array::new(&v).to_vec());
        if head.is_some_and(|h| crate::session::Session::sniff(&h)) {
            if let Ok(text) = text_of(&p.file).await {
                sessions.push(text);
                continue;
            }
        }
        evidence.push(p);
    }
    (sessions, evidence)
}
