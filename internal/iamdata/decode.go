package iamdata

import (
	_ "embed"
	"fmt"
	"math"
	"sync"
)

// catalogData is the generated catalog. Its format is described in
// internal/gen/main.go; this file must be kept in step with that
// description.
//
// It is embedded uncompressed, as a string: decoding then costs no
// decompression (gunzipping it took longer than parsing it) and no copy,
// since the decoded strings are substrings of catalogData and so live in
// the binary's read-only data rather than on the heap. The price is about
// 1.3 MB of binary size instead of 0.3 MB.
//
//go:embed catalog.bin
var catalogData string

// magic starts every catalog; its last byte is the format version.
const magic = "IAMDATA\x02"

// accessLevels maps the catalog's access level codes to their names.
var accessLevels = [...]AccessLevel{List, Read, Write, PermissionsManagement, Tagging}

// catalog is the decoded form of catalog.bin. Decoding is split in two so
// that first use stays cheap: decodeIndex reads the string table's
// location, the global keys and the list of services, and each service's
// condition keys, resource types and actions (its body) are decoded when the
// service is first used, by ensure. A run of iamvet typically touches a
// handful of the 456 services.
type catalog struct {
	version    string
	strOffsets string // n+1 little-endian uint32 offsets into strBlob
	strBlob    string
	numStrs    int
	globalKeys []string
	services   []*Service // sorted by prefix
	byPrefix   map[string]*Service
}

// lazyBody is a service's undecoded body and the means to decode it once.
type lazyBody struct {
	once sync.Once
	data string
	err  error
}

// ensure decodes svc's body if that has not been done, and returns svc.
// Every path that hands out a *Service goes through it, so callers only
// ever see complete services. A decoding error means catalog.bin is broken,
// which the tests catch (they decode every service), hence the panic.
func (c *catalog) ensure(svc *Service) *Service {
	if l := svc.lazy; l != nil {
		l.once.Do(func() { l.err = c.decodeBody(svc, l.data) })
		if l.err != nil {
			panic(l.err)
		}
	}
	return svc
}

// ensureAll decodes every service's body.
func (c *catalog) ensureAll() {
	for _, svc := range c.services {
		c.ensure(svc)
	}
}

// decodeAll decodes data completely, reporting the first error instead of
// panicking. The tests and BenchmarkLoad use it.
func decodeAll(data string) (*catalog, error) {
	c, err := decodeIndex(data)
	if err != nil {
		return nil, err
	}
	for _, svc := range c.services {
		l := svc.lazy
		l.once.Do(func() { l.err = c.decodeBody(svc, l.data) })
		if l.err != nil {
			return nil, l.err
		}
	}
	return c, nil
}

// decodeIndex decodes everything but the service bodies. It checks every
// count, offset and index, so a corrupt or truncated catalog yields an
// error rather than a panic.
func decodeIndex(data string) (*catalog, error) {
	r := &reader{s: data}
	if len(data) < len(magic) || data[:len(magic)] != magic {
		return nil, fmt.Errorf("iamdata: not a catalog, or not format version %d", magic[len(magic)-1])
	}
	r.off = len(magic)
	c := &catalog{}
	r.cat = c
	c.version = r.bytes(r.count(1))

	c.numStrs = r.count(4)
	c.strOffsets = r.bytes(4 * (c.numStrs + 1))
	if r.err == nil {
		// Check the offsets once, so that str needs no checks of its own.
		prev := uint32(0)
		for i := 0; i <= c.numStrs; i++ {
			off := le32(c.strOffsets, 4*i)
			if off < prev {
				r.fail("string offsets decrease")
				break
			}
			prev = off
		}
		c.strBlob = r.bytes(int(prev))
	}

	c.globalKeys, _ = r.list(nil)
	n := r.count(3)
	services := make([]Service, n)
	lazy := make([]lazyBody, n)
	bodyOffsets := make([]int, n)
	c.services = make([]*Service, n)
	c.byPrefix = make(map[string]*Service, n)
	for i := range services {
		svc := &services[i]
		svc.Prefix = r.ref()
		svc.Name = r.ref()
		bodyOffsets[i] = r.uvarint()
		if i > 0 && (svc.Prefix <= services[i-1].Prefix || bodyOffsets[i] < bodyOffsets[i-1]) {
			r.fail("services are not sorted by prefix, or bodies not in order")
		}
		svc.lazy = &lazy[i]
		c.services[i] = svc
		c.byPrefix[svc.Prefix] = svc
	}
	if r.err != nil {
		return nil, r.err
	}
	bodies := data[r.off:]
	for i := range services {
		end := len(bodies)
		if i+1 < len(services) {
			end = bodyOffsets[i+1]
		}
		if bodyOffsets[i] > end || end > len(bodies) {
			r.fail("service body out of range")
			return nil, r.err
		}
		lazy[i].data = bodies[bodyOffsets[i]:end]
	}
	return c, nil
}

// str returns string i of the string table; i must be in range.
func (c *catalog) str(i int) string {
	return c.strBlob[le32(c.strOffsets, 4*i):le32(c.strOffsets, 4*i+4)]
}

// le32 reads the little-endian uint32 at s[i:i+4].
func le32(s string, i int) uint32 {
	_ = s[i+3] // one bounds check for the four reads
	return uint32(s[i]) | uint32(s[i+1])<<8 | uint32(s[i+2])<<16 | uint32(s[i+3])<<24
}

// decodeBody decodes a service's condition keys, resource types and
// actions from its body. Allocation is what dominates decoding, so the
// actions, their resource type lists and their string lists are carved out
// of one backing slice each, sized from the totals the generator records.
func (c *catalog) decodeBody(svc *Service, body string) error {
	r := &reader{s: body, cat: c}
	svc.ConditionKeys, _ = r.list(nil)

	n := r.count(2)
	svc.ResourceARNs = make(map[string]string, n)
	resNames := make([]string, n) // by index, for the actions' references
	for i := range resNames {
		resNames[i] = r.ref()
		svc.ResourceARNs[resNames[i]] = r.ref()
	}

	// The smallest encodings take 5 bytes per action and 1 per resource
	// type entry or list element, which bounds the allocations.
	actions := make([]Action, r.count(5))
	resTypes := make([]ResourceType, r.count(1))
	lists := make([]string, r.count(1))
	ptrs := make([]*Action, len(actions))
	for i := range actions {
		a := &actions[i]
		ptrs[i] = a
		a.Service = svc.Prefix
		a.full = r.ref()
		if len(a.full) <= len(svc.Prefix)+1 || a.full[:len(svc.Prefix)] != svc.Prefix || a.full[len(svc.Prefix)] != ':' {
			r.fail("action " + a.full + " is not in service " + svc.Prefix)
			break
		}
		a.Name = a.full[len(svc.Prefix)+1:]
		a.lower = lowerASCII(a.full)
		if i > 0 && compareFold(actions[i-1].Name, a.Name) >= 0 {
			r.fail("actions are not sorted by lower-cased name")
		}
		if level := r.byte(); int(level) < len(accessLevels) {
			a.Access = accessLevels[level]
		} else {
			r.fail("unknown access level")
		}
		a.ResourceTypes, resTypes = r.resourceTypes(resTypes, resNames)
		a.ConditionKeys, lists = r.list(lists)
		a.DependentActions, lists = r.list(lists)
	}
	svc.Actions = ptrs
	if r.err == nil && (len(resTypes) != 0 || len(lists) != 0 || r.off != len(r.s)) {
		r.fail("totals do not match the contents")
	}
	if r.err != nil {
		return fmt.Errorf("service %s: %w", svc.Prefix, r.err)
	}
	svc.byName = make(map[string]*Action, len(ptrs))
	for _, a := range ptrs {
		svc.byName[a.lower[len(svc.Prefix)+1:]] = a
	}
	return nil
}

// reader reads the catalog's varints and references. After the first
// error every method returns zero values, so that the decoders can check
// for an error once at the end instead of after every field.
type reader struct {
	s   string
	off int
	err error
	cat *catalog // for the string table
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

// bytes returns the next n bytes.
func (r *reader) bytes(n int) string {
	if r.err != nil || n > len(r.s)-r.off {
		r.fail("truncated")
		return ""
	}
	s := r.s[r.off : r.off+n]
	r.off += n
	return s
}

// uvarint reads an unsigned varint that fits in an int.
func (r *reader) uvarint() int {
	var v uint64
	for shift := uint(0); ; shift += 7 {
		b := r.byte()
		if r.err != nil {
			return 0
		}
		if shift == 63 && b > 1 {
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

func (r *reader) ref() string {
	i := r.uvarint()
	if i >= r.cat.numStrs {
		r.fail("string reference out of range")
		return ""
	}
	return r.cat.str(i)
}

// list reads a list of string references. With a nil backing it allocates
// the list; otherwise it takes the list from the front of backing and
// returns the rest. Empty lists are nil; others are capped so that a caller
// appending to one cannot overwrite its neighbour.
func (r *reader) list(backing []string) (list, rest []string) {
	n := r.count(1)
	if n == 0 {
		return nil, backing
	}
	if backing == nil {
		backing = make([]string, n)
	} else if n > len(backing) {
		r.fail("more list elements than the recorded total")
		return nil, backing
	}
	list = backing[:n:n]
	for i := range list {
		list[i] = r.ref()
	}
	return list, backing[n:]
}

// resourceTypes reads an action's resource type list, taking it from the
// front of backing, whose entries index names, the service's resource types.
func (r *reader) resourceTypes(backing []ResourceType, names []string) (list, rest []ResourceType) {
	n := r.count(1)
	if n == 0 {
		return nil, backing
	}
	if n > len(backing) {
		r.fail("more resource type entries than the recorded total")
		return nil, backing
	}
	list = backing[:n:n]
	for i := range list {
		v := r.uvarint()
		if v>>1 >= len(names) {
			r.fail("resource type reference out of range")
			return nil, backing
		}
		list[i] = ResourceType{Name: names[v>>1], Required: v&1 == 1}
	}
	return list, backing[n:]
}
