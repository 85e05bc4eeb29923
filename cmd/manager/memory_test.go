package main

import (
	"testing"
)

// The runtime's limit is the ratio of the container's; GOMEMLIMIT set by hand wins; no limit
// leaves the runtime alone; a bad limit or ratio is an error, not a silent default.
func TestRuntimeMemoryLimitIsAShareOfTheContainers(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	cases := []struct {
		name  string
		env   map[string]string
		ratio float64
		want  int64
		err   bool
	}{
		{"the Deployment's limit", map[string]string{"MEMORY_LIMIT": "1000000000"}, 0.6, 600000000, false},
		{"all of it", map[string]string{"MEMORY_LIMIT": "1000"}, 1, 1000, false},
		{"GOMEMLIMIT by hand", map[string]string{"MEMORY_LIMIT": "1000", "GOMEMLIMIT": "200MiB"}, 0.6, 0, false},
		{"no limit", map[string]string{}, 0.6, 0, false},
		{"not bytes", map[string]string{"MEMORY_LIMIT": "512Mi"}, 0.6, 0, true},
		{"zero", map[string]string{"MEMORY_LIMIT": "0"}, 0.6, 0, true},
		{"ratio above one", map[string]string{"MEMORY_LIMIT": "1000"}, 1.5, 0, true},
		{"ratio zero", map[string]string{"MEMORY_LIMIT": "1000"}, 0, 0, true},
	}
	for _, c := range cases {
		got, err := runtimeMemoryLimit(env(c.env), c.ratio)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("%s: got %d, %v; want %d, error %v", c.name, got, err, c.want, c.err)
		}
	}
}
