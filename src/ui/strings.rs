//! Every user-visible string of the page, in one place so the app can be translated.

/// The product name.
pub const APP_NAME: &str = "leaktriage";
/// The one-line description under the title.
pub const TAGLINE: &str = "Triage a leaked AI-provider key or agent credential, offline.";
/// What the page does with the files: the plain statement the issue asks for.
pub const PRIVACY: &str = "Your files are read in this browser tab's memory only. Nothing is uploaded, stored or \
sent anywhere: the page's Content-Security-Policy makes the browser refuse every network connection. \
Closing or reloading the tab loses the work unless you export it.";
/// The drop zone's main line.
pub const DROP_HERE: &str = "Drop evidence files or folders here";
/// The drop zone's second line.
pub const DROP_KINDS: &str =
    "Usage and cost exports (JSON, CSV, .json.gz), CloudTrail and audit logs, git log -p output, patches, .env files, CI logs.";
/// The file picker's label.
pub const CHOOSE_FILES: &str = "Choose files…";
/// The folder picker's label.
pub const CHOOSE_FOLDER: &str = "Choose a folder…";
/// The demo button.
pub const LOAD_DEMO: &str = "Load demo incident";
/// The cancel button.
pub const CANCEL: &str = "Cancel";
/// The clear button.
pub const CLEAR: &str = "Remove all files";
/// The evidence list's heading.
pub const EVIDENCE: &str = "Evidence";
/// Shown when no file is loaded yet.
pub const NO_EVIDENCE: &str = "No evidence loaded yet.";
/// Column headings of the evidence list.
pub const COLUMNS: [&str; 6] = ["File", "Size", "SHA-256", "Kind", "Records", "Problems"];
/// Row status: waiting for the worker.
pub const QUEUED: &str = "queued";
/// Row status: read cancelled by the responder.
pub const CANCELLED: &str = "cancelled: not read";
/// Row status prefix while reading.
pub const READING: &str = "reading";
/// Label of the button that opens a file's problems.
pub const SHOW_PROBLEMS: &str = "show";
/// Label of the button that closes a file's problems.
pub const HIDE_PROBLEMS: &str = "hide";
/// Shown when the list is cut short.
pub const MORE_ROWS: &str = "more files not shown here; all are in the exported report.";
/// Heading of the progress bar.
pub const ANALYSING: &str = "Reading and analysing";
/// Shown when the page's engine failed to start.
pub const ENGINE_FAILED: &str = "The analysis engine could not start in this browser";
/// A file larger than the page can hold.
pub const TOO_LARGE: &str = "too large to analyse in the page";
/// Advice for a file that is too large.
pub const USE_CLI: &str = "run the leaktriage command-line program on it instead";
/// A file the browser could not read.
pub const UNREADABLE: &str = "could not be read";
/// Heading of the totals line.
pub const TOTALS: &str = "Totals";
/// The JSON export button.
pub const EXPORT_JSON: &str = "Export report (JSON)";
/// Heading of the at-a-glance summary.
pub const AT_A_GLANCE: &str = "At a glance";
/// Heading of the alerts.
pub const ALERTS: &str = "Usage alerts";
/// No alerts.
pub const NO_ALERTS: &str = "No usage alerts: the usage evidence shows nothing the detectors flag.";
/// Alert table columns.
pub const ALERT_COLUMNS: [&str; 6] = [
    "Severity",
    "Alert",
    "Key",
    "When (UTC)",
    "Observed / baseline",
    "What to paste",
];
/// Sort control label.
pub const SORT_BY: &str = "Sort by";
/// Sort by severity.
pub const BY_SEVERITY: &str = "severity";
/// Sort by time.
pub const BY_TIME: &str = "time";
/// Key filter label.
pub const KEY_FILTER: &str = "Key";
/// Every key.
pub const ALL_KEYS: &str = "all keys";
/// Evidence rows heading.
pub const EVIDENCE_ROWS: &str = "Evidence rows behind this alert";
/// Before the list of what an alert's rows created or changed.
pub const CREATED_OR_CHANGED: &str = "Created or changed (remove or restore at the issuer):";
/// Before the list of what a destruction alert's rows deleted.
pub const DELETED: &str = "Deleted (restore from a copy while one is kept):";
/// Heading of the timeline.
pub const TIMELINE: &str = "Attacker timeline";
/// Heading of the charts.
pub const CHARTS: &str = "Usage per key";
/// Heading of the cost impact.
pub const COST: &str = "Cost impact";
/// Heading of the hunts.
pub const HUNTS: &str = "Hunts: queries to run where your logs live";
/// Under the hunts' heading.
pub const HUNTS_INTRO: &str = "Made from the leaked key ids, the attacker's addresses and the window in this report. Run them in your own consoles: this page sends nothing anywhere.";
/// Before what a hunt returns.
pub const HUNT_RETURNS: &str = "Returns";
/// Before a hunt's fill-ins.
pub const HUNT_FILL_IN: &str = "Fill in";
/// Before a hunt's notes.
pub const HUNT_NOTE: &str = "Note";
/// A hunt's copy button.
pub const COPY: &str = "Copy";
/// After a query was copied.
pub const COPIED: &str = "Copied to the clipboard.";
/// When the browser refused the clipboard.
pub const COPY_REFUSED: &str =
    "The browser refused the clipboard: the query is selected; press Ctrl+C (\u{2318}C on a Mac) to copy it.";
/// Heading of the findings.
pub const FINDINGS: &str = "Leaked credentials";
/// No findings.
pub const NO_FINDINGS: &str = "No credentials found in the text evidence.";
/// Findings table columns.
pub const FINDING_COLUMNS: [&str; 7] = [
    "Credential",
    "Value (redacted)",
    "Structure",
    "Seen",
    "First introduced",
    "Still present?",
    "Revoke at",
];
/// Beside a value shown whole because it is a documented, non-secret identifier.
pub const IDENTIFIER: &str = "identifier";
/// What an identifier badge explains.
pub const IDENTIFIER_NOTE: &str =
    "a provider's identifier, not a secret: shown whole (it names the credential)";
/// Beside a value found only on lines the scanned repository marked `gitleaks:allow`.
pub const MARKED_ALLOWED: &str = "marked gitleaks:allow";
/// What that badge explains.
pub const MARKED_ALLOWED_NOTE: &str = "every line holding it says gitleaks:allow: the repository claims it is no secret (a test value). Reported all the same, at low confidence: a real key committed with the mark is still leaked.";
/// Before a pair's parts: the identifier and the secret found together are one credential.
pub const PAIR: &str = "One credential, two parts found together:";
/// Known-key search label.
pub const KNOWN_KEY: &str =
    "Search every file for the leaked key (or its prefix and last 4, or a key id)";
/// The fingerprint key's label.
pub const FINGERPRINT_KEY: &str = "Fingerprint key";
/// What the fingerprint key is for, after its id.
pub const FINGERPRINT_KEY_NOTE: &str = "Fingerprints are keyed (HMAC-SHA256): nobody without the key can test a guess against them. This page made a key for this session; the session file keeps it, no export does. To compare with the command line or a colleague's reports, paste the same key (64 hex digits, as in the command line's fingerprint.key).";
/// The fingerprint key form's button.
pub const USE_KEY: &str = "Use this key";
/// What the known-key search does and does not keep.
pub const KNOWN_KEY_NOTE: &str =
    "The key stays in this tab's memory: it is never shown whole, stored or exported. Exact matches and near variants are found.";
/// Known-key search button.
pub const SEARCH: &str = "Search";
/// Reveal button.
pub const REVEAL: &str = "Reveal value (on screen only)";
/// Hide button.
pub const HIDE: &str = "Hide value";
/// Details button.
pub const DETAILS: &str = "details";
/// A pasted known key too short to search for.
pub const KEY_TOO_SHORT: &str = "The pasted key is too short to search for safely; paste the whole key, or its prefix and last 4 characters.";
/// A reveal of a finding whose value the engine does not hold.
pub const NOT_HELD: &str = "That finding's value is not held (imported findings carry none).";
/// The column-mapping button.
pub const MAP_COLUMNS: &str = "map columns";
/// The column-mapping form's note.
pub const MAPPING_NOTE: &str = "Say which column holds what; times without a zone are read as UTC. The mapping is kept for this session only.";
/// The column-mapping form's button.
pub const APPLY_MAPPING: &str = "Read with this mapping";
/// The compromise-start control's label.
pub const SET_START: &str =
    "Compromise start (UTC), if you know it: everything before it is the baseline";
/// Apply.
pub const APPLY: &str = "Apply";
/// The focus form's label.
pub const FOCUS_LABEL: &str = "Focus on: keep only the events of these key ids, ARNs, users or roles (identifiers, not secrets), of who holds them and of what they created; count the rest";
/// The focus form's placeholder.
pub const FOCUS_PLACEHOLDER: &str = "AKIA…, arn:aws:iam::…:user/…, key_…";
/// Clear the focus.
pub const FOCUS_CLEAR: &str = "analyse every event";
/// Back to the engine's estimate.
pub const ESTIMATE_START: &str = "let the engine estimate it";
/// A helper worker stopped; the analysis goes on without it.
pub const HELPER_LOST: &str = "A helper worker stopped (out of memory or a failure); the analysis goes on with the others, its files matched by the main worker";
/// A bug in the engine, with where it happened.
pub const INTERNAL_ERROR: &str =
    "The analysis stopped on an internal error; please report it with this location";
/// The skip link, first on the page.
pub const SKIP_TO_REPORT: &str = "Skip to the report";
/// The theme switch (a toggle button: pressed means dark).
pub const DARK_THEME: &str = "Dark theme";
/// Heading of the triage summary.
pub const TRIAGE_SUMMARY: &str = "Triage summary";
/// Before the report's time and the tool's version.
pub const REPORT_MADE: &str = "Report made";
/// An undated report.
pub const UNDATED: &str = "undated";
/// The verdict when keys look abused.
pub const VERDICT_ABUSE: &str = "Signs of abuse";
/// The verdict when only low-severity changes were seen.
pub const VERDICT_CONFIRM: &str = "Changes to confirm";
/// The verdict when the usage evidence shows nothing.
pub const VERDICT_NONE: &str = "No abuse seen in the usage evidence";
/// The verdict without usage evidence.
pub const VERDICT_UNKNOWN: &str = "No usage evidence: abuse cannot be judged from the files given";
/// Key-fact labels in the summary.
pub const FACT_WINDOW: &str = "Attacker activity (UTC)";
/// Key-fact label.
pub const FACT_START: &str = "Compromise start";
/// Key-fact label.
pub const FACT_COST: &str = "Cost attributed to the attacker";
/// Key-fact label.
pub const FACT_ALERTS: &str = "Usage alerts";
/// Key-fact label.
pub const FACT_SECRETS: &str = "Leaked credentials";
/// Key-fact label.
pub const FACT_IPS: &str = "Attacker IPs";
/// Heading of the top findings.
pub const TOP_FINDINGS: &str = "Top findings";
/// Heading of the links to the detail.
pub const DETAIL: &str = "Detail";
/// Open every section.
pub const OPEN_ALL: &str = "Open all sections";
/// Close every section.
pub const CLOSE_ALL: &str = "Close all";
/// Heading of the download buttons.
pub const DOWNLOAD: &str = "Download";
/// Download the whole report.
pub const DOWNLOAD_JSON: &str = "Report (JSON)";
/// Download the findings as SARIF.
pub const DOWNLOAD_SARIF: &str = "Findings (SARIF)";
/// The cost-per-day chart's caption.
pub const COST_PER_DAY: &str = "Cost per day (USD): the red part is attributed to the attacker";
/// Open a session file.
pub const OPEN_SESSION: &str = "Open session…";
/// Save a session file.
pub const SAVE_SESSION: &str = "Save session";
/// The checkbox that embeds the evidence in a saved session.
pub const INCLUDE_FILES: &str = "include the evidence files";
/// What a session holds.
pub const SESSION_NOTE: &str = "A session file holds the evidence fingerprints and your answers, so a colleague can take over; the evidence itself only if you tick the box.";
/// A session was opened.
pub const SESSION_OPENED: &str = "Session opened";
/// Files of the session not given again.
pub const SESSION_MISSING: &str = "Drop these files of the session again";
/// Files whose content differs from the session's.
pub const SESSION_DIFFERENT: &str = "Differ from the session's copy (SHA-256)";
/// Every file of the session is there.
pub const SESSION_COMPLETE: &str =
    "every evidence file of the session is here, with the same SHA-256";
/// A file that could not be opened as a session.
pub const SESSION_UNREADABLE: &str = "The session could not be opened";
/// A change the engine could not take.
pub const NOT_APPLIED: &str = "That change could not be applied";
/// Heading of the response checklist.
pub const CHECKLIST: &str = "Response checklist";
/// What the checklist's pre-fills mean.
pub const CHECKLIST_NOTE: &str = "Pre-filled from the evidence where the evidence settles an item; what you set here overrides it and goes into the session file and the exports.";
/// Show only the items not done.
pub const ONLY_REMAINING: &str = "show only what remains";
/// Checklist columns.
pub const CHECKLIST_COLUMNS: [&str; 3] = ["Step", "State", "Note"];
/// The item states, as the engine names them and in words.
pub const ITEM_STATES: [(&str, &str); 3] = [
    ("not_done", "not done"),
    ("done", "done"),
    ("not_applicable", "n/a"),
];
/// Heading of the notification drafts.
pub const NOTIFICATIONS: &str = "Notification drafts";
/// The awareness-time control's label.
pub const SET_AWARENESS: &str =
    "When the organisation became aware (UTC): this starts the notification clocks";
/// The regime picker's legend.
pub const PICK_REGIMES: &str = "Regimes to draft (counsel decides which apply)";
/// Deadline table columns.
pub const DEADLINE_COLUMNS: [&str; 4] = [
    "What is due",
    "Due (UTC)",
    "Due (your local time)",
    "Time left",
];
/// The full text of a draft, to copy.
pub const DRAFT_TEXT: &str = "The whole draft as text, to copy";
/// Heading of the key times in the summary.
pub const KEY_TIMES: &str = "Key times";
/// Key-time columns.
pub const KEY_TIME_COLUMNS: [&str; 4] = ["Milestone", "UTC", "Local time", "From"];
/// Download the report as Markdown.
pub const DOWNLOAD_MARKDOWN: &str = "Report (Markdown)";
/// Download the indicators of compromise as CSV.
pub const DOWNLOAD_IOCS: &str = "IOCs (CSV)";
/// The report's verdict: abuse confirmed.
pub const VERDICT_CONFIRMED: &str = "Abuse confirmed";
/// The report's verdict: abuse suspected.
pub const VERDICT_SUSPECTED: &str = "Abuse suspected";
/// Heading of the blast-radius panel.
pub const BLAST_RADIUS: &str = "Blast radius";
/// The panel's one-line explanation.
pub const BLAST_NOTE: &str = "What the leaked credentials could do, reach and mint. Every line names its rule and what it rests on; answer the questions below to sharpen it.";
/// Data exposure rating.
pub const DATA_EXPOSURE: &str = "Data exposure";
/// Financial exposure rating.
pub const FINANCIAL_EXPOSURE: &str = "Financial exposure";
/// Personal data verdict.
pub const PERSONAL_DATA: &str = "Personal data reachable";
/// After the number of people.
pub const PEOPLE: &str = "people";
/// Heading of the credentials table.
pub const CONTAINMENT: &str = "Credentials, by containment priority";
/// Credentials table columns.
pub const CREDENTIAL_COLUMNS: [&str; 5] = ["Id", "Credential", "Kind", "Priority", "Can do"];
/// Heading of the revocation list.
pub const REVOKE_ORDER: &str = "What to revoke, and where, in this order";
/// Heading of the scope's three questions.
pub const THREE_QUESTIONS: &str = "The three questions";
/// What could it do?
pub const COULD_DO: &str = "What could it do?";
/// Where was it used?
pub const USED_WHERE: &str = "Where was it used?";
/// What can an attacker do next?
pub const NEXT: &str = "What can an attacker do next?";
/// Heading of the rooms next door.
pub const ROOMS: &str = "Rooms next door";
/// Rooms table columns.
pub const ROOM_COLUMNS: [&str; 3] = ["System", "Look for in its audit log", "Why"];
/// Heading of the questionnaire.
pub const QUESTIONNAIRE: &str = "Questions about the key";
/// The questionnaire's note.
pub const QUESTIONNAIRE_NOTE: &str = "Every answer is optional, and \"unknown\" is an answer. Values found in the evidence are pre-filled; only what you change is sent, and the page assesses again.";
/// The questionnaire's labels, by question id.
pub const QUESTION_LABELS: [(&str, &str); 11] = [
    (
        "key_scope",
        "Is the key scoped to the whole organisation or to one project?",
    ),
    (
        "spend_limit",
        "Is there a spend limit (hard budget) on the key or its project?",
    ),
    ("spend_limit_usd", "The limit, in US dollars a month"),
    ("models_allowed", "Which models may the key call?"),
    ("agent", "Is the key used by an AI agent with tools?"),
    (
        "agent_tools",
        "Which systems can the agent (or the workload holding the key) act on?",
    ),
    (
        "minted",
        "Did the key, or the agent, mint tokens downstream?",
    ),
    ("minted_kinds", "Which tokens did it mint?"),
    ("personal_data", "Could the key reach personal data?"),
    ("people", "Of roughly how many people?"),
    ("environments", "Which environments shared the key?"),
];
/// Choices of the yes / no / unknown questions.
pub const TRI_CHOICES: [(&str, &str); 3] = [("yes", "yes"), ("no", "no"), ("unknown", "unknown")];
/// Choices of the key-scope question.
pub const SCOPE_CHOICES: [(&str, &str); 3] = [
    ("organisation", "the whole organisation"),
    ("project", "one project"),
    ("unknown", "unknown"),
];
/// Choices of the models question.
pub const MODEL_CHOICES: [(&str, &str); 3] = [
    ("all", "every model"),
    ("restricted", "a restricted list"),
    ("unknown", "unknown"),
];
/// Choices of the tools question.
pub const TOOL_CHOICES: [(&str, &str); 8] = [
    ("database", "database"),
    ("email", "email"),
    ("chat", "chat (Slack, Teams…)"),
    ("code_host", "code host / CI"),
    ("crm", "CRM"),
    ("file_storage", "file storage"),
    ("agents_queues", "other agents or queues"),
    ("other", "other tools"),
];
/// Choices of the minted-tokens question.
pub const MINTED_CHOICES: [(&str, &str); 3] = [
    ("oauth_grants", "OAuth grants"),
    ("signed_urls", "signed URLs"),
    ("sub_keys", "sub-keys or scoped credentials"),
];
/// Choices of the environments question.
pub const ENV_CHOICES: [(&str, &str); 7] = [
    ("production", "production"),
    ("staging", "staging"),
    ("development", "development / test"),
    ("ci", "CI/CD"),
    ("source_repository", "source repository"),
    ("local_machines", "developers' machines"),
    ("third_party", "a partner or third party"),
];
/// The empty choice of a question.
pub const NOT_ANSWERED: &str = "not answered";
/// Before a value the evidence gave.
pub const FROM_EVIDENCE: &str = "From the evidence";
/// Before a value inferred from other answers.
pub const FROM_ANSWERS: &str = "From your other answers";
/// A value the responder gave.
pub const YOUR_ANSWER: &str = "Your answer";
/// After a list item the evidence shows (it stays).
pub const EVIDENCE_ITEM: &str = "(in the evidence)";
/// The questionnaire's submit button.
pub const REASSESS: &str = "Assess again with these answers";
/// The questionnaire's reset button.
pub const CLEAR_ANSWERS: &str = "Clear my answers";
/// How a capability's basis is shown, by basis id.
pub const BASIS_LABELS: [(&str, &str); 6] = [
    ("observed", "used"),
    ("evidence", "per the evidence"),
    ("kind", "by its kind"),
    ("answer", "your answer"),
    ("inferred", "from your answers"),
    ("unknown", "unknown"),
];
/// Heading of the agent section.
pub const AGENT: &str = "Agent sessions and actions";
/// Heading of the affected sessions.
pub const AGENT_SESSIONS: &str = "Sessions to freeze";
/// Sessions table columns.
pub const AGENT_SESSION_COLUMNS: [&str; 5] =
    ["Session", "Agent, model", "Active", "Tied by", "Evidence"];
/// Heading of the chain-hop graph.
pub const AGENT_HOPS: &str = "Chain-hops: work handed on to other agents";
/// Heading of the action log.
pub const AGENT_ACTIONS: &str = "Action log since the window opened";
/// Action table columns.
pub const AGENT_ACTION_COLUMNS: [&str; 6] = [
    "Time",
    "Session",
    "Tool",
    "Target and arguments",
    "Outcome",
    "Class, why and evidence",
];
/// Class filter label.
pub const AGENT_CLASS_FILTER: &str = "Class";
/// Session filter label.
pub const AGENT_SESSION_FILTER: &str = "Session";
/// Tool filter label.
pub const AGENT_TOOL_FILTER: &str = "Tool or target contains";
/// Every class or session.
pub const AGENT_ALL: &str = "all";
/// Heading of the connections.
pub const AGENT_CONNECTIONS: &str = "Connections to kill";
/// Heading of the minted tokens.
pub const AGENT_MINTED: &str = "Minted: revoke at the issuer";
/// No action matches the filters.
pub const AGENT_NO_MATCH: &str = "No action matches these filters.";
/// Download the action log.
pub const DOWNLOAD_AGENT_ACTIONS: &str = "Download the action log (CSV)";
/// Heading of the things to do now.
pub const DO_NOW: &str = "Do now";
/// A link to the detail of one thing to do.
pub const DETAIL_LINK: &str = "details";
/// After Cancel or "Remove all" with a known key given.
pub const KNOWN_KEY_NOT_KEPT: &str = "Your answers, times, checklist and regimes are kept. The known key you pasted is not (it is held only by the analysis that was stopped): paste it again to search for it.";
/// The findings' text filter.
pub const FINDINGS_FILTER: &str = "Credential, provider, rule or file contains";
/// The timeline's phase filter.
pub const PHASE_FILTER: &str = "Phase";
/// The section index beside the report on wide screens.
pub const SECTION_INDEX: &str = "Sections";
/// Heading of the leaked secrets seen in the agent's logs.
pub const AGENT_SECRETS: &str = "Leaked secrets in the agent's own logs";
