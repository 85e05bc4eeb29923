package importer

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"sync"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
	"kongchuo.io/kongchuo/internal/registry"
)

// TownshipComparison counts, for one township, what comparing a source with the student registry
// found (四源比对).
type TownshipComparison struct {
	Township v1.TownshipCode
	// Listed school-age children of the township in the extract.
	Listed int
	// Matched: also in the student registry (a Student with the same ID number).
	Matched int
	// OnlyInSource: unknown to the schools (失学): a Student is created, with a NotEnrolled case to follow.
	OnlyInSource int
	// OnlyInStudentRegistry: pupils of the township the household extract does not list, flagged
	// for checking (household extracts only).
	OnlyInStudentRegistry int
}

// SourceResult is what a household or poverty import did.
type SourceResult struct {
	Source v1.RegistrySource
	// Rows read; NotSchoolAge of them were left out (adults and infants never enter the cluster).
	Rows, NotSchoolAge int
	// Created, Changed and Unchanged Students.
	Created, Changed, Unchanged int
	// Townships, in code order.
	Townships []TownshipComparison
	Rejected  []registry.RowError
	Warnings  []registry.RowError
	Encoding  registry.Encoding
	DryRun    bool
	Duration  time.Duration
}

// ImportSource compares a household-registry (户籍) or poverty-database (国扶) extract with the
// Students of the namespace and records the result on them (spec.notListedIn):
//   - a school-age child of the extract with no Student (by resident ID, as registry imports
//     match) gets one, NotEnrolled and not listed in the student registry: the controller opens
//     its NotEnrolled case (失学);
//   - a child with a Student has the source removed from notListedIn; a poverty extract also
//     adds the RegisteredPoor focus group (建档立卡);
//   - a household extract covers the townships it has rows for: their other pupils get
//     Household in notListedIn, to be checked (人籍一致).
//
// today decides school age, with the default rules (a county's own cut-off day is the manager's
// setting; a child on the edge is created and its Student says it is not of school age).
func (im *Importer) ImportSource(ctx context.Context, source v1.RegistrySource, in io.Reader, today time.Time) (*SourceResult, error) {
	start := time.Now()
	if source != v1.SourceHousehold && source != v1.SourcePoverty {
		return nil, fmt.Errorf("source %q cannot be imported: use Household or Poverty", source)
	}
	f, err := registry.ParseSource(in)
	if err != nil {
		return nil, err
	}
	idx, err := im.namespaceStudents(ctx)
	if err != nil {
		return nil, err
	}
	res := &SourceResult{Source: source, Rows: len(f.Rows) + len(f.Errors), Rejected: f.Errors, Warnings: f.Warnings, Encoding: f.Encoding, DryRun: im.DryRun}
	towns := map[v1.TownshipCode]*TownshipComparison{}
	town := func(t v1.TownshipCode) *TownshipComparison {
		if towns[t] == nil {
			towns[t] = &TownshipComparison{Township: t}
		}
		return towns[t]
	}
	var jobs []applyJob
	matched := map[string]bool{}
	for _, row := range f.Rows {
		s := row.Student
		if birth, err := policy.ParseDate(s.Spec.BirthDate); err != nil || !policy.DefaultSchoolAgeRules.IsSchoolAge(birth, today) {
			res.NotSchoolAge++
			continue
		}
		name, problem := idx.resolve(&s.Spec, s.Name)
		if problem == "" && matched[name] {
			problem = "身份证号与前面一行是同一名儿童（一人一籍）"
		}
		if problem != "" {
			res.Rejected = append(res.Rejected, registry.RowError{Line: row.Line, Reasons: []string{problem}})
			continue
		}
		matched[name] = true
		c := town(s.Spec.Residence.Township)
		c.Listed++
		existing := idx.byName[name]
		if existing == nil {
			c.OnlyInSource++
			s.Namespace, s.Spec.NotListedIn = im.Namespace, []v1.RegistrySource{v1.SourceStudentRegistry}
			if source == v1.SourcePoverty {
				s.Spec.FocusGroups = []v1.FocusGroup{v1.FocusRegisteredPoor}
			}
			jobs = append(jobs, applyJob{line: row.Line, student: s})
			continue
		}
		if !slices.Contains(existing.Spec.NotListedIn, v1.SourceStudentRegistry) {
			c.Matched++
		}
		spec := *existing.Spec.DeepCopy()
		spec.NotListedIn = slices.DeleteFunc(spec.NotListedIn, func(x v1.RegistrySource) bool { return x == source })
		if source == v1.SourcePoverty && !slices.Contains(spec.FocusGroups, v1.FocusRegisteredPoor) && len(spec.FocusGroups) < 5 {
			spec.FocusGroups = append(spec.FocusGroups, v1.FocusRegisteredPoor)
		}
		jobs = im.jobIfChanged(jobs, row.Line, existing, spec, res)
	}
	if source == v1.SourceHousehold {
		jobs = im.flagUnlisted(jobs, idx, matched, towns, res)
	}
	if err := im.applyAll(ctx, jobs, &res.Created, &res.Changed, &res.Unchanged, &res.Rejected); err != nil {
		return res, err
	}
	for _, c := range towns {
		res.Townships = append(res.Townships, *c)
	}
	sort.Slice(res.Townships, func(i, j int) bool { return res.Townships[i].Township < res.Townships[j].Township })
	registry.SortRowErrors(res.Rejected)
	res.Duration = time.Since(start)
	return res, nil
}

// flagUnlisted marks the student-registry pupils of the extract's townships that no row named:
// not in the household registry. Townships the extract has no row for are not compared.
func (im *Importer) flagUnlisted(jobs []applyJob, idx *studentIndex, matched map[string]bool, towns map[v1.TownshipCode]*TownshipComparison, res *SourceResult) []applyJob {
	names := make([]string, 0, len(idx.byName))
	for name := range idx.byName {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s := idx.byName[name]
		c := towns[s.Spec.Residence.Township]
		if c == nil || matched[name] || slices.Contains(s.Spec.NotListedIn, v1.SourceStudentRegistry) {
			continue
		}
		c.OnlyInStudentRegistry++
		spec := *s.Spec.DeepCopy()
		if !slices.Contains(spec.NotListedIn, v1.SourceHousehold) {
			spec.NotListedIn = append(spec.NotListedIn, v1.SourceHousehold)
		}
		jobs = im.jobIfChanged(jobs, 0, s, spec, res)
	}
	return jobs
}

// jobIfChanged queues the apply of an existing Student's new spec, or counts it unchanged.
func (im *Importer) jobIfChanged(jobs []applyJob, line int, existing *v1.Student, spec v1.StudentSpec, res *SourceResult) []applyJob {
	if sameSpec(&spec, &existing.Spec) {
		res.Unchanged++
		return jobs
	}
	s := &v1.Student{Spec: spec}
	s.Name, s.Namespace = existing.Name, im.Namespace
	return append(jobs, applyJob{line: line, student: s, existing: existing})
}

// applyAll applies the jobs, im.workers() at a time, and counts what happened.
func (im *Importer) applyAll(ctx context.Context, jobs []applyJob, created, changed, unchanged *int, rejected *[]registry.RowError) error {
	var mu sync.Mutex
	return forEach(ctx, im.workers(), jobs, func(j applyJob) {
		o, rejection := im.applyStudent(ctx, j)
		mu.Lock()
		defer mu.Unlock()
		switch o {
		case outCreated:
			*created++
		case outChanged:
			*changed++
		case outUnchanged:
			*unchanged++
		case outRejected:
			*rejected = append(*rejected, *rejection)
		}
	})
}
