package loader

import (
	"encoding/json"
	"strings"

	"github.com/iamvet/iamvet/internal/cfn"
)

// CDK metadata side files (additionalMetadataFile) are as large as a
// fifth of the templates and are decoded with the template parser: several
// times faster than encoding/json into metadataEntry with its
// json.RawMessage data decoded again per entry. decodeMetadata gives the
// result encoding/json gives, and leaves to encoding/json (ok false) every
// file that is not plainly well formed, so that errors and odd cases stay
// exactly encoding/json's.

// decodeMetadata decodes a side metadata file as json.Unmarshal into
// map[string][]metadataEntry does; ok is false when the file has a syntax
// error, a duplicate key, a field name differing from type, data or trace
// only in case, or a value of the wrong type: the caller then uses
// encoding/json.
func decodeMetadata(src []byte) (m map[string][]metadataEntry, ok bool) {
	if len(src) >= 3 && string(src[:3]) == "\xef\xbb\xbf" {
		return nil, false // a second BOM: encoding/json rejects it, the parser would not
	}
	root, err := cfn.ParseJSON(src)
	if err != nil {
		return nil, false
	}
	switch root.Kind {
	case cfn.Null:
		return nil, true
	case cfn.Object:
	default:
		return nil, false
	}
	// Trace lines repeat across the constructs of a stack (the stack's
	// constructor, the app entry): one copy each.
	lines := map[string]string{}
	m = make(map[string][]metadataEntry, len(root.Keys))
	for i, path := range root.Keys {
		list := root.Vals[i]
		var entries []metadataEntry
		switch list.Kind {
		case cfn.Null:
		case cfn.Array:
			entries = make([]metadataEntry, len(list.Vals))
			for j, el := range list.Vals {
				if !decodeEntry(el, &entries[j], lines) {
					return nil, false
				}
			}
		default:
			return nil, false
		}
		m[path] = entries
	}
	return m, true
}

func decodeEntry(n *cfn.Node, e *metadataEntry, lines map[string]string) bool {
	switch n.Kind {
	case cfn.Null:
		return true
	case cfn.Object:
	default:
		return false
	}
	for i, k := range n.Keys {
		v := n.Vals[i]
		switch k {
		case "type":
			switch v.Kind {
			case cfn.String:
				e.Type = v.Str
			case cfn.Null:
			default:
				return false
			}
		case "data":
			e.data = v
			if v.Kind == cfn.Array {
				for _, el := range v.Vals {
					if el.Kind == cfn.String {
						el.Str = intern(lines, el.Str)
					}
				}
			}
		case "trace":
			switch v.Kind {
			case cfn.Array:
				tr, ok := stringList(v, lines)
				if !ok {
					return false
				}
				e.Trace = tr
			case cfn.Null:
			default:
				return false
			}
		default:
			if strings.EqualFold(k, "type") || strings.EqualFold(k, "data") || strings.EqualFold(k, "trace") {
				return false
			}
		}
	}
	return true
}

// stringList is an array of strings (null elements are ""), as
// json.Unmarshal into []string decodes it; ok is false for any other
// element.
func stringList(n *cfn.Node, lines map[string]string) ([]string, bool) {
	out := make([]string, len(n.Vals))
	for i, el := range n.Vals {
		switch el.Kind {
		case cfn.String:
			out[i] = intern(lines, el.Str)
		case cfn.Null:
		default:
			return nil, false
		}
	}
	return out, true
}

// dataString is the entry's data as json.Unmarshal into a string decodes
// it: a string, or "" for null; ok is false when data is absent or not a
// string.
func (e *metadataEntry) dataString() (string, bool) {
	if e.data == nil {
		var s string
		err := json.Unmarshal(e.Data, &s)
		return s, err == nil
	}
	switch e.data.Kind {
	case cfn.String:
		return e.data.Str, true
	case cfn.Null:
		return "", true
	}
	return "", false
}

// dataStrings is the entry's data as json.Unmarshal into []string decodes
// it: an array of strings (null elements are ""), or nil for null; ok is
// false when data is absent or anything else.
func (e *metadataEntry) dataStrings() ([]string, bool) {
	if e.data == nil {
		var list []string
		err := json.Unmarshal(e.Data, &list)
		return list, err == nil
	}
	switch e.data.Kind {
	case cfn.Array:
		return stringList(e.data, nil)
	case cfn.Null:
		return nil, true
	}
	return nil, false
}

// intern returns the copy of s in lines (nil: s), adding s.
func intern(lines map[string]string, s string) string {
	if lines == nil {
		return s
	}
	if c, ok := lines[s]; ok {
		return c
	}
	lines[s] = s
	return s
}
