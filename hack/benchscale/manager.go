package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// managerProcess is the manager under test, a process of its own so that its memory is its own.
type managerProcess struct {
	cmd                *exec.Cmd
	metrics, readiness string
	log                string
	pprof              string // base URL of the manager's /debug/pprof, when profiling
	exited             chan struct{}
}

func (m *managerProcess) hasExited() bool {
	select {
	case <-m.exited:
		return true
	default:
		return false
	}
}

// startManager runs bin/manager with the manager's generated role, waits for it to be ready
// (every informer synced), then for the first sync to settle.
func (b *bench) startManager(ctx context.Context) error {
	kubeconfig, err := b.env.UserKubeconfig(ctx, "kongchuo-manager-bench", "role.yaml")
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "benchscale-")
	if err != nil {
		return err
	}
	kcPath := filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(kcPath, kubeconfig, 0o600); err != nil {
		return err
	}
	metricsPort, probePort := freePort(), freePort()
	args := []string{"--metrics-bind-address", "127.0.0.1:" + metricsPort, "--metrics-secure=false",
		"--health-probe-bind-address", "127.0.0.1:" + probePort, "--zap-log-level", "error"}
	// pprof is always bound: a heap profile taken with gc=1 is how the live heap is measured
	// after each phase (liveHeap), whether or not -profile keeps the profiles.
	pprofPort := freePort()
	args = append(args, "--pprof-bind-address", "127.0.0.1:"+pprofPort)
	pprofURL := "http://127.0.0.1:" + pprofPort + "/debug/pprof"
	if b.o.managerFlags != "" {
		args = append(args, strings.Fields(b.o.managerFlags)...)
	}
	m := &managerProcess{metrics: "http://127.0.0.1:" + metricsPort + "/metrics", readiness: "http://127.0.0.1:" + probePort + "/readyz",
		log: filepath.Join(dir, "manager.log"), pprof: pprofURL}
	logFile, err := os.Create(m.log)
	if err != nil {
		return err
	}
	m.cmd = exec.Command(b.o.managerBin, args...)
	env, err := b.o.managerEnvironment()
	if err != nil {
		return err
	}
	m.cmd.Env = append(append(os.Environ(), "KUBECONFIG="+kcPath), env...)
	m.cmd.Stdout, m.cmd.Stderr = logFile, logFile
	before, err := b.api.writes(ctx)
	if err != nil {
		return err
	}
	started := time.Now()
	if err := m.cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", b.o.managerBin, err)
	}
	m.exited = make(chan struct{})
	go func() { _ = m.cmd.Wait(); close(m.exited) }()
	b.manager = m
	go b.watchPeakRSS(m)
	if err := m.waitReady(ctx, 10*time.Minute); err != nil {
		return fmt.Errorf("%w (log: %s)", err, m.log)
	}
	ready := time.Since(started)
	b.logf("manager ready after %s; waiting for the first sync to settle", round(ready))
	b.profileAPIServer(ctx, "first sync", 30)
	last, err := b.settle(ctx, started, 30*time.Minute)
	if err != nil {
		return err
	}
	after, err := b.api.writes(ctx)
	if err != nil {
		return err
	}
	w := diff(before, after)
	b.phases = append(b.phases, phase{name: "manager start + first sync", took: last.Sub(started), writes: w, necessary: b.objects,
		patches: b.objects, memory: b.managerMemory(ctx, "after first sync"),
		note: fmt.Sprintf("ready (caches synced) after %s; %.2f status writes per object", round(ready), total(w)/float64(b.objects))})
	return nil
}

func (m *managerProcess) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if m.hasExited() {
			return fmt.Errorf("the manager exited: %s", m.cmd.ProcessState)
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, m.readiness, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	return fmt.Errorf("the manager was not ready within %s", limit)
}

// peakRSS is the manager's peak resident memory so far (VmHWM), in bytes.
func (m *managerProcess) peakRSS() uint64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", m.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func (b *bench) stopManager() {
	if b.manager == nil || b.manager.cmd.Process == nil {
		return
	}
	_ = b.manager.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.manager.exited:
	case <-time.After(20 * time.Second):
		_ = b.manager.cmd.Process.Kill()
	}
}

func freePort() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// settle waits until the manager has written nothing for the quiet period and its work queues
// are empty, and returns the time of its last write.
func (b *bench) settle(ctx context.Context, since time.Time, limit time.Duration) (time.Time, error) {
	last, lastTotal := since, -1.0
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		w, err := b.api.writes(ctx)
		if err != nil {
			return last, err
		}
		if t := total(w); t != lastTotal {
			last, lastTotal = time.Now(), t
		} else if time.Since(last) >= quiet && b.manager.queuesEmpty(ctx) {
			return last, nil
		}
		if b.manager.hasExited() {
			return last, fmt.Errorf("the manager exited (log: %s)", b.manager.log)
		}
		time.Sleep(time.Second)
	}
	return last, fmt.Errorf("the manager did not settle within %s", limit)
}

// queuesEmpty reports whether no controller of the manager has work queued or under way.
func (m *managerProcess) queuesEmpty(ctx context.Context) bool {
	families, err := scrapeURL(ctx, m.metrics)
	if err != nil {
		return false
	}
	for _, name := range []string{"workqueue_depth", "workqueue_unfinished_work_seconds"} {
		for _, metric := range families[name].GetMetric() {
			if metric.GetGauge().GetValue() > 0 {
				return false
			}
		}
	}
	return true
}
