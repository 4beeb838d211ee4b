package srcloc

import (
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Frame is one parsed frame of a construct creation trace.
type Frame struct {
	// Func is the function the frame is in ("new TrustStack",
	// "<anonymous>", "__init__", "com.acme.MyStack.<init>"), if named.
	Func string
	// File is the file as the trace names it (file:// URLs decoded). Java
	// frames name only the file ("MyStack.java"); Class then says where it is.
	File string
	// Line is 1-based; Col is 1-based in UTF-16 units, 0 when unknown.
	Line, Col int
	// Class is the fully-qualified class of a Java (or .NET) frame.
	Class string
}

var (
	pythonFrame = regexp.MustCompile(`^File "(.+)", line (\d+)(?:, in (.+))?$`)
	// at com.acme.MyStack.<init>(MyStack.java:25); no space before "(".
	javaFrame   = regexp.MustCompile(`^([^\s()]+)\(([^()]*)\)$`)
	dotnetFrame = regexp.MustCompile(`^(.+?) in (.+):line (\d+)$`)
	lineCol     = regexp.MustCompile(`^(.*):(\d+):(\d+)$`)
	lineOnly    = regexp.MustCompile(`^(.*):(\d+)$`)
	goPC        = regexp.MustCompile(` \+0x[0-9a-fA-F]+$`)
)

// ParseFrame parses one trace entry: V8 frames "fn (file:line:col)" and
// "file:line:col" (with or without a leading "at "), Python frames
// `File "x.py", line N, in fn`, Java frames "pkg.Class.method(File.java:N)",
// .NET frames "Ns.Class.Method() in path:line N", and Go "path:line +0x…".
// Elided markers ("...node internals...", "...new Role2 in aws-cdk-lib...",
// "(no user code in 10 frames …)") and frames without a file position
// (native, <anonymous>, eval) report false.
func ParseFrame(s string) (Frame, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimPrefix(s, "at "))
	if s == "" || strings.HasPrefix(s, "...") {
		return Frame{}, false
	}
	if m := pythonFrame.FindStringSubmatch(s); m != nil {
		line, _ := strconv.Atoi(m[2])
		return checked(Frame{Func: m[3], File: m[1], Line: line})
	}
	if m := dotnetFrame.FindStringSubmatch(s); m != nil {
		line, _ := strconv.Atoi(m[3])
		fn := m[1]
		class := fn
		if i := strings.IndexByte(class, '('); i >= 0 {
			class = class[:i]
		}
		if i := strings.LastIndexByte(class, '.'); i > 0 {
			class = strings.TrimSuffix(class[:i], ".") // "Ns.Class..ctor"
		}
		return checked(Frame{Func: fn, File: m[2], Line: line, Class: class})
	}
	if m := javaFrame.FindStringSubmatch(s); m != nil && !strings.Contains(m[1], ":") {
		name := m[1]
		if i := strings.LastIndexByte(name, '/'); i >= 0 { // Java 9 module prefix "app//"
			name = name[i+1:]
		}
		f, ok := parseLoc(m[2])
		if !ok {
			return Frame{}, false
		}
		f.Func = name
		if i := strings.LastIndexByte(name, '.'); i > 0 {
			f.Class = name[:i]
		}
		return checked(f)
	}
	if strings.HasSuffix(s, ")") {
		if i := strings.Index(s, " ("); i > 0 {
			inner := s[i+2 : len(s)-1]
			if strings.HasPrefix(inner, "eval at ") || strings.HasPrefix(inner, "index ") {
				return Frame{}, false
			}
			f, ok := parseLoc(inner)
			if !ok {
				return Frame{}, false
			}
			f.Func = s[:i]
			f.Func = strings.TrimPrefix(f.Func, "async ")
			if isJavaFile(f.File) && !strings.ContainsAny(f.File, `/\`) {
				// A host-language Java frame rendered V8-style.
				if j := strings.LastIndexByte(f.Func, '.'); j > 0 {
					f.Class = f.Func[:j]
				}
			}
			return checked(f)
		}
		if strings.HasPrefix(s, "(") { // "(no user code in 10 frames …)"
			return Frame{}, false
		}
	}
	f, ok := parseLoc(s)
	if !ok {
		return Frame{}, false
	}
	return checked(f)
}

// parseLoc parses "file:line:col", "file:line" or a Go "file:line +0x1f".
func parseLoc(s string) (Frame, bool) {
	s = goPC.ReplaceAllString(strings.TrimSpace(s), "")
	var f Frame
	if m := lineCol.FindStringSubmatch(s); m != nil {
		f.File = m[1]
		f.Line, _ = strconv.Atoi(m[2])
		f.Col, _ = strconv.Atoi(m[3])
	} else if m := lineOnly.FindStringSubmatch(s); m != nil {
		f.File = m[1]
		f.Line, _ = strconv.Atoi(m[2])
	} else {
		return Frame{}, false
	}
	f.File = fileFromURL(f.File)
	return f, true
}

func checked(f Frame) (Frame, bool) {
	switch f.File {
	case "", "native", "<anonymous>", "unknown location", "Unknown Source", "Native Method", "<string>", "<stdin>":
		return Frame{}, false
	}
	if f.Line < 1 || strings.HasPrefix(f.File, "<") {
		return Frame{}, false
	}
	if f.Col < 0 {
		f.Col = 0
	}
	return f, true
}

// fileFromURL turns "file:///x/app.mjs" into "/x/app.mjs" and
// "file:///C:/x/app.mjs" into "C:/x/app.mjs".
func fileFromURL(s string) string {
	if !strings.HasPrefix(s, "file://") {
		return s
	}
	p := strings.TrimPrefix(s, "file://")
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	if len(p) >= 3 && p[0] == '/' && isDrive(p[1:]) {
		p = p[1:]
	}
	return p
}

func isDrive(p string) bool {
	return len(p) >= 2 && p[1] == ':' && ('a' <= p[0] && p[0] <= 'z' || 'A' <= p[0] && p[0] <= 'Z')
}

func isJavaFile(f string) bool {
	switch strings.ToLower(path.Ext(f)) {
	case ".java", ".kt", ".scala", ".groovy":
		return true
	}
	return false
}

// hostLibraryClass lists class prefixes of frames inside the CDK, jsii and
// language runtimes (Java, .NET): never the user's construct.
var hostLibraryClass = []string{
	"software.amazon.jsii.", "software.amazon.awscdk.", "software.constructs.",
	"java.", "javax.", "jdk.", "sun.", "com.sun.", "kotlin.", "scala.",
	"org.apache.maven.", "org.codehaus.mojo.", "org.gradle.",
	"Amazon.JSII.", "Amazon.CDK.", "Constructs.", "System.", "Microsoft.",
}

var jsiiProgram = regexp.MustCompile(`/(?:tmp[\w.-]*|jsii-[\w.-]+)/lib/program\.js$`)

// IsLibrary reports whether a frame is outside the user's code: node
// internals, node_modules (aws-cdk-lib, constructs, …), jsii kernel and
// runtime files, Python site-packages, aws-cdk-lib or constructs sources
// linked outside node_modules, and CDK/jsii/JDK/.NET classes of host frames.
func IsLibrary(f Frame) bool {
	file := strings.ReplaceAll(f.File, `\`, "/")
	if strings.HasPrefix(file, "node:") || strings.HasPrefix(file, "internal/") {
		return true
	}
	for _, c := range hostLibraryClass {
		if strings.HasPrefix(f.Class, c) {
			return true
		}
	}
	lower := "/" + strings.ToLower(file)
	for _, seg := range []string{"/node_modules/", "/site-packages/", "/dist-packages/", "/@jsii/", "/jsii/_embedded/", "/aws-cdk-lib/", "/@aws-cdk/", "/aws_cdk/"} {
		if strings.Contains(lower, seg) {
			return true
		}
	}
	if strings.Contains(lower, "/jsii-kernel-") || strings.Contains(lower, "/jsii-runtime") || jsiiProgram.MatchString(lower) {
		return true
	}
	// The constructs library outside node_modules (a linked checkout):
	// constructs/lib/*.js, never a user's "constructs" source folder.
	if strings.Contains(lower, "/constructs/lib/") && (strings.HasSuffix(lower, ".js") || strings.HasSuffix(lower, ".d.ts")) {
		return true
	}
	return false
}
