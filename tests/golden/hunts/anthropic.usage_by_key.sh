curl -sS "https://api.anthropic.com/v1/organizations/usage_report/messages?starting_at=2026-11-12T16:42:10Z&bucket_width=1h&group_by%5B%5D=api_key_id&group_by%5B%5D=model" \
  -H "x-api-key: $ANTHROPIC_ADMIN_KEY" \
  -H "anthropic-version: 2023-06-01"
