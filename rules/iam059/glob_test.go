package iam059

import (
	"math/rand/v2"
	"strings"
	"testing"
)

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

// TestCompileResource checks that a placeholder naming an in-template
// bucket compiles to a name without "/", and that a stack's cache (one per
// stack, as run keeps it) compiles a repeated text once.
func TestCompileResource(t *testing.T) {
	none := func(string) bool { return false }
	all := func(string) bool { return true }
	text := "arn:${AWS::Partition}:s3:::${B}"
	noBuckets, buckets := map[string]*resource{}, map[string]*resource{}
	a, b := compileResource(text, none, noBuckets), compileResource(text, all, buckets)
	if a == b || a == nil || b == nil {
		t.Fatalf("compileResource: %p, %p", a, b)
	}
	if again := compileResource(text, none, noBuckets); again != a {
		t.Errorf("a repeated text was compiled again")
	}
	obj := compile("${BucketName}/${ObjectName}", func(n string) bool { return n == "BucketName" }, true)
	if !intersect(a[5], obj) {
		t.Errorf("a non-bucket ${B} should meet an object")
	}
	if intersect(b[5], obj) {
		t.Errorf("a bucket ${B} should not meet an object")
	}
}

// TestIntersectBruteForce compares intersect with a search for a common
// string on random small patterns: two patterns that meet do so on a
// string no longer than their combined length, over their literals, one
// other letter and "/".
func TestIntersectBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	parts := []string{"a", "b", "/", "*", "?", "${B}", "${X}"}
	random := func() string {
		var s strings.Builder
		for range rng.IntN(4) {
			s.WriteString(parts[rng.IntN(len(parts))])
		}
		return s.String()
	}
	bucket := func(n string) bool { return n == "B" }
	for range 1500 {
		ps, qs := random(), random()
		p, q := compile(ps, bucket, false), compile(qs, bucket, true)
		want := false
		for n := 0; n <= len(p)+len(q) && !want; n++ {
			want = someString(n, func(s []byte) bool { return globMatch(p, s) && globMatch(q, s) })
		}
		if got := intersect(p, q); got != want {
			t.Errorf("intersect(%q, %q) = %v, brute force says %v", ps, qs, got, want)
		}
	}
}

// someString reports whether some string of n bytes over "ab/c" satisfies f.
func someString(n int, f func([]byte) bool) bool {
	s := make([]byte, n)
	var rec func(i int) bool
	rec = func(i int) bool {
		if i == n {
			return f(s)
		}
		for _, c := range []byte("ab/c") {
			s[i] = c
			if rec(i + 1) {
				return true
			}
		}
		return false
	}
	return rec(0)
}

// globMatch is the plain definition of a pattern's language.
func globMatch(p pattern, s []byte) bool {
	if len(p) == 0 {
		return len(s) == 0
	}
	switch t := p[0]; t.kind {
	case '*':
		for i := 0; i <= len(s); i++ {
			if globMatch(p[1:], s[i:]) {
				return true
			}
			if i < len(s) && !t.accepts(s[i]) {
				return false
			}
		}
		return false
	default:
		return len(s) > 0 && t.accepts(s[0]) && globMatch(p[1:], s[1:])
	}
}
