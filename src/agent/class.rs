//! The classes of an agent's actions, by effect outside the agent's own sandbox. Source: the
//! leak-triage research on agent logs (classifying actions: read, reversible, irreversible,
//! with egress and mint as the playbook's cross-cutting cases) and the MCP specification's
//! tool annotations (read-only, destructive and open-world hints).

use serde::Serialize;

/// An action's class, least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// No state change (still sensitive for what it read).
    Read,
    /// A read whose arguments or data leave the machine (a URL, a query, an upload).
    Egress,
    /// A contained change that the logs allow to undo (a local edit, a local commit).
    Reversible,
    /// Visible outside: a push of an issue, a comment, a pull request; closable, but seen.
    External,
    /// Cannot be called back: a push, a publish, a deletion, a payment, a message sent.
    Irreversible,
    /// Creates a credential, grant, signed URL, webhook or standing job: revoke it.
    Mint,
}

impl Class {
    /// Every class, least severe first.
    pub const ALL: [Class; 6] = [
        Class::Read,
        Class::Egress,
        Class::Reversible,
        Class::External,
        Class::Irreversible,
        Class::Mint,
    ];

    /// The class's stable name.
    pub fn name(self) -> &'static str {
        match self {
            Class::Read => "read",
            Class::Egress => "egress",
            Class::Reversible => "reversible",
            Class::External => "external",
            Class::Irreversible => "irreversible",
            Class::Mint => "mint",
        }
    }
}

/// A classification: the class and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The class.
    pub class: Class,
    /// Why, in words.
    pub reason: String,
    /// For a mint: the issuer and where to revoke what was made.
    pub revoke: Option<(&'static str, &'static str)>,
}

impl Verdict {
    /// A verdict without a revocation.
    pub fn new(class: Class, reason: impl Into<String>) -> Self {
        Verdict {
            class,
            reason: reason.into(),
            revoke: None,
        }
    }
}
