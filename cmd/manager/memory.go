package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
)

// memoryLimitEnv is where the Deployment hands the manager its container's limits.memory, in
// bytes (a resourceFieldRef).
const memoryLimitEnv = "MEMORY_LIMIT"

// defaultMemoryLimitRatio is the share of the container's limit the Go runtime aims to stay
// under. The rest is for what GOMEMLIMIT does not count or cannot hold: the binary's pages (about
// 40 MiB of the manager's resident memory), and the heap's overshoot while a burst of roll calls
// and new cases keeps the collector at the half of the CPU it may take (make bench-scale,
// docs/scaling.md).
const defaultMemoryLimitRatio = 0.6

// runtimeMemoryLimit is the soft memory limit the Go runtime is given: ratio × the container's
// limit from env, or 0 (leave the runtime as it is) when GOMEMLIMIT is set by hand or no limit is
// known.
func runtimeMemoryLimit(getenv func(string) string, ratio float64) (int64, error) {
	if ratio <= 0 || ratio > 1 {
		return 0, fmt.Errorf("--memory-limit-ratio %v: want a share of the limit, above 0 and at most 1", ratio)
	}
	if getenv("GOMEMLIMIT") != "" {
		return 0, nil
	}
	raw := getenv(memoryLimitEnv)
	if raw == "" {
		return 0, nil
	}
	limit, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || limit <= 0 {
		return 0, fmt.Errorf("%s=%q: want the container's memory limit in bytes", memoryLimitEnv, raw)
	}
	return int64(float64(limit) * ratio), nil
}

// applyMemoryLimit sets the runtime's soft memory limit from the container's, and says what it set.
func applyMemoryLimit(ratio float64) (int64, error) {
	limit, err := runtimeMemoryLimit(os.Getenv, ratio)
	if err != nil || limit == 0 {
		return 0, err
	}
	debug.SetMemoryLimit(limit)
	return limit, nil
}
