package controllers_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap/zapcore"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/controllers"
	"kongchuo.io/kongchuo/internal/policy"
	"kongchuo.io/kongchuo/internal/testenv"
)

var (
	env      *testenv.Env
	k8s      client.Client
	clock    = clocktesting.NewFakeClock(time.Date(2026, 11, 2, 10, 0, 0, 0, shanghai))
	shanghai = mustLocation("Asia/Shanghai")
	nsSeq    atomic.Int32
	// stopManager stops the running manager; the restart test replaces it.
	stopManager func()
)

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func TestMain(m *testing.M) {
	ctrl.SetLogger(zap.New(zap.WriteTo(os.Stderr), zap.Level(zapLevel())))
	var err error
	if env, err = testenv.Start(testenv.WithSimulatedClock()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	k8s = env.Client
	stopManager = startManager()
	code := m.Run()
	stopManager()
	_ = env.Stop()
	os.Exit(code)
}

func zapLevel() zapcore.Level {
	if os.Getenv("KONGCHUO_TEST_LOG") != "" {
		return zapcore.DebugLevel
	}
	return zapcore.ErrorLevel
}

// lateCutoffCounty is a county whose children enrol in the September of the year they turn 6 by
// 31 December, not 31 August.
const lateCutoffCounty = "county-late-cutoff"

// startManager runs the controllers against the test control plane with the fake clock.
func startManager() (stop func()) {
	skip := true
	cfg, err := env.ManagerConfig(context.Background())
	if err != nil {
		panic(err)
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:     env.Scheme,
		NewClient:  countingClientFunc(writes),
		Metrics:    metricsserver.Options{BindAddress: "0"},
		Controller: config.Controller{SkipNameValidation: &skip},
		Cache:      controllers.CacheOptions(cache.Options{}),
	})
	if err != nil {
		panic(err)
	}
	defaults, counties, err := policy.ParseCutoffs("08-31,"+lateCutoffCounty+"=12-31", policy.DefaultSchoolAgeRules)
	if err != nil {
		panic(err)
	}
	if err := controllers.SetupWithManager(mgr, controllers.Options{
		Clock: clock, Location: shanghai, SchoolAge: defaults, CountySchoolAge: counties, ReportRetention: 30 * 24 * time.Hour,
	}); err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := mgr.Start(ctx); err != nil {
			panic(err)
		}
	}()
	return func() { cancel(); <-done }
}

// setToday moves the fake clock to 10:00 local time on a date.
func setToday(d v1.Date) {
	t := policy.MustDate(d)
	clock.SetTime(time.Date(t.Year(), t.Month(), t.Day(), 10, 0, 0, 0, shanghai))
}

func newNamespace(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("county-%d", nsSeq.Add(1))
	if err := k8s.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}); err != nil {
		t.Fatal(err)
	}
	return name
}

// eventually retries check until it returns nil or ten seconds pass.
func eventually(t *testing.T, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var pokes atomic.Int64

// poke makes the controllers look at an object again, as the deadline requeue would after the fake
// clock moved: the requeue itself is real time and would wait for days.
func poke(t *testing.T, obj client.Object) {
	t.Helper()
	ctx := context.Background()
	if err := k8s.Get(ctx, client.ObjectKeyFromObject(obj), obj); err != nil {
		t.Fatal(err)
	}
	patch := client.MergeFrom(obj.DeepCopyObject().(client.Object))
	ann := obj.GetAnnotations()
	if ann == nil {
		ann = map[string]string{}
	}
	ann["test.kongchuo.io/poke"] = strconv.FormatInt(pokes.Add(1), 10)
	obj.SetAnnotations(ann)
	if err := k8s.Patch(ctx, obj, patch); err != nil {
		t.Fatal(err)
	}
}

func create(t *testing.T, objs ...client.Object) {
	t.Helper()
	for _, o := range objs {
		if err := k8s.Create(context.Background(), o); err != nil {
			t.Fatalf("creating %T %s: %v", o, o.GetName(), err)
		}
	}
}

func get[T client.Object](t *testing.T, ns, name string, obj T) T {
	t.Helper()
	if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, obj); err != nil {
		t.Fatalf("getting %s: %v", name, err)
	}
	return obj
}

func condition(conds []metav1.Condition, typ string) metav1.Condition {
	for _, c := range conds {
		if c.Type == typ {
			return c
		}
	}
	return metav1.Condition{}
}
