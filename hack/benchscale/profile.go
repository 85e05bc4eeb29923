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

// fetchTo saves what a GET answers into a file.
func fetchTo(req *http.Request, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fetch(req, f); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// fetch copies what a GET answers into w.
func fetch(req *http.Request, w io.Writer) error {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", req.URL, resp.Status)
	}
	_, err = io.Copy(w, resp.Body)
	return err
}
