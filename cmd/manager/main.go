// Command manager runs the kongchuo controllers: flags and wiring only; the logic is in
// controllers/ and internal/policy.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"kongchuo.io/kongchuo/controllers"
	"kongchuo.io/kongchuo/internal/kube"
	"kongchuo.io/kongchuo/internal/metricsauth"
	"kongchuo.io/kongchuo/internal/policy"
	"kongchuo.io/kongchuo/internal/version"
	_ "time/tzdata" // the image may carry no zoneinfo
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "manager:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		metricsAddr, probeAddr, namespaces, zone, cutoff string
		pprofAddr                                        string
		leaderElect, secureMetrics, showVersion          bool
		retention, rollupDelay, settleLimit              time.Duration
		workers                                          controllers.Workers
		leaseNamespace                                   string
		memoryLimitRatio                                 float64
	)
	flag.StringVar(&metricsAddr, "metrics-bind-address", ":8443", "Address of the metrics endpoint; \"0\" disables it.")
	flag.BoolVar(&secureMetrics, "metrics-secure", true, "Serve metrics over HTTPS with Kubernetes authentication and authorization.")
	flag.StringVar(&probeAddr, "health-probe-bind-address", ":8081", "Address of the /healthz and /readyz probes.")
	flag.StringVar(&pprofAddr, "pprof-bind-address", "0", "Address of Go's /debug/pprof endpoints, for measuring memory and CPU; \"0\" disables them.")
	flag.BoolVar(&leaderElect, "leader-elect", false, "Elect a leader, so that only one of several replicas reconciles.")
	flag.StringVar(&leaseNamespace, "leader-election-namespace", "", "Namespace of the leader-election Lease; empty means the manager's own namespace (in a cluster only).")
	flag.StringVar(&namespaces, "watch-namespaces", "", "Comma-separated county namespaces to watch; empty watches all.")
	flag.StringVar(&zone, "time-zone", "Asia/Shanghai", "Time zone in which dates (school days, deadlines) are local dates.")
	flag.StringVar(&cutoff, "school-age-cutoff", "08-31", "MM-DD by which a child must be 6 to enrol that September; then NAMESPACE=MM-DD for counties with their own, e.g. 08-31,county-b=09-30.")
	flag.DurationVar(&retention, "report-retention", 30*24*time.Hour, "How long attendance reports are kept once folded into their class's ClassAttendance record.")
	defaults, err := controllers.DefaultOptions()
	if err != nil {
		return err
	}
	flag.IntVar(&workers.Students, "student-workers", defaults.Workers.Students, "Students reconciled at once.")
	flag.IntVar(&workers.Records, "report-workers", defaults.Workers.Records, "Class attendance records (roll calls folded in) reconciled at once.")
	flag.IntVar(&workers.Cases, "case-workers", defaults.Workers.Cases, "DropoutCases reconciled at once.")
	flag.IntVar(&workers.Agreements, "agreement-workers", defaults.Workers.Agreements, "ResponsibilityAgreements reconciled at once.")
	flag.DurationVar(&rollupDelay, "rollup-delay", defaults.RollupDelay, "How long an agreement waits after a change of its figures, so that a burst of changes costs one status write.")
	flag.DurationVar(&settleLimit, "rollup-settle-limit", defaults.SettleLimit, "How long a county's or township's figures may wait to settle (not moved for --rollup-delay) before they are written anyway.")
	flag.Float64Var(&memoryLimitRatio, "memory-limit-ratio", defaultMemoryLimitRatio, "Share of the container's memory limit (env "+memoryLimitEnv+", bytes) the Go runtime keeps under, as its soft limit; GOMEMLIMIT, when set, wins.")
	flag.BoolVar(&showVersion, "version", false, "Print the version and exit.")
	zapOpts := zap.Options{}
	zapOpts.BindFlags(flag.CommandLine)
	flag.Parse()
	if showVersion {
		fmt.Println(version.String())
		return nil
	}
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zapOpts)))
	memoryLimit, err := applyMemoryLimit(memoryLimitRatio)
	if err != nil {
		return err
	}

	opts := defaults
	if opts.Location, err = time.LoadLocation(zone); err != nil {
		return fmt.Errorf("--time-zone: %w", err)
	}
	if opts.SchoolAge, opts.CountySchoolAge, err = policy.ParseCutoffs(cutoff, opts.SchoolAge); err != nil {
		return fmt.Errorf("--school-age-cutoff: %w", err)
	}
	opts.ReportRetention, opts.Workers, opts.RollupDelay, opts.SettleLimit = retention, workers, rollupDelay, settleLimit

	metricsOpts := metricsserver.Options{BindAddress: metricsAddr, SecureServing: secureMetrics}
	if secureMetrics {
		metricsOpts.FilterProvider = metricsauth.New
	}
	mgr, err := ctrl.NewManager(ctrl.GetConfigOrDie(), ctrl.Options{
		Scheme:                 kube.NewScheme(),
		Metrics:                metricsOpts,
		HealthProbeBindAddress: probeAddr,
		PprofBindAddress:       pprofAddr,
		LeaderElection:         leaderElect,
		LeaderElectionID:       "kongchuo-manager.kongchuo.io",
		// Safe because run returns, and the process ends, as soon as the manager stops: a SIGTERM'ed
		// leader hands the Lease over at once instead of making the standby wait out its duration.
		LeaderElectionReleaseOnCancel: true,
		LeaderElectionNamespace:       leaseNamespace,
		Cache:                         controllers.CacheOptions(cache.Options{DefaultNamespaces: watched(namespaces)}),
		// New work (a roll call, an action) goes ahead of the initial list of a restart.
		Controller: config.Controller{UsePriorityQueue: ptr.To(true)},
	})
	if err != nil {
		return fmt.Errorf("creating manager: %w", err)
	}
	if err := controllers.SetupWithManager(mgr, opts); err != nil {
		return fmt.Errorf("setting up controllers: %w", err)
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	if err := addCacheSyncedCheck(mgr); err != nil {
		return err
	}
	ctrl.Log.Info("starting manager", "version", version.Version, "namespaces", namespaces, "timeZone", zone, "leaderElection", leaderElect, "workers", workers, "runtimeMemoryLimit", memoryLimit)
	return mgr.Start(ctrl.SetupSignalHandler())
}

func watched(list string) map[string]cache.Config {
	if strings.TrimSpace(list) == "" {
		return nil
	}
	out := map[string]cache.Config{}
	for _, ns := range strings.Split(list, ",") {
		if ns = strings.TrimSpace(ns); ns != "" {
			out[ns] = cache.Config{}
		}
	}
	return out
}

// addCacheSyncedCheck makes /readyz answer only once every informer cache has synced: a manager
// that cannot list a county (too many objects, missing RBAC) is not ready.
func addCacheSyncedCheck(mgr ctrl.Manager) error {
	synced := &cacheSynced{cache: mgr.GetCache()}
	if err := mgr.Add(synced); err != nil {
		return err
	}
	return mgr.AddReadyzCheck("cache-synced", func(*http.Request) error {
		if !synced.done.Load() {
			return errors.New("informer caches not synced yet")
		}
		return nil
	})
}

// cacheSynced waits for the cache on every replica, leader or not.
type cacheSynced struct {
	cache cache.Cache
	done  atomic.Bool
}

func (c *cacheSynced) Start(ctx context.Context) error {
	c.done.Store(c.cache.WaitForCacheSync(ctx))
	return nil
}

func (c *cacheSynced) NeedLeaderElection() bool { return false }
