SELECT eventTime, eventID, eventSource, eventName, awsRegion, sourceIPAddress, userAgent, errorCode, errorMessage, userIdentity.arn, userIdentity.accessKeyId, recipientAccountId, requestParameters, responseElements
FROM event_data_store_id
WHERE userIdentity.accessKeyId IN ('AKIASBJJI5TV64XJWYDC')
  AND eventTime >= '2026-11-12 16:42:10'
ORDER BY eventTime
