package importer

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/registry"
)

// AttendanceResult counts what an attendance import did.
type AttendanceResult struct {
	// Rows is the number of data rows read.
	Rows int
	// Created reports for a class and day that had none.
	Created int
	// Corrected class days: a report already existed and said something else, so a new report
	// with a later reportedAt was created; it supersedes the earlier one.
	Corrected int
	// Unchanged class days: the latest existing report says the same; nothing was written.
	Unchanged int
	// Rejected rows, by line.
	Rejected []registry.RowError
	// Warnings about rows that were imported.
	Warnings []registry.RowError
	// DryRun: the counts say what would have happened.
	DryRun bool
	// Duration of the import.
	Duration time.Duration
}

// ImportAttendance reads an attendance extract and creates one AttendanceReport per class and
// day. Reports are immutable: when the latest report for a class and day already says the same,
// nothing is written; when it says something else, a correction named <name>-r2, -r3… is created
// with a later spec.reportedAt, which supersedes it.
func (im *Importer) ImportAttendance(ctx context.Context, in io.Reader) (*AttendanceResult, error) {
	start := time.Now()
	if err := im.checkNamespace(ctx); err != nil {
		return nil, err
	}
	idx, err := listStudents(ctx, im.Client, im.Namespace)
	if err != nil {
		return nil, err
	}
	f, err := registry.ParseAttendance(in, idx.studentIDResolver())
	if err != nil {
		return nil, err
	}
	res := &AttendanceResult{DryRun: im.DryRun, Warnings: f.Warnings}
	res.Rejected = append(res.Rejected, f.Errors...)
	res.Rows = len(f.Errors)
	for _, d := range f.Reports {
		res.Rows += len(d.Lines)
	}

	var mu sync.Mutex
	err = forEach(ctx, im.workers(), f.Reports, func(d registry.ReportDraft) {
		o, reason := im.writeReport(ctx, d)
		mu.Lock()
		defer mu.Unlock()
		switch o {
		case outCreated:
			res.Created++
		case outChanged:
			res.Corrected++
		case outUnchanged:
			res.Unchanged++
		case outRejected:
			for _, l := range d.Lines {
				res.Rejected = append(res.Rejected, registry.RowError{Line: l, Reasons: []string{reason}})
			}
		}
	})
	if err != nil {
		return res, err
	}
	registry.SortRowErrors(res.Rejected)
	res.Duration = time.Since(start)
	return res, nil
}

// reportTime is when a report was made: spec.reportedAt, else its creation.
func reportTime(r *v1.AttendanceReport) time.Time {
	if r.Spec.ReportedAt != nil {
		return r.Spec.ReportedAt.Time
	}
	return r.CreationTimestamp.Time
}

// existingReports reads the reports of a class and day that follow the import's naming: the
// first and its corrections -r2, -r3… It returns them and the next free revision number.
func (im *Importer) existingReports(ctx context.Context, key registry.ClassDay) ([]*v1.AttendanceReport, int, error) {
	var found []*v1.AttendanceReport
	for n := 1; ; n++ {
		r := &v1.AttendanceReport{}
		err := withRetry(ctx, func() error {
			return im.Client.Get(ctx, client.ObjectKey{Namespace: im.Namespace, Name: key.RevisionName(n)}, r)
		})
		if apierrors.IsNotFound(err) {
			return found, n, nil
		}
		if err != nil {
			return nil, 0, err
		}
		if registry.ClassDayOf(&r.Spec) == key {
			found = append(found, r)
		}
	}
}

func (im *Importer) writeReport(ctx context.Context, d registry.ReportDraft) (outcome, string) {
	for attempt := 0; attempt < 3; attempt++ {
		existing, next, err := im.existingReports(ctx, d.Key)
		if err != nil {
			return outRejected, ServerReason(err, nil)
		}
		var latest *v1.AttendanceReport
		for _, r := range existing {
			if latest == nil || !reportTime(r).Before(reportTime(latest)) {
				latest = r
			}
		}
		if latest != nil && registry.SameRollCall(&latest.Spec, &d.Report.Spec) {
			return outUnchanged, ""
		}
		r := d.Report.DeepCopy()
		r.Namespace = im.Namespace
		r.Name = d.Key.RevisionName(next)
		if latest != nil {
			at := im.now().Truncate(time.Second)
			if prev := reportTime(latest).Truncate(time.Second); !at.After(prev) {
				at = prev.Add(time.Second)
			}
			r.Spec.ReportedAt = &metav1.Time{Time: at}
		}
		opts := []client.CreateOption{client.FieldOwner(im.fieldManager())}
		if im.DryRun {
			opts = append(opts, client.DryRunAll)
		}
		err = withRetry(ctx, func() error { return im.Client.Create(ctx, r, opts...) })
		if apierrors.IsAlreadyExists(err) {
			continue // someone else wrote this class and day meanwhile: look again
		}
		if err != nil {
			return outRejected, fmt.Sprintf("roll call of %s: %s", d.Key, ServerReason(err, nil))
		}
		if latest != nil {
			return outChanged, ""
		}
		return outCreated, ""
	}
	return outRejected, fmt.Sprintf("roll call of %s: other reports for it were being written at the same time; import again", d.Key)
}
