package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"testing"
)

var _ = io.EOF

func randString(r *rand.Rand) string {
	pool := []string{"<", ">", "&", "\\", "\"", "\u2028", "\u2029", "\xff", "\xc3", "é", "𝄞", "\x01", "\x1f", "\n", "\t", "a", "b", " ", "\ufffd", "\\u003c", "/", "\x7f"}
	n := r.Intn(8)
	s := ""
	for i := 0; i < n; i++ {
		s += pool[r.Intn(len(pool))]
	}
	return s
}

func randValue(r *rand.Rand, depth int) any {
	switch k := r.Intn(8); {
	case depth > 4 || k == 0:
		return randString(r)
	case k == 1:
		return nil
	case k == 2:
		return r.Float64() * 1000
	case k == 3:
		return r.Intn(2) == 0
	case k == 4 || k == 5:
		m := map[string]any{}
		for i := r.Intn(5); i > 0; i-- {
			m[randString(r)] = randValue(r, depth+1)
		}
		return m
	default:
		var a []any
		for i := r.Intn(5); i > 0; i-- {
			a = append(a, randValue(r, depth+1))
		}
		return a
	}
}

func TestTidyEquivalence(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 15000; i++ { // 200,000 ran clean when the streaming writer was written
		v := map[string]any{"x": randValue(r, 0), "y": nil}
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		old, err1 := oldTidyJSON(b)
		nw, err2 := tidyJSON(b)
		if (err1 == nil) != (err2 == nil) || !bytes.Equal(old, nw) {
			t.Fatalf("differ on %s:\n%q\n%q %v %v", b, old, nw, err1, err2)
		}
		c, _ := json.Marshal(v)
		var ind bytes.Buffer
		json.Indent(&ind, tidyCompact(nil, c), "", "  ")
		ind.WriteByte('\n')
		if !bytes.Equal(old, ind.Bytes()) {
			t.Fatalf("compact path differs on %s", b)
		}
	}
	fmt.Println("ok")
}
func oldTidyJSON(in []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.UseNumber()
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if err := oldCopyJSON(dec, enc, &compact, tok); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	var out bytes.Buffer
	out.Grow(len(in))
	if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func oldCopyJSON(dec *json.Decoder, enc *json.Encoder, buf *bytes.Buffer, tok json.Token) error {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			buf.WriteByte('{')
			first := true
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				key, ok := kt.(string)
				if !ok {
					return fmt.Errorf("object key %v is not a string", kt)
				}
				vt, err := dec.Token()
				if err != nil {
					return err
				}
				if vt == nil {
					continue // a null member: SARIF never needs one
				}
				if !first {
					buf.WriteByte(',')
				}
				first = false
				if err := oldWriteString(enc, buf, key); err != nil {
					return err
				}
				buf.WriteByte(':')
				if err := oldCopyJSON(dec, enc, buf, vt); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil { // '}'
				return err
			}
			buf.WriteByte('}')
		case '[':
			buf.WriteByte('[')
			for i := 0; dec.More(); i++ {
				vt, err := dec.Token()
				if err != nil {
					return err
				}
				if i > 0 {
					buf.WriteByte(',')
				}
				if err := oldCopyJSON(dec, enc, buf, vt); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil { // ']'
				return err
			}
			buf.WriteByte(']')
		default:
			return fmt.Errorf("unexpected delimiter %v", t)
		}
	case string:
		return oldWriteString(enc, buf, t)
	case json.Number:
		buf.WriteString(t.String())
	case bool:
		if t {
			buf.WriteString("true")
		} else {
			buf.WriteString("false")
		}
	case nil:
		buf.WriteString("null")
	default:
		return fmt.Errorf("unexpected JSON token %T", tok)
	}
	return nil
}

func oldWriteString(enc *json.Encoder, buf *bytes.Buffer, s string) error {
	if err := enc.Encode(s); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
	return nil
}
