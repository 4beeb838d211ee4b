package iamdata

import (
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestEmbeddedCatalog(t *testing.T) {
	const maxSize = 2 << 20
	t.Logf("embedded catalog: %d bytes (npm %s)", len(catalogData), Version())
	if len(catalogData) > maxSize {
		t.Errorf("catalog.bin is %d bytes, want at most %d", len(catalogData), maxSize)
	}
	start := time.Now()
	c, err := decodeIndex(catalogData)
	if err != nil {
		t.Fatal(err)
	}
	c.ensure(c.byPrefix["s3"])
	firstUse := time.Since(start)
	c.ensureAll()
	t.Logf("first use (index and s3) took %v, decoding everything %v", firstUse, time.Since(start))
	if c.version != dataVersion {
		t.Errorf("catalog version %q, version_gen.go says %q", c.version, dataVersion)
	}
	// The package doc names the version the data comes from; keep it
	// honest when the data is refreshed.
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "version "+Version()+" ") {
		t.Errorf("doc.go does not mention version %s", Version())
	}
	if _, err := os.Stat("LICENSE-iam-data"); err != nil {
		t.Error(err)
	}
}

func TestCounts(t *testing.T) {
	services := Services()
	var actions, noResource, optionalOnly, alternatives int
	for _, svc := range services {
		actions += len(svc.Actions)
		for _, a := range svc.Actions {
			switch {
			case len(a.ResourceTypes) == 0:
				noResource++
			case !slices.ContainsFunc(a.ResourceTypes, func(rt ResourceType) bool { return rt.Required }):
				optionalOnly++
				if a.SupportsResourceLevel() {
					alternatives++
				}
			}
		}
	}
	t.Logf("%d services, %d actions; %d without resource types, %d with only optional ones (%d of them with several, counted as resource-level)",
		len(services), actions, noResource, optionalOnly, alternatives)
	for _, c := range []struct {
		what     string
		got      int
		min, max int
	}{
		{"services", len(services), 400, 600},
		{"actions", actions, 19000, 30000},
		{"actions without resource types", noResource, 5000, 9000},
		{"actions with only optional resource types", optionalOnly, 1000, 2500},
		{"of those, actions with alternatives", alternatives, 500, 2000},
		{"actions matched by *", len(Expand("*")), actions, actions},
	} {
		if c.got < c.min || c.got > c.max {
			t.Errorf("%s: %d, want %d to %d", c.what, c.got, c.min, c.max)
		}
	}
}

func TestLookupAction(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want "" for nil
	}{
		{"s3:GetObject", "s3:GetObject"},
		{"S3:GetObject", "s3:GetObject"},
		{"S3:getobject", "s3:GetObject"},
		{"iam:passrole", "iam:PassRole"},
		{"EC2:DescribeInstances", "ec2:DescribeInstances"},
		{"sts:AssumeRole", "sts:AssumeRole"},
		{"lambda:InvokeFunction", "lambda:InvokeFunction"},
		{"dynamodb:Query", "dynamodb:Query"},
		{"kms:Decrypt", "kms:Decrypt"},
		{"s3:GetObjects", ""},
		{"s3:Get*", ""},
		{"s3:", ""},
		{"s3", ""},
		{"nosuchservice:GetObject", ""},
		{":GetObject", ""},
		{"", ""},
		{"*", ""},
		{"\u212Ams:Decrypt", ""}, // only ASCII letters fold: the Kelvin sign is not a "k"
	} {
		a := LookupAction(tc.in)
		got := ""
		if a != nil {
			got = a.FullName()
			if a.Service+":"+a.Name != got {
				t.Errorf("LookupAction(%q): Service %q and Name %q do not make FullName %q", tc.in, a.Service, a.Name, got)
			}
		}
		if got != tc.want {
			t.Errorf("LookupAction(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLookupService(t *testing.T) {
	for _, tc := range []struct {
		in, wantPrefix, wantNamePart string
	}{
		{"s3", "s3", "S3"},
		{"S3", "s3", "S3"},
		{"IAM", "iam", "Identity and Access Management"},
		{"ec2", "ec2", "EC2"},
		{"nosuchservice", "", ""},
		{"", "", ""},
	} {
		svc := LookupService(tc.in)
		switch {
		case svc == nil && tc.wantPrefix != "":
			t.Errorf("LookupService(%q) = nil, want %s", tc.in, tc.wantPrefix)
		case svc != nil && tc.wantPrefix == "":
			t.Errorf("LookupService(%q) = %s, want nil", tc.in, svc.Prefix)
		case svc != nil && (svc.Prefix != tc.wantPrefix || !strings.Contains(svc.Name, tc.wantNamePart)):
			t.Errorf("LookupService(%q) = %s (%q), want %s (name containing %q)", tc.in, svc.Prefix, svc.Name, tc.wantPrefix, tc.wantNamePart)
		}
	}
}

func TestSupportsResourceLevel(t *testing.T) {
	for _, tc := range []struct {
		action string
		want   bool
	}{
		{"ecr:GetAuthorizationToken", false}, // no resource types
		{"xray:PutTraceSegments", false},
		{"ec2:DescribeInstances", false},
		{"sts:GetCallerIdentity", false},
		{"cloudwatch:PutMetricData", false}, // a single optional resource type
		{"s3:GetObject", true},              // object or accesspointobject
		{"s3:PutObject", true},
		{"iam:PassRole", true}, // required role
		{"iam:CreatePolicyVersion", true},
		{"lambda:InvokeFunction", true},
		{"sqs:SendMessage", true},
	} {
		a := LookupAction(tc.action)
		if a == nil {
			t.Errorf("%s: unknown action", tc.action)
			continue
		}
		if got := a.SupportsResourceLevel(); got != tc.want {
			t.Errorf("%s.SupportsResourceLevel() = %v, want %v (resource types %v)", tc.action, got, tc.want, a.ResourceTypes)
		}
	}
}

func TestSupportsResourceLevelRule(t *testing.T) {
	for _, tc := range []struct {
		name string
		rts  []ResourceType
		want bool
	}{
		{"none", nil, false},
		{"one optional", []ResourceType{{"a", false}}, false},
		{"one required", []ResourceType{{"a", true}}, true},
		{"optional alternatives", []ResourceType{{"a", false}, {"b", false}}, true},
		{"required and optional", []ResourceType{{"a", false}, {"b", true}}, true},
	} {
		a := &Action{Service: "x", Name: "Y", ResourceTypes: tc.rts}
		if got := a.SupportsResourceLevel(); got != tc.want {
			t.Errorf("%s: SupportsResourceLevel() = %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := (&Action{Service: "x", Name: "Y"}).FullName(); got != "x:Y" {
		t.Errorf("FullName of a hand-made action = %q, want x:Y", got)
	}
}

func TestActionDetails(t *testing.T) {
	for _, tc := range []struct {
		action        string
		access        AccessLevel
		resourceType  string // a resource type the action lists, or ""
		required      bool
		conditionKeys []string // keys the action lists
	}{
		{"iam:CreatePolicyVersion", PermissionsManagement, "policy", true, nil},
		{"iam:PutRolePolicy", PermissionsManagement, "role", true, nil},
		{"iam:PassRole", Write, "role", true, []string{"iam:PassedToService"}},
		{"iam:TagRole", Tagging, "role", true, []string{"aws:TagKeys"}},
		{"s3:GetObject", Read, "object", false, []string{"s3:ExistingObjectTag/<key>"}},
		{"s3:PutObject", Write, "object", false, nil},
		{"s3:ListBucket", List, "bucket", false, []string{"s3:prefix"}},
		{"s3:ListAllMyBuckets", List, "", false, nil},
		{"ec2:DescribeInstances", List, "", false, nil},
		{"ec2:RunInstances", Write, "instance", true, []string{"ec2:InstanceType"}},
		{"kms:Decrypt", Write, "key", true, []string{"kms:ViaService"}},
		{"cloudwatch:PutMetricData", Write, "", false, []string{"cloudwatch:namespace"}},
	} {
		a := LookupAction(tc.action)
		if a == nil {
			t.Errorf("%s: unknown action", tc.action)
			continue
		}
		if a.Access != tc.access {
			t.Errorf("%s: access %q, want %q", tc.action, a.Access, tc.access)
		}
		if tc.resourceType != "" {
			i := slices.IndexFunc(a.ResourceTypes, func(rt ResourceType) bool { return rt.Name == tc.resourceType })
			if i < 0 {
				t.Errorf("%s: resource types %v lack %q", tc.action, a.ResourceTypes, tc.resourceType)
			} else if a.ResourceTypes[i].Required != tc.required {
				t.Errorf("%s: resource type %q required = %v, want %v", tc.action, tc.resourceType, a.ResourceTypes[i].Required, tc.required)
			}
		}
		for _, k := range tc.conditionKeys {
			if !slices.Contains(a.ConditionKeys, k) {
				t.Errorf("%s: condition keys %v lack %q", tc.action, a.ConditionKeys, k)
			}
		}
	}
}

// TestCatalogConsistency checks invariants the lookups rely on, over the
// whole catalog.
func TestCatalogConsistency(t *testing.T) {
	services := Services()
	levels := map[AccessLevel]int{}
	for i, svc := range services {
		if i > 0 && services[i-1].Prefix >= svc.Prefix {
			t.Errorf("services not sorted: %s before %s", services[i-1].Prefix, svc.Prefix)
		}
		if svc.Prefix != strings.ToLower(svc.Prefix) || svc.Name == "" {
			t.Errorf("service %q (%q): want a lower-case prefix and a name", svc.Prefix, svc.Name)
		}
		if LookupService(strings.ToUpper(svc.Prefix)) != svc {
			t.Errorf("LookupService(%q) does not find the service", strings.ToUpper(svc.Prefix))
		}
		if !slices.IsSorted(svc.ConditionKeys) {
			t.Errorf("%s: condition keys not sorted", svc.Prefix)
		}
		for j, a := range svc.Actions {
			levels[a.Access]++
			if j > 0 && strings.ToLower(svc.Actions[j-1].Name) >= strings.ToLower(a.Name) {
				t.Errorf("%s: actions not sorted: %s before %s", svc.Prefix, svc.Actions[j-1].Name, a.Name)
			}
			if a.Service != svc.Prefix {
				t.Errorf("%s: Service = %q", a.FullName(), a.Service)
			}
			if LookupAction(strings.ToUpper(a.FullName())) != a {
				t.Errorf("LookupAction(%q) does not find the action", strings.ToUpper(a.FullName()))
			}
			for _, rt := range a.ResourceTypes {
				if _, ok := svc.ResourceARNs[rt.Name]; !ok {
					t.Errorf("%s: resource type %q has no ARN", a.FullName(), rt.Name)
				}
			}
			if !slices.IsSorted(a.ConditionKeys) || !slices.IsSorted(a.DependentActions) {
				t.Errorf("%s: lists not sorted", a.FullName())
			}
		}
	}
	for _, l := range []AccessLevel{List, Read, Write, PermissionsManagement, Tagging} {
		t.Logf("%-22s %5d actions", l, levels[l])
		if levels[l] < 100 {
			t.Errorf("only %d actions have access level %q", levels[l], l)
		}
	}
	if len(levels) != 5 {
		t.Errorf("access levels %v, want exactly the five constants", levels)
	}

	s3 := LookupService("s3")
	if arn := s3.ResourceARNs["object"]; arn != "arn:${Partition}:s3:::${BucketName}/${ObjectName}" {
		t.Errorf("s3 object ARN = %q", arn)
	}
	if !slices.Contains(s3.ConditionKeys, "s3:prefix") {
		t.Errorf("s3 condition keys lack s3:prefix")
	}
}

func TestExpand(t *testing.T) {
	for _, tc := range []struct {
		pattern  string
		want     []string // must be matched
		notWant  []string // must not be matched
		minCount int
	}{
		{"s3:Get*", []string{"s3:GetObject", "s3:GetBucketPolicy"}, []string{"s3:PutObject", "s3:ListBucket"}, 20},
		{"S3:get*", []string{"s3:GetObject"}, []string{"s3:PutObject"}, 20},
		{"iam:*Policy*", []string{"iam:CreatePolicyVersion", "iam:PutRolePolicy", "iam:AttachRolePolicy"}, []string{"iam:PassRole", "s3:PutBucketPolicy"}, 20},
		{"EC2:*", []string{"ec2:RunInstances", "ec2:DescribeInstances"}, []string{"s3:GetObject", "ec2messages:GetMessages"}, 300},
		{"s3:GetObject", []string{"s3:GetObject"}, []string{"s3:GetObjectAcl"}, 1},
		{"s3:getobjec?", []string{"s3:GetObject"}, []string{"s3:GetObjectAcl"}, 1},
		{"s?s:Send*", []string{"sqs:SendMessage", "ses:SendEmail"}, []string{"sqs:ReceiveMessage", "sns:Publish"}, 3},
		{"*:PassRole", []string{"iam:PassRole"}, []string{"iam:GetRole"}, 1},
		{"s3*", []string{"s3:GetObject", "s3express:CreateSession"}, []string{"sqs:SendMessage"}, 100},
		{"*Object", []string{"s3:GetObject", "s3:PutObject"}, []string{"s3:GetObjectAcl"}, 5},
		{"*", []string{"s3:GetObject", "iam:PassRole"}, nil, 20000},
	} {
		got := Expand(tc.pattern)
		names := make([]string, len(got))
		for i, a := range got {
			names[i] = a.FullName()
		}
		if len(got) < tc.minCount {
			t.Errorf("Expand(%q): %d actions, want at least %d", tc.pattern, len(got), tc.minCount)
		}
		if !slices.IsSorted(names) {
			t.Errorf("Expand(%q): not sorted by full name", tc.pattern)
		}
		if len(slices.Compact(slices.Clone(names))) != len(names) {
			t.Errorf("Expand(%q): duplicates", tc.pattern)
		}
		for _, w := range tc.want {
			if _, ok := slices.BinarySearch(names, w); !ok {
				t.Errorf("Expand(%q) lacks %s", tc.pattern, w)
			}
		}
		for _, w := range tc.notWant {
			if _, ok := slices.BinarySearch(names, w); ok {
				t.Errorf("Expand(%q) has %s", tc.pattern, w)
			}
		}
	}
}

func TestExpandNoMatch(t *testing.T) {
	for _, p := range []string{"", "s3:NoSuchAction*", "nosuch:*", "s3:Get:Object", "s3:GetObject ", ":", "::*"} {
		if got := Expand(p); got != nil {
			t.Errorf("Expand(%q) = %d actions, want nil", p, len(got))
		}
	}
}

func TestExpandMemoIsolation(t *testing.T) {
	first := Expand("s3:Get*")
	first[0] = nil
	second := Expand("S3:GET*")
	if second[0] == nil {
		t.Fatal("modifying Expand's result changed the memoized result")
	}
	if len(first) != len(second) {
		t.Errorf("Expand is not case-insensitive: %d vs %d actions", len(first), len(second))
	}
}

func TestSuggest(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"s3:GetObjects", "s3:GetObject"},
		{"s3:getobjcet", "s3:GetObject"}, // transposition
		{"S3:GETOBJECT", "s3:GetObject"}, // exact, canonicalised
		{"iam:PasRole", "iam:PassRole"},
		{"s4:GetObject", "s3:GetObject"}, // service corrected too
		{"lamda:InvokeFunction", "lambda:InvokeFunction"},
		{"sts:AssumeRoles", "sts:AssumeRole"},
		{"s3:CompletelyUnrelatedAction", ""},
		{"qqqqqqqqqqqq:GetObject", ""},
		{"s3:Get*", ""},
		{"s3", ""},
		{"s3:", ""},
		{"", ""},
	} {
		if got := SuggestAction(tc.in); got != tc.want {
			t.Errorf("SuggestAction(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in, want string
	}{
		{"s4", "s3"},
		{"S3", "s3"},
		{"lamda", "lambda"},
		{"dynamodv", "dynamodb"},
		{"cloudwatchh", "cloudwatch"},
		{"qqqqqqqqqqqq", ""},
		{"", ""},
		{"s*", ""},
	} {
		if got := SuggestService(tc.in); got != tc.want {
			t.Errorf("SuggestService(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestGlobalConditionKeys(t *testing.T) {
	keys := GlobalConditionKeys()
	t.Logf("%d global condition keys", len(keys))
	if !slices.IsSorted(keys) {
		t.Error("not sorted")
	}
	for _, k := range keys {
		if !strings.HasPrefix(k, "aws:") {
			t.Errorf("%q is not an aws: key", k)
		}
	}
	for _, k := range []string{
		"aws:PrincipalOrgID", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:SourceAccount",
		"aws:SourceArn", "aws:SourceOrgID", "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge",
		"aws:SecureTransport", "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce", "aws:RequestedRegion",
		"aws:PrincipalTag/${TagKey}", "aws:RequestTag/${TagKey}", "aws:ResourceTag/${TagKey}",
		"aws:TagKeys", "aws:CalledVia", "aws:ViaAWSService", "aws:userid", "aws:username",
		"aws:PrincipalType", "aws:CurrentTime", "aws:EpochTime", "aws:TokenIssueTime",
		"aws:FederatedProvider", "aws:PrincipalIsAWSService", "aws:PrincipalServiceName",
		"aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths", "aws:PrincipalOrgPaths",
		"aws:Referer", "aws:UserAgent", "aws:SourceOrgPaths", "aws:VpcSourceIp",
		"aws:Ec2InstanceSourceVpc", "aws:Ec2InstanceSourcePrivateIPv4",
	} {
		if !slices.Contains(keys, k) {
			t.Errorf("GlobalConditionKeys lacks %s", k)
		}
	}
	for _, tc := range []struct {
		key  string
		want bool
	}{
		{"aws:SourceIp", true},
		{"AWS:sourceip", true},
		{"aws:PrincipalTag/team", true},
		{"aws:PrincipalTag/", false},
		{"aws:PrincipalTag", false},
		{"aws:NoSuchKey", false},
		{"s3:prefix", false},
	} {
		if got := IsGlobalConditionKey(tc.key); got != tc.want {
			t.Errorf("IsGlobalConditionKey(%q) = %v, want %v", tc.key, got, tc.want)
		}
	}
}

func TestConditionKeyMatches(t *testing.T) {
	for _, tc := range []struct {
		template, key string
		want          bool
	}{
		{"s3:prefix", "S3:Prefix", true},
		{"s3:prefix", "s3:prefixes", false},
		{"aws:ResourceTag/${TagKey}", "aws:ResourceTag/team", true},
		{"aws:ResourceTag/${TagKey}", "aws:resourcetag/a/b", true},
		{"aws:ResourceTag/${TagKey}", "aws:ResourceTag/", false},
		{"aws:ResourceTag/${TagKey}", "aws:ResourceTag/${TagKey}", true},
		{"s3:ExistingObjectTag/<key>", "s3:ExistingObjectTag/classification", true},
		{"s3:ExistingObjectTag/<key>", "s3:ExistingObjectTag", false},
		{"codebuild:secondarySources/${sourceIdentifier}.location", "codebuild:secondarySources/src1.location", true},
		{"codebuild:secondarySources/${sourceIdentifier}.location", "codebuild:secondarySources/src1.type", false},
		{"token.actions.githubusercontent.com/${SubPath}:sub", "token.actions.githubusercontent.com/acme:sub", true},
		{"a:${X}${Y}", "a:bc", true},
		{"a:${X}${Y}", "a:b", false},
		{"a:${unterminated", "a:${unterminated", true},
	} {
		if got := ConditionKeyMatches(tc.template, tc.key); got != tc.want {
			t.Errorf("ConditionKeyMatches(%q, %q) = %v, want %v", tc.template, tc.key, got, tc.want)
		}
	}
}

func TestMatchFold(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"", "", true},
		{"*", "", true},
		{"", "a", false},
		{"getobject", "GetObject", true},
		{"get*", "GetObject", true},
		{"*object", "GetObject", true},
		{"*obj*", "GetObject", true},
		{"g?tobject", "GetObject", true},
		{"g?object", "GetObject", false},
		{"*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", true},
		{"*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		{"get**", "Get", true},
		{"GetObject", "GetObject", false}, // patterns are lower-cased by the caller
	} {
		if got := matchFold(tc.pattern, tc.s); got != tc.want {
			t.Errorf("matchFold(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
		// MatchFold folds the pattern too.
		if got, want := MatchFold(strings.ToUpper(tc.pattern), tc.s), tc.want || tc.pattern == "GetObject"; got != want {
			t.Errorf("MatchFold(%q, %q) = %v, want %v", strings.ToUpper(tc.pattern), tc.s, got, want)
		}
	}
}

func TestDistance(t *testing.T) {
	var d distance
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"GetObject", "getobject", 0},
		{"getobjects", "GetObject", 1},
		{"getobjcet", "GetObject", 1},
		{"kitten", "sitting", 3},
		{"ca", "abc", 3}, // optimal string alignment, not full Damerau
	} {
		if got := d.between(tc.a, tc.b); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestConcurrentEnsure decodes services lazily from many goroutines at once;
// run with -race it checks that lazy decoding is properly synchronised.
func TestConcurrentEnsure(t *testing.T) {
	c, err := decodeIndex(catalogData)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	counts := make([]int, 8)
	for g := range counts {
		wg.Go(func() {
			// Each goroutine walks the services from a different start.
			for i := range c.services {
				svc := c.ensure(c.services[(i+g*57)%len(c.services)])
				for _, a := range svc.Actions {
					counts[g] += len(a.Name)
				}
			}
		})
	}
	wg.Wait()
	for g := range counts {
		if counts[g] != counts[0] || counts[0] == 0 {
			t.Fatalf("goroutines saw different catalogs: %v", counts)
		}
	}
}

// TestDecodeCorrupt checks that damaged catalogs are rejected with an error
// instead of a panic or a partial catalog.
func TestDecodeCorrupt(t *testing.T) {
	for _, n := range []int{0, 5, 8, 20, 1000, len(catalogData) / 3, len(catalogData) / 2, len(catalogData) - 1} {
		if _, err := decodeAll(catalogData[:n]); err == nil {
			t.Errorf("catalog truncated to %d bytes decoded without error", n)
		}
	}
	if _, err := decodeAll(catalogData + "\x00"); err == nil {
		t.Error("catalog with trailing garbage decoded without error")
	}
	for _, off := range []int{7, 8, 30, 200, 5000, len(catalogData) / 2, len(catalogData) - 10, len(catalogData) - 1} {
		damaged := []byte(catalogData)
		damaged[off] ^= 0xff
		decodeAll(string(damaged)) // may or may not fail, but must not panic
	}
}

// FuzzDecode checks that no input makes decode panic.
func FuzzDecode(f *testing.F) {
	f.Add(catalogData[:2000])
	f.Add(magic + "\x00\x00\x00\x00\x00\x00\x00")
	f.Fuzz(func(t *testing.T, data string) {
		decodeAll(data)
	})
}

func FuzzExpand(f *testing.F) {
	for _, p := range []string{"s3:Get*", "iam:*Policy*", "EC2:*", "*", "s?s:*", "*:*", "a*b*c*d*e*f", "s3:GetObject", "::", "", "\xff*"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, pattern string) {
		got := Expand(pattern)
		lp := lowerASCII(pattern)
		for i, a := range got {
			if !matchFold(lp, a.FullName()) {
				t.Fatalf("Expand(%q) returned %s, which does not match", pattern, a.FullName())
			}
			if i > 0 && got[i-1].FullName() >= a.FullName() {
				t.Fatalf("Expand(%q) not sorted", pattern)
			}
		}
		if !strings.ContainsAny(pattern, "*?") {
			a := LookupAction(pattern)
			if (a == nil) != (len(got) == 0) || len(got) > 1 || a != nil && got[0] != a {
				t.Fatalf("Expand(%q) = %d actions, LookupAction found %v", pattern, len(got), a)
			}
		}
		SuggestAction(pattern)
		SuggestService(pattern)
	})
}

// FuzzMatchFold compares matchFold with a naive recursive matcher.
func FuzzMatchFold(f *testing.F) {
	f.Add("s3:get*", "s3:GetObject")
	f.Add("*a?b*", "xxaybzz")
	f.Add("**?", "")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		pattern = lowerASCII(pattern)
		var naive func(p, s string) bool
		naive = func(p, s string) bool {
			if p == "" {
				return s == ""
			}
			switch p[0] {
			case '*':
				for i := 0; i <= len(s); i++ {
					if naive(p[1:], s[i:]) {
						return true
					}
				}
				return false
			case '?':
				return s != "" && naive(p[1:], s[1:])
			}
			return s != "" && p[0] == lower(s[0]) && naive(p[1:], s[1:])
		}
		if len(pattern) > 12 || len(s) > 40 {
			return // keep the naive matcher's exponential worst case in check
		}
		if got, want := matchFold(pattern, s), naive(pattern, s); got != want {
			t.Fatalf("matchFold(%q, %q) = %v, want %v", pattern, s, got, want)
		}
	})
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(catalogData)))
	for b.Loop() {
		if _, err := decodeAll(catalogData); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFirstUse measures what the first lookup costs: decoding the
// index and one service.
func BenchmarkFirstUse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		c, err := decodeIndex(catalogData)
		if err != nil {
			b.Fatal(err)
		}
		c.ensure(c.byPrefix["ec2"]) // the largest service
	}
}

func BenchmarkLookupAction(b *testing.B) {
	load()
	b.ReportAllocs()
	for b.Loop() {
		if LookupAction("S3:GetObject") == nil {
			b.Fatal("not found")
		}
	}
}

func BenchmarkExpandMemoized(b *testing.B) {
	Expand("iam:*Policy*")
	b.ReportAllocs()
	for b.Loop() {
		Expand("iam:*Policy*")
	}
}

func BenchmarkSuggestAction(b *testing.B) {
	load()
	b.ReportAllocs()
	for b.Loop() {
		SuggestAction("ec2:DescribeInstancez")
	}
}

// TestExpandMemoBounded feeds Expand distinct patterns that each match the
// whole catalogue, as a hostile template could: the memo must stop growing
// at its budget of action pointers, and the answers stay right past it.
func TestExpandMemoBounded(t *testing.T) {
	all := len(ExpandShared("*"))
	for k := 1; k*all <= 2*maxMemoActions; k++ {
		if got := len(ExpandShared("*:*" + strings.Repeat("*", k))); got != all {
			t.Fatalf("pattern %d matched %d actions, want %d", k, got, all)
		}
	}
	held := 0
	expandMemo.Range(func(_, v any) bool {
		held += len(v.([]*Action))
		return true
	})
	if held > maxMemoActions {
		t.Errorf("the memo holds %d action pointers, over its budget of %d", held, maxMemoActions)
	}
}
