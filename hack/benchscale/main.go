// Command benchscale is the county-scale benchmark (make bench-scale): a synthetic county of N
// children on the local control plane, the manager as a process of its own, and one table of
// what it cost, set against the API server's write ceiling measured in the same run.
//
//	go run ./hack/benchscale -n 100000
//
// Phases: the registry import (and the agreements); the ceiling, measured with the county in
// place (the API server's cost per write grows with what it holds); the manager's start and first
// sync; three burst days (every class reports at once, zero reports included, 3 % of children
// absent, cases opening on the third); a trickle day (roll calls at a steady rate, as schools
// report through a morning, with a second cohort's cases opening); the monthly reports on a cut-off
// day (report_phase.go); idle minutes.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.uber.org/zap/zapcore"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"kongchuo.io/kongchuo/internal/testenv"
)

type options struct {
	children     int
	absentShare  float64
	trickleRate  float64
	idle         time.Duration
	workers      int
	managerBin   string
	managerFlags string
	out          string
	dump         string
	profile      string
	managerEnv   string
	memoryLimit  string
}

func main() {
	var o options
	flag.IntVar(&o.children, "n", 100000, "Children in the synthetic county.")
	flag.Float64Var(&o.absentShare, "absent", 0.03, "Share of children absent without excuse from the first day.")
	flag.Float64Var(&o.trickleRate, "trickle-rate", 25, "Roll calls per second on the trickle day.")
	flag.DurationVar(&o.idle, "idle", 5*time.Minute, "How long the idle phase lasts.")
	flag.IntVar(&o.workers, "workers", 32, "Concurrent client requests of the benchmark itself (and of the ceiling).")
	flag.StringVar(&o.managerBin, "manager", "bin/manager", "The manager binary.")
	flag.StringVar(&o.managerFlags, "manager-flags", "", "Extra flags for the manager, space-separated.")
	flag.StringVar(&o.out, "out", "", "Also write the table to this file.")
	flag.StringVar(&o.dump, "dump", "", "Write the measured objects, as stored, into this folder.")
	flag.StringVar(&o.managerEnv, "manager-env", "GOGC=50", "Environment of the manager, space-separated, as the Deployment sets it (config/manager).")
	flag.StringVar(&o.memoryLimit, "memory-limit", "", "The manager container's limits.memory, which the Deployment hands the manager as MEMORY_LIMIT (config/manager), its runtime's soft limit a share of it; \"\" sizes it as docs/scaling.md does for -n children, \"none\" leaves it unset.")
	flag.StringVar(&o.profile, "profile", "", "Write CPU profiles of the API server during the first sync and each school day into this folder.")
	flag.Parse()
	ctrl.SetLogger(zap.New(zap.WriteTo(os.Stderr), zap.Level(zapcore.ErrorLevel)))
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "benchscale:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	ctx := context.Background()
	for _, dir := range []string{o.profile, o.dump} {
		if dir == "" {
			continue
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	env, err := testenv.Start()
	if err != nil {
		return err
	}
	defer func() { _ = env.Stop() }()
	// No client-side rate limit: the ceiling is the API server's, not the client's.
	cfg := rest.CopyConfig(env.Config)
	cfg.QPS = -1
	c, err := client.New(cfg, client.Options{Scheme: env.Scheme})
	if err != nil {
		return err
	}
	b := &bench{o: o, env: env, c: c, cfg: cfg, start: time.Now()}
	if b.api, err = newAPIMetrics(cfg); err != nil {
		return err
	}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"import", b.importCounty},
		{"ceiling", b.measureCeiling},
		{"manager start", b.startManager},
		{"burst day 1", b.burstDay(0)},
		{"burst day 2", b.burstDay(1)},
		{"burst day 3", b.burstDay(2)},
		{"trickle day", b.trickleDay},
		{"monthly reports", b.reportPhase},
		{"idle", b.idlePhase},
		{"sizes", b.measureSizes},
	}
	defer b.stopManager()
	for _, s := range steps {
		b.logf("== %s", s.name)
		rssStep.Store(&s.name)
		before := b.reconcileSnapshot(ctx)
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		if after := b.reconcileSnapshot(ctx); after != nil {
			b.reconciles = append(b.reconciles, phaseReconciles{phase: s.name, buckets: after.since(before)})
		}
	}
	table := b.table()
	fmt.Print(table)
	if o.out != "" {
		if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(o.out, []byte(table), 0o644)
	}
	return nil
}
