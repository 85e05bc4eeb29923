package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/casework"
	"kongchuo.io/kongchuo/internal/demo"
	"kongchuo.io/kongchuo/internal/importer"
)

// minKills is how often the crash test kills the manager at least.
const minKills = 10

// TestCrashAndCompare replays the demo county's school days (15 days of roll calls, then the
// recorded case actions) into two namespaces at once. One manager serves the calm namespace and
// runs undisturbed; another serves the crash namespace and is killed with SIGKILL at random
// moments, at least ten times, and restarted each time. Both must end in the same state: the same
// Students, cases and reports, spec and status (timestamps of writes aside), and no child with a
// second case. The test looks only at objects, so it holds whatever the controllers do inside.
func TestCrashAndCompare(t *testing.T) {
	ctx := context.Background()
	calm, crash := uniqueName("crash-test-calm"), uniqueName("crash-test-killed")
	county := demo.Generate(localToday(), demo.DefaultSeed)
	for _, ns := range []string{calm, crash} {
		loadCounty(t, ctx, county, ns)
	}
	logs := t.TempDir()
	startManager(t, filepath.Join(logs, "calm.log"), "--watch-namespaces="+calm)
	killer := newKiller(t, filepath.Join(logs, "killed.log"), "--watch-namespaces="+crash)
	started := time.Now()

	go killer.run()
	for i, day := range attendanceByDay(t, county) {
		for _, ns := range []string{calm, crash} {
			im := &importer.Importer{Client: k8s, Namespace: ns}
			res, err := im.ImportAttendance(ctx, bytes.NewReader(day))
			if err != nil || len(res.Rejected) > 0 {
				t.Fatalf("day %d in %s: %v %+v", i+1, ns, err, res)
			}
		}
		time.Sleep(time.Duration(rand.IntN(400)) * time.Millisecond) // the managers work between days
	}
	// The killed manager must open the cases before actions can be recorded on them: the kills
	// pause while the actions are recorded, and resume while the manager works them in.
	kills := killer.finish()
	for _, ns := range []string{calm, crash} {
		r := &casework.Recorder{Client: k8s, Namespace: ns}
		res, err := r.RecordFile(ctx, bytes.NewReader(county.ActionsCSV()), 2*time.Minute, nil)
		if err != nil || len(res.Failed) > 0 {
			t.Fatalf("recording actions in %s: %v %+v", ns, err, res)
		}
	}
	for i := 0; i < 3; i++ {
		time.Sleep(time.Duration(200+rand.IntN(800)) * time.Millisecond)
		killer.restart()
		kills++
	}
	t.Logf("fed %d school days and %d actions in %s; the manager of %s was killed %d times",
		len(county.Days), len(county.Actions), time.Since(started).Round(time.Second), crash, kills)
	if kills < minKills {
		t.Fatalf("killed %d times, want at least %d", kills, minKills)
	}

	want, got := settle(t, ctx, calm, crash, 2*time.Minute)
	t.Logf("same end state after %s: %d objects", time.Since(started).Round(time.Second), len(want))
	checkPlausible(t, got)
}

// killer restarts a manager after killing it with SIGKILL at random moments.
type killer struct {
	t       *testing.T
	log     string
	args    []string
	current *process
	stop    chan struct{}
	done    chan int
}

func newKiller(t *testing.T, log string, args ...string) *killer {
	return &killer{t: t, log: log, args: args, current: startManager(t, log, args...), stop: make(chan struct{}), done: make(chan int)}
}

// run kills the manager every 0.3–1.5 s, as soon as it may have started a write, until finish.
func (k *killer) run() {
	kills := 0
	for {
		select {
		case <-k.stop:
			for kills < minKills {
				kills++
				k.restart()
			}
			k.done <- kills
			return
		case <-time.After(time.Duration(300+rand.IntN(1200)) * time.Millisecond):
			kills++
			k.restart()
		}
	}
}

func (k *killer) restart() {
	k.current.stop(syscall.SIGKILL)
	time.Sleep(time.Duration(rand.IntN(300)) * time.Millisecond)
	k.current = startManager(k.t, k.log, k.args...)
}

// finish stops the killing, leaves the last manager running, and returns the number of kills.
func (k *killer) finish() int {
	close(k.stop)
	return <-k.done
}

func localToday() time.Time {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return time.Now().In(loc)
}

// loadCounty creates the namespace, the agreements and the registry of the demo county.
func loadCounty(t *testing.T, ctx context.Context, county *demo.County, ns string) {
	t.Helper()
	if err := createNamespace(ctx, ns); err != nil {
		t.Fatal(err)
	}
	for _, a := range county.Agreements {
		a := a.DeepCopy()
		a.Namespace, a.ResourceVersion = ns, ""
		if err := k8s.Create(ctx, a); err != nil {
			t.Fatalf("agreement %s: %v", a.Name, err)
		}
	}
	im := &importer.Importer{Client: k8s, Namespace: ns}
	if res, err := im.ImportRegistry(ctx, bytes.NewReader(county.RegistryCSV())); err != nil || len(res.Rejected) > 0 {
		t.Fatalf("registry of %s: %v %+v", ns, err, res)
	}
}

// attendanceByDay splits the county's attendance file into one file per school day, oldest first.
func attendanceByDay(t *testing.T, county *demo.County) [][]byte {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(county.AttendanceCSV())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header, dateCol := records[0], -1
	for i, h := range header {
		if h == "date" {
			dateCol = i
		}
	}
	byDate := map[string][][]string{}
	var dates []string
	for _, r := range records[1:] {
		if _, ok := byDate[r[dateCol]]; !ok {
			dates = append(dates, r[dateCol])
		}
		byDate[r[dateCol]] = append(byDate[r[dateCol]], r)
	}
	sort.Strings(dates)
	var days [][]byte
	for _, d := range dates {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		_ = w.WriteAll(append([][]string{header}, byDate[d]...))
		days = append(days, b.Bytes())
	}
	if len(days) != len(county.Days) {
		t.Fatalf("%d days of attendance, want %d", len(days), len(county.Days))
	}
	return days
}

// writeTimes are status fields that record when the controller wrote, not what it found.
var writeTimes = map[string]bool{"lastTransitionTime": true, "time": true, "history": true, "assigneeHistory": true}

// snapshot is every kongchuo object of a namespace, by kind and name, as spec and status without
// the times of writes.
func snapshot(ctx context.Context, ns string) (map[string]string, error) {
	out := map[string]string{}
	for _, kind := range []string{"StudentList", "DropoutCaseList", "AttendanceReportList", "ClassAttendanceList", "ResponsibilityAgreementList"} {
		list := &unstructured.UnstructuredList{}
		list.SetGroupVersionKind(v1.GroupVersion.WithKind(kind))
		if err := k8s.List(ctx, list, client.InNamespace(ns)); err != nil {
			return nil, err
		}
		for _, item := range list.Items {
			kept := map[string]any{"spec": item.Object["spec"], "status": dropWriteTimes(item.Object["status"])}
			if kind == "ClassAttendanceList" {
				// The class record is the controller's, in spec; a day's reportedAt is the roll call's
				// arrival when the file gives none, which differs between the two namespaces.
				kept["spec"] = dropKeys(item.Object["spec"], map[string]bool{"reportedAt": true})
			}
			b, err := json.Marshal(kept)
			if err != nil {
				return nil, err
			}
			out[strings.TrimSuffix(kind, "List")+"/"+item.GetName()] = string(b)
		}
	}
	return out, nil
}

func dropWriteTimes(v any) any { return dropKeys(v, writeTimes) }

// dropKeys removes the keys, at any depth.
func dropKeys(v any, keys map[string]bool) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			if !keys[k] {
				out[k] = dropKeys(val, keys)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = dropKeys(val, keys)
		}
		return out
	}
	return v
}

// settle waits until both namespaces hold the same state for three seconds running, and fails
// with the differences when they do not within the timeout.
func settle(t *testing.T, ctx context.Context, calm, crash string, timeout time.Duration) (map[string]string, map[string]string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var sameSince time.Time
	for {
		want, err := snapshot(ctx, calm)
		if err != nil {
			t.Fatal(err)
		}
		got, err := snapshot(ctx, crash)
		if err != nil {
			t.Fatal(err)
		}
		diff := differences(want, got)
		switch {
		case len(diff) > 0:
			sameSince = time.Time{}
		case sameSince.IsZero():
			sameSince = time.Now()
		case time.Since(sameSince) > 3*time.Second:
			return want, got
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s the killed manager's namespace still differs in %d objects:\n%s", timeout, len(diff), strings.Join(first(diff, 10), "\n"))
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func differences(want, got map[string]string) []string {
	var diff []string
	for k, w := range want {
		if g, ok := got[k]; !ok {
			diff = append(diff, k+": missing")
		} else if g != w {
			diff = append(diff, fmt.Sprintf("%s:\n  calm:   %s\n  killed: %s", k, w, g))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			diff = append(diff, k+": extra")
		}
	}
	sort.Strings(diff)
	return diff
}

func first(list []string, n int) []string {
	if len(list) > n {
		return list[:n]
	}
	return list
}

// checkPlausible guards against two equally empty or equally stuck namespaces: the demo county's
// cases are open and escalated, every object was processed, and no child has two open cases.
func checkPlausible(t *testing.T, state map[string]string) {
	t.Helper()
	open := map[string]int{}
	stages := map[v1.Stage]int{}
	for key, raw := range state {
		var obj struct {
			Spec   v1.DropoutCaseSpec   `json:"spec"`
			Status v1.DropoutCaseStatus `json:"status"`
		}
		if !strings.HasPrefix(key, "DropoutCase/") {
			continue
		}
		if err := json.Unmarshal([]byte(raw), &obj); err != nil {
			t.Fatal(err)
		}
		stages[obj.Status.Stage]++
		if obj.Status.Stage != v1.StageClosed {
			open[obj.Spec.Student]++
		}
	}
	for stu, n := range open {
		if n > 1 {
			t.Errorf("%s has %d open cases", stu, n)
		}
	}
	if stages[""] > 0 || stages[v1.StageTownshipReported]+stages[v1.StageReturnNoticeIssued]+stages[v1.StageLegalAction] == 0 || len(open) < 3 {
		t.Errorf("implausible end state: cases by stage %v, %d children with an open case", stages, len(open))
	}
	t.Logf("cases by stage: %v", stages)
}
