package iam060

import "strings"

// keyType is the data type the AWS documentation gives a condition key.
type keyType uint8

const (
	unknownType keyType = iota
	stringType
	arnType
	boolType
	numericType
	dateType
	// dateOrNumericType is aws:EpochTime, which takes Date and Numeric
	// operators.
	dateOrNumericType
	ipType
)

func (t keyType) String() string {
	switch t {
	case stringType:
		return "String"
	case arnType:
		return "ARN"
	case boolType:
		return "Bool"
	case numericType:
		return "Numeric"
	case dateType, dateOrNumericType:
		return "Date"
	case ipType:
		return "IP address"
	}
	return "unknown"
}

// keyInfo is what iamvet knows of a condition key: its type and whether
// it is multivalued (ArrayOf… in the reference: a request may carry a set
// of values, as aws:TagKeys does).
type keyInfo struct {
	typ   keyType
	multi bool
}

// knownKeys are the global condition keys (and the STS keys trust
// policies use) with their documented data and value types, from the AWS
// IAM User Guide's "AWS global condition context keys" and the STS
// section of the Service Authorization Reference. The embedded catalogue
// lists keys but not their types, so only these keys get type checks and
// the ForAllValues check; a key missing here is never reported by them.
// Keys are lower-cased; an entry ending in "/" covers every tag key.
var knownKeys = map[string]keyInfo{
	"aws:calledvia":                    {stringType, true},
	"aws:calledviafirst":               {stringType, false},
	"aws:calledvialast":                {stringType, false},
	"aws:currenttime":                  {dateType, false},
	"aws:ec2instancesourceprivateipv4": {ipType, false},
	"aws:ec2instancesourcevpc":         {stringType, false},
	"aws:epochtime":                    {dateOrNumericType, false},
	"aws:federatedprovider":            {stringType, false},
	"aws:multifactorauthage":           {numericType, false},
	"aws:multifactorauthpresent":       {boolType, false},
	"aws:principalaccount":             {stringType, false},
	"aws:principalarn":                 {arnType, false},
	"aws:principalisawsservice":        {boolType, false},
	"aws:principalorgid":               {stringType, false},
	"aws:principalorgpaths":            {stringType, true},
	"aws:principalservicename":         {stringType, false},
	"aws:principalservicenameslist":    {stringType, true},
	"aws:principaltag/":                {stringType, false},
	"aws:principaltype":                {stringType, false},
	"aws:referer":                      {stringType, false},
	"aws:requestedregion":              {stringType, false},
	"aws:requesttag/":                  {stringType, false},
	"aws:resourceaccount":              {stringType, false},
	"aws:resourceorgid":                {stringType, false},
	"aws:resourceorgpaths":             {stringType, true},
	"aws:resourcetag/":                 {stringType, false},
	"aws:securetransport":              {boolType, false},
	"aws:sourceaccount":                {stringType, false},
	"aws:sourcearn":                    {arnType, false},
	"aws:sourceidentity":               {stringType, false},
	"aws:sourceip":                     {ipType, false},
	"aws:sourceorgid":                  {stringType, false},
	"aws:sourceorgpaths":               {stringType, true},
	"aws:sourcevpc":                    {stringType, false},
	"aws:sourcevpcarn":                 {arnType, false},
	"aws:sourcevpce":                   {stringType, false},
	"aws:tagkeys":                      {stringType, true},
	"aws:tokenissuetime":               {dateType, false},
	"aws:useragent":                    {stringType, false},
	"aws:userid":                       {stringType, false},
	"aws:username":                     {stringType, false},
	"aws:viaawsservice":                {boolType, false},
	"aws:vpcsourceip":                  {ipType, false},
	"aws:vpceaccount":                  {stringType, false},
	"aws:vpceorgid":                    {stringType, false},
	"aws:vpceorgpaths":                 {stringType, true},
	"sts:externalid":                   {stringType, false},
	"sts:rolesessionname":              {stringType, false},
	"sts:sourceidentity":               {stringType, false},
	"sts:transitivetagkeys":            {stringType, true},
	"iam:passedtoservice":              {stringType, false},
	"kms:viaservice":                   {stringType, false},
	"kms:calleraccount":                {stringType, false},
	"s3:x-amz-server-side-encryption":  {stringType, false},
	"s3:x-amz-acl":                     {stringType, false},
	"s3:prefix":                        {stringType, false},
	"s3:tlsversion":                    {numericType, false},
	"s3:signatureage":                  {numericType, false},
	"s3:max-keys":                      {numericType, false},
}

// lookupKey returns what is known of a condition key (compared ignoring
// case, as IAM does).
func lookupKey(key string) (keyInfo, bool) {
	k := strings.ToLower(key)
	if info, ok := knownKeys[k]; ok {
		return info, true
	}
	if i := strings.IndexByte(k, '/'); i > 0 && i < len(k)-1 {
		if info, ok := knownKeys[k[:i+1]]; ok {
			return info, true
		}
	}
	return keyInfo{}, false
}

// crossServiceKeys are service keys AWS documents as available in the
// requests of other services (the "cross-service condition keys" of the
// global condition keys page): they may appear with any action.
var crossServiceKeys = []string{
	"ec2:SourceInstanceARN", "ec2:SourceInstancePrivateIPv4", "ec2:RoleDelivery",
	"lambda:SourceFunctionArn", "glue:RoleAssumedBy", "glue:CredentialIssuingService",
	"ssm:SourceInstanceARN", "identitystore:UserId", "kms:ViaService", "kms:CallerAccount",
}
