SELECT eventtime, eventid, eventsource, eventname, awsregion, sourceipaddress, useragent, errorcode, errormessage, useridentity.arn, useridentity.accesskeyid, recipientaccountid, requestparameters, responseelements
FROM cloudtrail_logs
WHERE sourceipaddress IN ('198.51.100.25', '198.51.100.26', '198.51.100.24', '198.51.100.23')
  AND eventtime >= '2026-11-12T16:42:10Z'
ORDER BY eventtime;
