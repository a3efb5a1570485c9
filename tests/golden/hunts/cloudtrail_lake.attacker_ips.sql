SELECT eventTime, eventID, eventSource, eventName, awsRegion, sourceIPAddress, userAgent, errorCode, errorMessage, userIdentity.arn, userIdentity.accessKeyId, recipientAccountId, requestParameters, responseElements
FROM event_data_store_id
WHERE sourceIPAddress IN ('198.51.100.25', '198.51.100.26', '198.51.100.24', '198.51.100.23')
  AND eventTime >= '2026-11-12 16:42:10'
ORDER BY eventTime
