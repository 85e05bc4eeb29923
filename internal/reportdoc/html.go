package reportdoc

import (
	"fmt"
	"html/template"
	"io"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// The charts are inline SVG drawn here, so the page needs no network and no script to show them;
// the one script on the page only counts the drawn marks into data-drawn, for the rendering test.

// Chart is one SVG chart, its marks laid out in its own 600×220 coordinate space.
type Chart struct {
	ID, Title string
	Bars      []Bar
	// Target is the y of a target line across the chart, with its label; none when empty.
	TargetY     float64
	TargetLabel string
	// Line is the trend's points.
	Line   []Point
	Legend string
}

// Bar is one bar with its label and value.
type Bar struct {
	X, Y, W, H   float64
	Label, Value string
	// Missed marks a bar on the wrong side of its target.
	Missed bool
}

// Point is one point of a trend line.
type Point struct {
	X, Y         float64
	Label, Value string
}

const (
	chartW, chartH   = 600.0, 220.0
	plotTop, plotBot = 20.0, 180.0
)

// Charts are the report's three charts: rates per township against target (or, for a school or a
// township, its rates against its targets), open cases by stage, and the trend over the months.
func Charts(in Input, tr Translate) []Chart {
	return []Chart{ratesChart(in, tr), stagesChart(in.Report, tr), trendChart(in, tr)}
}

func ratesChart(in Input, tr Translate) Chart {
	if len(in.Townships) > 0 {
		c := Chart{ID: "rates", Title: tr("School-year dropout rate by township against target")}
		var labels []string
		var values []float64
		for _, t := range byName(in.Townships) {
			labels = append(labels, t.Spec.ScopeName+" "+string(t.Spec.Township))
			values = append(values, percent(t.Spec.Figures.Rates.SchoolYearDropout))
		}
		limit := in.Report.Spec.Figures.Targets.MaxDropout
		top := 1.0
		if limit != nil {
			top = max(top, percent(*limit)*1.5)
		}
		c.Bars = bars(labels, values, max(top, maxOf(values)*1.1), func(v float64) string { return fmt.Sprintf("%.2f%%", v) })
		for i := range c.Bars {
			c.Bars[i].Missed = limit != nil && values[i] > percent(*limit)
		}
		if limit != nil {
			c.TargetY = plotBot - percent(*limit)/max(top, maxOf(values)*1.1)*(plotBot-plotTop)
			c.TargetLabel = tr("target") + " ≤ " + string(*limit) + "%"
		}
		return c
	}
	c := Chart{ID: "rates", Title: tr("Rates against targets")}
	var labels []string
	var values []float64
	var missed []bool
	for _, r := range rateRows(in.Report.Spec.Figures) {
		if r.target == nil || r.atMost || r.value == "" {
			continue
		}
		labels = append(labels, tr(r.label)+" ≥ "+string(*r.target)+"%")
		values = append(values, percent(r.value))
		missed = append(missed, percent(r.value) < percent(*r.target))
	}
	c.Bars = bars(labels, values, 100, func(v float64) string { return fmt.Sprintf("%.2f%%", v) })
	for i := range c.Bars {
		c.Bars[i].Missed = missed[i]
	}
	return c
}

func stagesChart(mr *v1.MonthlyReport, tr Translate) Chart {
	var labels []string
	var values []float64
	for _, s := range stageCounts(mr.Spec.Figures.Coverage.OpenCases) {
		labels = append(labels, tr(s.label))
		values = append(values, float64(s.v))
	}
	return Chart{ID: "stages", Title: tr("Open cases by stage"),
		Bars: bars(labels, values, max(1, maxOf(values)*1.1), func(v float64) string { return fmt.Sprintf("%.0f", v) })}
}

func trendChart(in Input, tr Translate) Chart {
	months := append(byMonth(in.History), in.Report)
	c := Chart{ID: "trend", Title: tr("Confirmed dropouts open, by month"), Legend: tr("confirmed dropouts open on the cut-off day")}
	var values []float64
	for _, m := range months {
		oc := m.Spec.Figures.Coverage.OpenCases
		values = append(values, float64(oc.TownshipReported+oc.ReturnNoticeIssued+oc.LegalAction))
	}
	top := max(1, maxOf(values)*1.2)
	step := (chartW - 80) / float64(max(1, len(months)-1))
	for i, m := range months {
		x := 40 + step*float64(i)
		if len(months) == 1 {
			x = chartW / 2
		}
		c.Line = append(c.Line, Point{X: x, Y: plotBot - values[i]/top*(plotBot-plotTop), Label: m.Spec.Month, Value: fmt.Sprintf("%.0f", values[i])})
	}
	return c
}

// bars lays out one bar per value across the plot, scaled to top.
func bars(labels []string, values []float64, top float64, format func(float64) string) []Bar {
	if len(values) == 0 {
		return nil
	}
	slot := (chartW - 40) / float64(len(values))
	var out []Bar
	for i, v := range values {
		h := v / top * (plotBot - plotTop)
		out = append(out, Bar{X: 20 + slot*float64(i) + slot*0.15, W: slot * 0.7, Y: plotBot - h, H: max(h, 0.5), Label: labels[i], Value: format(v)})
	}
	return out
}

func maxOf(vs []float64) float64 {
	m := 0.0
	for _, v := range vs {
		m = max(m, v)
	}
	return m
}

func byName(reports []*v1.MonthlyReport) []*v1.MonthlyReport {
	out := byMonth(reports)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Name < out[j-1].Name; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// WriteHTML writes the report as one self-contained HTML page that prints on A4.
func WriteHTML(w io.Writer, in Input, tr Translate) error {
	data := struct {
		Lang, Title  string
		Rows         []Row
		CaseHeader   []string
		Cases        [][]string
		Charts       []Chart
		W, H         float64
		PlotBot      float64
		FiguresTitle string
	}{Lang: tr("en"), Title: Title(in.Report, tr), FiguresTitle: tr("Figures"), Rows: Rows(in, tr), CaseHeader: translated(CaseHeader, tr),
		Cases: CaseRows(in.Report, tr), Charts: Charts(in, tr), W: chartW, H: chartH, PlotBot: plotBot}
	return page.Execute(w, data)
}

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
@page { size: A4; margin: 15mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", sans-serif; font-size: 10pt; color: #222; width: 180mm; margin: 0 auto; }
h1 { font-size: 15pt; margin: 0 0 4mm; }
h2 { font-size: 11pt; margin: 5mm 0 2mm; }
table { border-collapse: collapse; width: 100%; }
td, th { border: 0.3mm solid #999; padding: 1mm 2mm; text-align: left; }
th { background: #eee; }
td.section { color: #555; width: 25%; }
figure { margin: 0 0 4mm; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: 1mm; }
svg { width: 180mm; height: 66mm; }
.bar { fill: #3a6ea5; } .bar.missed { fill: #c0392b; }
.target { stroke: #c0392b; stroke-dasharray: 4 3; stroke-width: 1.5; }
.trend { fill: none; stroke: #3a6ea5; stroke-width: 2; } .dot { fill: #3a6ea5; }
.axis { stroke: #666; } text { font-size: 10px; }
.cases { break-before: page; page-break-before: always; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{range .Charts}}{{$c := .}}
<figure id="{{.ID}}">
<figcaption>{{.Title}}</figcaption>
<svg class="chart" viewBox="0 0 {{$.W}} {{$.H}}" role="img" aria-label="{{.Title}}">
<line class="axis" x1="20" y1="{{$.PlotBot}}" x2="{{$.W}}" y2="{{$.PlotBot}}"/>
{{range .Bars}}<rect class="bar mark{{if .Missed}} missed{{end}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"><title>{{.Label}}: {{.Value}}</title></rect>
<text x="{{.X}}" y="{{$.PlotBot | printf "%.0f"}}" dy="14">{{.Label}}</text>
<text x="{{.X}}" y="{{.Y}}" dy="-3">{{.Value}}</text>
{{end}}{{if .TargetLabel}}<line class="target" x1="20" x2="{{$.W}}" y1="{{.TargetY}}" y2="{{.TargetY}}"/><text x="{{$.W}}" y="{{.TargetY}}" dy="-3" text-anchor="end">{{.TargetLabel}}</text>
{{end}}{{if .Line}}<polyline class="trend mark" points="{{range .Line}}{{.X}},{{.Y}} {{end}}"/>
{{range .Line}}<circle class="dot mark" cx="{{.X}}" cy="{{.Y}}" r="3"><title>{{.Label}}: {{.Value}}</title></circle><text x="{{.X}}" y="{{$.PlotBot}}" dy="14" text-anchor="middle">{{.Label}}</text><text x="{{.X}}" y="{{.Y}}" dy="-6" text-anchor="middle">{{.Value}}</text>
{{end}}<text x="40" y="12">{{.Legend}}</text>{{end}}
</svg>
</figure>
{{end}}
<h2>{{.FiguresTitle}}</h2>
<table>
{{range .Rows}}<tr><td class="section">{{.Section}}</td><td>{{.Label}}</td><td>{{.Value}}</td></tr>
{{end}}</table>
<div class="cases">
<table>
<tr>{{range .CaseHeader}}<th>{{.}}</th>{{end}}</tr>
{{range .Cases}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
</div>
<script>
// Counts, per chart, the marks the browser drew with a size: the rendering test reads it.
addEventListener("load", () => {
  const drawn = {};
  for (const f of document.querySelectorAll("figure")) {
    drawn[f.id] = [...f.querySelectorAll(".mark")].filter(m => { const b = m.getBBox(); return b.width > 0 || b.height > 0; }).length;
  }
  document.body.dataset.drawn = JSON.stringify(drawn);
});
</script>
</body>
</html>
`))
