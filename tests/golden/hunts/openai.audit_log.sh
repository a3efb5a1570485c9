curl -sS "https://api.openai.com/v1/organization/audit_logs?effective_at%5Bgte%5D=1794501730&limit=100" \
  -H "Authorization: Bearer $OPENAI_ADMIN_KEY"
