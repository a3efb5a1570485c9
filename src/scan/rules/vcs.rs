//! Source hosting tokens: GitHub, GitLab.

use super::{Check, Confidence, Kind, Rule};

const GH_CAN: &str = "read and write the repositories, packages, actions secrets and settings the token's scopes reach; push code; read private code";
const GH_REVOKE: &str = "github.com/settings/tokens (or the app's settings for app tokens): delete the token; an org owner can revoke via the credential API";

macro_rules! gh_rule {
    ($id:expr, $title:expr, $kind:expr, $kw:expr, $pat:expr, $shape:expr, $var:expr) => {
        Rule {
            id: $id,
            provider: "GitHub",
            title: $title,
            kind: $kind,
            keywords: &[$kw],
            pattern: $pat,
            check: Check::GithubCrc32,
            confidence: Confidence::High,
            can_do: GH_CAN,
            revoke: GH_REVOKE,
            shape: $shape,
            var: $var,
            examples: &[
                concat!($var, "=$S"),
                "git clone https://x-access-token:$S@github.com/acme/app.git",
            ],
            negatives: &[concat!($kw, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")],
            ..Rule::DEFAULT
        }
    };
}

/// VCS rules.
pub const RULES: &[Rule] = &[
    gh_rule!("github-pat", "GitHub personal access token (classic)", Kind::VcsToken, "ghp_", r"\b(ghp_[A-Za-z0-9]{36})\b", "ghp_{an:30}{crc}", "GITHUB_TOKEN"),
    gh_rule!("github-oauth-token", "GitHub OAuth access token", Kind::OauthAccessToken, "gho_", r"\b(gho_[A-Za-z0-9]{36})\b", "gho_{an:30}{crc}", "GH_OAUTH_TOKEN"),
    gh_rule!("github-user-to-server-token", "GitHub App user-to-server token", Kind::OauthAccessToken, "ghu_", r"\b(ghu_[A-Za-z0-9]{36})\b", "ghu_{an:30}{crc}", "GH_USER_TOKEN"),
    gh_rule!("github-server-to-server-token", "GitHub App installation (server-to-server) token", Kind::VcsToken, "ghs_", r"\b(ghs_[A-Za-z0-9]{36})\b", "ghs_{an:30}{crc}", "GH_INSTALLATION_TOKEN"),
    gh_rule!("github-refresh-token", "GitHub App refresh token", Kind::OauthRefreshToken, "ghr_", r"\b(ghr_[A-Za-z0-9]{36,76})\b", "ghr_{an:30}{crc}", "GH_REFRESH_TOKEN"),
    Rule {
        id: "github-fine-grained-pat",
        provider: "GitHub",
        title: "GitHub fine-grained personal access token",
        kind: Kind::VcsToken,
        keywords: &["github_pat_"],
        pattern: r"\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b",
        check: Check::FixedShape,
        confidence: Confidence::High,
        can_do: GH_CAN,
        revoke: "github.com/settings/personal-access-tokens: revoke",
        shape: "github_pat_11{upan:20}_{an:59}",
        var: "GITHUB_TOKEN",
        examples: &["GITHUB_TOKEN=$S", "token: $S"],
        negatives: &["github_pat_xxxxxxxxxxxxxxxxxxxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "gitlab-pat",
        provider: "GitLab",
        title: "GitLab personal access token",
        kind: Kind::VcsToken,
        keywords: &["glpat-"],
        pattern: r"\b(glpat-[A-Za-z0-9_-]{20})(?:[^A-Za-z0-9_.-]|$)",
        check: Check::FixedShape,
        confidence: Confidence::High,
        can_do: "act as the user on GitLab within the token's scopes: API, repositories, registry",
        revoke: "GitLab > User settings > Access tokens: Revoke (or POST /personal_access_tokens/self/revoke)",
        shape: "glpat-{an:20}",
        var: "GITLAB_TOKEN",
        examples: &["GITLAB_TOKEN=$S", "PRIVATE-TOKEN: $S"],
        negatives: &["glpat-xxxxxxxxxxxxxxxxxxxx"],
        ..Rule::DEFAULT
    },
    Rule {
        id: "gitlab-pat-routable",
        provider: "GitLab",
        title: "GitLab personal access token (routable)",
        kind: Kind::VcsToken,
        keywords: &["glpat-"],
        pattern: r"\b(glpat-[0-9A-Za-z_-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7})\b",
        confidence: Confidence::High,
        can_do: "act as the user on GitLab within the token's scopes",
        revoke: "GitLab > User settings > Access tokens: Revoke",
        shape: "glpat-{an:36}.01{lowan:7}",
        var: "GITLAB_TOKEN",
        examples: &["GITLAB_TOKEN=$S"],
        negatives: &["glpat-short.01.abc"],
        ..Rule::DEFAULT
    },
];
