CREATE OR REPLACE TEMPORARY VIEW cloudtrail (Records ARRAY<STRUCT<eventVersion: STRING, userIdentity: STRUCT<type: STRING, principalId: STRING, arn: STRING, accountId: STRING, accessKeyId: STRING, userName: STRING, invokedBy: STRING>, eventTime: STRING, eventSource: STRING, eventName: STRING, awsRegion: STRING, sourceIPAddress: STRING, userAgent: STRING, errorCode: STRING, errorMessage: STRING, requestParameters: STRING, responseElements: STRING, requestID: STRING, eventID: STRING, eventType: STRING, recipientAccountId: STRING>>)
USING json
OPTIONS (path 'cloudtrail_path', multiLine 'true', recursiveFileLookup 'true');

SELECT r.eventTime, r.eventID, r.eventSource, r.eventName, r.awsRegion, r.sourceIPAddress, r.userAgent, r.errorCode, r.errorMessage, r.userIdentity.arn, r.userIdentity.accessKeyId, r.recipientAccountId, r.requestParameters, r.responseElements
FROM (SELECT explode(Records) AS r FROM cloudtrail)
WHERE r.userIdentity.accessKeyId IN ('AKIASBJJI5TV64XJWYDC')
  AND r.eventTime >= '2026-11-12T16:42:10Z'
ORDER BY r.eventTime;
