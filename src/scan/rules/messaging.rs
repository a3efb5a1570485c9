//! Chat and bot credentials: Slack, Telegram.

use super::{Check, Confidence, Kind, Rule};

const SLACK_REVOKE: &str =
    "api.slack.com/apps > the app > OAuth & Permissions: Revoke / rotate tokens (or auth.revoke)";

/// Messaging rules.
pub const RULES: &[Rule] = &[
    Rule {
        id: "slack-bot-token",
        provider: "Slack",
        title: "Slack bot token",
        kind: Kind::BotToken,
        keywords: &["xoxb-"],
        pattern: r"\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-?[A-Za-z0-9-]{20,40})",
        confidence: Confidence::High,
        can_do:
            "post and read messages and files in every channel the bot is in, within its scopes",
        revoke: SLACK_REVOKE,
        shape: "xoxb-{dig:12}-{dig:13}-{an:24}",
        var: "SLACK_BOT_TOKEN",
        examples: &["SLACK_BOT_TOKEN=$S"],
        negatives: &["xoxb-your-token"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "slack-user-token",
        provider: "Slack",
        title: "Slack user token",
        kind: Kind::BotToken,
        keywords: &["xoxp-"],
        pattern: r"\b(xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32})\b",
        confidence: Confidence::High,
        can_do: "act as the Slack user: read private channels and DMs, post as them",
        revoke: SLACK_REVOKE,
        shape: "xoxp-{dig:12}-{dig:12}-{dig:13}-{hex:32}",
        var: "SLACK_USER_TOKEN",
        examples: &["SLACK_USER_TOKEN=$S"],
        negatives: &["xoxp-0000000000-0000000000-0000000000-00000000000000000000000000000000"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "slack-app-token",
        provider: "Slack",
        title: "Slack app-level token",
        kind: Kind::BotToken,
        keywords: &["xapp-"],
        pattern: r"\b(xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,13}-[a-f0-9]{64})\b",
        confidence: Confidence::High,
        can_do: "open Socket Mode connections and receive the app's events",
        revoke: SLACK_REVOKE,
        shape: "xapp-1-A{upan:10}-{dig:13}-{hex:64}",
        var: "SLACK_APP_TOKEN",
        examples: &["SLACK_APP_TOKEN=$S"],
        negatives: &["xapp-1-xxxx"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "slack-config-token",
        provider: "Slack",
        title: "Slack configuration / rotating token",
        kind: Kind::OauthRefreshToken,
        keywords: &["xoxe"],
        pattern: r"\b(xoxe(?:\.xox[bp])?-[0-9]-[A-Za-z0-9]{100,300})\b",
        confidence: Confidence::High,
        can_do: "create and configure Slack apps, or refresh the app's tokens",
        revoke: SLACK_REVOKE,
        shape: "xoxe.xoxp-1-{an:150}",
        var: "SLACK_CONFIG_TOKEN",
        examples: &["SLACK_CONFIG_TOKEN=$S"],
        negatives: &["xoxe.xoxp-1-"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "slack-legacy-token",
        provider: "Slack",
        title: "Slack legacy token (xoxa / xoxr / xoxo / xoxs)",
        kind: Kind::BotToken,
        keywords: &["xoxa-", "xoxr-", "xoxo-", "xoxs-"],
        pattern: r"\b(xox[aors]-[0-9]{1,13}-[0-9A-Za-z-]{20,120})",
        confidence: Confidence::Medium,
        can_do: "act on the workspace with the legacy token's (often broad) scopes",
        revoke: SLACK_REVOKE,
        shape: "xoxa-2-{dig:12}-{an:40}",
        var: "SLACK_TOKEN",
        examples: &["SLACK_TOKEN=$S"],
        negatives: &["xoxa-2-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "slack-webhook-url",
        provider: "Slack",
        title: "Slack incoming webhook URL",
        kind: Kind::Webhook,
        keywords: &["hooks.slack.com"],
        pattern: r"(https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{8,12}/[AB][A-Z0-9]{8,12}/[A-Za-z0-9]{23,25})",
        check: Check::FixedShape,
        confidence: Confidence::High,
        min_entropy: 2.5,
        can_do: "post messages into the channel (phishing from a trusted bot)",
        revoke: "api.slack.com/apps > the app > Incoming Webhooks: remove the webhook",
        shape: "https://hooks.slack.com/services/T{upan:10}/B{upan:10}/{an:24}",
        var: "SLACK_WEBHOOK_URL",
        examples: &[
            "SLACK_WEBHOOK_URL=$S",
            "curl -X POST $S -d '{\"text\":\"hi\"}'",
        ],
        negatives: &[
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        ],
        ..Rule::DEFAULT
    },
    Rule {
        id: "telegram-bot-token",
        provider: "Telegram",
        title: "Telegram bot token",
        kind: Kind::BotToken,
        keywords: &["telegr", "tg_bot", "bot_token", "api.telegram.org/bot"],
        pattern: r"(?:^|[^0-9])([0-9]{8,10}:AA[A-Za-z0-9_-]{33})(?:[^A-Za-z0-9_-]|$)",
        check: Check::FixedShape,
        confidence: Confidence::Medium,
        context_only: true,
        span: 200,
        can_do: "read every message sent to the bot and send messages as it",
        revoke: "Telegram @BotFather: /revoke for the bot",
        shape: "{dig:10}:AA{b64u:33}",
        var: "TELEGRAM_BOT_TOKEN",
        examples: &[
            "TELEGRAM_BOT_TOKEN=$S",
            "https://api.telegram.org/bot$S/sendMessage",
        ],
        negatives: &["TELEGRAM_BOT_TOKEN=123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
        ..Rule::DEFAULT
    },
];
