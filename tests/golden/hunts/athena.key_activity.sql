SELECT eventtime, eventsource, eventname, awsregion, sourceipaddress, useragent, errorcode, useridentity.arn, useridentity.accesskeyid, requestparameters, responseelements
FROM cloudtrail_logs
WHERE useridentity.accesskeyid IN ('AKIASBJJI5TV64XJWYDC')
  AND eventtime >= '2026-11-12T16:42:10Z'
  AND eventtime <= '2026-11-20T15:00:00Z'
ORDER BY eventtime;
