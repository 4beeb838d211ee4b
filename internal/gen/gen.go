// Package gen writes synthetic, CDK-shaped cloud assemblies of any size for
// iamvet's benchmarks and budget checks.
//
// Templates are built with goformation's typed builders (iam.Role,
// iam.Policy, lambda.Function, s3.Bucket, s3.BucketPolicy) the way CDK
// synthesizes them: Lambda service roles with trust policies and
// AWSLambdaBasicExecutionRole attached through Fn::Join, default policies of
// 6–14 statements whose resources are Fn::GetAtt and Fn::Join ARNs, functions,
// buckets with enforceSSL bucket policies and a grant, roles assumable by the
// account root (Fn::Join) or by another account, the CDKMetadata resource,
// the BootstrapVersion parameter and the CheckBootstrapVersion rule, every
// resource with its aws:cdk:path. The assembly has a manifest.json with one
// stack artifact per stack and a <Stack>.metadata.json side file per stack
// with aws:cdk:logicalId and aws:cdk:creationStack entries, as CDK writes.
//
// About one statement in fifteen is one a reviewer would flag (s3:* on a
// bucket, iam:PassRole on *, a cross-account trust without an external ID,
// now and then Action * on *), so analyzers and writers have findings to
// work on.
//
// Output is a pure function of the arguments: the same seed gives the same
// bytes whatever the parallelism.
package gen

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/policies"
	"github.com/awslabs/goformation/v7/cloudformation/s3"
)

// DefaultStackBytes is the template size used per stack when Assembly is
// given no target size (64 kB: 1,000 stacks make about 64 MB).
const DefaultStackBytes = 64 << 10

// Assembly writes a cloud assembly of stacks stacks into dir (created if
// needed) whose templates total about targetBytes bytes (0 or less:
// DefaultStackBytes per stack). Stack sizes vary between half and one and a
// half times the mean. The same seed gives byte-identical files.
func Assembly(dir string, stacks int, targetBytes int64, seed int64) error {
	if stacks <= 0 {
		return errors.New("gen: need at least one stack")
	}
	if targetBytes <= 0 {
		targetBytes = int64(stacks) * DefaultStackBytes
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Per-stack weights in [0.5, 1.5), normalized to the target total.
	r := rand.New(rand.NewPCG(uint64(seed), 0x6a09e667f3bcc908))
	weights := make([]float64, stacks)
	sum := 0.0
	for i := range weights {
		weights[i] = 0.5 + r.Float64()
		sum += weights[i]
	}
	specs := make([]*stackSpec, stacks)
	for i := range specs {
		specs[i] = newSpec(i, seed, int(float64(targetBytes)*weights[i]/sum))
	}

	errs := make([]error, stacks)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = specs[i].write(dir)
			}
		}()
	}
	for i := range specs {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return writeManifest(dir, specs)
}

// stackSpec is one stack to generate.
type stackSpec struct {
	index   int
	seed    int64
	target  int    // template bytes wanted
	id      string // artifact id and construct path root
	account string
	region  string
}

var regions = []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"}

func newSpec(i int, seed int64, target int) *stackSpec {
	r := rand.New(rand.NewPCG(uint64(seed), uint64(i)+1<<32))
	s := &stackSpec{index: i, seed: seed, target: target}
	s.id = fmt.Sprintf("%s%04d", services[r.IntN(len(services))], max(i, 0))
	s.account = fmt.Sprintf("%012d", 111111111111*(1+r.IntN(4)))
	s.region = regions[r.IntN(len(regions))]
	return s
}

var services = []string{"Orders", "Payments", "Catalog", "Search", "Identity", "Ingest", "Billing", "Reports", "Notify", "Media"}

func (s *stackSpec) templateFile() string { return s.id + ".template.json" }
func (s *stackSpec) metadataFile() string { return s.id + ".metadata.json" }

// write writes the stack's template and metadata side file.
func (s *stackSpec) write(dir string) error {
	b, err := s.build()
	if err != nil {
		return fmt.Errorf("gen: stack %s: %w", s.id, err)
	}
	tpl, err := b.render()
	if err != nil {
		return fmt.Errorf("gen: stack %s: %w", s.id, err)
	}
	if err := os.WriteFile(filepath.Join(dir, s.templateFile()), tpl, 0o644); err != nil {
		return err
	}
	meta, err := marshal(b.metadata())
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, s.metadataFile()), meta, 0o644)
}

// build builds the stack's resources unit by unit (a function with its
// role and default policy, a bucket with its policy, or a role) until the
// template reaches the target size. Each unit is rendered through
// goformation as soon as it is built, so its size is known.
func (s *stackSpec) build() (*builder, error) {
	b := &builder{spec: s, paths: map[string]string{}}
	size := 0
	for u := 0; ; u++ {
		// Each unit has its own random stream: adding units does not
		// change the ones before.
		b.r = rand.New(rand.NewPCG(uint64(s.seed)^uint64(s.index+1)*0x9e3779b97f4a7c15, uint64(u)))
		switch k := b.r.IntN(100); {
		case k < 60 || u == 0:
			b.function(u)
		case k < 85:
			b.bucketUnit(u)
		default:
			b.role(u)
		}
		n, err := b.flush()
		if err != nil {
			return nil, err
		}
		size += n
		// Stop when the next unit (about as large) would overshoot more
		// than stopping undershoots.
		if size+n/2 >= s.target-fixedBytes {
			break
		}
	}
	b.add("CDKMetadata", "CDKMetadata/Default", &cloudformation.CustomResource{
		Type: "AWS::CDK::Metadata",
		Properties: map[string]interface{}{
			"Analytics": "v2:deflate64:H4sIAAAAAAAA/" + strings.Repeat("1WPy2rDMBD8lvisqCGBFnpLHHoKNNjQSylGkTdmEz2K", 2) + "AAA==",
		},
	})
	if _, err := b.flush(); err != nil {
		return nil, err
	}
	return b, nil
}

// fixedBytes is about the size of a template's parts other than the units
// (CDKMetadata, the parameter and the rule).
const fixedBytes = 1100

// builder accumulates one template and its construct metadata.
type builder struct {
	spec *stackSpec
	r    *rand.Rand
	// pending holds the resources built since the last flush; rendered
	// the resources already rendered, in creation order.
	pending  cloudformation.Resources
	rendered ordered
	types    map[string]string // logical ID → resource type
	paths    map[string]string // logical ID → construct path (without stack)
	order    []string          // logical IDs in creation order
	buckets  []string          // bucket logical IDs
	fns      []string          // function logical IDs
}

// logicalID derives a CDK-style logical ID from a construct path: the path
// components without "Resource"/"Default", then 8 hex digits of a hash of
// the full path.
func logicalID(stack, path string) string {
	var b strings.Builder
	for _, c := range strings.Split(path, "/") {
		if c == "Resource" || c == "Default" {
			continue
		}
		b.WriteString(c)
	}
	if path == "CDKMetadata/Default" {
		return "CDKMetadata"
	}
	sum := sha256.Sum256([]byte(stack + "/" + path))
	return b.String() + strings.ToUpper(hex.EncodeToString(sum[:4]))
}

// add registers a resource at a construct path (relative to the stack) and
// sets its aws:cdk:path metadata.
func (b *builder) add(lid, path string, r cloudformation.Resource) string {
	if lid == "" {
		lid = logicalID(b.spec.id, path)
	}
	meta := map[string]interface{}{"aws:cdk:path": b.spec.id + "/" + path}
	switch x := r.(type) {
	case *iam.Role:
		x.AWSCloudFormationMetadata = meta
	case *iam.Policy:
		x.AWSCloudFormationMetadata = meta
	case *lambda.Function:
		x.AWSCloudFormationMetadata = meta
	case *s3.Bucket:
		x.AWSCloudFormationMetadata = meta
	case *s3.BucketPolicy:
		x.AWSCloudFormationMetadata = meta
	case *cloudformation.CustomResource:
		x.AWSCloudFormationMetadata = meta
	}
	if b.pending == nil {
		b.pending = cloudformation.Resources{}
	}
	if b.types == nil {
		b.types = map[string]string{}
	}
	b.pending[lid] = r
	b.types[lid] = r.AWSCloudFormationType()
	b.paths[lid] = path
	b.order = append(b.order, lid)
	return lid
}

func (b *builder) partitionJoin(parts ...string) string {
	// CDK merges adjacent literals of a Fn::Join.
	return cloudformation.Join("", []string{"arn:", cloudformation.Ref("AWS::Partition"), strings.Join(parts, "")})
}

func (b *builder) accountRoot() string {
	return cloudformation.Join("", []string{"arn:", cloudformation.Ref("AWS::Partition"), ":iam::", cloudformation.Ref("AWS::AccountId"), ":root"})
}

func doc(statements ...map[string]interface{}) map[string]interface{} {
	list := make([]interface{}, len(statements))
	for i, s := range statements {
		list[i] = s
	}
	return map[string]interface{}{"Statement": list, "Version": "2012-10-17"}
}

func one(list []string) interface{} {
	if len(list) == 1 {
		return list[0]
	}
	out := make([]interface{}, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

func trustService(service string) map[string]interface{} {
	return doc(map[string]interface{}{
		"Action": "sts:AssumeRole", "Effect": "Allow",
		"Principal": map[string]interface{}{"Service": service},
	})
}

// function adds a Lambda function with its service role and default policy.
func (b *builder) function(u int) {
	name := fmt.Sprintf("%sFn%d", handlers[b.r.IntN(len(handlers))], u)
	role := b.add("", name+"/ServiceRole/Resource", &iam.Role{
		AssumeRolePolicyDocument: trustService("lambda.amazonaws.com"),
		ManagedPolicyArns: []string{
			b.partitionJoin(":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
		},
	})
	policy := b.defaultPolicy(name+"/ServiceRole/DefaultPolicy/Resource", role)
	env := map[string]string{"STAGE": "prod"}
	if len(b.buckets) > 0 {
		env["BUCKET"] = cloudformation.Ref(b.buckets[b.r.IntN(len(b.buckets))])
	}
	fn := &lambda.Function{
		Code:        &lambda.Function_Code{ZipFile: cloudformation.String("exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify(e) });")},
		Handler:     cloudformation.String("index.handler"),
		Role:        cloudformation.GetAtt(role, "Arn"),
		Runtime:     cloudformation.String("nodejs22.x"),
		MemorySize:  cloudformation.Int(128 << b.r.IntN(4)),
		Timeout:     cloudformation.Int(3 + b.r.IntN(60)),
		Environment: &lambda.Function_Environment{Variables: env},
		TracingConfig: &lambda.Function_TracingConfig{
			Mode: cloudformation.String("Active"),
		},
		AWSCloudFormationDependsOn: []string{policy, role},
	}
	b.fns = append(b.fns, b.add("", name+"/Resource", fn))
}

var handlers = []string{"Api", "Worker", "Ingest", "Resize", "Export", "Sync", "Audit", "Notify"}

// defaultPolicy adds a role's DefaultPolicy with 6–14 statements.
func (b *builder) defaultPolicy(path, role string) string {
	n := 6 + b.r.IntN(9)
	sts := make([]map[string]interface{}, 0, n)
	for i := 0; i < n; i++ {
		sts = append(sts, b.statement())
	}
	lid := logicalID(b.spec.id, path)
	return b.add(lid, path, &iam.Policy{
		PolicyDocument: doc(sts...),
		PolicyName:     lid,
		Roles:          []string{cloudformation.Ref(role)},
	})
}

// Action sets of CDK's grant methods.
var (
	s3Read      = []string{"s3:GetObject*", "s3:GetBucket*", "s3:List*"}
	s3ReadWrite = []string{"s3:GetObject*", "s3:GetBucket*", "s3:List*", "s3:DeleteObject*", "s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:PutObjectTagging", "s3:PutObjectVersionTagging", "s3:Abort*"}
	ddbRW       = []string{"dynamodb:BatchGetItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:Query", "dynamodb:GetItem", "dynamodb:Scan", "dynamodb:ConditionCheckItem", "dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable"}
	sqsSend     = []string{"sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"}
	ssmRead     = []string{"ssm:DescribeParameters", "ssm:GetParameters", "ssm:GetParameter", "ssm:GetParameterHistory"}
	kmsDecrypt  = []string{"kms:Decrypt", "kms:DescribeKey"}
	xray        = []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
	logsWrite   = []string{"logs:CreateLogStream", "logs:PutLogEvents"}
	eventsPut   = []string{"events:PutEvents"}
)

func allow(actions []string, resources ...interface{}) map[string]interface{} {
	st := map[string]interface{}{"Action": one(actions), "Effect": "Allow"}
	if len(resources) == 1 {
		st["Resource"] = resources[0]
	} else {
		st["Resource"] = resources
	}
	return st
}

// statement returns one identity-policy statement as CDK grants write them.
func (b *builder) statement() map[string]interface{} {
	s := b.spec
	switch k := b.r.IntN(150); {
	case k < 3:
		// A wildcard service action on a bucket.
		if bk := b.someBucket(); bk != "" {
			return allow([]string{"s3:*"}, cloudformation.GetAtt(bk, "Arn"), cloudformation.Join("", []string{cloudformation.GetAtt(bk, "Arn"), "/*"}))
		}
		return allow([]string{"s3:*"}, "*")
	case k < 6:
		return allow([]string{"iam:PassRole"}, "*")
	case k < 8:
		return allow([]string{"sts:AssumeRole"}, fmt.Sprintf("arn:aws:iam::%s:role/deploy-*", s.account))
	case k < 9:
		return allow([]string{"*"}, "*")
	case k < 10 && len(b.fns) > 0:
		return allow([]string{"lambda:*"}, cloudformation.GetAtt(b.fns[b.r.IntN(len(b.fns))], "Arn"))
	case k < 35:
		if bk := b.someBucket(); bk != "" {
			actions := s3Read
			if b.r.IntN(2) == 0 {
				actions = s3ReadWrite
			}
			return allow(actions, cloudformation.GetAtt(bk, "Arn"), cloudformation.Join("", []string{cloudformation.GetAtt(bk, "Arn"), "/*"}))
		}
		return allow(s3Read, b.partitionJoin(":s3:::", strings.ToLower(s.id), "-assets-", s.account), b.partitionJoin(":s3:::", strings.ToLower(s.id), "-assets-", s.account, "/*"))
	case k < 55:
		table := fmt.Sprintf("%sTable%d", s.id, b.r.IntN(8))
		arn := b.partitionJoin(":dynamodb:", s.region, ":", s.account, ":table/", table)
		return allow(ddbRW, arn, cloudformation.Join("", []string{arn, "/index/*"}))
	case k < 70:
		return allow(sqsSend, b.partitionJoin(":sqs:", s.region, ":", s.account, ":", s.id, fmt.Sprintf("-queue-%d", b.r.IntN(16))))
	case k < 85:
		return allow(ssmRead, cloudformation.Join("", []string{"arn:", cloudformation.Ref("AWS::Partition"), ":ssm:", cloudformation.Ref("AWS::Region"), ":", cloudformation.Ref("AWS::AccountId"), ":parameter/", strings.ToLower(s.id), fmt.Sprintf("/param-%d", b.r.IntN(32))}))
	case k < 100:
		return allow(kmsDecrypt, b.partitionJoin(":kms:", s.region, ":", s.account, fmt.Sprintf(":key/%08x-1234-4abc-8def-%012x", b.r.Uint32(), b.r.Uint64()&0xffffffffffff)))
	case k < 115:
		return allow(xray, "*")
	case k < 130:
		return allow(logsWrite, b.partitionJoin(":logs:", s.region, ":", s.account, ":log-group:/aws/lambda/", s.id, fmt.Sprintf("-fn-%d:*", b.r.IntN(16))))
	case k < 140 && len(b.fns) > 0:
		fn := b.fns[b.r.IntN(len(b.fns))]
		return allow([]string{"lambda:InvokeFunction"}, cloudformation.GetAtt(fn, "Arn"), cloudformation.Join("", []string{cloudformation.GetAtt(fn, "Arn"), ":*"}))
	default:
		return allow(eventsPut, b.partitionJoin(":events:", s.region, ":", s.account, ":event-bus/default"))
	}
}

func (b *builder) someBucket() string {
	if len(b.buckets) == 0 {
		return ""
	}
	return b.buckets[b.r.IntN(len(b.buckets))]
}

// bucketUnit adds a bucket with a bucket policy: enforceSSL and a grant.
func (b *builder) bucketUnit(u int) {
	name := fmt.Sprintf("%sBucket%d", bucketNames[b.r.IntN(len(bucketNames))], u)
	bucket := b.add("", name+"/Resource", &s3.Bucket{
		BucketEncryption: &s3.Bucket_BucketEncryption{ServerSideEncryptionConfiguration: []s3.Bucket_ServerSideEncryptionRule{{
			ServerSideEncryptionByDefault: &s3.Bucket_ServerSideEncryptionByDefault{SSEAlgorithm: "AES256"},
		}}},
		PublicAccessBlockConfiguration: &s3.Bucket_PublicAccessBlockConfiguration{
			BlockPublicAcls: cloudformation.Bool(true), BlockPublicPolicy: cloudformation.Bool(true),
			IgnorePublicAcls: cloudformation.Bool(true), RestrictPublicBuckets: cloudformation.Bool(true),
		},
		VersioningConfiguration:              &s3.Bucket_VersioningConfiguration{Status: "Enabled"},
		AWSCloudFormationDeletionPolicy:      policies.DeletionPolicy("Retain"),
		AWSCloudFormationUpdateReplacePolicy: policies.UpdateReplacePolicy("Retain"),
	})
	arn := cloudformation.GetAtt(bucket, "Arn")
	objects := cloudformation.Join("", []string{arn, "/*"})
	sts := []map[string]interface{}{{
		"Action":    "s3:*",
		"Condition": map[string]interface{}{"Bool": map[string]interface{}{"aws:SecureTransport": "false"}},
		"Effect":    "Deny",
		"Principal": map[string]interface{}{"AWS": "*"},
		"Resource":  []interface{}{arn, objects},
	}}
	var grantee interface{} = b.accountRoot()
	switch k := b.r.IntN(10); {
	case k < 2:
		grantee = fmt.Sprintf("arn:aws:iam::%s:root", partnerAccount(b.r))
	case k < 3:
		grantee = "*" // a public read grant
	}
	sts = append(sts, map[string]interface{}{
		"Action":    one(s3Read),
		"Effect":    "Allow",
		"Principal": map[string]interface{}{"AWS": grantee},
		"Resource":  []interface{}{arn, objects},
	})
	b.add("", name+"/Policy/Resource", &s3.BucketPolicy{
		Bucket:         cloudformation.Ref(bucket),
		PolicyDocument: doc(sts...),
	})
	b.buckets = append(b.buckets, bucket)
}

var bucketNames = []string{"Assets", "Uploads", "Exports", "Logs", "Archive", "Reports"}

func partnerAccount(r *rand.Rand) string {
	return fmt.Sprintf("%012d", 210987654321+int64(r.IntN(3))*1000)
}

// role adds a role assumed by the account root or another account, with a
// managed policy and a default policy.
func (b *builder) role(u int) {
	name := fmt.Sprintf("%sRole%d", roleNames[b.r.IntN(len(roleNames))], u)
	st := map[string]interface{}{"Action": "sts:AssumeRole", "Effect": "Allow"}
	switch k := b.r.IntN(10); {
	case k < 6:
		st["Principal"] = map[string]interface{}{"AWS": b.accountRoot()}
	case k < 9:
		st["Principal"] = map[string]interface{}{"AWS": fmt.Sprintf("arn:aws:iam::%s:root", partnerAccount(b.r))}
		st["Condition"] = map[string]interface{}{"StringEquals": map[string]interface{}{"sts:ExternalId": fmt.Sprintf("ext-%08x", b.r.Uint32())}}
	default:
		// Cross-account without an external ID.
		st["Principal"] = map[string]interface{}{"AWS": fmt.Sprintf("arn:aws:iam::%s:root", partnerAccount(b.r))}
	}
	managed := []string{"ReadOnlyAccess", "AmazonS3ReadOnlyAccess", "CloudWatchReadOnlyAccess", "AWSCodeDeployRoleForLambda"}
	role := b.add("", name+"/Resource", &iam.Role{
		AssumeRolePolicyDocument: doc(st),
		ManagedPolicyArns:        []string{b.partitionJoin(":iam::aws:policy/", managed[b.r.IntN(len(managed))])},
		MaxSessionDuration:       cloudformation.Int(3600),
	})
	b.defaultPolicy(name+"/DefaultPolicy/Resource", role)
}

var roleNames = []string{"Deploy", "ReadOnly", "Support", "Pipeline", "Partner", "Auditor"}

// flush renders the pending resources: goformation writes the typed
// resources and decodes the intrinsics its builders encode
// (Template.JSON), then each resource's members are put in CDK's order
// (Type first). It returns the rendered size of the flushed resources.
func (b *builder) flush() (int, error) {
	t := cloudformation.NewTemplate()
	t.Resources = b.pending
	b.pending = nil
	raw, err := t.JSON()
	if err != nil {
		return 0, err
	}
	var m struct {
		Resources map[string]map[string]interface{}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return 0, err
	}
	size := 0
	for _, lid := range b.order[len(b.rendered):] {
		r := m.Resources[lid]
		// goformation's CustomResource always writes "Version"; CDK does not.
		if v, ok := r["Version"].(string); ok && v == "" {
			delete(r, "Version")
		}
		member := kv{lid, orderKeys(r, "Type", "Properties", "DependsOn", "UpdateReplacePolicy", "DeletionPolicy", "Metadata", "Condition")}
		b.rendered = append(b.rendered, member)
		out, err := marshalIndent(member.v, "  ")
		if err != nil {
			return 0, err
		}
		size += len(out) + len(lid) + 8 // `  "lid": ` and ",\n"
	}
	return size, nil
}

// render returns the template JSON as CDK writes it (one-space indent):
// Resources in creation order, then the BootstrapVersion parameter and the
// CheckBootstrapVersion rule, which goformation's Template has no field
// for.
func (b *builder) render() ([]byte, error) {
	params := map[string]interface{}{
		"BootstrapVersion": cloudformation.Parameter{
			Type:        "AWS::SSM::Parameter::Value<String>",
			Default:     "/cdk-bootstrap/hnb659fds/version",
			Description: cloudformation.String("Version of the CDK Bootstrap resources in this environment, automatically retrieved from SSM Parameter Store. [cdk:skip]"),
		},
	}
	rules := map[string]interface{}{
		"CheckBootstrapVersion": map[string]interface{}{
			"Assertions": []interface{}{map[string]interface{}{
				"Assert": map[string]interface{}{"Fn::Not": []interface{}{map[string]interface{}{
					"Fn::Contains": []interface{}{[]interface{}{"1", "2", "3", "4", "5"}, map[string]interface{}{"Ref": "BootstrapVersion"}},
				}}},
				"AssertDescription": "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.",
			}},
		},
	}
	return marshal(ordered{{"Resources", b.rendered}, {"Parameters", params}, {"Rules", rules}})
}

// kv is one member of an ordered object.
type kv struct {
	k string
	v interface{}
}

// ordered is a JSON object that keeps its member order.
type ordered []kv

func (o ordered) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(m.k); err != nil {
			return nil, err
		}
		buf.WriteByte(':')
		if err := enc.Encode(m.v); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// orderKeys returns m's members with keys first in that order; the other
// members of m are dropped.
func orderKeys(m map[string]interface{}, keys ...string) ordered {
	var out ordered
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out = append(out, kv{k, v})
		}
	}
	return out
}

// metaEntry is one CDK metadata entry.
type metaEntry struct {
	Type string      `json:"type"`
	Data interface{} `json:"data"`
}

// metadata returns the stack's metadata side file: the stack, the
// bootstrap parameter and rule and every resource, each with its logical ID
// and creation stack.
func (b *builder) metadata() map[string][]metaEntry {
	s := b.spec
	app := "/home/runner/work/platform/platform/"
	appFrame := fmt.Sprintf("Object.<anonymous> (%sbin/app.ts:%d:1)", app, 10+s.index%400)
	out := map[string][]metaEntry{
		"/" + s.id: {
			{"aws:cdk:creationStack", []string{appFrame, "...node internals..."}},
			{"aws:cdk:templateFile", s.templateFile()},
		},
	}
	cdk := []string{"...aws-cdk-lib...", "(no user code in 10 frames, use --stack-trace-limit to capture more)"}
	for _, id := range []string{"BootstrapVersion", "CheckBootstrapVersion"} {
		out["/"+s.id+"/"+id] = []metaEntry{{"aws:cdk:logicalId", id}, {"aws:cdk:creationStack", cdk}}
	}
	for i, lid := range b.order {
		path := b.paths[lid]
		trace := []string{
			"...new " + kindOf(b.types[lid]) + " in aws-cdk-lib...",
			fmt.Sprintf("new %sStack (%slib/%s-stack.ts:%d:%d)", s.id, app, strings.ToLower(s.id), 30+i, 7+i%20),
			appFrame, "...node internals...",
		}
		if lid == "CDKMetadata" {
			trace = cdk
		}
		out["/"+s.id+"/"+path] = []metaEntry{{"aws:cdk:logicalId", lid}, {"aws:cdk:creationStack", trace}}
	}
	return out
}

func kindOf(t string) string {
	return t[strings.LastIndex(t, ":")+1:]
}

// marshal writes JSON with a one-space indent and no HTML escaping, as CDK
// does.
func marshal(v interface{}) ([]byte, error) { return marshalIndent(v, "") }

func marshalIndent(v interface{}, prefix string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, " ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func writeManifest(dir string, specs []*stackSpec) error {
	arts := map[string]interface{}{}
	for _, s := range specs {
		env := fmt.Sprintf("aws://%s/%s", s.account, s.region)
		arts[s.id] = map[string]interface{}{
			"type":        "aws:cloudformation:stack",
			"environment": env,
			"properties": map[string]interface{}{
				"templateFile":                      s.templateFile(),
				"terminationProtection":             false,
				"validateOnSynth":                   false,
				"requiresBootstrapStackVersion":     6,
				"bootstrapStackVersionSsmParameter": "/cdk-bootstrap/hnb659fds/version",
			},
			"additionalMetadataFile": s.metadataFile(),
			"displayName":            s.id,
		}
	}
	b, err := marshal(map[string]interface{}{"version": "36.0.0", "artifacts": arts})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "manifest.json"), b, 0o644)
}
