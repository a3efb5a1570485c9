SELECT r.eventTime, r.eventSource, r.eventName, r.awsRegion, r.sourceIPAddress, r.userAgent, r.errorCode, r.userIdentity.arn, r.userIdentity.accessKeyId
FROM (SELECT explode(Records) AS r FROM json.`cloudtrail_path`)
WHERE r.userIdentity.accessKeyId IN ('AKIASBJJI5TV64XJWYDC')
  AND r.eventTime >= '2026-11-12T16:42:10Z'
  AND r.eventTime <= '2026-11-20T15:00:00Z'
ORDER BY r.eventTime
