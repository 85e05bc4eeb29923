package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// profileAPIServer takes a CPU profile of the API server while a phase runs, when -profile names
// a folder: where the server spends its time is what the ceiling ratio cannot say. It returns at
// once; the profile is written when the server has sampled for the given seconds.
func (b *bench) profileAPIServer(ctx context.Context, phase string, seconds int) {
	if b.o.profile == "" {
		return
	}
	path := filepath.Join(b.o.profile, "apiserver-"+fileName(phase)+".pprof")
	go func() {
		raw, err := b.api.rest.Get().AbsPath("/debug/pprof/profile").Param("seconds", fmt.Sprint(seconds)).
			Timeout(0).DoRaw(ctx)
		if err == nil {
			err = os.WriteFile(path, raw, 0o644)
		}
		if err != nil {
			b.logf("profile of the API server (%s): %v", phase, err)
			return
		}
		b.logf("API server profile: %s", path)
	}()
}

func fileName(phase string) string {
	return strings.NewReplacer(" ", "-", "(", "", ")", "", ",", "", "/", "-").Replace(phase)
}

// profileManagerHeap saves the manager's heap profile (live objects, after a GC), when -profile
// names a folder: it says which cached objects and indexes the memory per child is made of.
func (b *bench) profileManagerHeap(ctx context.Context, phase string) {
	if b.o.profile == "" || b.manager.pprof == "" {
		return
	}
	path := filepath.Join(b.o.profile, "manager-heap-"+fileName(phase)+".pprof")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.manager.pprof+"/heap?gc=1", nil)
	if err == nil {
		err = fetchTo(req, path)
	}
	if err != nil {
		b.logf("heap profile of the manager (%s): %v", phase, err)
		return
	}
	b.logf("manager heap profile: %s", path)
}

func fetchTo(req *http.Request, path string) error {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", req.URL, resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
