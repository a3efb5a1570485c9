curl -sS "https://api.openai.com/v1/organization/usage/completions?start_time=1794501730&bucket_width=1h&group_by=api_key_id&group_by=project_id&group_by=model&limit=168" \
  -H "Authorization: Bearer $OPENAI_ADMIN_KEY"
