//! The rooms next door (connected systems and chain-hops to check, with what to look for in
//! each audit log) and what to revoke where (rules `room.*`, `revoke.*`).

use super::answers::{Minted, Tool, Tri};
use super::capability::Capability;
use super::kinds::{CredKind, Priority};
use super::questions::Facts;
use super::{Credential, Inputs, Reason, Revocation, Room, Source};
use crate::detect::{AlertKind, Severity};
use crate::evidence::Target;

/// Where identities, keys and grants an attacker created are deleted.
const IDENTITY_CONSOLE: &str = "the provider's identity console: delete the users, access keys, login profiles and policies created, and take back what was granted (detach the policies attached, delete the inline policies, remove the group memberships, restore the trust policies; see the alert's evidence rows)";
/// Where an S3 bucket an attacker opened to others is closed again.
const BUCKET_CONSOLE: &str = "the S3 console or API: remove the bucket policy statements, ACL grants and website hosting the attacker added, and turn Block Public Access back on for each bucket named (see the alert's evidence rows)";
/// Where the temporary credentials a federation token handed out are ended.
const FEDERATION_AT: &str = "the cloud's IAM console: the token was handed out by GetFederationToken, not a role's session; deny the IAM user that asked for it every action (an inline deny-all policy) until it expires, up to 36 hours after (deleting the key that asked for it does not end it)";
/// Where a snapshot or an image shared with other accounts is taken back.
const SHARE_AT: &str = "EC2 and RDS: take back each share named (aws ec2 modify-snapshot-attribute or modify-image-attribute with --operation-type remove, aws rds modify-db-snapshot-attribute or modify-db-cluster-snapshot-attribute with --values-to-remove); a copy the account made while it was shared stays theirs: treat what it held as exposed";
/// Where what was deleted is restored from.
const RESTORE_AT: &str = "the backups, snapshots, object versions and replicas of each (AWS Backup, RDS and EBS snapshots, S3 replication): restore what was deleted before their retention ends; for a deleted bucket, remove the DNS records and references still pointing at its name, which anyone may now create";

/// Where a KMS key disabled or scheduled for deletion is saved.
const KMS_AT: &str = "AWS KMS, before the key's deletion date (7 to 30 days after the call): cancel the deletion (aws kms cancel-key-deletion), then enable the key (aws kms enable-key), and find what failed to decrypt meanwhile";

/// The room each tool opens: (tool, system, what to look for).
const TOOL_ROOMS: &[(Tool, &str, &str)] = &[
    (Tool::Database, "the database the key's holder reaches", "queries by the application's database user since the compromise start; bulk SELECTs and exports; new users, grants and changed passwords"),
    (Tool::Email, "the mailbox the agent sends from", "messages sent and read since the compromise start; new forwarding rules, filters and OAuth app grants"),
    (Tool::Chat, "the chat workspace (Slack, Teams, Discord, Telegram)", "messages posted and files read by the bot; channels joined; new app installs and tokens"),
    (Tool::CodeHost, "the code host and its CI (GitHub, GitLab)", "clones and pushes by the agent's identity; new deploy keys, tokens and webhooks; workflow changes; CI secret reads"),
    (Tool::Crm, "the CRM", "exports and bulk reads of contacts; new API users and integrations"),
    (Tool::FileStorage, "the file storage (buckets, drives, shares)", "downloads; shared or public links created; access-list changes"),
    (Tool::AgentsQueues, "other agents and task queues (chain-hops)", "tasks enqueued and briefs handed off under the leaked credential since the compromise start; then each downstream agent's own action log (the first ten minutes, step 5)"),
    (Tool::Other, "the agent's other tools", "actions taken under the agent's identity since the compromise start"),
];

/// The room each capability opens: (capability, rule, system, what to look for).
pub(crate) const CAP_ROOMS: &[(Capability, &str, &str, &str)] = &[
    (Capability::AgentSession, "room.agent", "the agent's sessions and outbound connections", "sessions authenticated with the credential (freeze them); open MCP, tool and third-party sessions; the action log since the compromise start (the first ten minutes, steps 2-4)"),
    (Capability::Iam, "room.iam", "the cloud account's IAM (CloudTrail)", "CreateUser, CreateAccessKey, CreateLoginProfile, Attach/PutUserPolicy by this key; users named like ^[A-Z][a-z]{5}[0-9]{3}$ and a policy named New_Policy (JINX-2401)"),
    (Capability::CloudApi, "room.cloud", "the cloud account's audit log (CloudTrail, Cloud Audit Logs, Activity Log)", "every call by this key since it was exposed: IAM, SES (spam), EC2 (mining), S3 reads, Bedrock model-access and logging changes"),
    (Capability::KeyManagement, "room.org_audit", "the provider organisation's audit log", "api_key.created, service_account.created, project.created, user.added, invite.sent, rate_limit.updated, ip_allowlist.* in the window (OpenAI); keys, workspaces and invites created (Anthropic console)"),
    (Capability::AdminManagement, "room.org_audit", "the provider organisation's audit log", "api_key.created, service_account.created, project.created, user.added, invite.sent, rate_limit.updated, ip_allowlist.* in the window (OpenAI); keys, workspaces and invites created (Anthropic console)"),
    (Capability::Files, "room.stored", "the project's stored files, assistants, batches, vector stores and fine-tunes", "objects created, read or deleted since the compromise start; fine-tuned models and assistants nobody in the team made"),
    (Capability::ActAsUser, "room.account", "the issuing service's sessions and connected apps", "sessions and grants created with the token; new apps authorised; settings changed"),
    (Capability::CodeAccess, "room.code", "the code host and its CI (GitHub, GitLab)", "clones and pushes by the token's identity; new deploy keys, tokens and webhooks; workflow changes; CI secret reads"),
    (Capability::Payments, "room.payments", "the payment processor's dashboard logs", "payout destination changes, refunds and new connected accounts since the exposure"),
    (Capability::DataRead, "room.database", "the database the key's holder reaches", "queries by the exposed user since the compromise start; bulk SELECTs and exports; new users, grants and changed passwords"),
];

/// The rooms next door.
pub(crate) fn build(i: &Inputs, creds: &[Credential], f: &Facts) -> Vec<Room> {
    let mut rooms: Vec<Room> = Vec::new();
    let push = |rooms: &mut Vec<Room>, system: &str, look_for: &str, why: Reason| {
        if !rooms.iter().any(|r| r.system == system) {
            rooms.push(Room {
                system: system.into(),
                look_for: look_for.into(),
                why,
            });
        }
    };
    for t in f.tools() {
        if let Some((_, system, look)) = TOOL_ROOMS.iter().find(|(x, ..)| x == t) {
            push(
                &mut rooms,
                system,
                look,
                Reason::new(
                    "room.tool",
                    format!("the key's holder acts on {}", t.label()),
                    f.agent_tools.sources("agent_tools"),
                ),
            );
        }
    }
    for (cap, rule, system, look) in CAP_ROOMS {
        let Some((ids, src)) = super::credentials::with_capability(creds, *cap) else {
            continue;
        };
        let why = Reason::new(rule, format!("{} can {}", ids.join(", "), cap.label()), src);
        push(&mut rooms, system, look, why);
    }
    for c in creds.iter().filter(|c| c.kind == CredKind::BedrockApiKey) {
        push(&mut rooms, "the IAM user behind the Bedrock API key (BedrockAPIKey-…)", "access keys added to it and policies attached beyond AmazonBedrockLimitedAccess: they outlive the Bedrock key", Reason::new("room.bedrock_user", format!("{} is a Bedrock API key: a long-term one is an IAM user", c.id), c.classification.sources.clone()));
    }
    for room in super::agent::rooms(i.agent) {
        push(&mut rooms, &room.system, &room.look_for, room.why);
    }
    for m in f.minted() {
        let (system, look) = match m {
            Minted::OauthGrants => (
                "the OAuth issuer's grants",
                "grants and refresh tokens issued since the compromise start, to which apps",
            ),
            Minted::SignedUrls => (
                "the storage service that honours the signed URLs",
                "requests carrying signatures issued before the revocation",
            ),
            Minted::SubKeys => (
                "the provider's key and identity lists",
                "API keys, service accounts and access keys created after the compromise start",
            ),
        };
        push(
            &mut rooms,
            system,
            look,
            Reason::new(
                "room.minted",
                format!("it minted {}", m.label()),
                f.minted_kinds.sources("minted_kinds"),
            ),
        );
    }
    if let Some(envs) = f.environments.value.as_ref().filter(|e| e.len() > 1) {
        push(&mut rooms, "every environment that held the key", "deployment logs, secret stores, container images and CI logs still holding the old value; rotate it in each", Reason::new("room.environments", format!("the key was shared by {}", envs.iter().map(|e| e.label()).collect::<Vec<_>>().join(", ")), f.environments.sources("environments")));
    }
    for a in i.detection.alerts.iter().filter(|a| {
        a.kind == AlertKind::LoggingTampering
            && !a.all_refused()
            && creds
                .iter()
                .any(|c| c.usage_key.as_deref() == Some(a.key.as_str()))
    }) {
        push(&mut rooms, "the logging configuration", "when it was changed and what it was before; restore it, and cover the time until then from other logs", Reason::new("room.logging", a.sentence.clone(), vec![Source::Alert { id: a.id.clone() }]));
    }
    rooms
}

impl Revocation {
    /// A step an alert calls for: `what` to do `at` where, its reason the alert's sentence.
    fn for_alert(
        a: &crate::detect::Alert,
        id: &str,
        what: String,
        at: &str,
        priority: Priority,
    ) -> Revocation {
        Revocation {
            what,
            at: at.to_string(),
            credential: None,
            priority,
            why: Reason::new(
                id,
                a.sentence.clone(),
                vec![Source::Alert { id: a.id.clone() }],
            ),
        }
    }
}

/// What to revoke and where, highest priority first.
pub(crate) fn revoke(i: &Inputs, creds: &[Credential], f: &Facts) -> Vec<Revocation> {
    let mut out: Vec<Revocation> = Vec::new();
    for c in creds {
        // Temporary credentials `GetFederationToken` handed out: not a role's session; they
        // end when they expire, unless their user is denied everything.
        let federated = c.kind == CredKind::CloudTemporaryKey
            && i.detection.alerts.iter().any(|a| {
                a.kind == AlertKind::Persistence
                    && a.targets.iter().any(|t| {
                        Target::federation_token(t)
                            .is_some_and(|id| Some(id) == c.usage_key.as_deref() || id == c.name)
                    })
            });
        let at = if federated {
            FEDERATION_AT.to_string()
        } else if c.kind == CredKind::CloudTemporaryKey {
            format!(
                "{}; also the long-term identity that issued the session",
                c.revoke_at
            )
        } else {
            c.revoke_at.clone()
        };
        out.push(Revocation {
            what: format!("{} ({})", c.name, c.kind_label),
            at,
            credential: Some(c.id.clone()),
            priority: c.containment_priority,
            why: Reason::new("revoke.credential", "rotate first, investigate second: create the replacement, deploy it, then revoke the old one", c.classification.sources.clone()),
        });
    }
    let agent = f.agent.value == Some(Tri::Yes)
        || creds.iter().any(|c| c.kind == CredKind::AgentCredential);
    if agent {
        let src = if f.agent.value == Some(Tri::Yes) {
            f.agent.sources("agent")
        } else {
            creds
                .iter()
                .filter(|c| c.kind == CredKind::AgentCredential)
                .flat_map(|c| c.classification.sources.clone())
                .collect()
        };
        out.push(Revocation {
            what: format!(
                "the agent's sessions that authenticated with the credential{}",
                super::agent::affected_named(i.agent)
            ),
            at: "end the processes: a hard stop, not a cancel (the first ten minutes, step 2)"
                .into(),
            credential: None,
            priority: Priority::Highest,
            why: Reason::new(
                "revoke.agent_sessions",
                "a captured session stays logged in after the key rotates",
                src.clone(),
            ),
        });
        out.push(Revocation {
            what: format!(
                "the agent's open outbound connections (tools, queues, third-party sessions){}",
                super::agent::connections_named(i.agent)
            ),
            at: "close each one and make the agent re-handshake on the new credential (the first ten minutes, step 3)".into(),
            credential: None,
            priority: Priority::Highest,
            why: Reason::new("revoke.agent_connections", "the attacker may hold the session, not only the key", src),
        });
    }
    for m in f.minted() {
        let at = match m {
            Minted::OauthGrants => "at the issuer (the identity provider or the app's OAuth server): revoke the grants and their refresh tokens, not just at the consumer",
            Minted::SignedUrls => "rotate or delete the credential that signed them: pre-signed URLs die with their signing credential",
            Minted::SubKeys => "where they were made: the provider's API keys and service accounts page, or the IAM users' access keys",
        };
        out.push(Revocation {
            what: format!("the {} it minted", m.label()),
            at: at.into(),
            credential: None,
            priority: Priority::High,
            why: Reason::new(
                "revoke.minted",
                "tokens it minted spread the leak: revoke them at their issuer (the first ten minutes, step 6)",
                f.minted_kinds.sources("minted_kinds"),
            ),
        });
    }
    for a in i.detection.alerts.iter().filter(|a| {
        a.kind == AlertKind::Persistence
            && a.severity == Severity::Critical
            && (!a.targets.is_empty()
                || creds
                    .iter()
                    .any(|c| c.usage_key.as_deref() == Some(a.key.as_str())))
    }) {
        // Secrets, passwords and keys read are rotated where they are kept.
        if a.read_secrets() {
            // The keys named where the evidence names them, and the calls (a call may read
            // several, named in its record's request rather than in the fields read).
            let read = if a.targets.is_empty() {
                a.values.join(", ")
            } else {
                format!("{} (by {})", a.targets.join(", "), a.values.join(", "))
            };
            out.push(Revocation::for_alert(
                a,
                "revoke.secrets_read",
                format!(
                    "the secrets, passwords and keys read with {}: {read}; each call's evidence row names what it read",
                    a.key
                ),
                "where each is kept (the secrets manager, the instance, the resource's keys): rotate it and deploy the new value, then look in its own logs for use since it was read",
                Priority::Highest,
            ));
            continue;
        }
        // What was deleted since (a bucket opened, then deleted) has nothing left to close.
        let standing: Vec<&String> = a
            .targets
            .iter()
            .filter(|t| !i.detection.deleted(t))
            .collect();
        if standing.is_empty() && !a.targets.is_empty() {
            continue;
        }
        // Name what was made (the new key, user, login profile, policy) when the evidence
        // does, so it can be deleted; else the calls that made it.
        let made = if standing.is_empty() {
            a.values.join(", ")
        } else {
            standing
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        // A bucket opened to others (a bucket policy, an ACL, its public-access block removed)
        // is closed; identities and keys are deleted.
        let opened = standing.iter().any(|t| Target::is_opened(t));
        let shared = standing.iter().any(|t| Target::is_share(t));
        let created = standing.is_empty()
            || standing
                .iter()
                .any(|t| !Target::is_opened(t) && !Target::is_share(t));
        let at = [
            (created, IDENTITY_CONSOLE),
            (opened, BUCKET_CONSOLE),
            (shared, SHARE_AT),
        ]
        .iter()
        .filter(|(holds, _)| *holds)
        .map(|(_, at)| *at)
        .collect::<Vec<_>>()
        .join("; ");
        let did = match (opened, shared, created) {
            (false, true, false) => "shared with other accounts",
            (true, true, _) => "created, opened or shared with other accounts",
            (false, true, true) => "created or shared with other accounts",
            (true, false, _) => "created or opened",
            (false, false, _) => "created",
        };
        let what = format!("what the attacker {did} with {}: {made}", a.key);
        out.push(Revocation::for_alert(
            a,
            "revoke.persistence",
            what,
            &at,
            Priority::Highest,
        ));
    }
    // Logging, trails and guardrails the key changed or deleted: restored, or what follows
    // stays unseen.
    for a in i.detection.alerts.iter().filter(|a| {
        a.kind == AlertKind::LoggingTampering
            && a.severity == Severity::Critical
            && !a.targets.is_empty()
    }) {
        out.push(Revocation::for_alert(
            a,
            "revoke.logging",
            format!("what {} changed or deleted: {}", a.key, a.targets.join(", ")),
            "the provider's console: restore the logging configuration, trail or guardrail as it was, then treat the gap as unseen activity",
            Priority::Highest,
        ));
    }
    // Data the key deleted: restored from a copy while one is kept.
    for a in i.detection.alerts.iter().filter(|a| a.lost_data()) {
        // A KMS key is saved where it is kept, before its deletion date, not from a copy.
        let (at, did) = match a.kms_keys() {
            (false, _) => (RESTORE_AT.to_string(), "deleted"),
            (true, true) => (KMS_AT.to_string(), "disabled or scheduled for deletion"),
            (true, false) => (
                format!("{RESTORE_AT}; for each KMS key, {KMS_AT}"),
                "deleted, disabled or scheduled for deletion",
            ),
        };
        out.push(Revocation::for_alert(
            a,
            "revoke.destruction",
            format!("what {} {did}: {}", a.key, a.named()),
            &at,
            Priority::High,
        ));
    }
    out.extend(super::agent::revocations(i.agent));
    out.sort_by_key(|r| std::cmp::Reverse(r.priority));
    out
}
