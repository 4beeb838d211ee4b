package loader

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/token"
	"runtime/debug"
	"slices"
)

// StreamOptions tune Stream.
type StreamOptions struct {
	Options
	// Select, when set, says whether a stack is returned and visited. It is
	// called once per stack whose template loaded, in discovery order (the
	// order of Result.Stacks: a nested stack after its parent), never
	// concurrently. The nested stacks of a stack not selected are still
	// loaded and offered.
	Select func(s *Stack) bool
	// Visit is called once with each selected stack, its template parsed
	// and positioned in fset (a FileSet of its own), from up to Workers
	// goroutines at once, in no particular order; seq is the stack's index
	// in Result.Stacks. Only when a template that failed to load held an
	// account no other stack of its assembly has (Stack.AssemblyAccounts)
	// is a stack visited a second time, re-read, with the corrected
	// accounts: the later visit replaces the earlier.
	Visit func(seq int, s *Stack, fset *token.FileSet)
	// KeepTemplates keeps each stack's Template after its visit. By default
	// it is dropped when Visit returns, so that only a few templates are in
	// memory at once however large the assembly.
	KeepTemplates bool
	// Workers bounds the templates read, parsed and visited at once (0:
	// GOMAXPROCS).
	Workers int
}

// Stream loads like Load, but hands each stack to opts.Visit as soon as its
// template is parsed, from a pool of workers that read, parse and visit
// stacks in a pipeline (nested stacks join the queue as their parents are
// parsed), and by default releases each template after its visit. Result
// has the selected stacks in discovery order (the order Load returns),
// every load error in Load's order, and no Fset: each template had a
// FileSet of its own while it was visited.
func Stream(paths []string, opts StreamOptions) *Result {
	l := newLoadState(opts.Options, &opts)
	l.load(paths)
	return &Result{Stacks: l.stacks, Errors: l.errorList()}
}

// run loads the pending stacks with l.workers workers and returns when
// every one is committed and visited.
//
// Stacks are taken in discovery order and committed in that order (see
// commit), however the reads and parses finish: positions, errors, the
// stack order and the claims of nested templates are those of a sequential
// load. A worker visits committed stacks first and starts a new template
// only while fewer than 2×workers templates are in memory past the last
// commit, which bounds memory whatever the sizes of the templates.
func (l *loadState) run() {
	if l.committed == len(l.pending) {
		return
	}
	done := make(chan struct{})
	for w := 0; w < l.workers; w++ {
		go func() {
			l.work()
			done <- struct{}{}
		}()
	}
	for w := 0; w < l.workers; w++ {
		<-done
	}
	if l.failure != nil {
		// A panic in a worker (a bug) is raised again in the caller's
		// goroutine, where the command reports it as an internal error.
		panic(l.failure)
	}
}

func (l *loadState) work() {
	maxLive := 2 * l.workers
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		switch {
		case l.failure != nil:
			return
		case len(l.ready) > 0:
			ps := l.ready[0]
			l.ready[0] = nil
			l.ready = l.ready[1:]
			l.mu.Unlock()
			failure := guard(func() { l.visit(ps) })
			l.mu.Lock()
			l.fail(failure)
			l.live--
			l.cond.Broadcast()
		case l.started < len(l.pending) && l.live < maxLive:
			ps := l.pending[l.started]
			l.started++
			l.live++
			l.mu.Unlock()
			failure := guard(func() { l.prepare(ps) })
			l.mu.Lock()
			ps.done = true
			for failure == nil && l.committed < len(l.pending) && l.pending[l.committed].done {
				failure = guard(func() { l.commit(l.pending[l.committed]) })
				l.committed++
			}
			l.fail(failure)
			l.cond.Broadcast()
		case l.committed == len(l.pending) && l.live == 0:
			return
		default:
			l.cond.Wait()
		}
	}
}

// guard runs f and returns what it panicked with (with the stack), or nil.
func guard(f func()) (failure error) {
	defer func() {
		if p := recover(); p != nil {
			failure = fmt.Errorf("%v\n\n%s", p, debug.Stack())
		}
	}()
	f()
	return nil
}

// fail records the first failure, with l.mu held.
func (l *loadState) fail(failure error) {
	if failure != nil && l.failure == nil {
		l.failure = failure
	}
}

// commit records a prepared stack, in discovery order, with l.mu held: its
// errors, its position in the shared FileSet (Load), its nested stacks
// (queued) and, when it is selected, its place in the result; a stack to
// visit goes to the ready queue.
func (l *loadState) commit(ps *pendingStack) {
	if ps.metaSlot >= 0 {
		l.errs[ps.metaSlot] = ps.metaErr
	}
	if ps.err != nil {
		l.errs = append(l.errs, ps.err)
		l.live--
		return
	}
	s := ps.stack
	if l.fset != nil {
		s.Template.File = l.fset.AddFile(s.TemplatePath, -1, len(ps.src))
		s.Template.File.SetLines(ps.lines)
		ps.lines = nil
	}
	ps.src = nil
	l.parsedStacks = append(l.parsedStacks, s)
	l.findNested(ps)
	if l.stream == nil || l.stream.Select == nil || l.stream.Select(s) {
		ps.seq = len(l.stacks)
		l.stacks = append(l.stacks, s)
		if l.stream != nil && l.stream.Visit != nil {
			ps.visited = true
			l.ready = append(l.ready, ps) // still live
			return
		}
	} else if !l.stream.KeepTemplates {
		s.Template = nil
	}
	ps.fset = nil
	l.live--
}

func (l *loadState) visit(ps *pendingStack) {
	l.stream.Visit(ps.seq, ps.stack, ps.fset)
	ps.fset = nil
	if !l.stream.KeepTemplates {
		ps.stack.Template = nil
	}
}

// revisit visits again, re-read, the selected stacks whose accounts were
// assumed wrongly: Stream sets AssemblyAccounts from the manifests before
// parsing, while Load counts only the stacks whose template loaded. They
// differ only when a template that failed to load held an account no other
// stack of its assembly has.
func (l *loadState) revisit(exact map[string][]string) {
	for _, ps := range l.pending {
		s := ps.stack
		if ps.err != nil || slices.Equal(s.AssemblyAccounts, exact[s.Root]) {
			continue
		}
		s.AssemblyAccounts = exact[s.Root]
		if !ps.visited {
			continue
		}
		again := &pendingStack{stack: s, plainGiven: ps.plainGiven, seq: ps.seq}
		if s.Template == nil {
			if l.parse(again); again.err != nil {
				continue // the file changed since: the first visit stands
			}
		}
		again.fset = token.NewFileSet()
		s.Template.File = again.fset.AddFile(s.TemplatePath, -1, len(s.Template.Src))
		l.visit(again)
	}
}

// errorList returns the load errors without the empty slots.
func (l *loadState) errorList() []*Error {
	out := l.errs[:0]
	for _, e := range l.errs {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}

// readMetadataFile reads a side metadata file (additionalMetadataFile).
func readMetadataFile(full, display string, limit int64) (map[string][]metadataEntry, *Error) {
	src, err := readLimited(full, limit)
	if err != nil {
		return nil, &Error{File: display, Msg: err.Error()}
	}
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if side, ok := decodeMetadata(src); ok {
		return side, nil
	}
	var side map[string][]metadataEntry
	if err := json.Unmarshal(src, &side); err != nil {
		return nil, jsonError(display, src, err)
	}
	return side, nil
}
