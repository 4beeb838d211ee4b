package cfn

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// render writes a node as compact JSON, object members in source order.
func render(n *Node) string {
	var b strings.Builder
	renderTo(&b, n)
	return b.String()
}

func renderTo(b *strings.Builder, n *Node) {
	if n == nil {
		b.WriteString("<nil>")
		return
	}
	switch n.Kind {
	case Null:
		b.WriteString("null")
	case Bool, Number:
		b.WriteString(n.Str)
	case String:
		q, _ := json.Marshal(n.Str)
		b.Write(q)
	case Array:
		b.WriteByte('[')
		for i, v := range n.Vals {
			if i > 0 {
				b.WriteByte(',')
			}
			renderTo(b, v)
		}
		b.WriteByte(']')
	case Object:
		b.WriteByte('{')
		for i, k := range n.Keys {
			if i > 0 {
				b.WriteByte(',')
			}
			q, _ := json.Marshal(k)
			b.Write(q)
			b.WriteByte(':')
			renderTo(b, n.Vals[i])
		}
		b.WriteByte('}')
	default:
		fmt.Fprintf(b, "<kind %d>", n.Kind)
	}
}

// spanProblem returns the first node whose span is not inside src, or whose
// Start is after its End, or whose shape is inconsistent ("" when all are fine).
func spanProblem(n *Node, srcLen int) string {
	var walk func(n *Node, path string, depth int) string
	walk = func(n *Node, path string, depth int) string {
		if n == nil {
			return path + ": nil node"
		}
		if depth > 4*MaxDepth {
			return ""
		}
		if n.Start < 0 || n.End > srcLen || n.Start > n.End {
			return fmt.Sprintf("%s: span [%d,%d) outside [0,%d] or reversed", path, n.Start, n.End, srcLen)
		}
		if n.Kind == Object && (len(n.Keys) != len(n.Vals) || len(n.KeyPos) != len(n.Keys)) {
			return fmt.Sprintf("%s: %d keys, %d values, %d key positions", path, len(n.Keys), len(n.Vals), len(n.KeyPos))
		}
		for _, kp := range n.KeyPos {
			if kp < 0 || kp > srcLen {
				return fmt.Sprintf("%s: key position %d outside [0,%d]", path, kp, srcLen)
			}
		}
		for i, c := range n.Vals {
			if p := walk(c, fmt.Sprintf("%s/%d", path, i), depth+1); p != "" {
				return p
			}
		}
		return ""
	}
	return walk(n, "", 0)
}

func mustJSON(t testing.TB, src string) *Node {
	t.Helper()
	n, err := ParseJSON([]byte(src))
	if err != nil {
		t.Fatalf("ParseJSON(%s): %v", src, err)
	}
	return n
}

func mustYAML(t testing.TB, src string) *Node {
	t.Helper()
	n, err := ParseYAML([]byte(src))
	if err != nil {
		t.Fatalf("ParseYAML(%q): %v", src, err)
	}
	return n
}
