SELECT r.eventTime, r.eventSource, r.eventName, r.awsRegion, r.sourceIPAddress, r.userAgent, r.errorCode, r.userIdentity.arn, r.userIdentity.accessKeyId
FROM (SELECT explode(Records) AS r FROM json.`cloudtrail_path`)
WHERE r.sourceIPAddress IN ('198.51.100.25', '198.51.100.26', '198.51.100.24', '198.51.100.23')
  AND r.eventTime >= '2026-11-12T16:42:10Z'
  AND r.eventTime <= '2026-11-20T15:00:00Z'
ORDER BY r.eventTime
