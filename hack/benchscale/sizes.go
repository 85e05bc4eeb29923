package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// sizeRow is one stored object's size.
type sizeRow struct {
	what  string
	bytes int
}

// measureSizes reads objects as the API server stores them (JSON, managedFields included) and
// the etcd database size.
func (b *bench) measureSizes(ctx context.Context) error {
	absent := ""
	for _, ch := range b.county.Children {
		if b.cohorts[ch.Name()] == awayAll {
			absent = ch.Name()
			break
		}
	}
	cl := b.county.Classes[0]
	objects := []struct{ what, path string }{
		{"Student, present every day, after the fourth day", "students/" + b.presentChild()},
		{"Student, away 4 days with an open case", "students/" + absent},
		{"ClassAttendance (one class, one month)", "classattendances/" + recordName(cl.School, cl.Grade, cl.Class, b.days[len(b.days)-1].Format("200601"))},
		{"ResponsibilityAgreement, county", "responsibilityagreements/county-education"},
	}
	for _, o := range objects {
		if err := b.measureSize(ctx, o.what, o.path); err != nil {
			return err
		}
	}
	db, err := b.api.storageBytes(ctx)
	if err != nil {
		return err
	}
	b.sizes = append(b.sizes, sizeRow{"etcd database, per child", int(db) / b.o.children})
	return nil
}

// measureSize reads one object as stored and notes its size.
func (b *bench) measureSize(ctx context.Context, what, path string) error {
	raw, err := b.api.rest.Get().AbsPath("/apis/kongchuo.io/v1alpha1/namespaces/" + namespace + "/" + path).DoRaw(ctx)
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	b.sizes = append(b.sizes, sizeRow{what, len(raw)})
	if b.o.dump != "" {
		return os.WriteFile(filepath.Join(b.o.dump, strings.ReplaceAll(path, "/", "_")+".json"), raw, 0o644)
	}
	return nil
}

// presentChild is the first child present on every day.
func (b *bench) presentChild() string {
	for _, ch := range b.county.Children {
		if _, away := b.cohorts[ch.Name()]; !away {
			return ch.Name()
		}
	}
	return ""
}

func recordName(school string, grade, class int32, month string) string {
	return fmt.Sprintf("%s-%d-%d-%s", school, grade, class, month)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func writesSummary(w map[string]float64) string {
	var parts []string
	for _, k := range sortedKeys(w) {
		parts = append(parts, fmt.Sprintf("%s %.0f", k, w[k]))
	}
	return strings.Join(parts, ", ")
}
