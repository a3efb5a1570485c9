SELECT eventtime, eventid, eventsource, eventname, awsregion, sourceipaddress, useragent, errorcode, errormessage, useridentity.arn, useridentity.accesskeyid, recipientaccountid, requestparameters, responseelements
FROM cloudtrail_logs
WHERE useridentity.accesskeyid IN ('AKIASBJJI5TV64XJWYDC')
  AND eventtime >= '2026-11-12T16:42:10Z'
ORDER BY eventtime;
