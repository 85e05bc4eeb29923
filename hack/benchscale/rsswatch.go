package main

import (
	"sync/atomic"
	"time"
)

// rssStep is the benchmark step under way, for the log of the manager's peak RSS.
var rssStep atomic.Pointer[string]

// rssLogStep is the rise of the manager's peak RSS that gets a log line: small enough to say
// which step set the peak, large enough not to fill the log.
const rssLogStep = 4 << 20

// watchPeakRSS logs each rise of the manager's peak RSS (VmHWM) by rssLogStep, with the step
// under way. The table gives the peak at each phase's end; this says when within it the peak
// was set, which is what tells a burst's overshoot from the live heap's growth.
func (b *bench) watchPeakRSS(m *managerProcess) {
	var logged uint64
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-m.exited:
			return
		case <-tick.C:
		}
		peak := m.peakRSS()
		if peak < logged+rssLogStep {
			continue
		}
		logged = peak
		step := "?"
		if s := rssStep.Load(); s != nil {
			step = *s
		}
		b.logf("manager peak RSS %.0f MiB, %.2f KiB per child (during %s)", float64(peak)/(1<<20),
			float64(peak)/1024/float64(max(1, b.o.children)), step)
	}
}
