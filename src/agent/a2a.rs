//! A2A methods by class, as data, under both protocol generations' names. Sources: the A2A
//! specification v0.3.0 and v1.0.1 (methods, push-notification configs and their
//! credentials) and the leak-triage research's action table (a message sent to another agent
//! is a chain-hop that cannot be called back; a push-notification config hands out a token).

use super::class::{Class, Verdict};

/// (method, class, why).
pub const METHODS: &[(&str, Class, &str)] = &[
    ("message/send", Class::Irreversible, "sends a message to another agent, which takes it as work (a chain-hop); it cannot be called back"),
    ("SendMessage", Class::Irreversible, "sends a message to another agent, which takes it as work (a chain-hop); it cannot be called back"),
    ("message/stream", Class::Irreversible, "sends a message to another agent, which takes it as work (a chain-hop); it cannot be called back"),
    ("SendStreamingMessage", Class::Irreversible, "sends a message to another agent, which takes it as work (a chain-hop); it cannot be called back"),
    ("tasks/get", Class::Read, "reads a delegated task's state"),
    ("GetTask", Class::Read, "reads a delegated task's state"),
    ("ListTasks", Class::Read, "lists delegated tasks"),
    ("tasks/resubscribe", Class::Read, "follows a delegated task's updates"),
    ("SubscribeToTask", Class::Read, "follows a delegated task's updates"),
    ("agent/getAuthenticatedExtendedCard", Class::Read, "reads the remote agent's card"),
    ("GetExtendedAgentCard", Class::Read, "reads the remote agent's card"),
    ("tasks/pushNotificationConfig/get", Class::Read, "reads a task's push-notification config"),
    ("GetTaskPushNotificationConfig", Class::Read, "reads a task's push-notification config"),
    ("tasks/pushNotificationConfig/list", Class::Read, "lists a task's push-notification configs"),
    ("ListTaskPushNotificationConfig", Class::Read, "lists a task's push-notification configs"),
    ("tasks/cancel", Class::Reversible, "cancels delegated work"),
    ("CancelTask", Class::Reversible, "cancels delegated work"),
    ("tasks/pushNotificationConfig/delete", Class::Reversible, "removes a task's push-notification config"),
    ("DeleteTaskPushNotificationConfig", Class::Reversible, "removes a task's push-notification config"),
    ("tasks/pushNotificationConfig/set", Class::Mint, "hands the remote agent a webhook address and the token it calls it with"),
    ("CreateTaskPushNotificationConfig", Class::Mint, "hands the remote agent a webhook address and the token it calls it with"),
];

/// Where to revoke a push-notification config.
const REVOKE: (&str, &str) = (
    "the remote A2A agent, and the webhook's own service",
    "delete the config at the agent (DeleteTaskPushNotificationConfig, tasks/pushNotificationConfig/delete) and rotate the token the webhook accepts",
);

/// Classifies an A2A method (as the readers name it, after `a2a:`).
pub fn classify(method: &str) -> Verdict {
    match METHODS.iter().find(|(m, _, _)| *m == method) {
        Some((m, class, why)) => Verdict {
            class: *class,
            reason: format!("A2A {m} {why}"),
            revoke: (*class == Class::Mint).then_some(REVOKE),
        },
        None => Verdict::new(
            Class::Reversible,
            format!("A2A {method}: a method not in the catalog, taken as a change"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_generations_class_alike() {
        for (old, new) in [
            ("message/send", "SendMessage"),
            ("tasks/get", "GetTask"),
            ("tasks/cancel", "CancelTask"),
            (
                "tasks/pushNotificationConfig/set",
                "CreateTaskPushNotificationConfig",
            ),
        ] {
            assert_eq!(classify(old).class, classify(new).class, "{old}");
        }
        assert_eq!(classify("SendMessage").class, Class::Irreversible);
        assert!(classify("CreateTaskPushNotificationConfig")
            .revoke
            .is_some());
        assert_eq!(classify("Unheard").class, Class::Reversible);
    }
}
