package srcloc

import "testing"

func TestParseFrame(t *testing.T) {
	for _, tc := range []struct {
		in   string
		ok   bool
		want Frame
	}{
		// V8, as CDK records them (aws:cdk:creationStack).
		{"new TrustStack (/home/runner/work/e/e/app.js:18:5)", true, Frame{Func: "new TrustStack", File: "/home/runner/work/e/e/app.js", Line: 18, Col: 5}},
		{"<anonymous> (/home/runner/work/e/e/app.js:139:1)", true, Frame{Func: "<anonymous>", File: "/home/runner/work/e/e/app.js", Line: 139, Col: 1}},
		{"    at Object.<anonymous> (/x/bin/app.js:7:1)", true, Frame{Func: "Object.<anonymous>", File: "/x/bin/app.js", Line: 7, Col: 1}},
		{"async main (/x/app.mjs:3:9)", true, Frame{Func: "main", File: "/x/app.mjs", Line: 3, Col: 9}},
		// Without a function name.
		{"/x/lib/stack.js:10:22", true, Frame{File: "/x/lib/stack.js", Line: 10, Col: 22}},
		{"at /x/lib/stack.js:10:22", true, Frame{File: "/x/lib/stack.js", Line: 10, Col: 22}},
		{"/x/lib/stack.py:10", true, Frame{File: "/x/lib/stack.py", Line: 10}},
		// A path with spaces and parentheses.
		{"new Api (/home/u/my (copy)/lib/api.js:4:7)", true, Frame{Func: "new Api", File: "/home/u/my (copy)/lib/api.js", Line: 4, Col: 7}},
		// Windows paths, with and without a function name.
		{`C:\x\app.js:3:5`, true, Frame{File: `C:\x\app.js`, Line: 3, Col: 5}},
		{`new AppStack (C:\Users\dev\cdk app\lib\app-stack.js:12:26)`, true, Frame{Func: "new AppStack", File: `C:\Users\dev\cdk app\lib\app-stack.js`, Line: 12, Col: 26}},
		// ESM file URLs.
		{"file:///C:/x/app.mjs:2:1", true, Frame{File: "C:/x/app.mjs", Line: 2, Col: 1}},
		{"main (file:///srv/my%20app/app.mjs:2:3)", true, Frame{Func: "main", File: "/srv/my app/app.mjs", Line: 2, Col: 3}},
		// Python: native traceback form and jsii host frames rendered V8-style.
		{`File "/src/app/my_stack.py", line 12, in __init__`, true, Frame{Func: "__init__", File: "/src/app/my_stack.py", Line: 12}},
		{`File "app.py", line 3`, true, Frame{File: "app.py", Line: 3}},
		{"__init__ (/Users/me/my_app/my_app/my_app_stack.py:21:0)", true, Frame{Func: "__init__", File: "/Users/me/my_app/my_app/my_app_stack.py", Line: 21}},
		// Java.
		{"at com.acme.MyStack.<init>(MyStack.java:25)", true, Frame{Func: "com.acme.MyStack.<init>", File: "MyStack.java", Line: 25, Class: "com.acme.MyStack"}},
		{"app//com.acme.App.main(App.java:9)", true, Frame{Func: "com.acme.App.main", File: "App.java", Line: 9, Class: "com.acme.App"}},
		{"com.acme.MyStack.<init> (MyStack.java:25:0)", true, Frame{Func: "com.acme.MyStack.<init>", File: "MyStack.java", Line: 25, Class: "com.acme.MyStack"}},
		{"at software.amazon.jsii.JsiiEngine.createNewObject(Unknown Source)", false, Frame{}},
		{"at java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)", false, Frame{}},
		// .NET and Go.
		{`at Acme.ApiStack..ctor(Construct scope, String id) in C:\src\Acme\ApiStack.cs:line 14`, true, Frame{Func: "Acme.ApiStack..ctor(Construct scope, String id)", File: `C:\src\Acme\ApiStack.cs`, Line: 14, Class: "Acme.ApiStack"}},
		{"/src/app/main.go:45 +0x1d", true, Frame{File: "/src/app/main.go", Line: 45}},
		// Elided markers and frames without a position.
		{"...node internals...", false, Frame{}},
		{"...aws-cdk-lib...", false, Frame{}},
		{"...new Role2 in aws-cdk-lib...", false, Frame{}},
		{"...aws-cdk-lib, jsii runtime, node internals...", false, Frame{}},
		{"(no user code in 10 frames, use --stack-trace-limit to capture more)", false, Frame{}},
		{"stack traces disabled", false, Frame{}},
		{"Array.forEach (<anonymous>)", false, Frame{}},
		{"Promise.all (index 0)", false, Frame{}},
		{"eval (eval at <anonymous> (/x/app.js:1:1), <anonymous>:1:1)", false, Frame{}},
		{"new Foo (native)", false, Frame{}},
		{"", false, Frame{}},
		{"/x/app.js:0:1", false, Frame{}},
	} {
		got, ok := ParseFrame(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseFrame(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestIsLibrary(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"new TrustStack (/home/runner/work/e/e/app.js:18:5)", false},
		{"new Role (/app/node_modules/aws-cdk-lib/aws-iam/lib/role.js:1:2)", true},
		{"synthesize (/home/runner/work/node_modules/aws-cdk-lib/core/lib/private/synthesis.js:3:4)", true},
		{"new Construct (/repo/node_modules/constructs/lib/construct.js:1:1)", true},
		{"new Construct (/src/constructs/lib/construct.js:1:1)", true}, // a linked constructs checkout
		{"new Bucket (/src/aws-cdk/packages/aws-cdk-lib/aws-s3/lib/bucket.js:1:1)", true},
		{"new MyBucket (/repo/lib/constructs/my-bucket.js:5:3)", false}, // a user's "constructs" folder
		{"Module._compile (node:internal/modules/cjs/loader:1554:14)", true},
		{"internal/main/run_main_module.js:22:47", true},
		{"Kernel.create (/private/var/folders/zv/T/tmpjph88goj/lib/program.js:1:51955)", true},
		{"new Bucket (/tmp/jsii-kernel-ZbnPBD/node_modules/@aws-cdk/aws-s3/lib/bucket.js:387:26)", true},
		{"/Users/s/foo/.env/lib/python3.7/site-packages/jsii/_embedded/jsii/jsii-runtime.js:7915:49", true},
		{`File "/repo/.venv/lib/python3.12/site-packages/aws_cdk/__init__.py", line 3, in x`, true},
		{`File "/repo/app/stack.py", line 3, in __init__`, false},
		{"at software.amazon.awscdk.services.iam.Role.<init>(Role.java:10)", true},
		{"at com.acme.MyStack.<init>(MyStack.java:25)", false},
		{`at Amazon.JSII.Runtime.Services.Client.Create() in C:\b\Client.cs:line 3`, true},
		{`C:\repo\node_modules\aws-cdk-lib\core\lib\stack.js:1:1`, true},
	} {
		f, ok := ParseFrame(tc.in)
		if !ok {
			t.Fatalf("ParseFrame(%q) failed", tc.in)
		}
		if got := IsLibrary(f); got != tc.want {
			t.Errorf("IsLibrary(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestFrameMessage(t *testing.T) {
	for callee, want := range map[string]string{
		"new TrustStack":          "creates TrustStack (construct trace)",
		"":                        "construct trace",
		"<anonymous>":             "construct trace",
		"com.acme.MyStack.<init>": "creates com.acme.MyStack (construct trace)",
		"buildRoles":              "calls buildRoles (construct trace)",
		"__init__":                "construct trace",
		"Acme.ApiStack..ctor(Construct scope, String id)": "creates Acme.ApiStack (construct trace)",
	} {
		if got := frameMessage(callee); got != want {
			t.Errorf("frameMessage(%q) = %q, want %q", callee, got, want)
		}
	}
	if got := elidedCallee("...new Role2 in aws-cdk-lib...", "x"); got != "new Role" {
		t.Errorf("elidedCallee = %q", got)
	}
	if got := elidedCallee("...node internals...", "x"); got != "x" {
		t.Errorf("elidedCallee kept %q", got)
	}
}
