package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/demo"
	"kongchuo.io/kongchuo/internal/importer"
)

const leaseName = "kongchuo-manager.kongchuo.io"

// failoverStudents is the county size of the failover test; KONGCHUO_FAILOVER_STUDENTS measures a
// larger one (docs/operations.md has figures).
func failoverStudents(t *testing.T) int {
	if v := os.Getenv("KONGCHUO_FAILOVER_STUDENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("KONGCHUO_FAILOVER_STUDENTS: %v", err)
		}
		return n
	}
	return 600
}

// TestFailover runs two managers with leader election outside a cluster (--leader-election-namespace)
// and stops the leader: with SIGTERM the standby takes the Lease at once, because the leader
// releases it; with SIGKILL it waits out the Lease duration. Each time a roll call submitted right
// after the stop is processed by the new leader. The times are logged: the closing note of issue
// 12 and docs/operations.md quote them.
func TestFailover(t *testing.T) {
	ctx := context.Background()
	ns := uniqueName("failover-county")
	if err := createNamespace(ctx, ns); err != nil {
		t.Fatal(err)
	}
	leaseNS, err := leaseNamespace(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := failoverStudents(t)
	county := demo.SyntheticRegistry(n, 1, time.Date(localToday().Year(), 9, 1, 0, 0, 0, 0, time.UTC))
	im := &importer.Importer{Client: k8s, Namespace: ns}
	if res, err := im.ImportRegistry(ctx, bytes.NewReader(county)); err != nil || len(res.Rejected) > 0 {
		t.Fatalf("registry: %v %+v", err, res)
	}
	child := firstChildOfClass(t, ctx, ns)
	logs := t.TempDir()
	args := []string{"--leader-elect", "--leader-election-namespace=" + leaseNS, "--watch-namespaces=" + ns}
	start := func(name string) *process { return startManager(t, filepath.Join(logs, name+".log"), args...) }

	running := start("first")
	leader := waitForHolder(t, ctx, leaseNS, "")
	standby := start("second")
	waitForReports(t, ctx, ns, submitReport(t, ctx, ns, 1, child)) // the first leader is at work
	time.Sleep(2 * time.Second)                                    // the standby has tried the Lease

	for round, stop := range []struct {
		name   string
		signal syscall.Signal
		within time.Duration
	}{{"SIGTERM", syscall.SIGTERM, 5 * time.Second}, {"SIGKILL", syscall.SIGKILL, 40 * time.Second}} {
		stopped := time.Now()
		running.stop(stop.signal)
		before := get(t, ctx, ns, child).ResourceVersion
		report := submitReport(t, ctx, ns, round+2, child)
		next := waitForHolder(t, ctx, leaseNS, leader)
		taken := time.Since(stopped)
		waitForReports(t, ctx, ns, report)
		processed := time.Since(stopped)
		waitForChange(t, ctx, ns, child, before)
		reached := time.Since(stopped)
		t.Logf("leader stopped with %s, %d students: Lease taken after %s, first new roll call processed after %s, its absent child updated after %s",
			stop.name, n, taken.Round(100*time.Millisecond), processed.Round(100*time.Millisecond), reached.Round(100*time.Millisecond))
		if taken > stop.within {
			t.Errorf("%s: the standby took the Lease after %s, want within %s", stop.name, taken, stop.within)
		}
		leader, running, standby = next, standby, start(fmt.Sprintf("round-%d", round))
	}
}

// waitForHolder waits until the Lease is held by someone other than previous, and returns who.
func waitForHolder(t *testing.T, ctx context.Context, leaseNS, previous string) string {
	t.Helper()
	var holder string
	err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, 90*time.Second, true, func(ctx context.Context) (bool, error) {
		var lease coordinationv1.Lease
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: leaseNS, Name: leaseName}, &lease); err != nil {
			return false, client.IgnoreNotFound(err)
		}
		if lease.Spec.HolderIdentity != nil {
			holder = *lease.Spec.HolderIdentity
		}
		return holder != "" && holder != previous, nil
	})
	if err != nil {
		t.Fatalf("no new holder of the Lease (was %q): %v", previous, err)
	}
	return holder
}

// firstChildOfClass is a Student of the synthetic county's first class.
func firstChildOfClass(t *testing.T, ctx context.Context, ns string) string {
	t.Helper()
	var list v1.StudentList
	if err := k8s.List(ctx, &list, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	for _, s := range list.Items {
		if e := s.Spec.Enrolment; e.School == "5201210001" && e.Grade == 1 && e.Class == 1 {
			return s.Name
		}
	}
	t.Fatal("no Student in the first class")
	return ""
}

func get(t *testing.T, ctx context.Context, ns, name string) *v1.Student {
	t.Helper()
	var s v1.Student
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// waitForChange waits until the Student was written after resourceVersion before.
func waitForChange(t *testing.T, ctx context.Context, ns, name, before string) {
	t.Helper()
	err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, 2*time.Minute, true, func(ctx context.Context) (bool, error) {
		return get(t, ctx, ns, name).ResourceVersion != before, nil
	})
	if err != nil {
		t.Fatalf("Student %s not updated: %v", name, err)
	}
}

// submitReport submits the first class's roll call for a recent day, with one child absent.
func submitReport(t *testing.T, ctx context.Context, ns string, seq int, absent string) *v1.AttendanceReport {
	t.Helper()
	r := &v1.AttendanceReport{
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("failover-%d", seq), Namespace: ns},
		Spec: v1.AttendanceReportSpec{School: "5201210001", Grade: 1, Class: 1,
			Date: v1.Date(localToday().AddDate(0, 0, -seq).Format("2006-01-02")), Reporter: "failover-test",
			Absences: []v1.Absence{{Student: absent, Kind: "Unexcused"}}},
	}
	if err := k8s.Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	return r
}

// waitForReports waits until the controller has processed the report: its day is in the class's
// record, taken from this report.
func waitForReports(t *testing.T, ctx context.Context, ns string, r *v1.AttendanceReport) {
	t.Helper()
	month := strings.ReplaceAll(string(r.Spec.Date), "-", "")[:6]
	name := fmt.Sprintf("%s-%d-%d-%s", r.Spec.School, r.Spec.Grade, r.Spec.Class, month)
	err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, 2*time.Minute, true, func(ctx context.Context) (bool, error) {
		var rec v1.ClassAttendance
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &rec); err != nil {
			return false, client.IgnoreNotFound(err)
		}
		for _, d := range rec.Spec.Days {
			if d.Date == r.Spec.Date && d.Report == r.Name {
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		t.Fatalf("report %s not processed: %v", r.Name, err)
	}
}
