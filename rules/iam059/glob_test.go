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
