// Command manager runs the kongchuo controllers: flags and wiring only; the logic is in
// controllers/ and internal/policy.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/metrics/filters"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"kongchuo.io/kongchuo/controllers"
	"kongchuo.io/kongchuo/internal/kube"
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
		leaderElect, secureMetrics, showVersion          bool
		retention                                        time.Duration
	)
	flag.StringVar(&metricsAddr, "metrics-bind-address", ":8443", "Address of the metrics endpoint; \"0\" disables it.")
	flag.BoolVar(&secureMetrics, "metrics-secure", true, "Serve metrics over HTTPS with Kubernetes authentication and authorization.")
	flag.StringVar(&probeAddr, "health-probe-bind-address", ":8081", "Address of the /healthz and /readyz probes.")
	flag.BoolVar(&leaderElect, "leader-elect", false, "Elect a leader, so that only one of several replicas reconciles.")
	flag.StringVar(&namespaces, "watch-namespaces", "", "Comma-separated county namespaces to watch; empty watches all.")
	flag.StringVar(&zone, "time-zone", "Asia/Shanghai", "Time zone in which dates (school days, deadlines) are local dates.")
	flag.StringVar(&cutoff, "school-age-cutoff", "08-31", "MM-DD by which a child must be 6 to enrol that September; then NAMESPACE=MM-DD for counties with their own, e.g. 08-31,county-b=09-30.")
	flag.DurationVar(&retention, "report-retention", 30*24*time.Hour, "How long processed attendance reports are kept.")
	flag.BoolVar(&showVersion, "version", false, "Print the version and exit.")
	zapOpts := zap.Options{}
	zapOpts.BindFlags(flag.CommandLine)
	flag.Parse()
	if showVersion {
		fmt.Println(version.String())
		return nil
	}
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zapOpts)))

	opts, err := controllers.DefaultOptions()
	if err != nil {
		return err
	}
	if opts.Location, err = time.LoadLocation(zone); err != nil {
		return fmt.Errorf("--time-zone: %w", err)
	}
	if opts.SchoolAge, opts.CountySchoolAge, err = policy.ParseCutoffs(cutoff, opts.SchoolAge); err != nil {
		return fmt.Errorf("--school-age-cutoff: %w", err)
	}
	opts.ReportRetention = retention

	metricsOpts := metricsserver.Options{BindAddress: metricsAddr, SecureServing: secureMetrics}
	if secureMetrics {
		metricsOpts.FilterProvider = filters.WithAuthenticationAndAuthorization
	}
	mgr, err := ctrl.NewManager(ctrl.GetConfigOrDie(), ctrl.Options{
		Scheme:                 kube.NewScheme(),
		Metrics:                metricsOpts,
		HealthProbeBindAddress: probeAddr,
		LeaderElection:         leaderElect,
		LeaderElectionID:       "kongchuo-manager.kongchuo.io",
		Cache:                  cache.Options{DefaultNamespaces: watched(namespaces)},
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
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return err
	}
	ctrl.Log.Info("starting manager", "version", version.Version, "namespaces", namespaces, "timeZone", zone, "leaderElection", leaderElect)
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
