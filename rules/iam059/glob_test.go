package iam059

import "testing"

func TestIntersect(t *testing.T) {
	bucket := func(n string) bool { return noSlashNames[n] || n == "Bucket" }
	for _, c := range []struct {
		policy, format string
		want           bool
	}{
		{"reports", "${BucketName}", true},
		{"reports/*", "${BucketName}", false},
		{"reports/*", "${BucketName}/${ObjectName}", true},
		{"reports", "${BucketName}/${ObjectName}", false},
		{"*", "${BucketName}/${ObjectName}", true},
		{"reports*", "${BucketName}/${ObjectName}", true},
		{"r?ports", "${BucketName}", true},
		{"${Bucket}", "${BucketName}/${ObjectName}", false},
		{"${Bucket}/*", "${BucketName}", false},
		{"${Other}", "${BucketName}/${ObjectName}", true},
		{"", "${Region}", false},
		{"*", "${Region}", true},
		{"us-east-1", "${Region}", true},
		{"alias/app", "key/${KeyId}", false},
		{"KEY/abc", "key/${KeyId}", true},
		{"key/*", "key/${KeyId}", true},
		{"*a*b*", "*b*a*", true},
		{"a*", "b*", false},
		{"table/orders/index/*", "table/${TableName}", false},
		{"table/orders/index/*", "table/${TableName}/index/${IndexName}", true},
		{"log-group:/aws/lambda/fn:*", "log-group:${LogGroupName}:log-stream:${LogStreamName}", true},
	} {
		got := intersect(compile(c.policy, bucket, false), compile(c.format, bucket, true))
		if got != c.want {
			t.Errorf("intersect(%q, %q) = %v, want %v", c.policy, c.format, got, c.want)
		}
	}
}

func TestBucketArn(t *testing.T) {
	for _, c := range []struct {
		in, id, rest string
		ok           bool
	}{
		{"${Bucket83908E77.Arn}", "Bucket83908E77", "", true},
		{"${Bucket83908E77.Arn}/*", "Bucket83908E77", "/*", true},
		{"${Bucket.Arn", "", "", false},
		{"${.Arn}", "", "", false},
		{"${Bucket.Arnx}", "", "", false},
		{"${Bucket-1.Arn}", "", "", false},
		{"arn:${AWS::Partition}:s3:::b", "", "", false},
	} {
		id, rest, ok := bucketArn(c.in)
		if id != c.id || rest != c.rest || ok != c.ok {
			t.Errorf("bucketArn(%q) = %q, %q, %v; want %q, %q, %v", c.in, id, rest, ok, c.id, c.rest, c.ok)
		}
	}
}

// TestResourceKey checks that resources compiled with different bucket
// knowledge do not share a cache entry.
func TestResourceKey(t *testing.T) {
	none := func(string) bool { return false }
	all := func(string) bool { return true }
	text := "arn:${AWS::Partition}:s3:::${B}"
	if resourceKey(text, none) == resourceKey(text, all) {
		t.Errorf("same key for a bucket and a non-bucket placeholder")
	}
	if k := resourceKey("arn:aws:s3:::b/*", all); k != "arn:aws:s3:::b/*" {
		t.Errorf("key of a literal ARN = %q", k)
	}
	cache := map[string]*resource{}
	a, b := compileResource(text, none, cache), compileResource(text, all, cache)
	if a == b || a == nil || b == nil {
		t.Fatalf("compileResource: %p, %p", a, b)
	}
	obj := compile("${BucketName}/${ObjectName}", func(n string) bool { return n == "BucketName" }, true)
	if !intersect(a[5], obj) {
		t.Errorf("a non-bucket ${B} should meet an object")
	}
	if intersect(b[5], obj) {
		t.Errorf("a bucket ${B} should not meet an object")
	}
}
