//go:build unix

package bench

import (
	"syscall"
	"time"
)

// CPUTime returns the user and system CPU time the process has used so
// far. Benchmarks report it per operation ("cpu-ns/op"): on a shared,
// loaded machine it varies much less than wall time.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
