package iamdata

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// catalogGz is the generated catalog. Its format is described in
// internal/gen/main.go; decode must be kept in step with that description.
//
//go:embed catalog.bin.gz
var catalogGz []byte

// magic starts every catalog; its last byte is the format version.
const magic = "IAMDATA\x01"

// accessLevels maps the catalog's access level codes to their names.
var accessLevels = [...]AccessLevel{List, Read, Write, PermissionsManagement, Tagging}

// maxCatalogSize bounds the decompressed catalog, so that corrupt input
// cannot make decode allocate without limit.
const maxCatalogSize = 64 << 20

// catalog is the decoded form of catalog.bin.gz.
type catalog struct {
	version    string
	services   []*Service // sorted by prefix
	byPrefix   map[string]*Service
	globalKeys []string
	numActions int
}

// decode turns a gzip'd catalog into its in-memory form. It checks every
// count and index, so a corrupt or truncated catalog yields an error rather
// than a panic or a half-filled catalog.
//
// Allocation is what dominates decoding, so all strings are substrings of a
// single copy of the decompressed data, and the actions, resource type lists
// and string lists are carved out of one backing slice each, sized from the
// totals the generator records.
func decode(gz []byte) (*catalog, error) {
	raw, err := gunzip(gz)
	if err != nil {
		return nil, err
	}
	r := &reader{s: string(raw)}
	if len(r.s) < len(magic) || r.s[:len(magic)] != magic {
		return nil, errors.New("iamdata: not a catalog, or an unsupported format version")
	}
	r.off = len(magic)

	c := &catalog{version: r.str()}
	r.strs = make([]string, r.count(1))
	for i := range r.strs {
		r.strs[i] = r.str()
	}
	// The smallest encodings are 2 bytes for an action and 1 for a resource
	// type entry or list element, so the totals cannot exceed these bounds.
	actions := make([]Action, r.count(2))
	actionPtrs := make([]*Action, len(actions))
	r.resTypes = make([]ResourceType, r.count(1))
	r.lists = make([]string, r.count(1))

	c.globalKeys = r.list()
	services := make([]Service, r.count(4))
	c.services = make([]*Service, len(services))
	c.byPrefix = make(map[string]*Service, len(services))
	var resNames []string // the current service's resource types, by index
	for i := range services {
		svc := &services[i]
		svc.Prefix = r.ref()
		svc.Name = r.ref()
		if i > 0 && svc.Prefix <= services[i-1].Prefix {
			r.fail("services are not sorted by prefix")
		}
		c.services[i] = svc
		c.byPrefix[svc.Prefix] = svc
		svc.ConditionKeys = r.list()

		n := r.count(2)
		svc.ResourceARNs = make(map[string]string, n)
		resNames = resNames[:0]
		for range n {
			name := r.ref()
			svc.ResourceARNs[name] = r.ref()
			resNames = append(resNames, name)
		}

		n = r.count(2)
		if n > len(actions)-c.numActions {
			r.fail("more actions than the recorded total")
			break
		}
		start := c.numActions
		for j := range n {
			a := &actions[start+j]
			actionPtrs[start+j] = a
			a.Service = svc.Prefix
			a.full = r.ref()
			if len(a.full) <= len(svc.Prefix)+1 || a.full[:len(svc.Prefix)] != svc.Prefix || a.full[len(svc.Prefix)] != ':' {
				r.fail("action " + a.full + " is not in service " + svc.Prefix)
			}
			a.Name = a.full[min(len(svc.Prefix)+1, len(a.full)):]
			if j > 0 && compareFold(actions[start+j-1].Name, a.Name) >= 0 {
				r.fail("actions of " + svc.Prefix + " are not sorted by lower-cased name")
			}
			if level := r.byte(); int(level) < len(accessLevels) {
				a.Access = accessLevels[level]
			} else {
				r.fail("unknown access level")
			}
			a.ResourceTypes = r.resourceTypes(resNames)
			a.ConditionKeys = r.list()
			a.DependentActions = r.list()
		}
		c.numActions += n
		svc.Actions = actionPtrs[start:c.numActions:c.numActions]
	}
	if r.err == nil && (c.numActions != len(actions) || len(r.resTypes) != 0 || len(r.lists) != 0 || r.off != len(r.s)) {
		r.fail("totals do not match the contents")
	}
	if r.err != nil {
		return nil, r.err
	}
	return c, nil
}

// gunzip decompresses gz into a buffer sized from the gzip trailer, which
// records the uncompressed size, so the data is read without regrowing.
func gunzip(gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("iamdata: decompressing catalog: %w", err)
	}
	size := 0
	if len(gz) >= 4 {
		size = int(binary.LittleEndian.Uint32(gz[len(gz)-4:]))
	}
	var buf bytes.Buffer
	buf.Grow(min(size, maxCatalogSize) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(zr, maxCatalogSize+1)); err != nil {
		return nil, fmt.Errorf("iamdata: decompressing catalog: %w", err)
	}
	if buf.Len() > maxCatalogSize {
		return nil, errors.New("iamdata: catalog is implausibly large")
	}
	return buf.Bytes(), nil
}

// reader reads the catalog's varints, strings and references. After the
// first error every method returns zero values, so decode can check the
// error once at the end instead of after every field.
type reader struct {
	s   string
	off int
	err error

	strs     []string       // the string table
	resTypes []ResourceType // unused part of the resource type backing
	lists    []string       // unused part of the string list backing
}

func (r *reader) fail(msg string) {
	if r.err == nil {
		r.err = fmt.Errorf("iamdata: corrupt catalog at byte %d: %s", r.off, msg)
	}
}

func (r *reader) byte() byte {
	if r.err != nil || r.off >= len(r.s) {
		r.fail("truncated")
		return 0
	}
	b := r.s[r.off]
	r.off++
	return b
}

// uvarint reads an unsigned varint that fits in an int.
func (r *reader) uvarint() int {
	var v uint64
	for shift := uint(0); ; shift += 7 {
		b := r.byte()
		if r.err != nil {
			return 0
		}
		if shift == 63 && b > 1 || shift > 63 {
			r.fail("varint overflows")
			return 0
		}
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			break
		}
	}
	if v > math.MaxInt {
		r.fail("varint overflows")
		return 0
	}
	return int(v)
}

// count reads an element count and checks it against the bytes left, given
// that each element takes at least minSize bytes, which keeps allocations
// proportional to the input.
func (r *reader) count(minSize int) int {
	n := r.uvarint()
	if n > (len(r.s)-r.off)/minSize {
		r.fail("count exceeds the remaining data")
		return 0
	}
	return n
}

func (r *reader) str() string {
	n := r.count(1)
	s := r.s[r.off : r.off+n]
	r.off += n
	return s
}

func (r *reader) ref() string {
	i := r.uvarint()
	if i >= len(r.strs) {
		r.fail("string reference out of range")
		return ""
	}
	return r.strs[i]
}

// list reads a list of string references. Empty lists are nil; others are
// capped so that a caller appending to one cannot overwrite its neighbour.
func (r *reader) list() []string {
	n := r.count(1)
	if n == 0 {
		return nil
	}
	if n > len(r.lists) {
		r.fail("more list elements than the recorded total")
		return nil
	}
	l := r.lists[:n:n]
	r.lists = r.lists[n:]
	for i := range l {
		l[i] = r.ref()
	}
	return l
}

// resourceTypes reads an action's resource type list, whose entries index
// names, the service's resource types.
func (r *reader) resourceTypes(names []string) []ResourceType {
	n := r.count(1)
	if n == 0 {
		return nil
	}
	if n > len(r.resTypes) {
		r.fail("more resource type entries than the recorded total")
		return nil
	}
	l := r.resTypes[:n:n]
	r.resTypes = r.resTypes[n:]
	for i := range l {
		v := r.uvarint()
		if v>>1 >= len(names) {
			r.fail("resource type reference out of range")
			return nil
		}
		l[i] = ResourceType{Name: names[v>>1], Required: v&1 == 1}
	}
	return l
}
