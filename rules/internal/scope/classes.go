package scope

import "github.com/iamvet/iamvet/internal/iamdata"

// The sensitive action classes that IAM028, IAM030, IAM031 and IAM032
// report on unconstrained resources. IAM015 leaves the action values these
// rules report to them. Names are lower-cased "service:action".

// dataRead are actions that return stored data or secrets (IAM028). The
// core is Cloudsplaining's READ_ONLY_DATA_EXFILTRATION_ACTIONS
// (cloudsplaining/shared/constants.py: s3:GetObject, ssm:GetParameter,
// ssm:GetParameters, ssm:GetParametersByPath,
// secretsmanager:GetSecretValue), which checkov's CKV_AWS_108/CKV_AWS_288
// run; Parliament's SENSITIVE_ACCESS auditor takes its list from
// configuration and ships none. Added: the other calls that return the same
// data (object versions, parameter history, batched secrets) and the
// database, queue and stream reads that return records in bulk, including
// DynamoDB's export to an arbitrary S3 bucket.
var dataRead = map[string]string{
	"s3:getobject":                       "objects in every bucket",
	"s3:getobjectversion":                "objects in every bucket",
	"ssm:getparameter":                   "every Parameter Store parameter, SecureStrings included",
	"ssm:getparameters":                  "every Parameter Store parameter, SecureStrings included",
	"ssm:getparametersbypath":            "every Parameter Store parameter, SecureStrings included",
	"ssm:getparameterhistory":            "every Parameter Store parameter, SecureStrings included",
	"secretsmanager:getsecretvalue":      "every Secrets Manager secret",
	"secretsmanager:batchgetsecretvalue": "every Secrets Manager secret",
	"dynamodb:scan":                      "the items of every DynamoDB table",
	"dynamodb:query":                     "the items of every DynamoDB table",
	"dynamodb:getitem":                   "the items of every DynamoDB table",
	"dynamodb:batchgetitem":              "the items of every DynamoDB table",
	"dynamodb:partiqlselect":             "the items of every DynamoDB table",
	"dynamodb:getrecords":                "the items of every DynamoDB table",
	"dynamodb:exporttabletopointintime":  "the items of every DynamoDB table",
	"rds-data:executestatement":          "every Aurora database reachable through the Data API",
	"rds-data:batchexecutestatement":     "every Aurora database reachable through the Data API",
	"redshift-data:executestatement":     "every Redshift database reachable through the Data API",
	"redshift-data:getstatementresult":   "every Redshift database reachable through the Data API",
	"sqs:receivemessage":                 "the messages of every SQS queue",
	"kinesis:getrecords":                 "the records of every Kinesis stream",
	"athena:getqueryresults":             "the results of every Athena query",
}

// DataRead reports whether a returns stored data or secrets (IAM028).
func DataRead(a *iamdata.Action) bool { return dataRead[a.LowerName()] != "" }

// DataReadWhat says what a data-read action reads when unconstrained.
func DataReadWhat(a *iamdata.Action) string { return dataRead[a.LowerName()] }

// AssumeRole reports whether a is sts:AssumeRole (IAM030). The web
// identity and SAML variants need no identity-policy permission (the trust
// policy alone decides), so they are not included.
func AssumeRole(a *iamdata.Action) bool { return a.LowerName() == "sts:assumerole" }

// KMSDecrypt reports whether a decrypts data under a key (IAM031):
// kms:Decrypt, and kms:ReEncryptFrom, which decrypts under one key to
// re-encrypt under another the caller controls.
func KMSDecrypt(a *iamdata.Action) bool {
	k := a.LowerName()
	return k == "kms:decrypt" || k == "kms:reencryptfrom"
}

// auditTamper are actions that stop, delete or blind audit logging
// (IAM032), after MITRE ATT&CK T1562.008 "Impair Defenses: Disable or
// Modify Cloud Logs" and the defense-evasion techniques of Stratus Red Team
// (cloudtrail-stop, cloudtrail-delete, cloudtrail-event-selectors,
// vpc-remove-flow-logs) and detection rules for them (Elastic: CloudTrail
// logging suspended, Config recorder stopped, EC2 flow log deletion;
// Prowler's iam_policy_no_full_access_to_cloudtrail). The value says what
// the action tampers with.
var auditTamper = map[string]string{
	"cloudtrail:stoplogging":                         "stop or delete CloudTrail trails",
	"cloudtrail:deletetrail":                         "stop or delete CloudTrail trails",
	"cloudtrail:updatetrail":                         "stop or delete CloudTrail trails",
	"cloudtrail:puteventselectors":                   "stop or delete CloudTrail trails",
	"cloudtrail:deleteeventdatastore":                "stop or delete CloudTrail trails",
	"cloudtrail:updateeventdatastore":                "stop or delete CloudTrail trails",
	"cloudtrail:stopeventdatastoreingestion":         "stop or delete CloudTrail trails",
	"config:stopconfigurationrecorder":               "stop AWS Config recording",
	"config:deleteconfigurationrecorder":             "stop AWS Config recording",
	"config:deletedeliverychannel":                   "stop AWS Config recording",
	"guardduty:deletedetector":                       "disable GuardDuty",
	"guardduty:updatedetector":                       "disable GuardDuty",
	"guardduty:disassociatefromadministratoraccount": "disable GuardDuty",
	"guardduty:disassociatefrommasteraccount":        "disable GuardDuty",
	"securityhub:disablesecurityhub":                 "disable Security Hub",
	"securityhub:batchdisablestandards":              "disable Security Hub",
	"logs:deleteloggroup":                            "delete CloudWatch log groups or shorten their retention",
	"logs:deletelogstream":                           "delete CloudWatch log groups or shorten their retention",
	"logs:putretentionpolicy":                        "delete CloudWatch log groups or shorten their retention",
	"logs:deletesubscriptionfilter":                  "delete CloudWatch log groups or shorten their retention",
	"ec2:deleteflowlogs":                             "delete VPC flow logs",
}

// AuditTamper reports whether a stops, deletes or blinds audit logging
// (IAM032).
func AuditTamper(a *iamdata.Action) bool { return auditTamper[a.LowerName()] != "" }

// AuditTamperWhat says what an audit-tampering action tampers with.
func AuditTamperWhat(a *iamdata.Action) string { return auditTamper[a.LowerName()] }

// AccountAudit reports whether a tampers with an account-wide audit
// service (CloudTrail, Config, GuardDuty, Security Hub) rather than with
// log groups or flow logs: IAM032 grades those higher.
func AccountAudit(a *iamdata.Action) bool {
	switch a.Service {
	case "cloudtrail", "config", "guardduty", "securityhub":
		return AuditTamper(a)
	}
	return false
}

// Claimed reports whether one of the class rules (IAM028, IAM030, IAM031,
// IAM032) reports the grant: it is not a full wildcard and grants one of
// their actions on unconstrained resources.
func Claimed(g Grant) bool {
	if g.Full {
		return false
	}
	for _, a := range g.Exposed {
		if DataRead(a) || AssumeRole(a) || KMSDecrypt(a) || AuditTamper(a) {
			return true
		}
	}
	return false
}
