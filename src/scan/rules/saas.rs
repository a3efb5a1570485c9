//! SaaS, payments, package registries and infrastructure tokens.

use super::{Confidence, Kind, Rule};

macro_rules! simple {
    ($id:expr, $prov:expr, $title:expr, $kind:expr, $kw:expr, $pat:expr, $shape:expr, $var:expr, $can:expr, $revoke:expr, $neg:expr) => {
        Rule {
            id: $id,
            provider: $prov,
            title: $title,
            kind: $kind,
            keywords: $kw,
            pattern: $pat,
            confidence: Confidence::High,
            can_do: $can,
            revoke: $revoke,
            shape: $shape,
            var: $var,
            examples: &[concat!($var, "=$S"), concat!("  ", $var, ": '$S'")],
            negatives: $neg,
            ..Rule::DEFAULT
        }
    };
}

/// SaaS rules.
pub const RULES: &[Rule] = &[
    simple!("stripe-live-key", "Stripe", "Stripe live secret or restricted key", Kind::PaymentKey, &["sk_live_", "rk_live_", "sk_prod_", "rk_prod_"],
        r"\b([sr]k_(?:live|prod)_[A-Za-z0-9]{20,247})\b", "sk_live_{an:99}", "STRIPE_SECRET_KEY",
        "charges, refunds, payouts and customer data of the Stripe account", "dashboard.stripe.com/apikeys: roll the key",
        &["sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"]),
    Rule {
        confidence: Confidence::Low,
        ..simple!("stripe-test-key", "Stripe", "Stripe test-mode secret key", Kind::PaymentKey, &["sk_test_", "rk_test_"],
        r"\b([sr]k_test_[A-Za-z0-9]{20,247})\b", "sk_test_{an:99}", "STRIPE_TEST_KEY",
        "test-mode data only (no real money), but shows the account and may sit beside live keys", "dashboard.stripe.com/test/apikeys: roll the key",
        &["sk_test_4eC39HqLyjWDarjtT1zdp7dc"])
    },
    simple!("stripe-webhook-secret", "Stripe", "Stripe webhook signing secret", Kind::Webhook, &["whsec_"],
        r"\b(whsec_[A-Za-z0-9+/=]{32,64})", "whsec_{an:32}", "STRIPE_WEBHOOK_SECRET",
        "forge webhook events your endpoint will trust", "dashboard.stripe.com/webhooks > endpoint: roll secret",
        &["whsec_..."]),
    simple!("sendgrid-api-key", "SendGrid", "SendGrid API key", Kind::ApiKey, &["sg."],
        r"\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)", "SG.{b64u:22}.{b64u:43}", "SENDGRID_API_KEY",
        "send email as the account's verified senders (phishing), read contacts", "app.sendgrid.com/settings/api_keys: delete",
        &["SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]),
    Rule {
        confidence: Confidence::Low,
        context_only: true,
        span: 200,
        ..simple!("twilio-api-key", "Twilio", "Twilio API key secret SID (by context)", Kind::ApiKey, &["twilio"],
        r"\b(SK[0-9a-f]{32})\b", "SK{hex:32}", "TWILIO_API_KEY",
        "send SMS and calls on the account's bill, read message logs", "console.twilio.com > API keys & tokens: delete",
        &["TWILIO_API_KEY=SK00000000000000000000000000000000"])
    },
    simple!("npm-token", "npm", "npm access token", Kind::PackageToken, &["npm_"],
        r"\b(npm_[A-Za-z0-9]{36})\b", "npm_{an:36}", "NPM_TOKEN",
        "publish packages as the user (supply-chain attack)", "npmjs.com > Access Tokens: delete (npm token revoke)",
        &["npm_config_registry_url_for_the_scope"]),
    simple!("pypi-token", "PyPI", "PyPI API token", Kind::PackageToken, &["pypi-ageichlwas5vcmc"],
        r"\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000})", "pypi-AgEIcHlwaS5vcmc{b64u:150}", "PYPI_TOKEN",
        "upload releases of the user's projects (supply-chain attack)", "pypi.org/manage/account/token: remove the token",
        &["pypi-AgEIcHlwaS5vcmc"]),
    simple!("databricks-token", "Databricks", "Databricks personal access token", Kind::ApiKey, &["dapi"],
        r"\b(dapi[a-f0-9]{32}(?:-[0-9])?)\b", "dapi{hex:32}", "DATABRICKS_TOKEN",
        "run jobs and notebooks, read tables and model-serving endpoints in the workspace", "Databricks > User settings > Developer > Access tokens: revoke",
        &["dapi00000000000000000000000000000000"]),
    simple!("vault-token", "HashiCorp Vault", "HashiCorp Vault service / batch token", Kind::ApiKey, &["hvs.", "hvb."],
        r"\b(hv[sb]\.[A-Za-z0-9_-]{90,200})", "hvs.{b64u:95}", "VAULT_TOKEN",
        "read every secret the token's policies allow", "vault token revoke <token> (or revoke the accessor)",
        &["hvs.xxxxxxxx"]),
    simple!("terraform-cloud-token", "HashiCorp Terraform Cloud", "Terraform Cloud / Enterprise API token", Kind::ApiKey, &["atlasv1"],
        r"\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})\b", "{an:14}.atlasv1.{an:67}", "TFE_TOKEN",
        "run plans and applies, read state files (which hold more secrets)", "app.terraform.io/app/settings/tokens: delete",
        &["xxxxxxxxxxxxxx.atlasv1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]),
    simple!("supabase-pat", "Supabase", "Supabase personal access token", Kind::ApiKey, &["sbp_"],
        r"\b(sbp_[a-f0-9]{40})\b", "sbp_{hex:40}", "SUPABASE_ACCESS_TOKEN",
        "manage every project of the user: databases, keys, functions", "supabase.com/dashboard/account/tokens: revoke",
        &["sbp_0000000000000000000000000000000000000000"]),
    simple!("vercel-token", "Vercel", "Vercel access token", Kind::ApiKey, &["vcp_", "vci_", "vca_"],
        r"\b(vc[pia]_[A-Za-z0-9]{56})\b", "vcp_{an:56}", "VERCEL_TOKEN",
        "deploy and read environment variables (often more keys) of the user's projects", "vercel.com/account/tokens: delete",
        &["vcp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]),
];
