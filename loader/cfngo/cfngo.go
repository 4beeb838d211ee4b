// Package cfngo converts a loaded stack to goformation's typed
// *cloudformation.Template, for Go programs that want typed resources.
//
// Parsed its default way, goformation v7.14.9 turns intrinsics into wrong
// values (the corpus's {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"},
// ":iam::aws:policy/AdministratorAccess"]]} becomes
// "arn::iam::aws:policy/AdministratorAccess", Fn::GetAtt becomes nil and
// Ref AWS::AccountId "123456789012"), and with NoProcess it rejects 17 of
// the corpus's 18 templates. One resource type outside its 1,255 or one
// property newer than its schema (the corpus's Lambda permission with
// InvokedViaFunctionUrl) fails the whole template with an error that names
// no resource, and it parses a 35 kB corpus template 20–30× slower than
// encoding/json while allocating 66× as much (9.2 MB; BenchmarkParse), so
// iamvet's rules walk positioned cfn trees and never evaluate goformation
// structs.
//
// ToGoformation is the one place goformation reads iamvet's input: each
// resource is converted on its own, from the cfn tree, with intrinsics
// encoded in goformation's own convention and failures reported per
// resource.
//
// # Intrinsics
//
// goformation holds an intrinsic function inside a typed string field as the
// base64 encoding of its JSON ({"Ref": "X"} → "eyJSZWYiOiJYIn0="), exactly what
// cloudformation.Ref, GetAtt, Join and friends return, with nested intrinsics
// encoded the same way inside the outer one. ToGoformation encodes every
// intrinsic goformation knows (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::If,
// Fn::Select, Fn::Split, Fn::FindInMap, Fn::ImportValue, Fn::Base64,
// Fn::GetAZs, Fn::Cidr, Fn::Equals, Fn::And, Fn::Or, Fn::Not, Fn::Transform)
// that way everywhere, including interface{} fields such as policy documents,
// so that Template.JSON decodes them back to the long form instead of
// "resolving" them. Other intrinsics ({"Condition": …}, Fn::ToJsonString,
// Fn::Length) stay plain objects, which Template.JSON keeps as they are.
//
// # What does not convert
//
// A resource whose type goformation does not know, or whose JSON its typed
// struct rejects (a newer property, an intrinsic in a list, number or
// struct-typed field, an UpdatePolicy on a type without one), is kept as a
// generic *cloudformation.CustomResource with its real Type and reported as
// an *Error with Generic set. Sections goformation's Template has no field
// for (Rules, Hooks) and SAM Globals are not converted.
package cfngo

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/policies"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/loader"
)

// Error is one part of a stack that did not convert as a typed value.
type Error struct {
	Stack string // the stack's name (loader.Stack.Name)
	// Section is the template section: "Resources", "Parameters",
	// "Outputs", "Conditions", "Mappings", "Metadata", "Transform" or "".
	Section string
	// LogicalID is the resource, parameter, output, condition or mapping.
	LogicalID string
	// Type is the resource type, when known.
	Type string
	// Generic is true when the resource was kept, untyped, as a
	// *cloudformation.CustomResource; false when it was left out.
	Generic bool
	Err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Stack != "" {
		b.WriteString(e.Stack)
		b.WriteString(": ")
	}
	switch {
	case e.Section == "Resources" && e.LogicalID != "":
		b.WriteString("resource ")
		b.WriteString(e.LogicalID)
		if e.Type != "" {
			b.WriteString(" (" + e.Type + ")")
		}
	case e.LogicalID != "":
		b.WriteString(strings.TrimSuffix(strings.ToLower(e.Section), "s"))
		b.WriteString(" " + e.LogicalID)
	case e.Section != "":
		b.WriteString(e.Section)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	if e.Generic {
		b.WriteString("; kept as a generic *cloudformation.CustomResource")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ToGoformation converts a loaded stack to a goformation template. Every
// resource that converts is in the result even when others fail; each
// failure is one *Error naming the logical ID and type.
func ToGoformation(s *loader.Stack) (*cloudformation.Template, []error) {
	c := &converter{stack: s.Name()}
	t := &cloudformation.Template{
		Metadata:   map[string]interface{}{},
		Parameters: cloudformation.Parameters{},
		Mappings:   map[string]interface{}{},
		Conditions: map[string]interface{}{},
		Resources:  cloudformation.Resources{},
		Outputs:    cloudformation.Outputs{},
	}
	if s.Template == nil || s.Template.Root == nil || s.Template.Root.Kind != cfn.Object {
		c.fail("", "", "", fmt.Errorf("no template object"))
		return t, c.errs
	}
	root := s.Template.Root
	if v, ok := root.Get("AWSTemplateFormatVersion").Literal(); ok {
		t.AWSTemplateFormatVersion = v
	}
	if v, ok := root.Get("Description").Literal(); ok {
		t.Description = v
	}
	if n := root.Get("Transform"); n != nil {
		var tr cloudformation.Transform
		if err := c.decode(n, &tr); err != nil {
			c.fail("Transform", "", "", err)
		} else {
			t.Transform = &tr
		}
	}
	c.generic(root.Get("Metadata"), "Metadata", t.Metadata)
	c.generic(root.Get("Mappings"), "Mappings", t.Mappings)
	c.generic(root.Get("Conditions"), "Conditions", t.Conditions)
	if n := root.Get("Parameters"); n != nil {
		members(c, n, "Parameters", func(id string, v *cfn.Node) {
			var p cloudformation.Parameter
			if err := c.decode(v, &p); err != nil {
				c.fail("Parameters", id, "", err)
				return
			}
			t.Parameters[id] = p
		})
	}
	if n := root.Get("Outputs"); n != nil {
		members(c, n, "Outputs", func(id string, v *cfn.Node) {
			var o cloudformation.Output
			if err := c.decode(v, &o); err != nil {
				c.fail("Outputs", id, "", err)
				return
			}
			t.Outputs[id] = o
		})
	}
	if n := root.Get("Resources"); n != nil {
		members(c, n, "Resources", func(id string, v *cfn.Node) {
			if r := c.resource(id, v); r != nil {
				t.Resources[id] = r
			}
		})
	}
	return t, c.errs
}

type converter struct {
	stack string
	errs  []error
}

func (c *converter) fail(section, id, typ string, err error) {
	c.errs = append(c.errs, &Error{Stack: c.stack, Section: section, LogicalID: id, Type: typ, Err: err})
}

func members(c *converter, n *cfn.Node, section string, f func(id string, v *cfn.Node)) {
	if n.Kind != cfn.Object {
		c.fail(section, "", "", fmt.Errorf("is a %s, not an object", n.Kind))
		return
	}
	for i, k := range n.Keys {
		f(k, n.Vals[i])
	}
}

// generic converts an untyped section (map[string]interface{}) member by member.
func (c *converter) generic(n *cfn.Node, section string, dst map[string]interface{}) {
	if n == nil {
		return
	}
	members(c, n, section, func(id string, v *cfn.Node) {
		var x interface{}
		if err := c.decode(v, &x); err != nil {
			c.fail(section, id, "", err)
			return
		}
		dst[id] = x
	})
}

// decode marshals n with intrinsics encoded and unmarshals it into dst, the
// way goformation itself reads JSON (numbers in interface{} become float64).
func (c *converter) decode(n *cfn.Node, dst interface{}) error {
	raw, err := json.Marshal(Encode(n))
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, dst)
}

// resource converts one resource; it returns nil when nothing could be kept.
func (c *converter) resource(id string, n *cfn.Node) cloudformation.Resource {
	if n.Kind != cfn.Object {
		c.fail("Resources", id, "", fmt.Errorf("resource is a %s, not an object", n.Kind))
		return nil
	}
	typ, ok := n.Get("Type").Literal()
	if !ok || n.Get("Type").Kind != cfn.String || typ == "" {
		c.fail("Resources", id, "", fmt.Errorf("resource has no Type string"))
		return nil
	}
	var target cloudformation.Resource
	switch rt := resourceTypes()[typ]; {
	case strings.HasPrefix(typ, "Custom::"):
		target = &cloudformation.CustomResource{Type: typ}
	case rt != nil:
		target = reflect.New(rt).Interface().(cloudformation.Resource)
	default:
		return c.genericResource(id, typ, n, fmt.Errorf("goformation v7 has no type %s", typ))
	}
	raw, err := json.Marshal(encodeResource(n))
	if err == nil {
		err = json.Unmarshal(raw, target)
	}
	if err != nil {
		return c.genericResource(id, typ, n, err)
	}
	if cr, ok := target.(*cloudformation.CustomResource); ok && cr.Type == "" {
		cr.Type = typ
	}
	return target
}

// encodeResource encodes a resource object, with DependsOn as a list (the
// typed structs accept a string too, CustomResource only a list).
func encodeResource(n *cfn.Node) map[string]interface{} {
	m := Encode(n).(map[string]interface{})
	if d, ok := m["DependsOn"].(string); ok {
		m["DependsOn"] = []interface{}{d}
	}
	return m
}

// genericResource keeps a resource as a *cloudformation.CustomResource with
// its real type, field by field (CustomResource's own UnmarshalJSON rejects
// attributes such as UpdatePolicy).
func (c *converter) genericResource(id, typ string, n *cfn.Node, cause error) cloudformation.Resource {
	r := &cloudformation.CustomResource{Type: typ}
	var dropped []string
	for i, k := range n.Keys {
		v := n.Vals[i]
		var err error
		switch k {
		case "Type":
		case "Properties":
			err = c.decode(v, &r.Properties)
		case "Version":
			r.Version, _ = v.Literal()
		case "DependsOn":
			for _, e := range v.Elems() {
				if s, ok := e.Literal(); ok {
					r.AWSCloudFormationDependsOn = append(r.AWSCloudFormationDependsOn, s)
				}
			}
		case "Metadata":
			err = c.decode(v, &r.AWSCloudFormationMetadata)
		case "Condition":
			r.AWSCloudFormationCondition, _ = v.Literal()
		case "DeletionPolicy":
			s, _ := v.Literal()
			r.AWSCloudFormationDeletionPolicy = policies.DeletionPolicy(s)
		case "UpdateReplacePolicy":
			s, _ := v.Literal()
			r.AWSCloudFormationUpdateReplacePolicy = policies.UpdateReplacePolicy(s)
		default:
			dropped = append(dropped, k)
		}
		if err != nil {
			dropped = append(dropped, k)
		}
	}
	if len(dropped) > 0 {
		cause = fmt.Errorf("%w (attributes not kept: %s)", cause, strings.Join(dropped, ", "))
	}
	c.errs = append(c.errs, &Error{Stack: c.stack, Section: "Resources", LogicalID: id, Type: typ, Generic: true, Err: cause})
	return r
}

var (
	typesOnce sync.Once
	types     map[string]reflect.Type
)

// resourceTypes maps resource types to goformation's struct types (built
// once: cloudformation.AllResources allocates all 1,255 types per call).
func resourceTypes() map[string]reflect.Type {
	typesOnce.Do(func() {
		all := cloudformation.AllResources()
		types = make(map[string]reflect.Type, len(all))
		for name, r := range all {
			if !strings.Contains(name, "::") {
				continue // SAM Globals sections ("Function", "Api"), not resource types
			}
			if rt := reflect.TypeOf(r); rt != nil && rt.Kind() == reflect.Pointer {
				types[name] = rt.Elem()
			}
		}
	})
	return types
}

// encodedIntrinsics are the intrinsic functions goformation's Template.JSON
// decodes from their base64 form (intrinsics.defaultIntrinsicHandlers).
var encodedIntrinsics = map[string]bool{
	"Ref": true, "Fn::Base64": true, "Fn::And": true, "Fn::Equals": true, "Fn::If": true,
	"Fn::Not": true, "Fn::Or": true, "Fn::FindInMap": true, "Fn::GetAtt": true, "Fn::GetAZs": true,
	"Fn::ImportValue": true, "Fn::Join": true, "Fn::Select": true, "Fn::Split": true,
	"Fn::Sub": true, "Fn::Cidr": true, "Fn::Transform": true,
}

// Encode returns n as a plain Go value (map[string]interface{},
// []interface{}, string, json.Number, bool or nil) with every intrinsic
// goformation knows replaced by its base64-encoded JSON, nested intrinsics
// encoded inside it, as cloudformation.Ref and friends build them.
func Encode(n *cfn.Node) interface{} {
	return encode(n, 0)
}

func encode(n *cfn.Node, depth int) interface{} {
	if n == nil || depth > cfn.MaxDepth+1 {
		return nil
	}
	switch n.Kind {
	case cfn.Null:
		return nil
	case cfn.Bool:
		return n.Str == "true"
	case cfn.Number:
		return number(n.Str)
	case cfn.String:
		return n.Str
	case cfn.Array:
		out := make([]interface{}, len(n.Vals))
		for i, v := range n.Vals {
			out[i] = encode(v, depth+1)
		}
		return out
	}
	if name, arg, ok := n.Intrinsic(); ok && encodedIntrinsics[name] {
		raw, err := json.Marshal(map[string]interface{}{name: encode(arg, depth+1)})
		if err == nil {
			return base64.StdEncoding.EncodeToString(raw)
		}
	}
	out := make(map[string]interface{}, len(n.Keys))
	for i, k := range n.Keys {
		out[k] = encode(n.Vals[i], depth+1)
	}
	return out
}

// number returns a JSON number for a number node's text. YAML numbers that
// JSON cannot spell (0x1F, 1_000, +1, .5) are converted; infinities and NaN
// stay strings.
func number(s string) interface{} {
	if validJSONNumber(s) {
		return json.Number(s)
	}
	clean := strings.ReplaceAll(s, "_", "")
	if i, err := strconv.ParseInt(clean, 0, 64); err == nil {
		return json.Number(strconv.FormatInt(i, 10))
	}
	if f, err := strconv.ParseFloat(clean, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
	}
	return s
}

func validJSONNumber(s string) bool {
	if s == "" || !(s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) {
		return false
	}
	return json.Valid([]byte(s))
}

// Decode reverses goformation's encoding of one string: the intrinsic
// ({"Fn::Join": [...]}) with nested intrinsics decoded too, and true, or the
// string itself and false when it is not an encoded intrinsic.
func Decode(s string) (interface{}, bool) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return s, false
	}
	var m map[string]interface{}
	if json.Unmarshal(raw, &m) != nil || len(m) != 1 {
		return s, false
	}
	for k, v := range m {
		if !encodedIntrinsics[k] {
			return s, false
		}
		return map[string]interface{}{k: DecodeAll(v)}, true
	}
	return s, false
}

// DecodeAll decodes every encoded intrinsic in a value built by Encode or
// read from a converted template (maps and slices are copied).
func DecodeAll(v interface{}) interface{} {
	switch x := v.(type) {
	case string:
		d, _ := Decode(x)
		return d
	case []interface{}:
		out := make([]interface{}, len(x))
		for i, e := range x {
			out[i] = DecodeAll(e)
		}
		return out
	case map[string]interface{}:
		out := make(map[string]interface{}, len(x))
		for k, e := range x {
			out[k] = DecodeAll(e)
		}
		return out
	}
	return v
}
